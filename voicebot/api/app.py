"""The HTTP side of the service: health and metrics (the HR API joins here).

``create_app`` is a factory so tests run the real app in-process (aiohttp test client).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from aiohttp import web

if TYPE_CHECKING:
    from voicebot.service import Service

SERVICE: web.AppKey[Service] = web.AppKey("service")


async def healthz(request: web.Request) -> web.Response:
    service = request.app[SERVICE]
    ok = service.ami.ready
    body = {
        "status": "ok" if ok else "degraded",
        "ami": "connected" if ok else "disconnected",
        "calls_in_progress": service.calls_in_progress,
        "calls_connected": service.registry.active,
    }
    return web.json_response(body, status=200 if ok else 503)


async def metrics(request: web.Request) -> web.Response:
    """Prometheus text format."""
    service = request.app[SERVICE]
    stats = service.clock.stats
    p50, p99 = stats.percentiles(50, 99)
    lines = [
        "# TYPE voicebot_calls_in_progress gauge",
        f"voicebot_calls_in_progress {service.calls_in_progress}",
        "# TYPE voicebot_calls_connected gauge",
        f"voicebot_calls_connected {service.registry.active}",
        "# TYPE voicebot_ami_up gauge",
        f"voicebot_ami_up {int(service.ami.ready)}",
        "# TYPE voicebot_ami_reconnects_total counter",
        f"voicebot_ami_reconnects_total {service.ami.reconnects}",
        "# TYPE voicebot_media_tick_interval_ms gauge",
        f'voicebot_media_tick_interval_ms{{quantile="0.5"}} {p50:.3f}',
        f'voicebot_media_tick_interval_ms{{quantile="0.99"}} {p99:.3f}',
        "# TYPE voicebot_media_resyncs_total counter",
        f"voicebot_media_resyncs_total {stats.resyncs}",
    ]
    return web.Response(text="\n".join(lines) + "\n", content_type="text/plain")


def create_app(service: Service) -> web.Application:
    app = web.Application()
    app[SERVICE] = service
    app.router.add_get("/healthz", healthz)
    app.router.add_get("/metrics", metrics)
    return app
