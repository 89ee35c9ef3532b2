"""Heading-aware chunking: each paragraph or bullet under a heading is one citable passage.

Chunk ids are stable and readable: `<doc_id>#<heading-slug>-<n>`, n counting passages under that heading from 1
(`policy#cancel-pending-order-2`), so a citation survives re-indexing as long as the page keeps its shape.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from shopcopilot.agent.language import detect_language
from shopcopilot.knowledge.documents import Document

_HEADING = re.compile(r"^(#{1,6})\s+(.+?)\s*#*\s*$")
_BULLET = re.compile(r"^\s*(?:[-*+]|\d+[.)])\s+")
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[A-Z0-9\"'(])|(?<=[。！？；])")

MIN_CHARS = 60  # a shorter block (a lead-in line like "Steps:") is merged with the block that follows it
MIN_CHARS_ZH = 20  # Chinese says as much in a third of the characters
MAX_CHARS = 700


@dataclass(frozen=True)
class Chunk:
    chunk_id: str
    kb: str
    doc_id: str
    doc_title: str
    headings: tuple[str, ...]  # the heading path below the document title
    text: str
    lang: str

    @property
    def title(self) -> str:
        return " › ".join((self.doc_title, *self.headings)) if self.headings else self.doc_title

    @property
    def search_text(self) -> str:
        """What retrieval sees: the passage with its headings, which often carry the words of the question."""
        return f"{self.title}\n{self.text}"


def slugify(text: str) -> str:
    slug = re.sub(r"[^\w]+", "-", text.lower()).strip("-")
    return slug or "section"


def split_sentences(text: str) -> list[str]:
    sentences: list[str] = []
    for line in text.splitlines():
        line = line.strip()
        if line:
            sentences.extend(part.strip() for part in _SENTENCE_END.split(line) if part.strip())
    return sentences


def _blocks(markdown: str) -> Iterable[tuple[int, str, str]]:
    """(heading level, heading, block) for each paragraph/bullet; level 0 for text before the first heading."""
    level, heading = 0, ""
    current: list[str] = []

    def flush() -> Iterable[tuple[int, str, str]]:
        if current:
            yield level, heading, "\n".join(current).strip()
            current.clear()

    for line in markdown.splitlines():
        match = _HEADING.match(line)
        if match:
            yield from flush()
            level, heading = len(match.group(1)), match.group(2).strip()
            yield level, heading, ""  # marks the heading itself
        elif not line.strip():
            yield from flush()
        elif _BULLET.match(line) and current and not _BULLET.match(current[0]):
            # A bullet right after a lead-in paragraph starts its own block; consecutive bullets of one list
            # stay separate too (each is one rule), handled by the next branch.
            yield from flush()
            current.append(line)
        elif _BULLET.match(line) and current:
            yield from flush()
            current.append(line)
        else:
            current.append(line)
    yield from flush()


def _clean(block: str) -> str:
    return "\n".join(_BULLET.sub("", line).strip() for line in block.splitlines() if line.strip())


def chunk_document(document: Document, *, max_chars: int = MAX_CHARS) -> list[Chunk]:
    path: list[tuple[int, str]] = []
    pieces: list[tuple[tuple[str, ...], str]] = []
    for level, heading, block in _blocks(document.text):
        if not block:
            if level == 1 and not path:
                continue  # the document title
            path = [(lv, h) for lv, h in path if lv < level] + [(level, heading)]
            continue
        headings = tuple(h for _, h in path)
        text = _clean(block)
        if pieces and pieces[-1][0] == headings and _too_short(pieces[-1][1]):
            pieces[-1] = (headings, pieces[-1][1] + "\n" + text)
        else:
            pieces.append((headings, text))
    chunks: list[Chunk] = []
    counters: dict[str, int] = {}
    for headings, text in pieces:
        for part in _split_long(text, max_chars):
            anchor = slugify(headings[-1] if headings else document.title)
            counters[anchor] = counters.get(anchor, 0) + 1
            chunks.append(
                Chunk(
                    chunk_id=f"{document.doc_id}#{anchor}-{counters[anchor]}",
                    kb=document.kb,
                    doc_id=document.doc_id,
                    doc_title=document.title,
                    headings=headings,
                    text=part,
                    lang=detect_language(part, default=document.lang),
                )
            )
    return chunks


def _too_short(text: str) -> bool:
    return len(text) < (MIN_CHARS_ZH if detect_language(text) == "zh" else MIN_CHARS)


def _split_long(text: str, max_chars: int) -> list[str]:
    if len(text) <= max_chars:
        return [text]
    parts: list[str] = []
    current = ""
    for sentence in split_sentences(text):
        if current and len(current) + len(sentence) + 1 > max_chars:
            parts.append(current)
            current = sentence
        else:
            current = f"{current} {sentence}".strip() if current else sentence
    if current:
        parts.append(current)
    return parts


def chunk_documents(documents: Iterable[Document]) -> list[Chunk]:
    chunks = [chunk for document in documents for chunk in chunk_document(document)]
    seen: set[tuple[str, str]] = set()
    for chunk in chunks:
        key = (chunk.kb, chunk.chunk_id)
        if key in seen:
            raise ValueError(f"duplicate chunk id {chunk.chunk_id} in knowledge base {chunk.kb}")
        seen.add(key)
    return chunks
