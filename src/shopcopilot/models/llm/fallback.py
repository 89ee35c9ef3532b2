"""Fallback as composition (after pydantic-ai's FallbackModel): try each model in turn until one answers."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import replace
from typing import Any

from shopcopilot.models.llm.base import (
    DEFAULT_MAX_TOKENS,
    LLM,
    LLMError,
    LLMResponse,
    LLMUnavailable,
    Message,
    ToolChoice,
    ToolSpec,
)


class FallbackLLM:
    """`FallbackLLM([primary, backup])`. Only LLMError moves on to the next model: a bug in the caller still raises.
    The answer records the failed attempts (`LLMResponse.failed_attempts`) so traces show the fallback."""

    def __init__(
        self, models: Sequence[LLM], *, fallback_on: tuple[type[Exception], ...] = (LLMError,)
    ) -> None:
        if not models:
            raise ValueError("FallbackLLM needs at least one model")
        self.models = list(models)
        self.fallback_on = fallback_on
        self.name = "fallback(" + ", ".join(m.name for m in self.models) + ")"

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
        failures: list[str] = []
        for model in self.models:
            try:
                response = model.chat(
                    messages,
                    tools=tools,
                    tool_choice=tool_choice,
                    json_schema=json_schema,
                    max_tokens=max_tokens,
                    temperature=temperature,
                )
            except self.fallback_on as exc:
                failures.append(f"{model.name}: {exc}")
                continue
            return replace(response, failed_attempts=tuple(failures) + response.failed_attempts)
        raise self._all_failed(failures)

    def stream(
        self,
        messages: Sequence[Message],
        *,
        max_tokens: int = DEFAULT_MAX_TOKENS,
        temperature: float = 0.0,
    ) -> Iterator[str]:
        failures: list[str] = []
        for model in self.models:
            started = False
            try:
                for chunk in model.stream(messages, max_tokens=max_tokens, temperature=temperature):
                    started = True
                    yield chunk
                return
            except self.fallback_on as exc:
                if started:  # half an answer is already out: switching models would splice two answers
                    raise
                failures.append(f"{model.name}: {exc}")
        raise self._all_failed(failures)

    @staticmethod
    def _all_failed(failures: list[str]) -> LLMError:
        return LLMUnavailable("every model failed: " + "; ".join(failures))
