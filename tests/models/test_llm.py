"""The LLM layer: function-backed and fallback models, and the OpenAI-compatible client against a REAL
llama_cpp.server running the packaged SmolLM2-135M (started here, on a free loopback port)."""

from __future__ import annotations

import importlib.util
import re
from collections.abc import Iterator

import pytest

from shopcopilot.config import Settings
from shopcopilot.models.llm import (
    CallInfo,
    FallbackLLM,
    FunctionLLM,
    LLMError,
    LLMResponse,
    LLMUnavailable,
    OpenAICompatibleLLM,
    ToolCall,
    llm_from_settings,
    smollm2_gguf_path,
)
from shopcopilot.models.llm.openai_compatible import api_base
from shopcopilot.models.llm.server import LlamaServer, free_port

CANCEL_TOOL = {
    "name": "cancel_pending_order",
    "description": "Cancel a pending order",
    "parameters": {
        "type": "object",
        "properties": {
            # A pattern, as the order operations declare: grammar-constrained decoding then cannot ramble.
            "order_id": {"type": "string", "pattern": "^#W[0-9]{7}$"},
            "reason": {"type": "string", "enum": ["no longer needed", "ordered by mistake"]},
        },
        "required": ["order_id", "reason"],
    },
}
ORDER_TOOL = {
    "name": "get_order_details",
    "description": "Read one order",
    "parameters": {
        "type": "object",
        "properties": {"order_id": {"type": "string"}},
        "required": ["order_id"],
    },
}


# -- FunctionLLM ---------------------------------------------------------------------------------------------------
def test_function_llm_replies_from_the_function_and_records_calls() -> None:
    def reply(messages: list[dict], info: CallInfo) -> str | ToolCall:
        if info.tool_choice:
            return ToolCall("cancel_pending_order", {"order_id": "#W1", "reason": "ordered by mistake"})
        return messages[-1]["content"].upper()

    llm = FunctionLLM(reply)
    assert llm.chat([{"role": "user", "content": "hello there"}]).text == "HELLO THERE"
    response = llm.chat(
        [{"role": "user", "content": "cancel"}], tools=[CANCEL_TOOL], tool_choice="cancel_pending_order"
    )
    assert response.tool_calls == [
        ToolCall("cancel_pending_order", {"order_id": "#W1", "reason": "ordered by mistake"})
    ]
    messages, info = llm.calls[1]
    assert info.tool_names == ["cancel_pending_order"]
    assert info.tool_choice == {"type": "function", "function": {"name": "cancel_pending_order"}}
    assert messages == [{"role": "user", "content": "cancel"}]


def test_function_llm_json_and_stream() -> None:
    llm = FunctionLLM(lambda messages, info: {"colour": "blue", "schema": sorted(info.json_schema or {})})
    assert llm.chat([], json_schema={"type": "object"}).json() == {"colour": "blue", "schema": ["type"]}
    text = "one two  three"
    chunks = list(FunctionLLM(lambda m, i: text).stream([{"role": "user", "content": "x"}]))
    assert len(chunks) > 1 and "".join(chunks) == text


def test_unknown_forced_tool_and_bad_json_are_llm_errors() -> None:
    llm = FunctionLLM(lambda m, i: "not json")
    with pytest.raises(LLMError, match="not one of the offered tools"):
        llm.chat([], tools=[CANCEL_TOOL], tool_choice="delete_everything")
    with pytest.raises(LLMError, match="valid JSON"):
        llm.chat([], json_schema={"type": "object"}).json()


# -- FallbackLLM ---------------------------------------------------------------------------------------------------
def _failing(message: str) -> FunctionLLM:
    def fail(messages: list[dict], info: CallInfo) -> str:
        raise LLMUnavailable(message)

    return FunctionLLM(fail, name="primary")


def test_fallback_uses_the_next_model_and_records_the_failure() -> None:
    backup = FunctionLLM(lambda m, i: "from backup", name="backup")
    llm = FallbackLLM([_failing("primary is down"), backup])
    response = llm.chat([{"role": "user", "content": "hi"}])
    assert response.text == "from backup"
    assert response.failed_attempts == ("primary: primary is down",)
    assert len(backup.calls) == 1
    assert "".join(llm.stream([{"role": "user", "content": "hi"}])) == "from backup"


def test_fallback_does_not_hide_bugs_and_reports_when_all_fail() -> None:
    def bug(messages: list[dict], info: CallInfo) -> str:
        raise ZeroDivisionError("a bug, not a model failure")

    with pytest.raises(ZeroDivisionError):
        FallbackLLM([FunctionLLM(bug), FunctionLLM(lambda m, i: "unused")]).chat([])
    with pytest.raises(LLMUnavailable, match="every model failed: primary: a; primary: b"):
        FallbackLLM([_failing("a"), _failing("b")]).chat([])


def test_fallback_stream_does_not_switch_models_mid_answer() -> None:
    class HalfStream(FunctionLLM):
        def stream(self, messages, *, max_tokens=512, temperature=0.0) -> Iterator[str]:  # noqa: ANN001
            yield "half"
            raise LLMError("connection dropped")

    llm = FallbackLLM([HalfStream(lambda m, i: ""), FunctionLLM(lambda m, i: "other answer")])
    chunks = []
    with pytest.raises(LLMError, match="connection dropped"):
        for chunk in llm.stream([]):
            chunks.append(chunk)
    assert chunks == ["half"]


