"""Studio benchmark: cutout + 3 slot renders of a 1024 px photo, per stage, and the plain u2netp cutout of the same
photo in the same run for comparison. Writes its table into README.md.

    .venv/bin/python benchmarks/studio.py [--runs 5] [--ocr] [--no-readme]

"plain u2netp" is rembg's own cutout (`rembg.remove`: its PIL Lanczos resizes, float64 normalisation and mask
composite) running on an onnxruntime session with *the same settings as ours* (`cutout_model.session_options()`:
2 intra-op threads, no spin-waiting, graph optimisation ALL, sequential), so the ratio compares pipelines, not
runtime settings. rembg with its default session options is measured too and shown as an extra row.

Every measured repetition runs our render and both plain cutouts back to back, so the machine's load falls on all
of them alike; the table gives medians of wall time, plus the CPU time (all threads) of the same calls, which moves
much less than wall time on a shared machine.

Last line: `total_s=X` (median wall seconds, cutout + 3 renders incl. pixel/colour fidelity, no Real-ESRGAN).
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import time
from collections.abc import Callable
from pathlib import Path

os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")

import cv2  # noqa: E402
import numpy as np  # noqa: E402
from readme_section import write_section  # noqa: E402
from skimage import data  # noqa: E402

from shopcopilot.studio.images import LoadedImage  # noqa: E402
from shopcopilot.studio.pipeline import RenderOptions, render  # noqa: E402

README = Path(__file__).resolve().parents[1] / "README.md"
SLOTS = ["square", "portrait", "banner"]


def photo_1024() -> np.ndarray:
    rgb = data.coffee()
    return cv2.resize(rgb, (1024, round(1024 * rgb.shape[0] / rgb.shape[1])), interpolation=cv2.INTER_CUBIC)


def plain_u2netp_cutters(rgb: np.ndarray) -> dict[str, Callable[[], object]]:
    """rembg's cutout of the photo, on our session settings and on rembg's defaults (both warmed up)."""
    import onnxruntime as ort
    from PIL import Image
    from rembg import new_session, remove
    from rembg.session_simple import SimpleSession

    from shopcopilot.models.cutout_model import session_options, u2netp_path

    same = SimpleSession(
        "u2netp",
        ort.InferenceSession(str(u2netp_path()), session_options(), providers=["CPUExecutionProvider"]),
    )
    default = new_session("u2netp")
    image = Image.fromarray(rgb)
    cutters = {
        "plain": lambda: remove(image, session=same),
        "plain_default": lambda: remove(image, session=default),
    }
    for cut in cutters.values():
        cut()  # warm-up
    return cutters


def timed(call: Callable[[], object]) -> tuple[object, float, float]:
    wall, cpu = time.perf_counter(), time.process_time()
    result = call()
    return result, time.perf_counter() - wall, time.process_time() - cpu


def cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown CPU"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--ocr", action="store_true", help="include the OCR text check (reported separately)")
    parser.add_argument("--no-readme", action="store_true")
    args = parser.parse_args()

    load_before = os.getloadavg()[0]
    photo = LoadedImage(rgb=photo_1024(), alpha=None, source_format="PNG", source_mode="RGB")
    options = RenderOptions.from_dict({"slots": SLOTS, "scene": "studio", "ocr": args.ocr})
    render(photo, options)  # warm-up: loads the models once, as a running server would have
    cutters = plain_u2netp_cutters(photo.rgb)
    runs, plain, plain_default, cpu, plain_cpu = [], [], [], [], []
    for _ in range(args.runs):
        result, wall, cpu_s = timed(lambda: render(photo, options))
        assert all(item.delivered for item in result.results)  # type: ignore[attr-defined]
        runs.append((wall, result.timings))  # type: ignore[attr-defined]
        cpu.append(cpu_s - result.timings.get("fidelity_text", 0.0))  # type: ignore[attr-defined]
        _, wall, cpu_s = timed(cutters["plain"])
        plain.append(wall)
        plain_cpu.append(cpu_s)
        plain_default.append(timed(cutters["plain_default"])[1])
    load_after = os.getloadavg()[0]

    stages = sorted({stage for _, timings in runs for stage in timings}, key=list(runs[0][1]).index)
    median = {stage: statistics.median(t.get(stage, 0.0) for _, t in runs) for stage in stages}
    ocr_s = median.pop("fidelity_text", 0.0)
    total = statistics.median(wall - t.get("fidelity_text", 0.0) for wall, t in runs)
    plain_s, plain_default_s = statistics.median(plain), statistics.median(plain_default)
    cpu_s, plain_cpu_s = statistics.median(cpu), statistics.median(plain_cpu)

    context = (
        f"{cpu_model()}, {os.cpu_count()} cores; load average {load_before:.1f} before, {load_after:.1f} after "
        f"(other work running); photo 1024x{photo.rgb.shape[0]} (skimage coffee), slots {', '.join(SLOTS)}, "
        f"scene studio, lanczos; {args.runs} runs, each render followed by the plain cutouts."
    )
    lines = [context, "", f"| stage | seconds (median of {args.runs}) |", "|---|---|"]
    lines += [f"| {stage} | {seconds:.3f} |" for stage, seconds in median.items()]
    lines.append(f"| **cutout + {len(SLOTS)} slot renders (total, wall)** | **{total:.3f}** |")
    lines.append(f"| cutout + {len(SLOTS)} slot renders, CPU time (all threads) | {cpu_s:.3f} |")
    if args.ocr:
        lines.append(f"| OCR text check (not in total) | {ocr_s:.3f} |")
    lines.append(f"| plain u2netp cutout (rembg, same photo, our session settings) | {plain_s:.3f} |")
    lines.append(f"| plain u2netp cutout, CPU time (all threads) | {plain_cpu_s:.3f} |")
    lines.append(f"| plain u2netp cutout (rembg's default session settings) | {plain_default_s:.3f} |")
    lines.append(
        f"| ratio total / plain u2netp (wall; CPU) | {total / plain_s:.2f}; {cpu_s / plain_cpu_s:.2f} |"
    )
    table = "\n".join(lines)
    print(table)
    if not args.no_readme:
        write_section("studio", "Image studio (`benchmarks/studio.py`)", table)
    print(f"plain_u2netp_s={plain_s:.3f} ratio={total / plain_s:.2f}")
    print(f"total_s={total:.3f}")


if __name__ == "__main__":
    main()
