"""One knowledge service (bases, index, router) for the knowledge tests: building it embeds every passage once."""

from __future__ import annotations

import pytest

from shopcopilot.knowledge.registry import KnowledgeService, default_service


@pytest.fixture(scope="session")
def knowledge_service() -> KnowledgeService:
    return default_service()
