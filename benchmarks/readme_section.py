"""Write a benchmark's table into README.md: between `<!-- bench:NAME -->` markers when they exist, else as a new
`### TITLE` subsection at the end of the Performance section (which is created if missing)."""

from __future__ import annotations

import re
from pathlib import Path

README = Path(__file__).resolve().parents[1] / "README.md"


def write_section(name: str, title: str, body: str, readme: Path = README) -> None:
    text = readme.read_text(encoding="utf-8") if readme.exists() else "# shopcopilot\n"
    start, end = f"<!-- bench:{name} -->", f"<!-- /bench:{name} -->"
    block = f"{start}\n{body.rstrip()}\n{end}"
    if start in text:
        text = re.sub(re.escape(start) + r".*?" + re.escape(end), lambda _: block, text, flags=re.S)
    else:
        if "## Performance" not in text:
            text = text.rstrip() + "\n\n## Performance\n"
        head, _, tail = text.partition("## Performance")
        following = re.search(r"\n## ", tail)  # the next level-2 section, if any
        cut = following.start() if following else len(tail)
        section = tail[:cut].rstrip() + f"\n\n### {title}\n\n{block}\n"
        text = head + "## Performance" + section + ("\n" + tail[cut:].lstrip("\n") if following else "")
    readme.write_text(text, encoding="utf-8")
