"""Safe loading: bad uploads are refused with a clear, typed error; odd but valid ones are normalised."""

from __future__ import annotations

import numpy as np
import pytest
from PIL import Image
from studio_samples import encode, labelled_product

from shopcopilot.errors import InvalidInput
from shopcopilot.studio.images import ImageError, load_image, probe


def test_empty_file_is_refused() -> None:
    with pytest.raises(ImageError) as err:
        load_image(b"")
    assert err.value.code == "empty_image" and err.value.status_code == 422


def test_non_image_is_refused() -> None:
    with pytest.raises(ImageError) as err:
        load_image(b"%PDF-1.4 this is a document, not a photo" * 10)
    assert err.value.code == "not_an_image"


def test_truncated_jpeg_is_refused() -> None:
    data = encode(labelled_product(), "JPEG", quality=90)
    with pytest.raises(ImageError) as err:
        load_image(data[: len(data) // 2])
    assert err.value.code == "corrupt_image"
    assert isinstance(err.value, InvalidInput)


def test_decompression_bomb_is_refused_from_the_header() -> None:
    bomb = encode(Image.new("1", (20_000, 20_000)), "PNG")  # 400 Mpx that compress to a few kB
    assert len(bomb) < 200_000
    with pytest.raises(ImageError) as err:
        probe(bomb)
    assert err.value.code == "image_too_large"
    with pytest.raises(ImageError):
        load_image(encode(Image.new("RGB", (300, 300)), "PNG"), max_pixels=50_000)


def test_cmyk_palette_and_16_bit_become_rgb() -> None:
    base = labelled_product(size=(200, 150))
    cmyk = load_image(encode(base.convert("CMYK"), "JPEG", quality=95))
    assert cmyk.rgb.shape == (150, 200, 3) and cmyk.source_mode == "CMYK" and cmyk.alpha is None
    palette = load_image(encode(base.convert("P", palette=Image.Palette.ADAPTIVE, colors=32)))
    assert palette.rgb.dtype == np.uint8 and palette.source_mode == "P"
    deep = Image.fromarray((np.arange(150 * 200).reshape(150, 200) % 65535).astype(np.uint16))
    assert load_image(encode(deep)).rgb.shape == (150, 200, 3)


def test_alpha_is_kept_as_the_mask_and_opaque_alpha_dropped() -> None:
    rgba = labelled_product(size=(200, 150)).convert("RGBA")
    assert load_image(encode(rgba)).alpha is None
    pixels = np.asarray(rgba).copy()
    pixels[:20, :, 3] = 0
    loaded = load_image(encode(Image.fromarray(pixels)))
    assert loaded.alpha is not None and loaded.alpha[:20].max() == 0 and loaded.alpha[40:].min() == 255


def test_exif_rotated_photo_is_turned_upright() -> None:
    upright = labelled_product(size=(300, 200))
    stored = upright.transpose(Image.Transpose.ROTATE_90)  # as a camera held sideways stores it: 200x300
    exif = Image.Exif()
    exif[0x0112] = 6  # "rotate 90 CW to display"
    loaded = load_image(encode(stored, "JPEG", quality=95, exif=exif.tobytes()))
    assert loaded.size == (300, 200)
    assert any("EXIF" in note for note in loaded.notes)
    # The blue box is in the middle third horizontally once upright.
    column_blue = loaded.rgb[:, :, 2].astype(int) - loaded.rgb[:, :, 0].astype(int)
    assert column_blue[:, 140:160].mean() > column_blue[:, :30].mean() + 40
