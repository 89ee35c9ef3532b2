"""Knowledge sources as documents: markdown pages (one file each) and the product-knowledge JSON.

A document is the unit a reader would open; chunking.py cuts it into citable passages.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from shopcopilot.agent.language import detect_language

_TITLE = re.compile(r"^#\s+(.+?)\s*$", re.MULTILINE)


@dataclass(frozen=True)
class Document:
    kb: str
    doc_id: str  # unique within its knowledge base; the prefix of its chunk ids
    title: str
    text: str  # markdown
    lang: str  # "en" or "zh"
    source: str  # a path or "<file>#<key>", so an answer can say where a passage came from


def doc_id_for(path: Path) -> str:
    """'listing-rules.zh.md' -> 'listing-rules-zh': ids stay readable and contain no dots."""
    return re.sub(r"[^\w-]+", "-", path.name.removesuffix(".md")).strip("-").lower()


def load_markdown(path: Path, kb: str, *, doc_id: str | None = None) -> Document:
    text = path.read_text(encoding="utf-8")
    match = _TITLE.search(text)
    title = match.group(1) if match else path.stem.replace("-", " ").capitalize()
    lang = "zh" if path.name.endswith(".zh.md") else detect_language(text)
    return Document(
        kb=kb, doc_id=doc_id or doc_id_for(path), title=title, text=text, lang=lang, source=str(path)
    )


def load_markdown_dir(folder: Path, kb: str) -> list[Document]:
    return [load_markdown(path, kb) for path in sorted(folder.glob("*.md"))]


# Fields of a product-knowledge entry, in reading order, with their headings in each language.
_FIELDS = {
    "description": ("Description", "简介"),
    "features": ("Features", "特点"),
    "suits": ("Suits", "适合"),
    "usage": ("Usage", "使用"),
}


def load_product_knowledge(
    knowledge_json: Path | None, products_json: Path | None, kb: str
) -> list[Document]:
    """One English and one Chinese document per product type.

    The written knowledge (description, features, ... with `_zh` twins) comes from `knowledge_json` when it exists;
    the options on sale come from the store's products.json, so the KB never states an option the store lacks.
    """
    written: dict[str, dict[str, Any]] = {}
    if knowledge_json and knowledge_json.exists():
        raw = json.loads(knowledge_json.read_text(encoding="utf-8"))
        written = raw.get("products", raw) if isinstance(raw, dict) else {}
    options: dict[str, dict[str, list[str]]] = {}
    if products_json and products_json.exists():
        for product in json.loads(products_json.read_text(encoding="utf-8")).values():
            values: dict[str, set[str]] = {}
            for variant in product.get("variants", {}).values():
                for key, value in variant.get("options", {}).items():
                    values.setdefault(key, set()).add(str(value))
            options[product["name"]] = {key: sorted(vals) for key, vals in values.items()}
    documents = []
    for name in sorted(set(written) | set(options)):
        entry = written.get(name) if isinstance(written.get(name), dict) else {}
        slug = re.sub(r"[^\w]+", "-", name.lower()).strip("-")
        for lang in ("en", "zh"):
            body = _product_markdown(name, entry, options.get(name, {}), lang)
            if body is None:
                continue
            title = entry.get("name_zh", name) if lang == "zh" else name
            documents.append(
                Document(
                    kb=kb,
                    doc_id=f"{slug}-{lang}" if lang == "zh" else slug,
                    title=str(title),
                    text=body,
                    lang=lang,
                    source=f"{knowledge_json}#{name}",
                )
            )
    return documents


def _as_text(value: Any) -> str:
    # List items become lines of one paragraph: a product's features are one passage, each line a sentence.
    if isinstance(value, list):
        return "\n".join(_sentence(str(item)) for item in value)
    return str(value)


def _sentence(text: str) -> str:
    text = text.strip()
    return (
        text
        if not text or text[-1] in ".!?。！？"
        else text + ("。" if detect_language(text) == "zh" else ".")
    )


def _product_markdown(
    name: str, entry: dict[str, Any], options: dict[str, list[str]], lang: str
) -> str | None:
    zh = lang == "zh"
    title = str(entry.get("name_zh", name)) if zh else name
    parts = [f"# {title}"]
    for field, (heading_en, heading_zh) in _FIELDS.items():
        value = entry.get(f"{field}_zh") if zh else entry.get(field)
        if value:
            parts.append(f"## {heading_zh if zh else heading_en}\n\n{_as_text(value)}")
    if zh and len(parts) == 1:
        return None  # no Chinese text written for this product: do not fake one from English
    if options:
        heading = "可选规格" if zh else "Options on sale"
        lines = [_sentence(f"{key}: {', '.join(values)}") for key, values in options.items()]
        intro = f"{title} 在售规格如下。" if zh else f"The store sells {name} in these options."
        parts.append(f"## {heading}\n\n{intro}\n\n" + "\n".join(lines))
    return "\n\n".join(parts) + "\n"
