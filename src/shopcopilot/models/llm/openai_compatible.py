"""Any server that speaks the OpenAI chat-completions API: vLLM, Ollama, llama.cpp, llama-cpp-python, hosted APIs."""

from __future__ import annotations

import json
from collections.abc import Iterator, Sequence
from typing import Any
from urllib.parse import urlsplit

import httpx

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


def api_base(url: str) -> str:
    """'http://host:8000' -> 'http://host:8000/v1'; a URL that already carries a path is used as given."""
    url = url.rstrip("/")
    return url + "/v1" if urlsplit(url).path in ("", "/") else url


class OpenAICompatibleLLM:
    """Chat over HTTP. `json_schema` is sent as OpenAI `response_format`; servers that only know the older
    `{"type": "json_object", "schema": ...}` form (llama-cpp-python) are detected on the first refusal."""

    def __init__(
        self,
        url: str,
        model: str | None = None,
        *,
        api_key: str | None = None,
        timeout: float = 120.0,
        connect_timeout: float = 5.0,
        transport: httpx.BaseTransport | None = None,
    ) -> None:
        self.base_url = api_base(url)
        self.model = model or "default"
        self.name = f"openai:{self.model}@{self.base_url}"
        headers = {"Authorization": f"Bearer {api_key}"} if api_key else {}
        self._client = httpx.Client(
            base_url=self.base_url,
            headers=headers,
            timeout=httpx.Timeout(timeout, connect=connect_timeout),
            transport=transport,
        )
        self._json_format_style = "json_schema"

    def close(self) -> None:
        self._client.close()

    # -- requests -------------------------------------------------------------------------------------------------
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
        body: dict[str, Any] = {
            "model": self.model,
            "messages": list(messages),
            "max_tokens": max_tokens,
            "temperature": temperature,
        }
        if tool_specs:
            body["tools"] = tool_specs
            if choice is not None:
                body["tool_choice"] = choice
        if json_schema is not None:
            body["response_format"] = self._response_format(json_schema)
        data = self._post_chat(body, json_schema)
        response = self._parse(data, forced_tool_name(choice))
        if choice == "required" and not response.tool_calls and tool_specs:
            # Some servers (llama-cpp-python) ignore "required"; pick the tool with a schema, then force it.
            return self._emulate_required(messages, tool_specs, max_tokens, temperature)
        return response

    def stream(
        self,
        messages: Sequence[Message],
        *,
        max_tokens: int = DEFAULT_MAX_TOKENS,
        temperature: float = 0.0,
    ) -> Iterator[str]:
        body = {
            "model": self.model,
            "messages": list(messages),
            "max_tokens": max_tokens,
            "temperature": temperature,
            "stream": True,
        }
        try:
            with self._client.stream("POST", "/chat/completions", json=body) as response:
                if response.status_code >= 400:
                    response.read()
                    raise self._http_error(response)
                for line in response.iter_lines():
                    if not line.startswith("data:"):
                        continue
                    payload = line[5:].strip()
                    if payload == "[DONE]":
                        return
                    try:
                        chunk = json.loads(payload)
                    except json.JSONDecodeError as exc:
                        raise LLMError(
                            f"{self.name} sent a stream event that is not JSON: {payload[:200]!r}"
                        ) from exc
                    for choice in chunk.get("choices") or []:
                        text = (choice.get("delta") or {}).get("content")
                        if text:
                            yield text
        except httpx.HTTPError as exc:
            raise self._transport_error(exc) from exc

    # -- helpers --------------------------------------------------------------------------------------------------
    def _response_format(self, schema: dict[str, Any]) -> dict[str, Any]:
        if self._json_format_style == "json_object":
            return {"type": "json_object", "schema": schema}
        return {"type": "json_schema", "json_schema": {"name": "response", "schema": schema, "strict": True}}

    def _post_chat(self, body: dict[str, Any], json_schema: dict[str, Any] | None) -> dict[str, Any]:
        response = self._post(body)
        if (
            response.status_code in (400, 422, 500)
            and json_schema is not None
            and self._json_format_style == "json_schema"
            and "response_format" in response.text
        ):
            self._json_format_style = "json_object"
            body["response_format"] = self._response_format(json_schema)
            response = self._post(body)
        if response.status_code >= 400:
            raise self._http_error(response)
        try:
            return response.json()
        except ValueError as exc:
            raise LLMError(
                f"{self.name} answered with something that is not JSON: {response.text[:200]!r}"
            ) from exc

    def _post(self, body: dict[str, Any]) -> httpx.Response:
        try:
            return self._client.post("/chat/completions", json=body)
        except httpx.HTTPError as exc:
            raise self._transport_error(exc) from exc

    def _transport_error(self, exc: httpx.HTTPError) -> LLMError:
        if isinstance(exc, httpx.ConnectError):
            return LLMUnavailable(
                f"cannot reach the LLM server at {self.base_url} ({exc}); start one with `shopcopilot llm serve` "
                "or point SHOPCOPILOT_LLM_URL at a running OpenAI-compatible server"
            )
        if isinstance(exc, httpx.TimeoutException):
            return LLMError(
                f"the LLM server at {self.base_url} did not answer in time ({type(exc).__name__})",
                code="llm_timeout",
                status_code=504,
            )
        return LLMError(f"request to the LLM server at {self.base_url} failed: {exc}")

    def _http_error(self, response: httpx.Response) -> LLMError:
        detail = response.text[:300]
        try:
            payload = response.json()
            error = payload.get("error") if isinstance(payload, dict) else None
            if isinstance(error, dict) and error.get("message"):
                detail = error["message"]
            elif isinstance(error, str):
                detail = error
        except ValueError:
            pass
        if response.status_code in (401, 403):
            return LLMError(
                f"the LLM server refused the API key (HTTP {response.status_code}): {detail}; "
                "check SHOPCOPILOT_LLM_API_KEY",
                code="llm_auth",
            )
        return LLMError(f"the LLM server at {self.base_url} answered HTTP {response.status_code}: {detail}")

    def _parse(self, data: dict[str, Any], forced: str | None) -> LLMResponse:
        try:
            choice = data["choices"][0]
            message = choice.get("message") or {}
        except (KeyError, IndexError, TypeError) as exc:
            raise LLMError(f"{self.name} returned no choices: {str(data)[:200]}") from exc
        calls = []
        for raw in message.get("tool_calls") or []:
            function = raw.get("function") or {}
            name = function.get("name") or ""
            calls.append(
                ToolCall(
                    name=name,
                    arguments=parse_tool_arguments(name, function.get("arguments")),
                    id=raw.get("id"),
                )
            )
        if forced and not calls:
            # A forced call that came back as text: the text is the arguments object.
            calls.append(
                ToolCall(name=forced, arguments=parse_tool_arguments(forced, message.get("content") or ""))
            )
        usage = data.get("usage") or {}
        return LLMResponse(
            text=message.get("content") or "",
            tool_calls=calls,
            usage=Usage(int(usage.get("prompt_tokens") or 0), int(usage.get("completion_tokens") or 0)),
            model=str(data.get("model") or self.model),
        )

    def _emulate_required(
        self, messages: Sequence[Message], tools: list[ToolSpec], max_tokens: int, temperature: float
    ) -> LLMResponse:
        pick = self.chat(
            messages, json_schema=choose_tool_schema(tools), max_tokens=64, temperature=temperature
        )
        choice = pick.json()
        name = choice.get("tool") if isinstance(choice, dict) else None
        if name not in [tool["function"]["name"] for tool in tools]:
            raise LLMError(f"{self.name} chose no valid tool: {pick.text[:200]!r}", code="llm_bad_output")
        return self.chat(
            messages, tools=tools, tool_choice=name, max_tokens=max_tokens, temperature=temperature
        )
