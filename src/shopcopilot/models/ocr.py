"""Text reading with RapidOCR (PP-OCRv4 detection + Chinese/English recognition, onnxruntime)."""

from __future__ import annotations

import threading
from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True)
class TextLine:
    text: str
    score: float
    box: tuple[tuple[float, float], ...]


_lock = threading.Lock()
_engine = None


def _ocr():
    global _engine
    with _lock:
        if _engine is None:
            from rapidocr_onnxruntime import RapidOCR

            # Product text is upright (no angle classifier); detection on at most 960 px keeps a call well under
            # a second on two cores, and two threads per model avoid oversubscribing a shared machine.
            _engine = RapidOCR(
                use_cls=False,
                det_limit_type="max",
                det_limit_side_len=960,
                det_intra_op_num_threads=2,
                rec_intra_op_num_threads=2,
            )
        return _engine


def read_text(rgb: np.ndarray, *, min_score: float = 0.5) -> list[TextLine]:
    """Lines of text in an RGB image, top to bottom, with recognition confidence >= `min_score`."""
    import cv2

    result, _ = _ocr()(cv2.cvtColor(np.ascontiguousarray(rgb), cv2.COLOR_RGB2BGR))
    lines = [
        TextLine(text=str(text).strip(), score=float(score), box=tuple(tuple(map(float, p)) for p in box))
        for box, text, score in (result or [])
        if float(score) >= min_score and str(text).strip()
    ]
    return sorted(lines, key=lambda line: (line.box[0][1], line.box[0][0]))
