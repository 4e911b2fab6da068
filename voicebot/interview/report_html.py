"""The recruiter's view of a report: one self-contained HTML page (inline CSS and SVG).

No scripts, no external fonts or images, so it opens from an e-mail attachment or the store
as it is, and prints. Every value from the report is HTML-escaped: transcripts are whatever
the candidate said.
"""

from __future__ import annotations

from html import escape
from typing import Any

_CSS = """
body{font-family:system-ui,-apple-system,"Segoe UI","PingFang SC","Microsoft YaHei",
sans-serif;margin:2rem auto;max-width:60rem;color:#1d2330;line-height:1.5;padding:0 1rem}
h1{font-size:1.5rem;margin-bottom:.2rem}
h2{font-size:1.15rem;margin-top:2rem;border-bottom:1px solid #d8dce5}
.muted{color:#667085}
.pill{display:inline-block;padding:.15rem .6rem;border-radius:1rem;font-weight:600}
.advance{background:#d1fadf;color:#05603a}.review{background:#fef0c7;color:#93370d}
.reject{background:#fee4e2;color:#912018}.none{background:#eaecf0;color:#344054}
.notice{border-left:4px solid #f79009;background:#fffaeb;padding:.6rem 1rem;margin:1rem 0}
table{border-collapse:collapse;width:100%;font-size:.92rem}td,th{border-bottom:1px solid #eaecf0;
padding:.35rem .5rem;text-align:left;vertical-align:top}th{background:#f9fafb}
.num{text-align:right;white-space:nowrap}.pos{color:#05603a}.neg{color:#b42318}
.ko{color:#b42318;font-weight:600}code{font-size:.85rem}
"""


def _e(value: object) -> str:
    return escape("" if value is None else str(value))


def _t(seconds: object) -> str:
    """Call time as m:ss.s (audio offset in the recording)."""
    if not isinstance(seconds, int | float):
        return ""
    minutes, rest = divmod(float(seconds), 60)
    return f"{int(minutes)}:{rest:04.1f}"


def bar_chart(dimensions: list[dict[str, Any]]) -> str:
    """Inline SVG: one horizontal bar per dimension (0-100), weight in the label."""
    row, label_w, bar_w = 28, 190, 360
    height = row * max(1, len(dimensions)) + 10
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{label_w + bar_w + 60}" '
             f'height="{height}" role="img" aria-label="dimension scores">']  # fmt: skip
    for i, d in enumerate(dimensions):
        y = 5 + i * row
        score = d.get("score")
        width = 0.0 if score is None else bar_w * max(0.0, min(100.0, float(score))) / 100
        color = (
            "#98a2b3"
            if score is None
            else "#12b76a"
            if score >= 70
            else ("#f79009" if score >= 50 else "#f04438")
        )
        label = f"{d.get('name')} ({d.get('weight')}%)"
        shown = "-" if score is None else f"{float(score):.0f}"
        parts.append(
            f'<text x="0" y="{y + 17}" font-size="13">{_e(label)}</text>'
            f'<rect x="{label_w}" y="{y + 4}" width="{bar_w}" height="16" fill="#f2f4f7"/>'
            f'<rect x="{label_w}" y="{y + 4}" width="{width:.1f}" height="16" fill="{color}"/>'
            f'<text x="{label_w + bar_w + 8}" y="{y + 17}" font-size="13">{shown}</text>'
        )
    parts.append("</svg>")
    return "".join(parts)


def _evidence_rows(items: list[dict[str, Any]]) -> str:
    rows = []
    for e in items:
        pts = float(e.get("points", 0))
        cls = "pos" if pts > 0 else "neg" if pts < 0 else "muted"
        when = f"{_t(e.get('start_s'))}-{_t(e.get('end_s'))}" if "start_s" in e else ""
        rows.append(
            f"<tr><td>{_e(e.get('kind'))}</td><td>{_e(e.get('phrase'))}</td>"
            f'<td>{_e(e.get("excerpt"))}</td><td class="num">{when}</td>'
            f'<td class="num {cls}">{pts:+g}</td></tr>'
        )
    return "".join(rows)


def _dimensions(report: dict[str, Any]) -> str:
    out = ["<h2>Dimensions / 能力维度</h2>", bar_chart(report.get("dimensions") or [])]
    for d in report.get("dimensions") or []:
        out.append(f"<h3>{_e(d['name'])} — {_e(d['score'])} <span class=muted>"
                   f"(weight {_e(d['weight'])}%)</span></h3><table>")  # fmt: skip
        out.append("<tr><th>source</th><th>share</th><th>score</th><th>points</th></tr>")
        for c in d.get("contributions", []):
            out.append(f'<tr><td>{_e(c["source"])}</td><td class="num">{c["share"]:.0%}</td>'
                       f'<td class="num">{_e(c["score"])}</td>'
                       f'<td class="num">{_e(c["points"])}</td></tr>')  # fmt: skip
        out.append("</table>")
    return "".join(out)


