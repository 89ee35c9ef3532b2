"""Answers from the knowledge bases, every statement traceable to a cited passage.

`answer_question` is extractive: it routes the question, retrieves passages from the routed bases and answers with
their most relevant sentences, each group followed by its citation mark. `answer_with_llm` lets a model write the
prose from the same passages and keeps its answer only if it cites passages that exist and states no number those
passages do not contain; otherwise the extractive answer is returned with the reason, for the trace.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Any

from shopcopilot.agent.language import detect_language
from shopcopilot.knowledge.chunking import Chunk, split_sentences
from shopcopilot.knowledge.index import Hit, tokens
from shopcopilot.knowledge.registry import KnowledgeService, default_service

if TYPE_CHECKING:
    from shopcopilot.models.llm.base import LLM

# When the bases say nothing about a question, e5 still finds a nearest passage: measured on in-base and
# off-base questions (shipping abroad, the weather, cars, bitcoin, invoices: best cosine 0.82-0.83, or 0.865 with no
# word shared), a passage is cited only if its cosine reaches CONFIDENT_RELEVANCE, or MIN_RELEVANCE while sharing
# at least MIN_COVERAGE of the question's words.
CONFIDENT_RELEVANCE = 0.88
MIN_RELEVANCE = 0.845
MIN_COVERAGE = 0.3
# Passages this far below the best one are left out: they are usually about a neighbouring topic.
RELEVANCE_SPREAD = 0.035
MAX_PASSAGES = 3
SENTENCES_PER_PASSAGE = 2

NO_ANSWER = {
    "en": "I could not find this in the store's knowledge bases.",
    "zh": "知识库中没有找到相关内容。",
}
_NUMBER = re.compile(r"\d+(?:[.,]\d+)?")


@dataclass(frozen=True)
class Citation:
    kb: str
    chunk_id: str
    title: str
    quote: str  # the text used, verbatim from the passage


@dataclass(frozen=True)
class KnowledgeAnswer:
    text: str
    citations: list[Citation]
    routes: list[tuple[str, float]] = field(default_factory=list)
    lang: str = "en"
    mode: str = "extractive"  # "extractive", "llm" or "none" (nothing relevant found)
    fallback_reason: str | None = None

    @property
    def found(self) -> bool:
        return bool(self.citations)


def retrieve(
    question: str,
    *,
    lang: str | None = None,
    kbs: list[str] | None = None,
    service: KnowledgeService | None = None,
    max_passages: int = MAX_PASSAGES,
) -> tuple[list[tuple[str, float]], list[Hit]]:
    """Route (unless `kbs` is given), search the routed bases, keep the passages relevant enough to cite."""
    service = service or default_service()
    lang = lang or detect_language(question)
    routes = [(name, 1.0) for name in kbs] if kbs else service.router.route(question)
    hits = service.index.search(question, kbs=[name for name, _ in routes], k=max_passages * 4, lang=lang)
    return routes, select_passages(question, hits, lang=lang, max_passages=max_passages)


def select_passages(
    question: str, hits: list[Hit], *, lang: str, max_passages: int = MAX_PASSAGES
) -> list[Hit]:
    if not hits:
        return []
    best_dense = max(hit.dense for hit in hits)
    wanted = set(tokens(question))
    shared = [len(wanted & set(tokens(hit.chunk.search_text))) / len(wanted) for hit in hits] if wanted else []
    coverage = max(shared, default=0.0)
    # Close in meaning alone, or close enough and sharing the question's words: otherwise the bases do not say, and
    # quoting the nearest passage ("do you ship internationally?" -> a page on wrong prices) would mislead.
    if best_dense < CONFIDENT_RELEVANCE and not (best_dense >= MIN_RELEVANCE and coverage >= MIN_COVERAGE):
        return []
    relevant = [hit for hit in hits if hit.dense >= best_dense - RELEVANCE_SPREAD]
    # The same page in two languages: keep the one in the question's language.
    docs_in_lang = {_twin_key(hit.chunk) for hit in relevant if hit.chunk.lang == lang}
    chosen = [hit for hit in relevant if hit.chunk.lang == lang or _twin_key(hit.chunk) not in docs_in_lang]
    return chosen[:max_passages]


def _twin_key(chunk: Chunk) -> tuple[str, str]:
    return chunk.kb, chunk.doc_id.removesuffix("-zh")


def best_sentences(question: str, chunk: Chunk, limit: int = SENTENCES_PER_PASSAGE) -> list[str]:
    """The passage's sentences that share most words with the question, in passage order."""
    sentences = split_sentences(chunk.text)
    if len(sentences) <= limit:
        return sentences
    wanted = set(tokens(question))
    overlap = [len(wanted & set(tokens(sentence))) for sentence in sentences]
    if not any(overlap):
        return sentences[:limit]
    ranked = sorted(range(len(sentences)), key=lambda i: (-overlap[i], i))[:limit]
    return [sentences[i] for i in sorted(ranked)]


def _joiner(lang: str) -> str:
    return "" if lang == "zh" else " "


