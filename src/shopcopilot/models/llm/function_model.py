"""An LLM whose replies come from a Python function (after pydantic-ai's FunctionModel): real behaviour for tests.

The function receives the messages and a `CallInfo` with what the caller offered (tools, tool choice, schema) and
returns text, a ToolCall, a list of ToolCalls, a dict (JSON for a schema call) or a full LLMResponse.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

from shopcopilot.models.llm.base import (
    DEFAULT_MAX_TOKENS,
    LLMError,
    LLMResponse,
    Message,
    ToolCall,
    ToolChoice,
    ToolSpec,
    Usage,
    normalize_tool_choice,
    normalize_tools,
)


@dataclass(frozen=True)
class CallInfo:
    tools: list[ToolSpec] = field(default_factory=list)
    tool_choice: str | dict[str, Any] | None = None
    json_schema: dict[str, Any] | None = None
    max_tokens: int = DEFAULT_MAX_TOKENS
    temperature: float = 0.0

    @property
    def tool_names(self) -> list[str]:
        return [t["function"]["name"] for t in self.tools]


Reply = str | ToolCall | list[ToolCall] | dict[str, Any] | LLMResponse
ReplyFunction = Callable[[list[Message], CallInfo], Reply]


class FunctionLLM:
    """`FunctionLLM(fn)`; every call is recorded in `.calls` as (messages, CallInfo)."""

    def __init__(self, fn: ReplyFunction, *, name: str = "function") -> None:
        self.fn = fn
        self.name = name
        self.calls: list[tuple[list[Message], CallInfo]] = []

    def chat(
        self,
        messages: Sequence[Message],
        *,
        tools: Sequence[ToolSpec] | None = None,
        tool_choice: ToolChoice = None,
        json_schema: dict[str, Any] | None = None,
        max_tokens: int = DEFAULT_MAX_TOKENS,
        temperature: float = 0.0,
    ) -> LLMResponse:
        tool_specs = normalize_tools(tools) or []
        info = CallInfo(
            tools=tool_specs,
            tool_choice=normalize_tool_choice(tool_choice, tool_specs) if tool_specs else None,
            json_schema=json_schema,
            max_tokens=max_tokens,
            temperature=temperature,
        )
        history = [dict(m) for m in messages]
        self.calls.append((history, info))
        return self._to_response(self.fn(history, info))

    def stream(
        self,
        messages: Sequence[Message],
        *,
        max_tokens: int = DEFAULT_MAX_TOKENS,
        temperature: float = 0.0,
    ) -> Iterator[str]:
        text = self.chat(messages, max_tokens=max_tokens, temperature=temperature).text
        # Word-sized chunks, keeping the separators, so joining the chunks gives the text back exactly.
        start = 0
        for index, char in enumerate(text):
            if char == " " and index > start:
                yield text[start:index]
                start = index
        if start < len(text):
            yield text[start:]

    def _to_response(self, reply: Reply) -> LLMResponse:
        if isinstance(reply, LLMResponse):
            return reply
        if isinstance(reply, ToolCall):
            return LLMResponse(text="", tool_calls=[reply], usage=Usage(), model=self.name)
        if isinstance(reply, list):
            if not all(isinstance(item, ToolCall) for item in reply):
                raise LLMError(f"{self.name}: a list reply must hold ToolCalls only")
            return LLMResponse(text="", tool_calls=list(reply), usage=Usage(), model=self.name)
        if isinstance(reply, dict):
            return LLMResponse(text=json.dumps(reply, ensure_ascii=False), model=self.name)
        if isinstance(reply, str):
            return LLMResponse(text=reply, usage=Usage(0, len(reply.split())), model=self.name)
        raise LLMError(f"{self.name}: the reply function returned {type(reply).__name__}, not a reply")