# -- factory and plain HTTP errors ---------------------------------------------------------------------------------
def _settings(url: str | None, model: str | None = None) -> Settings:
    return Settings(
        database_url="sqlite://",
        secret="s",
        redis_url=None,
        llm_url=url,
        llm_model=model,
        llm_api_key="key-1",
    )


def test_llm_from_settings() -> None:
    assert llm_from_settings(_settings(None)) is None
    llm = llm_from_settings(_settings("http://127.0.0.1:9/", "qwen"))
    assert isinstance(llm, OpenAICompatibleLLM)
    assert llm.base_url == "http://127.0.0.1:9/v1" and llm.model == "qwen"
    assert api_base("https://api.example.com/v1/") == "https://api.example.com/v1"
    assert smollm2_gguf_path().suffix == ".gguf" and smollm2_gguf_path().stat().st_size > 10_000_000


def test_unreachable_server_is_a_clear_unavailable_error() -> None:
    llm = OpenAICompatibleLLM(f"http://127.0.0.1:{free_port()}", "m", connect_timeout=2)
    with pytest.raises(LLMUnavailable, match="cannot reach the LLM server .*shopcopilot llm serve"):
        llm.chat([{"role": "user", "content": "hi"}])
    with pytest.raises(LLMUnavailable):
        list(llm.stream([{"role": "user", "content": "hi"}]))


# -- a real llama_cpp.server with SmolLM2 --------------------------------------------------------------------------
needs_llama = pytest.mark.skipif(
    importlib.util.find_spec("llama_cpp") is None,
    reason="llama-cpp-python is not installed (optional extra shopcopilot[local-llm]; `make install` builds it)",
)


@pytest.fixture(scope="module")
def smollm2_server() -> Iterator[LlamaServer]:
    with LlamaServer(n_ctx=1024) as server:
        yield server


@pytest.fixture(scope="module")
def smollm2(smollm2_server: LlamaServer) -> OpenAICompatibleLLM:
    return OpenAICompatibleLLM(smollm2_server.url, smollm2_server.model)


@needs_llama
def test_real_server_plain_chat_and_stream(smollm2: OpenAICompatibleLLM) -> None:
    response = smollm2.chat(
        [{"role": "user", "content": "What is the capital of France? One word."}], max_tokens=16
    )
    assert isinstance(response, LLMResponse) and response.text.strip()
    assert response.usage.prompt_tokens > 0 and 0 < response.usage.completion_tokens <= 16
    chunks = list(smollm2.stream([{"role": "user", "content": "Say hello."}], max_tokens=12))
    assert len(chunks) > 1 and "".join(chunks).strip()


@needs_llama
def test_real_server_forced_tool_choice_gives_a_schema_valid_tool_call(smollm2: OpenAICompatibleLLM) -> None:
    response = smollm2.chat(
        [{"role": "user", "content": "Please cancel order #W2575533, I ordered it by mistake."}],
        tools=[CANCEL_TOOL, ORDER_TOOL],
        tool_choice="cancel_pending_order",
        max_tokens=64,
    )
    assert len(response.tool_calls) == 1
    call = response.tool_calls[0]
    assert call.name == "cancel_pending_order"
    assert re.fullmatch(r"#W[0-9]{7}", call.arguments["order_id"])
    assert call.arguments["reason"] in ("no longer needed", "ordered by mistake")


@needs_llama
def test_real_server_required_tool_choice_picks_an_offered_tool(smollm2: OpenAICompatibleLLM) -> None:
    response = smollm2.chat(
        [{"role": "user", "content": "Show me the details of order #W5555555."}],
        tools=[CANCEL_TOOL, ORDER_TOOL],
        tool_choice="required",
        max_tokens=64,
    )
    assert [call.name for call in response.tool_calls] in (["cancel_pending_order"], ["get_order_details"])
    assert "order_id" in response.tool_calls[0].arguments


@needs_llama
def test_real_server_json_schema_output_parses(smollm2: OpenAICompatibleLLM) -> None:
    schema = {
        "type": "object",
        "properties": {"colour": {"type": "string"}, "count": {"type": "integer"}},
        "required": ["colour", "count"],
    }
    response = smollm2.chat(
        [{"role": "user", "content": "Give the colour of the sky and the number of legs of a dog, as JSON."}],
        json_schema=schema,
        max_tokens=48,
    )
    value = response.json()
    assert isinstance(value["colour"], str) and isinstance(value["count"], int)


@needs_llama
def test_fallback_from_a_dead_server_to_the_real_one(smollm2: OpenAICompatibleLLM) -> None:
    dead = OpenAICompatibleLLM(f"http://127.0.0.1:{free_port()}", "none", connect_timeout=2)
    response = FallbackLLM([dead, smollm2]).chat([{"role": "user", "content": "Hi!"}], max_tokens=8)
    assert response.text.strip()
    assert len(response.failed_attempts) == 1 and "cannot reach" in response.failed_attempts[0]


@needs_llama
def test_embedded_llama_from_settings_answers() -> None:
    from shopcopilot.models.llm.llama_cpp_embedded import EmbeddedLlamaLLM

    llm = llm_from_settings(_settings("embedded"))
    assert isinstance(llm, EmbeddedLlamaLLM) and llm.name.startswith("embedded:SmolLM2")
    response = llm.chat(
        [{"role": "user", "content": "Cancel #W1 please, ordered by mistake."}],
        tools=[CANCEL_TOOL],
        tool_choice="cancel_pending_order",
        max_tokens=48,
    )
    assert response.tool_calls[0].name == "cancel_pending_order"
    assert response.tool_calls[0].arguments["reason"] in ("no longer needed", "ordered by mistake")