def answer_question(
    question: str,
    *,
    lang: str | None = None,
    kbs: list[str] | None = None,
    service: KnowledgeService | None = None,
) -> KnowledgeAnswer:
    lang = lang or detect_language(question)
    routes, passages = retrieve(question, lang=lang, kbs=kbs, service=service)
    return extractive_answer(question, routes, passages, lang)


def extractive_answer(
    question: str, routes: list[tuple[str, float]], passages: list[Hit], lang: str
) -> KnowledgeAnswer:
    """The passages' most relevant sentences, one line per passage, each line ending with its citation mark."""
    if not passages:
        return KnowledgeAnswer(NO_ANSWER.get(lang, NO_ANSWER["en"]), [], routes, lang, mode="none")
    citations: list[Citation] = []
    parts: list[str] = []
    for hit in passages:
        quote = _joiner(hit.chunk.lang).join(best_sentences(question, hit.chunk))
        if any(quote == citation.quote for citation in citations):
            continue  # the policy repeats some rules word for word under several headings
        citations.append(Citation(hit.chunk.kb, hit.chunk.chunk_id, hit.chunk.title, quote))
        parts.append(f"{quote} [{len(citations)}]")
    return KnowledgeAnswer("\n".join(parts), citations, routes, lang)


# -- LLM path ---------------------------------------------------------------------------------------------------------
# Characters, not tokens: a Chinese character costs SmolLM2 two or three tokens, so the zh limit is lower.
MAX_ANSWER_CHARS = {"en": 200, "zh": 70}


def answer_schema(passages: int, lang: str = "en") -> dict[str, Any]:
    """JSON the model must return. Bounds matter for small models: with grammar-constrained decoding a length limit
    ends a rambling string, and the enum keeps citation numbers to passages that exist."""
    return {
        "type": "object",
        "properties": {
            "answer": {"type": "string", "minLength": 1, "maxLength": MAX_ANSWER_CHARS.get(lang, 200)},
            "citations": {
                "type": "array",
                "items": {"type": "integer", "enum": list(range(1, passages + 1))},
                "minItems": 1,
                "maxItems": passages,
            },
        },
        "required": ["answer", "citations"],
    }


def llm_messages(question: str, passages: list[Hit], lang: str) -> list[dict[str, str]]:
    numbered = "\n".join(
        f"[{i}] {hit.chunk.title}: {hit.chunk.text}" for i, hit in enumerate(passages, start=1)
    )
    language = "Chinese" if lang == "zh" else "English"
    system = (
        "You answer questions using ONLY the numbered passages. Do not add facts, numbers or advice that are not "
        f"in them. Answer in {language}, in one to three sentences. Return JSON: "
        '{"answer": "...", "citations": [numbers of the passages you used]}.'
    )
    return [
        {"role": "system", "content": system},
        {"role": "user", "content": f"Passages:\n{numbered}\n\nQuestion: {question}"},
    ]


def check_llm_answer(payload: Any, passages: list[Hit]) -> tuple[str, list[int]] | str:
    """(answer, cited numbers) when the model's answer is usable, else the reason it is not."""
    if not isinstance(payload, dict):
        return "the model did not return a JSON object"
    answer = str(payload.get("answer") or "").strip()
    raw = payload.get("citations") or []
    cited = (
        sorted({n for n in raw if isinstance(n, int) and 1 <= n <= len(passages)})
        if isinstance(raw, list)
        else []
    )
    if not answer:
        return "the model returned an empty answer"
    if not cited:
        return "the model cited no valid passage"
    source = " ".join(passages[n - 1].chunk.text for n in cited)
    invented = [number for number in _NUMBER.findall(answer) if number not in source]
    if invented:
        return f"the answer states numbers not in the cited passages: {', '.join(invented)}"
    return answer, cited


def answer_with_llm(
    question: str,
    llm: LLM,
    *,
    lang: str | None = None,
    kbs: list[str] | None = None,
    service: KnowledgeService | None = None,
    max_tokens: int = 200,
) -> KnowledgeAnswer:
    from shopcopilot.models.llm.base import LLMError

    lang = lang or detect_language(question)
    routes, passages = retrieve(question, lang=lang, kbs=kbs, service=service)
    extractive = extractive_answer(question, routes, passages, lang)
    if not extractive.found:
        return extractive
    try:
        response = llm.chat(
            llm_messages(question, passages, lang),
            json_schema=answer_schema(len(passages), lang),
            max_tokens=max_tokens,
        )
        checked = check_llm_answer(response.json(), passages)
    except LLMError as exc:
        checked = f"the model call failed: {exc.message}"
    if isinstance(checked, str):
        return replace(extractive, fallback_reason=checked)
    answer, cited = checked
    citations = [
        Citation(
            passages[n - 1].chunk.kb,
            passages[n - 1].chunk.chunk_id,
            passages[n - 1].chunk.title,
            _joiner(passages[n - 1].chunk.lang).join(best_sentences(question, passages[n - 1].chunk)),
        )
        for n in cited
    ]
    marks = "".join(f"[{i}]" for i in range(1, len(citations) + 1))
    answer = re.sub(r"\s*\[\d+\]", "", answer).strip()
    return KnowledgeAnswer(f"{answer} {marks}", citations, routes, lang, mode="llm")
