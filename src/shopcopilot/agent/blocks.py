"""The typed blocks a turn answers with. Both faces (SSE API and terminal) render the same blocks."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any, ClassVar


@dataclass
class Block:
    type: ClassVar[str] = "block"

    def to_dict(self) -> dict[str, Any]:
        return {"type": self.type, **asdict(self)}


@dataclass
class TextBlock(Block):
    type: ClassVar[str] = "text"
    text: str


@dataclass
class ProductCardsBlock(Block):
    """Product cards; each card is the dict built by `shopper.cards.build_card` (all fields from store data)."""

    type: ClassVar[str] = "product_cards"
    cards: list[dict[str, Any]]


@dataclass
class ComparisonBlock(Block):
    type: ClassVar[str] = "comparison"
    product_ids: list[str]
    columns: list[str]
    rows: list[dict[str, Any]]
    """One row per attribute: {"attribute": name, "values": [value per product]}."""
    verdict: dict[str, Any] | None = None
    """The pick and its reasons ({"product_id", "title", "reasons"}), so a face can mark the chosen column."""


@dataclass
class PlanBlock(Block):
    type: ClassVar[str] = "plan"
    title: str
    steps: list[str]


@dataclass
class CartUpdateBlock(Block):
    type: ClassVar[str] = "cart_update"
    added: dict[str, Any] | None
    lines: list[dict[str, Any]]
    total: float


@dataclass
class ConfirmationBlock(Block):
    """A consequential action waiting for an explicit yes: `details` lists exactly what will change."""

    type: ClassVar[str] = "confirmation"
    action: str
    arguments: dict[str, Any]
    details: list[str]
    prompt: str


@dataclass
class QuestionBlock(Block):
    """A clarifying question (one at a time) with the choices the store actually offers."""

    type: ClassVar[str] = "question"
    slot: str
    text: str
    choices: list[str] = field(default_factory=list)


@dataclass
class CitedAnswerBlock(Block):
    """An answer taken from the store's knowledge bases; `citations` are the passages it rests on, numbered as the
    text's [n] marks: {"kb", "chunk_id", "title", "quote"} (the quote verbatim from the passage)."""

    type: ClassVar[str] = "cited_answer"
    text: str
    citations: list[dict[str, Any]] = field(default_factory=list)


def blocks_to_dicts(blocks: list[Block]) -> list[dict[str, Any]]:
    return [block.to_dict() for block in blocks]


def block_texts(blocks: list[Block]) -> str:
    """All prose of a turn in one string (tests and the terminal use it)."""
    parts: list[str] = []
    for block in blocks:
        if isinstance(block, TextBlock | QuestionBlock | CitedAnswerBlock):
            parts.append(block.text)
        elif isinstance(block, ConfirmationBlock):
            parts.extend([*block.details, block.prompt])
        elif isinstance(block, PlanBlock):
            parts.extend([block.title, *block.steps])
    return "\n".join(parts)
