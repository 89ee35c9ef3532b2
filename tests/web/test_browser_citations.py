"""Store-policy answers in real Chromium: a `cited_answer` shows its text with numbered [n] marks that link to its
sources; each source names its passage and knowledge base and opens (by mouse or keyboard) to the quote. What the
page shows is checked against the chat API's own answer (the SSE stream the page read) and the knowledge bases'
registry, in English and in Chinese."""

from __future__ import annotations

import json
import re

import pytest

from shopcopilot.api.auth import mint_token
from shopcopilot.api.routers.dev import demo_shoppers
from shopcopilot.knowledge.registry import default_knowledge_bases, default_service
from shopcopilot.storage.db import Database

pytestmark = pytest.mark.browser

# Element screenshots of tall answers: keep the sticky top bar and the fixed composer out of the picture.
UNPINNED = (
    ".topbar, .composer, #toasts { position: static !important; } #toasts { display: none !important; }"
)


@pytest.fixture(scope="module", autouse=True)
def knowledge_ready() -> None:
    """The knowledge index is built once per process on the first question (embedding every passage): build it
    here, not inside a browser wait."""
    default_service()


def sign_in(page, shopper: str) -> None:
    page.goto("/")
    page.fill("#token-input", mint_token("shopper", shopper, ttl_seconds=3600))
    page.press("#token-input", "Enter")
    page.wait_for_url("**/shop")


def ask_and_read_answer(page, text: str, turn: int) -> list[dict]:
    """Send a message from the composer; return the blocks of the chat API's answer (the stream the page read)."""
    with page.expect_response(lambda r: r.url.endswith("/v1/chat") and r.request.method == "POST") as info:
        page.focus("#message")
        page.keyboard.type(text)
        page.keyboard.press("Enter")
        page.wait_for_selector(f'[data-role=answer][data-turn="{turn}"] .feedback')
    blocks = []
    for event in info.value.text().split("\n\n"):
        lines = dict(line.split(": ", 1) for line in event.splitlines() if ": " in line)
        if lines.get("event") == "block":
            blocks.append(json.loads(lines["data"]))
    return blocks


def squash(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


@pytest.mark.parametrize(
    ("question", "language"), [("what is your return policy?", "en"), ("退货政策是什么", "zh")]
)
def test_policy_answer_shows_its_citations(
    page, web_db: Database, shots, question: str, language: str
) -> None:
    with web_db.session() as session:
        shopper = demo_shoppers(session, limit=11)[10]["id"]
    bases = {kb.name: kb for kb in default_knowledge_bases()}
    sign_in(page, shopper)
    if language == "zh":
        page.click('[data-lang="zh"]')
    blocks = ask_and_read_answer(page, question, 1)
    cited = [b for b in blocks if b["type"] == "cited_answer"]
    assert len(cited) == 1, blocks
    text, citations = cited[0]["text"], cited[0]["citations"]
    assert citations

    block = page.locator('[data-role=answer][data-turn="1"] [data-block=cited_answer]')
    # The text is the API's text; each [n] mark is a link to source n.
    assert squash(block.locator("[data-role=cited-text]").inner_text()) == squash(text)
    marks = block.locator("[data-role=cited-text] a.cite-mark")
    assert marks.evaluate_all("ns => ns.map(n => n.textContent)") == re.findall(r"\[\d+\]", text)
    sources = block.locator("ol.citation-list > li")
    assert sources.count() == len(citations)
    assert block.locator("section.citations h4").inner_text().upper() == (
        "来源" if language == "zh" else "SOURCES"
    )

    for n, citation in enumerate(citations, start=1):
        source = sources.nth(n - 1)
        assert source.get_attribute("data-kb") == citation["kb"]
        assert source.get_attribute("data-chunk") == citation["chunk_id"]
        assert source.locator("[data-role=cite-title]").inner_text() == citation["title"]
        kb = bases[citation["kb"]]
        assert source.locator("[data-role=cite-kb]").inner_text() == (
            kb.title_zh if language == "zh" else kb.title
        )
        mark = marks.nth(n - 1)
        assert mark.get_attribute("href") == f"#{source.get_attribute('id')}"
        assert citation["title"] in mark.get_attribute("aria-label")
        quote = source.locator("[data-role=cite-quote]")
        assert not quote.is_visible()  # folded until asked for
        if n == 1:
            mark.click()  # the mark opens its source and moves focus there
            assert source.evaluate("n => document.activeElement === n")
        else:
            source.locator("summary").focus()
            page.keyboard.press("Enter")
        quote.wait_for(state="visible")
        assert quote.inner_text() == citation["quote"]
        assert citation["quote"] in text  # the shown quote is what the answer says

    # Collapsing again hides the quote (the summary is a real disclosure control).
    sources.nth(0).locator("summary").click()
    assert not sources.nth(0).locator("[data-role=cite-quote]").is_visible()
    sources.nth(0).locator("summary").click()
    page.locator('[data-role=answer][data-turn="1"]').screenshot(
        path=str(shots / f"citations_return_policy_{language}.png"), style=UNPINNED
    )
