"""Studio benchmark: cutout + 3 slot renders of a 1024 px photo, per stage, and the plain u2netp cutout
(rembg's own session, the same photo) for comparison. Writes its table into README.md.

    .venv/bin/python benchmarks/studio.py [--runs 3] [--ocr] [--no-readme]

Last line: `total_s=X` (median of the runs, cutout + 3 renders incl. pixel/colour fidelity, no Real-ESRGAN).
"""

from __future__ import annotations

import argparse
import os
import re
import statistics
import time
from pathlib import Path

os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")

import cv2  # noqa: E402
import numpy as np  # noqa: E402
from skimage import data  # noqa: E402

from shopcopilot.studio.images import LoadedImage  # noqa: E402
from shopcopilot.studio.pipeline import RenderOptions, render  # noqa: E402

README = Path(__file__).resolve().parents[1] / "README.md"
SLOTS = ["square", "portrait", "banner"]


def photo_1024() -> np.ndarray:
    rgb = data.coffee()
    return cv2.resize(rgb, (1024, round(1024 * rgb.shape[0] / rgb.shape[1])), interpolation=cv2.INTER_CUBIC)


def plain_u2netp(rgb: np.ndarray) -> float:
    from PIL import Image
    from rembg import new_session, remove

    session = new_session("u2netp")
    image = Image.fromarray(rgb)
    remove(image, session=session)  # warm-up
    start = time.perf_counter()
    remove(image, session=session)
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--ocr", action="store_true", help="include the OCR text check (reported separately)")
    parser.add_argument("--no-readme", action="store_true")
    args = parser.parse_args()

    photo = LoadedImage(rgb=photo_1024(), alpha=None, source_format="PNG", source_mode="RGB")
    options = RenderOptions.from_dict({"slots": SLOTS, "scene": "studio", "ocr": args.ocr})
    render(photo, options)  # warm-up: loads the models once, as a running server would have
    runs = []
    for _ in range(args.runs):
        start = time.perf_counter()
        result = render(photo, options)
        wall = time.perf_counter() - start
        assert all(item.delivered for item in result.results)
        runs.append((wall, result.timings))
    stages = sorted({stage for _, timings in runs for stage in timings}, key=list(runs[0][1]).index)
    median = {stage: statistics.median(t.get(stage, 0.0) for _, t in runs) for stage in stages}
    ocr_s = median.pop("fidelity_text", 0.0)
    total = statistics.median(wall for wall, _ in runs) - ocr_s
    plain = plain_u2netp(photo.rgb)

    lines = [f"| stage | seconds (median of {args.runs}) |", "|---|---|"]
    lines += [f"| {stage} | {seconds:.3f} |" for stage, seconds in median.items()]
    lines.append(f"| **cutout + {len(SLOTS)} slot renders (total)** | **{total:.3f}** |")
    if args.ocr:
        lines.append(f"| OCR text check (not in total) | {ocr_s:.3f} |")
    lines.append(f"| plain u2netp cutout (rembg, same photo) | {plain:.3f} |")
    lines.append(f"| ratio total / plain u2netp | {total / plain:.2f} |")
    table = "\n".join(lines)
    print(
        f"photo 1024x{photo.rgb.shape[0]} (skimage coffee), slots {', '.join(SLOTS)}, cpu cores {os.cpu_count()}"
    )
    print(table)
    if not args.no_readme:
        write_readme(table)
    print(f"plain_u2netp_s={plain:.3f} ratio={total / plain:.2f}")
    print(f"total_s={total:.3f}")


def write_readme(table: str) -> None:
    text = README.read_text(encoding="utf-8")
    block = f"<!-- bench:studio -->\n{table}\n<!-- /bench:studio -->"
    if "<!-- bench:studio -->" in text:
        text = re.sub(r"<!-- bench:studio -->.*?<!-- /bench:studio -->", lambda _: block, text, flags=re.S)
    else:
        if "## Performance" not in text:
            text = text.rstrip() + "\n\n## Performance\n"
        text = text.replace(
            "## Performance\n",
            "## Performance\n\n### Image studio (`benchmarks/studio.py`)\n\n" + block + "\n",
            1,
        )
    README.write_text(text, encoding="utf-8")


if __name__ == "__main__":
    main()
