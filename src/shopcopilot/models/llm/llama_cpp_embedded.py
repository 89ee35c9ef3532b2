"""In-process llama.cpp (llama-cpp-python) with the packaged SmolLM2-135M GGUF: no server, no network.

Needs the optional extra `shopcopilot[local-llm]` (built from source; flags in DEVELOPERS.md). The import is deferred
so the rest of the project works without it.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

from shopcopilot.models.llm.base import (
    DEFAULT_MAX_TOKENS,
    LLMError,
    LLMResponse,
    LLMUnavailable,
    Message,
    ToolCall,
    ToolChoice,
    ToolSpec,
    Usage,
    forced_tool_name,
    normalize_tool_choice,
    normalize_tools,
    parse_tool_arguments,
)
from shopcopilot.models.llm.tool_emulation import choose_tool_schema


def import_llama_cpp() -> Any:
    # llama.cpp runs its threads under OpenMP; libgomp's default busy-waiting made generation ~10x slower on this
    # shared 2-core machine (29 s instead of 2.6 s for 64 tokens). libgomp reads this once, when it is loaded.
    os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")
    try:
        import llama_cpp
    except ImportError as exc:
        raise LLMUnavailable(
            "the embedded LLM needs llama-cpp-python: install the extra with "
            "CMAKE_ARGS from DEVELOPERS.md and `pip install -e '.[local-llm]'`"
        ) from exc
    return llama_cpp


class EmbeddedLlamaLLM:
    """A llama.cpp model loaded into this process. Calls are serialised: one llama context is not thread-safe."""

    def __init__(
        self,
        model_path: str | Path | None = None,
        *,
        n_ctx: int = 2048,
        n_threads: int | None = None,
        seed: int = 0,
    ) -> None:
        from shopcopilot.models.llm.factory import smollm2_gguf_path

        llama_cpp = import_llama_cpp()
        self.model_path = Path(model_path) if model_path else smollm2_gguf_path()
        if not self.model_path.exists():
            raise LLMUnavailable(f"GGUF model file not found: {self.model_path}")
        self.name = f"embedded:{self.model_path.stem}"
        threads = n_threads or max(1, min(4, os.cpu_count() or 1))
        self._llama = llama_cpp.Llama(
            model_path=str(self.model_path), n_ctx=n_ctx, n_threads=threads, seed=seed, verbose=False
        )
        self._lock = threading.Lock()

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
        tool_specs = normalize_tools(tools)
        choice = normalize_tool_choice(tool_choice, tool_specs) if tool_specs else None
        if choice == "required" and tool_specs:
            pick = self.chat(messages, json_schema=choose_tool_schema(tool_specs), max_tokens=64)
            chosen = pick.json()
            name = chosen.get("tool") if isinstance(chosen, dict) else None
            choice = normalize_tool_choice(name, tool_specs) if name else None
            if choice is None:
                raise LLMError(f"{self.name} chose no valid tool: {pick.text[:200]!r}", code="llm_bad_output")
        kwargs: dict[str, Any] = {
            "messages": list(messages),
            "max_tokens": max_tokens,
            "temperature": temperature,
        }
        if tool_specs and choice not in (None, "none"):
            kwargs["tools"] = tool_specs
            kwargs["tool_choice"] = choice
        if json_schema is not None:
            kwargs["response_format"] = {"type": "json_object", "schema": json_schema}
        try:
            with self._lock:
                data = self._llama.create_chat_completion(**kwargs)
        except (
            ValueError
        ) as exc:  # llama-cpp-python reports bad requests (e.g. context overflow) as ValueError
            raise LLMError(f"{self.name} could not run this request: {exc}") from exc
        message = data["choices"][0]["message"]
        calls = [
            ToolCall(
                name=c["function"]["name"],
                arguments=parse_tool_arguments(c["function"]["name"], c["function"].get("arguments")),
                id=c.get("id"),
            )
            for c in message.get("tool_calls") or []
        ]
        forced = forced_tool_name(choice)
        if forced and not calls:
            calls.append(
                ToolCall(name=forced, arguments=parse_tool_arguments(forced, message.get("content") or ""))
            )
        usage = data.get("usage") or {}
        return LLMResponse(
            text=message.get("content") or "",
            tool_calls=calls,
            usage=Usage(int(usage.get("prompt_tokens") or 0), int(usage.get("completion_tokens") or 0)),
            model=self.name,
        )

    def stream(
        self,
        messages: Sequence[Message],
        *,
        max_tokens: int = DEFAULT_MAX_TOKENS,
        temperature: float = 0.0,
    ) -> Iterator[str]:
        with self._lock:
            for chunk in self._llama.create_chat_completion(
                messages=list(messages), max_tokens=max_tokens, temperature=temperature, stream=True
            ):
                text = chunk["choices"][0].get("delta", {}).get("content")
                if text:
                    yield text

    def count_tokens(self, text: str) -> int:
        return len(self._llama.tokenize(text.encode("utf-8"), add_bos=False))
