"""Chat benchmark: 20 concurrent sessions of scripted multi-turn conversations over HTTP (`POST /v1/chat`, SSE)
against a real `shopcopilot serve` process on a copy of the retail store, with no LLM (the simulated shoppers run
in this process, so they do not share the server's interpreter lock). Prints the server-side turn latency
(the engine's own measurement in each trace) and the client round trip; the last line is `p95_ms=X`.

Each simulated shopper pauses between messages (`--think-ms`, default 1000, jittered 0.5-1.5x with a fixed seed),
as people do while they read an answer; `--think-ms 0` is the stress case where all 20 send back to back.

    .venv/bin/python benchmarks/chat.py [--sessions 20] [--rounds 2] [--think-ms 1000] [--no-readme]
"""

from __future__ import annotations

import argparse
import json
import os
import random
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")

import httpx  # noqa: E402
from readme_section import write_section  # noqa: E402

from shopcopilot.api.auth import mint_token  # noqa: E402
from shopcopilot.config import default_retail_dir  # noqa: E402
from shopcopilot.storage.db import create_database  # noqa: E402

SCRIPTS: list[tuple[str | None, list[str]]] = [
    (
        "james_li_5688",
        [
            "hi",
            "I want a water bottle",
            "blue",
            "a cheaper one",
            "does it come in red?",
            "compare hiking boots and running shoes",
            "recommend something for me",
            "why this one?",
        ],
    ),
    (
        None,
        [
            "where is my order #W4435622?",
            "my email is james.li4495@example.com",
            "show me my orders",
            "I want to return the water bottle from #W4435622",
            "gift card",
            "no",
        ],
    ),
    (
        "sofia_kovacs_7075",
        [
            "我想买个背包",
            "随便",
            "第一个有灰色的吗",
            "多少钱",
            "推荐点东西给我",
            "为什么推荐这个",
            "我想取消订单 #W9869592",
            "不需要了",
            "算了",
        ],
    ),
    (
        "omar_anderson_3203",
        [
            "I'm allergic to wool",
            "office chair in leather",
            "the first one",
            "add it to my cart",
            "view my cart",
            "what do you know about me?",
        ],
    ),
]


def _load(database) -> None:
    try:
        from shopcopilot.demo import load_demo_store

        load_demo_store(database, default_retail_dir(), index=False)
    except ImportError:
        from shopcopilot.catalog.retail_io import load_retail

        with database.session() as session:
            load_retail(session, default_retail_dir())


def _serve(database_url: str) -> tuple[str, subprocess.Popen]:
    """`shopcopilot serve` on a free port in a child process; returns once /healthz answers."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    env = {**os.environ, "SHOPCOPILOT_DATABASE_URL": database_url}
    command = [sys.executable, "-m", "shopcopilot.cli", "serve", "--port", str(port), "--log-level", "warning"]
    server = subprocess.Popen(command, env=env)
    base_url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise RuntimeError(f"the server exited with {server.returncode}")
        try:
            if httpx.get(f"{base_url}/healthz", timeout=2).status_code == 200:
                return base_url, server
        except httpx.TransportError:
            pass
        time.sleep(0.2)
    server.kill()
    raise RuntimeError("the server did not answer /healthz within 120 s")


def _conversation(base_url: str, index: int, round_: int, think_ms: float) -> list[tuple[float, float]]:
    shopper, lines = SCRIPTS[index % len(SCRIPTS)]
    pauses = random.Random(f"think:{index}:{round_}")
    headers = {"Authorization": f"Bearer {mint_token('shopper', shopper)}"} if shopper else {}
    timings: list[tuple[float, float]] = []
    with httpx.Client(base_url=base_url, timeout=60) as client:
        for line in lines:
            if think_ms:
                time.sleep(think_ms * pauses.uniform(0.5, 1.5) / 1000.0)
            started = time.perf_counter()
            response = client.post(
                "/v1/chat", json={"session_id": f"bench-{round_}-{index}", "message": line}, headers=headers
            )
            response.raise_for_status()
            trace = next(
                json.loads(chunk.split("data: ", 1)[1])
                for chunk in response.text.split("\n\n")
                if chunk.startswith("event: trace")
            )
            timings.append((trace["ms"], (time.perf_counter() - started) * 1000.0))
    return timings


def _percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sessions", type=int, default=20)
    parser.add_argument(
        "--rounds", type=int, default=2, help="rounds of concurrent sessions (first warms up)"
    )
    parser.add_argument(
        "--think-ms", type=float, default=1000.0, help="mean pause before each message (0: back to back)"
    )
    parser.add_argument("--no-readme", action="store_true", help="do not write the table into README.md")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        database = create_database(f"sqlite:///{Path(tmp) / 'bench.db'}")
        database.create_all()
        _load(database)
        from shopcopilot.agent.intents import get_router

        get_router()  # trained or loaded here, so the server warms up from the cache under var/intents
        base_url, server = _serve(f"sqlite:///{Path(tmp) / 'bench.db'}")
        try:
            results: list[tuple[float, float]] = []
            for round_ in range(args.rounds):
                with ThreadPoolExecutor(max_workers=args.sessions) as pool:
                    batches = list(
                        pool.map(
                            lambda i, r=round_: _conversation(base_url, i, r, args.think_ms),
                            range(args.sessions),
                        )
                    )
                if round_ > 0 or args.rounds == 1:
                    results.extend(t for batch in batches for t in batch)
        finally:
            server.terminate()
            server.wait(15)
    server_ms = [s for s, _ in results]
    client_ms = [c for _, c in results]
    rows = [
        ("server-side turn (trace)", server_ms),
        ("client round trip (HTTP+SSE)", client_ms),
    ]
    table = ["| measure | turns | p50 ms | p95 ms | max ms |", "|---|---:|---:|---:|---:|"]
    for name, values in rows:
        table.append(
            f"| {name} | {len(values)} | {statistics.median(values):.1f} | "
            f"{_percentile(values, 0.95):.1f} | {max(values):.1f} |"
        )
    header = (
        f"{args.sessions} concurrent sessions x {args.rounds - 1 or 1} measured round(s), "
        f"think time {args.think_ms:.0f} ms (jittered 0.5-1.5x), "
        f"{len(SCRIPTS)} scripts (en + zh; discovery, recommend, cart, memory, order service), no LLM, SQLite."
    )
    print(header)
    print("\n".join(table))
    p95 = _percentile(server_ms, 0.95)
    if not args.no_readme:
        body = f"`benchmarks/chat.py`: {header}\n\n" + "\n".join(table)
        write_section("chat", "Chat (`benchmarks/chat.py`)", body)
    print(f"p95_ms={p95:.1f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
