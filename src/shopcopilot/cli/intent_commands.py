"""`shopcopilot intents ...`: classify one utterance, or evaluate the router on a labelled JSONL file."""

from __future__ import annotations

import argparse

from shopcopilot.agent.intents import INTENTS, evaluate, get_router, load_examples


def register(subparsers: argparse._SubParsersAction) -> None:
    intents = subparsers.add_parser("intents", help="the shopper intent router: classify text or evaluate it")
    sub = intents.add_subparsers(dest="intents_command", metavar="ACTION")
    classify = sub.add_parser(
        "classify", help="print the intent, its confidence and the top 3 of one utterance"
    )
    classify.add_argument("text")
    classify.set_defaults(func=_classify)
    ev = sub.add_parser("eval", help='accuracy on a JSONL file of {"text": ..., "intent": ...} lines')
    ev.add_argument("file")
    ev.set_defaults(func=_eval)


def _classify(args: argparse.Namespace) -> int:
    router = get_router()
    prediction = router.classify(args.text)
    print(
        f"intent={prediction.intent} confidence={prediction.confidence:.3f} threshold={router.threshold:.3f}"
    )
    for intent, score in prediction.top:
        print(f"  {intent:<17} {score:.3f}")
    return 0


def _eval(args: argparse.Namespace) -> int:
    examples = load_examples(args.file)  # validate before loading the model
    counts = evaluate(get_router(), examples)
    print(f"{'intent':<17} {'correct':>7} {'total':>5} {'accuracy':>8}")
    for intent in INTENTS:
        if intent in counts:
            correct, total = counts[intent]
            print(f"{intent:<17} {correct:>7} {total:>5} {correct / total:>8.3f}")
    correct, total = counts[""]
    print(f"{'overall':<17} {correct:>7} {total:>5} {correct / total:>8.3f}")
    print(f"accuracy={correct / total:.4f}")
    return 0
