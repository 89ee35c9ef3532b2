"""The trace of a turn: intent and confidence, slots, plan, and every tool call with its arguments, a summary of
its result and its milliseconds. It is returned with every answer so that each fact can be traced to a tool."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any


@dataclass
class ToolCall:
    name: str
    arguments: dict[str, Any]
    summary: str = ""
    ms: float = 0.0
    ok: bool = True
    error: str | None = None


@dataclass
class Trace:
    intent: str = ""
    confidence: float = 0.0
    language: str = "en"
    slots: dict[str, Any] = field(default_factory=dict)
    plan: list[str] = field(default_factory=list)
    planner: str = ""
    tool_calls: list[ToolCall] = field(default_factory=list)
    flags: list[str] = field(default_factory=list)
    """Guard notes such as 'injection_ignored' or 'ownership_denied'."""
    ms: float = 0.0

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["ms"] = round(self.ms, 2)
        for call in data["tool_calls"]:
            call["ms"] = round(call["ms"], 2)
        return data

    def tools_called(self) -> list[str]:
        return [call.name for call in self.tool_calls]
