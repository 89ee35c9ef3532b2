"""`shopcopilot kb ...` (ask the knowledge bases, see routing) and `shopcopilot llm ...` (local model server)."""

from __future__ import annotations

import argparse
import json
import sys


def register(subparsers: argparse._SubParsersAction) -> None:
    kb = subparsers.add_parser("kb", help="knowledge bases: answer a question with citations, show routing")
    kb_sub = kb.add_subparsers(dest="kb_command", metavar="ACTION")
    ask = kb_sub.add_parser("ask", help="answer a question from the knowledge bases, with citations")
    ask.add_argument("question")
    ask.add_argument("--lang", choices=["en", "zh"], help="answer language (default: the question's)")
    ask.add_argument(
        "--kb", action="append", dest="kbs", help="search only this base (repeatable); skips routing"
    )
    ask.add_argument(
        "--llm", action="store_true", help="let the configured LLM write the answer (SHOPCOPILOT_LLM_URL)"
    )
    ask.add_argument("--json", action="store_true", help="print the answer as JSON")
    ask.set_defaults(func=_ask)
    route = kb_sub.add_parser("route", help="show which knowledge bases a question is routed to")
    route.add_argument("question")
    route.set_defaults(func=_route)
    kb_list = kb_sub.add_parser("list", help="list the knowledge bases and their passage counts")
    kb_list.set_defaults(func=_list)

    llm = subparsers.add_parser("llm", help="language model: serve the packaged SmolLM2, or send one prompt")
    llm_sub = llm.add_subparsers(dest="llm_command", metavar="ACTION")
    serve = llm_sub.add_parser("serve", help="serve SmolLM2-135M as an OpenAI-compatible API on loopback")
    serve.add_argument("--port", type=int, default=8081)
    serve.add_argument("--model", help="a .gguf file (default: the packaged SmolLM2-135M-Instruct)")
    serve.add_argument("--n-ctx", type=int, default=2048)
    serve.set_defaults(func=_serve)
    chat = llm_sub.add_parser("chat", help="send one prompt to the configured LLM and stream the reply")
    chat.add_argument("prompt")
    chat.add_argument("--max-tokens", type=int, default=200)
    chat.set_defaults(func=_chat)


def _ask(args: argparse.Namespace) -> int:
    from shopcopilot.knowledge.answer import answer_question, answer_with_llm

    if args.llm:
        llm = _configured_llm()
        answer = answer_with_llm(args.question, llm, lang=args.lang, kbs=args.kbs)
    else:
        answer = answer_question(args.question, lang=args.lang, kbs=args.kbs)
    if args.json:
        payload = {
            "text": answer.text,
            "lang": answer.lang,
            "mode": answer.mode,
            "fallback_reason": answer.fallback_reason,
            "routes": [{"kb": kb, "score": round(score, 4)} for kb, score in answer.routes],
            "citations": [vars(c) for c in answer.citations],
        }
        print(json.dumps(payload, ensure_ascii=False, indent=2))
        return 0
    print("routed to: " + ", ".join(f"{kb} ({score:.3f})" for kb, score in answer.routes))
    print()
    print(answer.text)
    if answer.citations:
        print()
        for number, citation in enumerate(answer.citations, start=1):
            print(f"[{number}] {citation.kb} · {citation.chunk_id} · {citation.title}")
    if answer.fallback_reason:
        print(f"\n(LLM answer not used: {answer.fallback_reason})")
    return 0 if answer.found else 1


def _route(args: argparse.Namespace) -> int:
    from shopcopilot.knowledge.registry import default_service

    service = default_service()
    routes = dict(service.router.route(args.question))
    for name, score in sorted(service.router.scores(args.question).items(), key=lambda kv: -kv[1]):
        print(f"{'*' if name in routes else ' '} {name:<20} {score:.4f}")
    return 0


def _list(_args: argparse.Namespace) -> int:
    from collections import Counter

    from shopcopilot.knowledge.registry import default_service

    service = default_service()
    counts = Counter(chunk.kb for chunk in service.chunks)
    for name, base in service.bases.items():
        print(f"{name:<20} {counts[name]:>5} passages  {base.title}")
    return 0


def _configured_llm():  # noqa: ANN202 - the LLM protocol, imported lazily
    from shopcopilot.errors import InvalidInput
    from shopcopilot.models.llm import llm_from_settings

    llm = llm_from_settings()
    if llm is None:
        raise InvalidInput(
            "no LLM configured: set SHOPCOPILOT_LLM_URL (an OpenAI-compatible server, e.g. the one "
            "`shopcopilot llm serve` starts, or 'embedded')"
        )
    return llm


def _serve(args: argparse.Namespace) -> int:
    from shopcopilot.models.llm.server import LlamaServer

    server = LlamaServer(args.model, port=args.port, n_ctx=args.n_ctx, startup_timeout=300)
    server.start()
    print(f"serving {server.model_path.name} as model '{server.model}' at {server.url}", flush=True)
    print(f"use it with: SHOPCOPILOT_LLM_URL={server.url} SHOPCOPILOT_LLM_MODEL={server.model}", flush=True)
    try:
        return server.wait()
    except KeyboardInterrupt:
        return 0
    finally:
        server.stop()


def _chat(args: argparse.Namespace) -> int:
    llm = _configured_llm()
    for chunk in llm.stream([{"role": "user", "content": args.prompt}], max_tokens=args.max_tokens):
        sys.stdout.write(chunk)
        sys.stdout.flush()
    print()
    return 0
