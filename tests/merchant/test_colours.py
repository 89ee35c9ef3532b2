import numpy as np

from shopcopilot.merchant.colours import dominant_colours, name_colour


def test_names_of_known_colours():
    assert name_colour((25, 35, 95))[0] == "navy"
    assert name_colour((250, 250, 250))[0] == "white"
    assert name_colour((205, 25, 30))[0] == "red"
    assert name_colour((40, 150, 60))[1] == "绿色"


def test_dominant_colours_use_the_mask_not_the_background():
    rgb = np.zeros((100, 100, 3), np.uint8)
    rgb[:] = (250, 250, 250)  # white background, most of the frame
    rgb[30:70, 20:80] = (30, 90, 200)  # blue product
    rgb[30:70, 60:80] = (250, 220, 40)  # yellow third of the product
    mask = np.zeros((100, 100), bool)
    mask[30:70, 20:80] = True
    colours = dominant_colours(rgb, mask)
    names = [c.name for c in colours]
    assert names == ["blue", "yellow"]
    assert abs(colours[0].share - 2 / 3) < 0.05
    assert "white" not in names


def test_small_details_are_not_variant_colours():
    rgb = np.full((50, 50, 3), (20, 20, 20), np.uint8)
    rgb[0:3, 0:10] = (210, 30, 35)  # a small red logo
    colours = dominant_colours(rgb, np.ones((50, 50), bool))
    assert [c.name for c in colours] == ["black"]
