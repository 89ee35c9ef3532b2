"""Tool choice for runtimes that can only force one named tool (llama.cpp grammars): choose first, then call.

`tool_choice="required"` over several tools becomes two constrained generations: a JSON object naming one tool
(an enum, so the model cannot invent a name), then a forced call of that tool whose arguments follow its schema.
"""

from __future__ import annotations

from typing import Any

from shopcopilot.models.llm.base import ToolSpec


def choose_tool_schema(tools: list[ToolSpec]) -> dict[str, Any]:
    names = [tool["function"]["name"] for tool in tools]
    return {
        "type": "object",
        "properties": {"tool": {"type": "string", "enum": names}},
        "required": ["tool"],
    }
