"""`shopcopilot studio render` writes one image and one report per slot; bad input is a clear error."""

from __future__ import annotations

import json
from pathlib import Path

from PIL import Image
from skimage import data

from shopcopilot.cli import main


def test_render_writes_images_and_reports(tmp_path: Path, capsys) -> None:
    photo = tmp_path / "rocket.jpg"
    Image.fromarray(data.rocket()).save(photo, quality=92)
    out = tmp_path / "out"
    code = main(
        [
            "studio",
            "render",
            str(photo),
            "--slots",
            "square,story",
            "--scene",
            "surface",
            "--surface",
            "wood",
            "--filter",
            "warm",
            "--no-ocr",
            "--out",
            str(out),
        ]
    )
    assert code == 0
    for slot, size in (("square", (800, 800)), ("story", (1080, 1920))):
        with Image.open(out / f"{slot}.png") as image:
            assert image.size == size
        report = json.loads((out / f"{slot}.report.json").read_text())
        assert report["delivered"] and report["fidelity"]["pixels"]["changed"] == 0
    assert "delivered" in capsys.readouterr().out


def test_render_refuses_a_non_image(tmp_path: Path, capsys) -> None:
    bogus = tmp_path / "notes.jpg"
    bogus.write_text("not a photo")
    assert main(["studio", "render", str(bogus), "--out", str(tmp_path / "out")]) == 2
    assert "not an image" in capsys.readouterr().err
    assert not (tmp_path / "out").exists()
