"""LLM benchmark: speed of the embedded SmolLM2-135M (llama.cpp in-process) and how often LLM output is rejected.

Prints one table and writes it into README.md between `<!-- bench:llm -->` and `<!-- /bench:llm -->`:
- prompt processing and generation speed (tokens/s), model load time;
- turn latency (p50/max over --runs) of a short chat reply, a forced tool call, and a grounded knowledge answer
  (routing + retrieval + JSON-schema generation + grounding check);
- the knowledge fallback rate: the share of scripted questions whose LLM answer was rejected (no valid citation,
  or a number not in the cited passages) and replaced by the extractive answer.

    .venv/bin/python benchmarks/llm.py [--runs 5] [--no-readme]
"""

from __future__ import annotations

import argparse
import os
import re
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")

from readme_section import write_section  # noqa: E402

KNOWLEDGE_QUESTIONS = [
    "How long does the refund take after I cancel an order paid by credit card?",
    "What reasons can I give to cancel an order?",
    "Where can the refund for a returned item go?",
    "Can I exchange a delivered item for another product type?",
    "What is the dispatch deadline during Double 11?",
    "Can merchants reward shoppers for positive reviews?",
    "What sizes does the T-Shirt come in?",
    "What arguments does cancel_pending_order take?",
    "取消订单后多久退款？",
    "双11期间订单多久内要发货？",
    "差评可以删除吗？",
    "怎么在后台创建满减券？",
]
CANCEL_TOOL = {
    "name": "cancel_pending_order",
    "description": "Cancel a pending order",
    "parameters": {
        "type": "object",
        "properties": {
            "order_id": {"type": "string", "pattern": "^#W[0-9]{7}$"},
            "reason": {"type": "string", "enum": ["no longer needed", "ordered by mistake"]},
        },
        "required": ["order_id", "reason"],
    },
}


def timed(fn: Callable[[], object], runs: int) -> list[float]:
    out = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        out.append((time.perf_counter() - start) * 1000)
    return out


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--no-readme", action="store_true")
    args = parser.parse_args()

    from shopcopilot.models.llm.llama_cpp_embedded import EmbeddedLlamaLLM

    start = time.perf_counter()
    llm = EmbeddedLlamaLLM(n_ctx=2048)
    load_s = time.perf_counter() - start

    # Generation speed: a prompt that makes the model write, greedy decoding.
    gen_tokens, gen_seconds = 0, 0.0
    for _ in range(args.runs):
        begin = time.perf_counter()
        response = llm.chat(
            [{"role": "user", "content": "Describe a good backpack for hiking."}], max_tokens=128
        )
        gen_seconds += time.perf_counter() - begin
        gen_tokens += response.usage.completion_tokens
    # Prompt processing speed: a long prompt, one generated token.
    long_prompt = " ".join(["The store sells water bottles, backpacks, kettles and hiking boots."] * 40)
    pp_tokens, pp_seconds = 0, 0.0
    for index in range(args.runs):
        begin = time.perf_counter()  # a different prefix each run so the prompt cache does not help
        response = llm.chat([{"role": "user", "content": f"{index}. {long_prompt}"}], max_tokens=1)
        pp_seconds += time.perf_counter() - begin
        pp_tokens += response.usage.prompt_tokens

    reply = timed(
        lambda: llm.chat([{"role": "user", "content": "Hi! Who are you?"}], max_tokens=32), args.runs
    )
    tool = timed(
        lambda: llm.chat(
            [{"role": "user", "content": "Please cancel order #W2575533, I ordered it by mistake."}],
            tools=[CANCEL_TOOL],
            tool_choice="cancel_pending_order",
            max_tokens=48,
        ),
        args.runs,
    )

    from shopcopilot.knowledge.answer import answer_with_llm
    from shopcopilot.knowledge.registry import default_service

    default_service()  # build the index before timing
    knowledge_ms, fallbacks, reasons = [], 0, {}
    for question in KNOWLEDGE_QUESTIONS:
        begin = time.perf_counter()
        answer = answer_with_llm(question, llm)
        knowledge_ms.append((time.perf_counter() - begin) * 1000)
        if answer.mode != "llm":
            fallbacks += 1
            reason = re.sub(r"[:(].*", "", answer.fallback_reason or answer.mode).strip()
            reasons[reason] = reasons.get(reason, 0) + 1

    # The chat engine's LLM mode over a scripted set of turns (benchmarks/llm_chat_fallback.py).
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    from llm_chat_fallback import report_lines, run_script

    chat_lines = report_lines(run_script(llm, mode="plan"))

    def row(name: str, values: list[float]) -> str:
        return f"| {name} | {len(values)} | {statistics.median(values):.0f} | {max(values):.0f} |"

    reason_text = "; ".join(
        f"{count} x {reason}" for reason, count in sorted(reasons.items(), key=lambda kv: -kv[1])
    )
    lines = [
        f"`benchmarks/llm.py`: embedded SmolLM2-135M-Instruct Q4_1 (llama.cpp, {os.cpu_count()} cores, "
        f"portable build), greedy decoding; model load {load_s:.2f} s.",
        "",
        "| speed | tokens | tokens/s |",
        "|---|---:|---:|",
        f"| prompt processing | {pp_tokens} | {pp_tokens / pp_seconds:.0f} |",
        f"| generation | {gen_tokens} | {gen_tokens / gen_seconds:.1f} |",
        "",
        "| turn | runs | p50 ms | max ms |",
        "|---|---:|---:|---:|",
        row("short chat reply (<= 32 tokens)", reply),
        row("forced tool call (grammar-constrained)", tool),
        row("knowledge answer (route + retrieve + JSON answer + check)", knowledge_ms),
        chat_lines[0],
        "",
        f"Knowledge LLM-answer fallback rate: {fallbacks}/{len(KNOWLEDGE_QUESTIONS)} "
        f"({fallbacks / len(KNOWLEDGE_QUESTIONS):.0%}) of scripted en+zh questions fell back to the extractive "
        f"answer{': ' + reason_text if reason_text else ''}.",
        "",
        chat_lines[2],
    ]
    table = "\n".join(lines)
    print(table)
    if not args.no_readme:
        write_section("llm", "LLM (`benchmarks/llm.py`)", table)
    return 0


if __name__ == "__main__":
    sys.exit(main())
