"""onnxruntime sessions for the TTS voices, sized for a long-running phone service.

onnxruntime's defaults suit one-shot inference: a CPU memory arena that keeps every block it
ever allocated, and memory patterns planned per input shape. A voice synthesises sentences
of every length all day, so both only grow the process (measured: +55 MB piper, +139 MB
Kokoro after a few prompts). Without them the voices stay at their load size.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from voicebot.errors import SpeechError


def session(model: Path, threads: int | None = None) -> Any:
    """An ``onnxruntime.InferenceSession`` on the CPU, without arena or memory patterns."""
    try:
        import onnxruntime as ort  # noqa: PLC0415  (only a process that speaks loads it)
    except ImportError as exc:
        raise SpeechError(f"TTS needs: pip install 'voicebot[speech]' ({exc})") from exc
    options = ort.SessionOptions()
    options.enable_cpu_mem_arena = False
    options.enable_mem_pattern = False
    if threads is not None:
        options.intra_op_num_threads = threads
        options.inter_op_num_threads = 1
    try:
        return ort.InferenceSession(
            str(model), sess_options=options, providers=["CPUExecutionProvider"]
        )
    except Exception as exc:  # onnxruntime raises its own untyped errors
        raise SpeechError(f"{model}: cannot load the model: {exc}") from exc
