"""The knowledge bases: what each holds, where its documents come from, and the questions that route to it.

- store_policy: the store's customer-service policy (policy.md in the retail data folder; our Chinese translation).
- product_knowledge: product descriptions (data/product_knowledge.json) plus the options on sale (products.json).
- platform_rules: merchant platform rules written for this project (data/knowledge/platform_rules, en + zh).
- operations_howto: one how-to page per backend operation (data/knowledge/operations_howto).
Descriptions and example questions live in data/knowledge/knowledge_bases.json, so re-training the router is a data
change.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from shopcopilot.config import PACKAGE_DATA, default_retail_dir
from shopcopilot.knowledge.chunking import Chunk, chunk_documents
from shopcopilot.knowledge.documents import Document, load_markdown, load_markdown_dir, load_product_knowledge

KNOWLEDGE_DATA = PACKAGE_DATA / "knowledge"


@dataclass(frozen=True)
class KnowledgeBase:
    name: str
    title: str
    title_zh: str
    description: str
    description_zh: str
    examples: tuple[str, ...]
    loader: Callable[[], list[Document]] = field(repr=False, compare=False)

    def documents(self) -> list[Document]:
        return self.loader()


def _policy_loader(retail_dir: Path, data_dir: Path) -> Callable[[], list[Document]]:
    def load() -> list[Document]:
        path = retail_dir / "policy.md"
        if not path.exists():
            return []
        # The Chinese translation (ours) serves Chinese questions; the English original stays authoritative.
        translation = data_dir / "store_policy" / "policy.zh.md"
        documents = [load_markdown(path, "store_policy", doc_id="policy")]
        if translation.exists():
            documents.append(load_markdown(translation, "store_policy", doc_id="policy-zh"))
        return documents

    return load


def default_knowledge_bases(
    retail_dir: Path | None = None, data_dir: Path | None = None
) -> list[KnowledgeBase]:
    retail = retail_dir or default_retail_dir()
    data = data_dir or KNOWLEDGE_DATA
    specs = json.loads((data / "knowledge_bases.json").read_text(encoding="utf-8"))
    loaders: dict[str, Callable[[], list[Document]]] = {
        "store_policy": _policy_loader(retail, data),
        "product_knowledge": lambda: load_product_knowledge(
            PACKAGE_DATA / "product_knowledge.json", retail / "products.json", "product_knowledge"
        ),
        "platform_rules": lambda: load_markdown_dir(data / "platform_rules", "platform_rules"),
        "operations_howto": lambda: load_markdown_dir(data / "operations_howto", "operations_howto"),
    }
    return [
        KnowledgeBase(
            name=name,
            title=spec["title"],
            title_zh=spec["title_zh"],
            description=spec["description"],
            description_zh=spec["description_zh"],
            examples=tuple(spec["examples"]),
            loader=loaders[name],
        )
        for name, spec in specs.items()
    ]


def load_chunks(bases: list[KnowledgeBase]) -> list[Chunk]:
    return chunk_documents(doc for base in bases for doc in base.documents())


class KnowledgeService:
    """The bases, one index over all their chunks and the router; built once per process (see `default_service`)."""

    def __init__(self, bases: list[KnowledgeBase], embedder: object | None = None) -> None:
        from shopcopilot.knowledge.index import KnowledgeIndex
        from shopcopilot.knowledge.router import KnowledgeRouter

        if embedder is None:
            from shopcopilot.models.embedder import get_embedder

            embedder = get_embedder()
        self.bases = {base.name: base for base in bases}
        self.chunks = load_chunks(bases)
        self.index = KnowledgeIndex(self.chunks, embedder)  # type: ignore[arg-type]
        self.router = KnowledgeRouter(bases, embedder, index=self.index)  # type: ignore[arg-type]


_service: KnowledgeService | None = None
_service_lock = threading.Lock()


def default_service() -> KnowledgeService:
    global _service
    with _service_lock:
        if _service is None:
            _service = KnowledgeService(default_knowledge_bases())
        return _service