def _questions(report: dict[str, Any]) -> str:
    out = ["<h2>Answers / 回答</h2>"]
    for q in report.get("questions") or []:
        ko = ' <span class="ko">KNOCKOUT</span>' if q.get("knocked_out") else ""
        audio = q.get("audio") or {}
        out.append(
            f"<h3>{_e(q['id'])} <span class=muted>({_e(q['type'])}, {_e(q['status'])}, "
            f"audio {_t(audio.get('start_s'))}-{_t(audio.get('end_s'))})</span>{ko}</h3>"
            f"<p class=muted>{_e(q.get('prompt'))}</p><p>{_e(q.get('transcript'))}</p>"
        )
        if q.get("value") is not None:
            out.append(f"<p>answer: <b>{_e(q['value'])}</b></p>")
        if q.get("evidence"):
            out.append(f"<p>score: <b>{_e(q.get('score'))}</b></p><table><tr><th>kind</th>"
                       "<th>rubric</th><th>said</th><th>when</th><th>points</th></tr>"
                       f"{_evidence_rows(q['evidence'])}</table>")  # fmt: skip
    return "".join(out)


def _metrics(report: dict[str, Any]) -> str:
    m = report.get("metrics")
    if not m:
        return ""
    rows = [("speech time (s)", m.get("speech_s")), ("call duration (s)", m.get("call_s")),
            ("talk ratio", m.get("talk_ratio")), ("speaking rate (per min)", m.get("rate_per_min")),
            ("pauses", m.get("pauses")), ("longest pause (s)", m.get("longest_pause_s")),
            ("mean time to first word (s)", m.get("mean_latency_s")),
            ("barge-ins", m.get("barge_ins"))]  # fmt: skip
    body = "".join(f'<tr><td>{_e(k)}</td><td class="num">{_e(v)}</td></tr>' for k, v in rows)
    return f"<h2>Speech metrics / 语音指标</h2><table>{body}</table>"


def _transcript(report: dict[str, Any]) -> str:
    rows = "".join(
        f'<tr><td class="num">{_t(t["start_s"])}-{_t(t["end_s"])}</td><td>{_e(t["step"])}</td>'
        f"<td>{_e(t.get('text'))}</td></tr>"
        for t in report.get("transcript") or []
    )
    return ("<h2>Transcript / 通话记录</h2><table><tr><th>audio</th><th>step</th><th>said</th>"
            f"</tr>{rows}</table>")  # fmt: skip


def render_html(report: dict[str, Any]) -> str:
    """The report dict (from :func:`report.build_report`) as a standalone HTML page."""
    job, cand, call = report["job"], report["candidate"], report["call"]
    rec = report.get("recommendation") or {}
    value = rec.get("value")
    head = (
        f"<h1>{_e(cand.get('name') or 'Candidate')} — {_e(job['job_title'])}</h1>"
        f"<p class=muted>{_e(job['company'])} · {_e(call['started_at'])} · "
        f"outcome <b>{_e(call['outcome'])}</b> · total <b>{_e(report.get('total'))}</b></p>"
        f'<p>Recommendation: <span class="pill {_e(value or "none")}">{_e(value or "n/a")}'
        "</span>"
        + (" · requires human review" if rec.get("requires_human_review") else "")
        + "</p>"
    )
    if rec:
        reasons = "".join(f"<li>{_e(r)}</li>" for r in rec.get("reasons", []))
        head += f'<div class="notice">{_e(rec.get("notice"))}<ul>{reasons}</ul></div>'
    kos = report.get("knockouts") or []
    if kos:
        head += (
            "<h2>Knockouts / 淘汰项</h2><ul>"
            + "".join(
                f'<li class="ko">{_e(k["question_id"])}: {_e(k["reason"])} '
                f"(answer {_e(k['value'])}, {_e(k['status'])})</li>"
                for k in kos
            )
            + "</ul>"
        )
    excerpts = "".join(
        f"<li>{_e(x['question_id'])} {_t(x.get('start_s'))}: “{_e(x.get('excerpt'))}” "
        f"<span class=muted>({_e(x.get('kind'))} {float(x.get('points', 0)):+g})</span></li>"
        for x in report.get("key_excerpts") or []
    )
    body = head
    if excerpts:
        body += f"<h2>Key excerpts / 关键摘录</h2><ul>{excerpts}</ul>"
    if report.get("dimensions"):
        body += _dimensions(report)
    body += _questions(report) + _metrics(report) + _transcript(report)
    title = f"{cand.get('name') or 'Candidate'} - {job['job_title']}"
    return (
        f'<!DOCTYPE html><html lang="{_e(job["language"])}"><head><meta charset="utf-8">'
        f"<title>{_e(title)}</title><style>{_CSS}</style></head><body>{body}"
        f"<p class=muted>schema {_e(report['schema'])} v{_e(report['schema_version'])}</p>"
        "</body></html>"
    )
