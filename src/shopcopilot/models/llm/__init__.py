"""Language models behind one small interface: OpenAI-compatible servers, embedded llama.cpp, and functions."""

from shopcopilot.models.llm.base import LLM, LLMError, LLMResponse, LLMUnavailable, ToolCall, Usage
from shopcopilot.models.llm.factory import llm_from_settings, smollm2_gguf_path
from shopcopilot.models.llm.fallback import FallbackLLM
from shopcopilot.models.llm.function_model import CallInfo, FunctionLLM
from shopcopilot.models.llm.openai_compatible import OpenAICompatibleLLM

__all__ = [
    "LLM",
    "LLMError",
    "LLMResponse",
    "LLMUnavailable",
    "ToolCall",
    "Usage",
    "CallInfo",
    "FunctionLLM",
    "FallbackLLM",
    "OpenAICompatibleLLM",
    "llm_from_settings",
    "smollm2_gguf_path",
]
