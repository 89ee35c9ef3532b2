"""What a merchant operation would do, before it does it: the dry-run `Preview` every operation returns."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass
class Preview:
    operation: str
    arguments: dict
    summary: str
    diff: list[dict] = field(default_factory=list)
    rejected: list[dict] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    read_only: bool = False
    result: Any = None

    def to_dict(self) -> dict:
        out = {
            "operation": self.operation,
            "arguments": self.arguments,
            "summary": self.summary,
            "diff": self.diff,
            "rejected": self.rejected,
            "warnings": self.warnings,
            "read_only": self.read_only,
        }
        if self.result is not None:
            out["result"] = self.result
        return out
