"""Settings read from the environment, with defaults that work on a fresh checkout."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parents[2]
PACKAGE_DATA = Path(__file__).resolve().parent / "data"


def var_dir() -> Path:
    path = Path(os.environ.get("SHOPCOPILOT_VAR", PROJECT_ROOT / "var"))
    path.mkdir(parents=True, exist_ok=True)
    return path


def default_retail_dir() -> Path:
    return Path(os.environ.get("SHOPCOPILOT_RETAIL_DIR", PROJECT_ROOT.parent / "shared" / "data" / "retail"))


@dataclass(frozen=True)
class Settings:
    database_url: str
    secret: str
    redis_url: str | None
    llm_url: str | None
    llm_model: str | None
    llm_api_key: str | None


def settings() -> Settings:
    return Settings(
        database_url=os.environ.get("SHOPCOPILOT_DATABASE_URL") or f"sqlite:///{var_dir() / 'shopcopilot.db'}",
        secret=os.environ.get("SHOPCOPILOT_SECRET", "dev-secret-change-me"),
        redis_url=os.environ.get("SHOPCOPILOT_REDIS_URL") or None,
        llm_url=os.environ.get("SHOPCOPILOT_LLM_URL") or None,
        llm_model=os.environ.get("SHOPCOPILOT_LLM_MODEL") or None,
        llm_api_key=os.environ.get("SHOPCOPILOT_LLM_API_KEY") or None,
    )
