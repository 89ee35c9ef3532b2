"""The small interface every language model implements, and the values it returns.

Messages and tools use the OpenAI chat format (the lingua franca of local and hosted servers), so a provider can pass
them through unchanged. A model is only ever asked to choose among typed tools or fill a JSON schema; callers
validate what comes back and fall back to the deterministic path when it is wrong.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol, runtime_checkable

from shopcopilot.errors import ShopcopilotError

Message = dict[str, Any]
ToolSpec = dict[str, Any]
ToolChoice = str | dict[str, Any] | None

DEFAULT_MAX_TOKENS = 512


class LLMError(ShopcopilotError):
    """A model call failed: server error, timeout, or output that does not match what was asked."""

    status_code = 502
    code = "llm_error"


class LLMUnavailable(LLMError):
    """No model can be reached or loaded (server down, optional extra not installed)."""

    status_code = 503
    code = "llm_unavailable"


@dataclass(frozen=True)
class ToolCall:
    name: str
    arguments: dict[str, Any]
    id: str | None = None


@dataclass(frozen=True)
class Usage:
    prompt_tokens: int = 0
    completion_tokens: int = 0


@dataclass(frozen=True)
class LLMResponse:
    text: str
    tool_calls: list[ToolCall] = field(default_factory=list)
    usage: Usage = field(default_factory=Usage)
    model: str = ""
    # "provider: error" for each model a FallbackLLM tried before this one answered; shown in traces.
    failed_attempts: tuple[str, ...] = ()

    def json(self) -> Any:
        """The text parsed as JSON (for `json_schema` calls); LLMError when the model wrote something else."""
        return parse_json_text(self.text)


@runtime_checkable
class LLM(Protocol):
    """A chat model. `name` identifies the provider and model in traces."""

    name: str

    def chat(
        self,
        messages: Sequence[Message],
        *,
        tools: Sequence[ToolSpec] | None = None,
        tool_choice: ToolChoice = None,
        json_schema: dict[str, Any] | None = None,
        max_tokens: int = DEFAULT_MAX_TOKENS,
        temperature: float = 0.0,
    ) -> LLMResponse: ...

    def stream(
        self,
        messages: Sequence[Message],
        *,
        max_tokens: int = DEFAULT_MAX_TOKENS,
        temperature: float = 0.0,
    ) -> Iterator[str]: ...


def normalize_tools(tools: Sequence[ToolSpec] | None) -> list[ToolSpec] | None:
    """Accept OpenAI tool dicts or the short form {name, description, parameters}; return OpenAI tool dicts."""
    if not tools:
        return None
    normalized = []
    for tool in tools:
        if tool.get("type") == "function" and "function" in tool:
            normalized.append(tool)
            continue
        if "name" not in tool:
            raise LLMError(f"a tool needs a name: {tool!r}", code="llm_bad_request", status_code=422)
        function = {
            "name": tool["name"],
            "description": tool.get("description", ""),
            "parameters": tool.get("parameters") or {"type": "object", "properties": {}},
        }
        normalized.append({"type": "function", "function": function})
    return normalized


def normalize_tool_choice(
    tool_choice: ToolChoice, tools: list[ToolSpec] | None
) -> str | dict[str, Any] | None:
    """'auto' / 'none' / 'required' pass through; a bare tool name becomes the OpenAI forced-function form."""
    if tool_choice is None or isinstance(tool_choice, dict):
        return tool_choice
    if tool_choice in ("auto", "none", "required"):
        return tool_choice
    names = [t["function"]["name"] for t in tools or []]
    if tool_choice not in names:
        raise LLMError(
            f"tool_choice {tool_choice!r} is not one of the offered tools {names}",
            code="llm_bad_request",
            status_code=422,
        )
    return {"type": "function", "function": {"name": tool_choice}}


def forced_tool_name(tool_choice: str | dict[str, Any] | None) -> str | None:
    if isinstance(tool_choice, dict):
        return tool_choice.get("function", {}).get("name")
    return None


def parse_json_text(text: str) -> Any:
    """Parse model output as JSON, tolerating a ```json fence around it (small models like to add one)."""
    stripped = text.strip()
    if stripped.startswith("```"):
        stripped = stripped.strip("`")
        if stripped.startswith("json"):
            stripped = stripped[4:]
    try:
        return json.loads(stripped)
    except json.JSONDecodeError as exc:
        raise LLMError(
            f"the model did not return valid JSON ({exc.msg}): {text[:200]!r}", code="llm_bad_output"
        ) from exc


def parse_tool_arguments(name: str, raw: Any) -> dict[str, Any]:
    """Tool arguments arrive as a JSON string (OpenAI) or an object; always return a dict or raise LLMError."""
    if isinstance(raw, dict):
        return raw
    if raw in (None, ""):
        return {}
    try:
        value = json.loads(raw)
    except (TypeError, json.JSONDecodeError) as exc:
        raise LLMError(
            f"tool call {name!r} has arguments that are not JSON: {str(raw)[:200]!r}", code="llm_bad_output"
        ) from exc
    if not isinstance(value, dict):
        raise LLMError(
            f"tool call {name!r} arguments must be a JSON object, got {type(value).__name__}",
            code="llm_bad_output",
        )
    return value
