"""Scenes at any size, deterministic, from the product's palette or a merchant's photo."""

from __future__ import annotations

import numpy as np
import pytest

from shopcopilot.errors import InvalidInput
from shopcopilot.studio.images import save_image
from shopcopilot.studio.scenes import SURFACES, SceneContext, SceneSpec, make_scene, palette_colors


@pytest.mark.parametrize("kind", ["studio", "gradient", "radial", "surface", "texture", "plain"])
@pytest.mark.parametrize("size", [(1920, 1080), (333, 1001)])
def test_scene_kinds_fill_any_size(kind: str, size: tuple[int, int]) -> None:
    scene = make_scene(*size, SceneSpec(kind=kind))
    assert scene.shape == (size[1], size[0], 3) and scene.dtype == np.uint8
    assert np.array_equal(scene, make_scene(*size, SceneSpec(kind=kind)))  # seeded: same request, same pixels


def test_surfaces_differ_and_are_saved(studio_artifacts) -> None:
    scenes = {s: make_scene(600, 400, SceneSpec(kind="surface", surface=s)) for s in SURFACES}
    for name, scene in scenes.items():
        save_image(scene, studio_artifacts / "scenes" / f"surface_{name}.png")
    means = [scene.reshape(-1, 3).mean(0) for scene in scenes.values()]
    assert min(np.abs(a - b).sum() for i, a in enumerate(means) for b in means[i + 1 :]) > 3


def test_palette_scene_takes_the_product_hue() -> None:
    red, blue = palette_colors([(200, 30, 30)]), palette_colors([(30, 40, 200)])
    red_scene = make_scene(200, 200, SceneSpec(kind="palette"), SceneContext(product_colors=[(200, 30, 30)]))
    blue_scene = make_scene(200, 200, SceneSpec(kind="palette"), SceneContext(product_colors=[(30, 40, 200)]))
    assert red != blue
    assert red_scene[..., 0].mean() > red_scene[..., 2].mean()
    assert blue_scene[..., 2].mean() > blue_scene[..., 0].mean()


def test_photo_scene_covers_without_stretching() -> None:
    photo = np.zeros((100, 200, 3), np.uint8)
    photo[:, :100] = (255, 0, 0)  # left half red, right half blue
    photo[:, 100:] = (0, 0, 255)
    scene = make_scene(100, 100, SceneSpec(kind="photo"), SceneContext(photo=photo))
    # a square crop from the centre: red on the left, blue on the right, no squashing
    assert scene[50, 10, 0] > 200 and scene[50, 90, 2] > 200
    with pytest.raises(InvalidInput):
        make_scene(100, 100, SceneSpec(kind="photo"))


def test_bad_scene_specs_are_refused() -> None:
    with pytest.raises(InvalidInput):
        SceneSpec(kind="moon")
    with pytest.raises(InvalidInput):
        SceneSpec(kind="gradient", colors=("#12345g",))
