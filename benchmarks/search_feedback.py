"""Search learns from choices: does what shoppers pick from results measurably lift it for the next shopper?

    .venv/bin/python benchmarks/search_feedback.py [--no-readme]

On a fresh copy of the demo store (retail + everyday goods, the real e5 index): for each need below, the product the
untrained search ranks fifth for the need's first phrasing stands for "what shoppers here actually buy" (picked by
position, not by hand). Ten simulated shoppers search each training phrasing and add that product to their cart
(`record_interaction`, as the chat and `POST /v1/search/choices` do). The measure is the product's rank on the
evaluation phrasings, which no shopper used (they share words with the training ones, as people's queries do),
before and after; and, as a control, whether the top 10 of unrelated queries stayed exactly the same.
The table is written into README.md between <!-- bench:search_feedback --> markers.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
from pathlib import Path

os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")

from readme_section import write_section  # noqa: E402

from shopcopilot.catalog.search import SearchEngine  # noqa: E402
from shopcopilot.catalog.search.interactions import record_interaction  # noqa: E402
from shopcopilot.demo import load_demo_store  # noqa: E402
from shopcopilot.storage.db import create_database  # noqa: E402

NEEDS: list[tuple[list[str], list[str]]] = [  # (training phrasings, evaluation phrasings)
    (["tea", "some tea please"], ["tea for the office", "I want to buy tea"]),
    (["party snacks", "snacks for a party"], ["snacks for movie night", "salty snacks"]),
    (["breakfast food", "something for breakfast"], ["quick breakfast", "breakfast for kids"]),
    (["kitchen tools", "tools for the kitchen"], ["kitchen tools for a new flat", "basic kitchen tools"]),
    (["cleaning supplies", "bathroom cleaning"], ["cleaning supplies for the bathroom", "cleaning spray"]),
    (["travel accessories", "things for travel"], ["travel accessories for a flight", "travel essentials"]),
    (["dog food", "food for my dog"], ["dog food for a puppy", "healthy dog food"]),
    (["noodles", "instant noodles"], ["noodles for dinner", "cheap noodles"]),
    (["hot pot", "hot pot ingredients"], ["hot pot for friends", "spicy hot pot"]),
    (["baking supplies", "things for baking"], ["baking a cake", "baking for beginners"]),
]
CONTROLS = ["hiking boots", "wireless earbuds", "office chair", "laptop", "coffee maker", "yoga mat"]
SHOPPERS = 10
PREFERRED_RANK = 5


def ranked(engine: SearchEngine, query: str) -> list[str]:
    return [hit.product_id for hit in engine.search(query, limit=10).hits]


def rank_of(engine: SearchEngine, query: str, product_id: str) -> int | None:
    order = ranked(engine, query)
    return order.index(product_id) + 1 if product_id in order else None


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--no-readme", action="store_true")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        database = create_database(f"sqlite:///{Path(tmp) / 'store.db'}")
        database.create_all()
        load_demo_store(database, index=False)
        engine = SearchEngine(database, index_dir=Path(tmp) / "index")
        engine.reindex()
        engine.learned.refresh()
        targets, before, controls_before = [], {}, {q: ranked(engine, q) for q in CONTROLS}
        for train, evaluate in NEEDS:
            order = ranked(engine, train[0])
            if len(order) < PREFERRED_RANK:
                continue
            target = order[PREFERRED_RANK - 1]
            targets.append((train, evaluate, target))
            for query in evaluate:
                before[query] = rank_of(engine, query, target)
        with database.session() as session:
            for train, _, target in targets:
                for shopper in range(SHOPPERS):
                    query = train[shopper % len(train)]
                    record_interaction(session, query=query, product_id=target, kind="add_to_cart",
                                       chooser=f"shopper-{shopper}")
        engine.learned.refresh()
        after = {query: rank_of(engine, query, target) for _, evaluate, target in targets for query in evaluate}
        trained_after = [rank_of(engine, train[0], target) for train, _, target in targets]
        controls_same = sum(ranked(engine, q) == order for q, order in controls_before.items())

    def mean_reciprocal(ranks) -> float:
        return sum(1 / r if r else 0.0 for r in ranks) / len(ranks)

    def share_top3(ranks) -> float:
        return sum(1 for r in ranks if r and r <= 3) / len(ranks)

    b, a = list(before.values()), [after[q] for q in before]
    rows = [
        "| measure | before | after |",
        "|---|---:|---:|",
        f"| evaluation phrasings: mean reciprocal rank of the chosen product ({len(b)}) | "
        f"{mean_reciprocal(b):.3f} | {mean_reciprocal(a):.3f} |",
        f"| evaluation phrasings: chosen product in the top 3 | {share_top3(b):.2f} | {share_top3(a):.2f} |",
        f"| training phrasings: rank of the chosen product ({len(targets)}) | {PREFERRED_RANK} (all) | "
        f"{', '.join(str(r) for r in trained_after)} |",
        f"| unrelated queries whose top 10 did not change ({len(CONTROLS)}) | - | {controls_same} |",
    ]
    header = (
        f"{len(targets)} needs; the product the untrained search ranks {PREFERRED_RANK}th is chosen by "
        f"{SHOPPERS} simulated shoppers each (a cart add), learned boost at most 0.005 (interactions.py)."
    )
    print(header)
    print("\n".join(rows))
    if not args.no_readme:
        body = f"`benchmarks/search_feedback.py`: {header}\n\n" + "\n".join(rows)
        write_section("search_feedback", "Search feedback (`benchmarks/search_feedback.py`)", body)
    print(f"mrr_before={mean_reciprocal(b):.3f} mrr_after={mean_reciprocal(a):.3f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
