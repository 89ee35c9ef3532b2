"""Learning to rank from what shoppers choose: a product put in the cart (or clicked, or bought) right after a search
tells which product people want for those words. The ranker adds a small boost to such products when a later
query shares the words, but only among the products the search already found: learning reorders results, it never
brings in a product the text and the vector did not match.

Each (word, product) pair counts the distinct choosers (a shopper, or a guest's conversation), weighted by what they
did; one person choosing a product a hundred times counts once, so nobody can push a product up alone. The boost
grows with the count and saturates: min(1, 1 - exp(-count / SATURATION)) * MAX_BOOST, where MAX_BOOST is about the
gap between the first and the twentieth place of one ranked list.
"""

from __future__ import annotations

import math
import threading
import time
from collections import defaultdict

from sqlalchemy import select
from sqlalchemy.orm import Session

from shopcopilot.catalog.models import Product
from shopcopilot.catalog.search.models import SearchInteraction
from shopcopilot.catalog.search.query_parser import parse_query
from shopcopilot.errors import InvalidInput, NotFound

KINDS = {"click": 0.5, "add_to_cart": 1.0, "purchase": 1.5}
MAX_BOOST = 0.005  # 1/61 - 1/80: lifts a chosen product about twenty places within one list, never past a type
SATURATION = 3.0  # about three different people choosing it gives most of the boost
REFRESH_S = 30.0
MAX_QUERY_CHARS = 500


def record_interaction(session: Session, *, query: str, product_id: str, kind: str, chooser: str) -> SearchInteraction:
    """Store one choice. The product must exist; the kind is click, add_to_cart or purchase."""
    if kind not in KINDS:
        raise InvalidInput(f"kind must be one of {', '.join(KINDS)}", code="invalid_kind")
    query = (query or "").strip()
    if not query or len(query) > MAX_QUERY_CHARS:
        raise InvalidInput(f"query must be 1-{MAX_QUERY_CHARS} characters", code="invalid_query")
    if not chooser:
        raise InvalidInput("who chose it is needed (a shopper or a conversation)", code="chooser_required")
    if session.get(Product, product_id) is None:
        raise NotFound(f"no product {product_id!r}", code="product_not_found")
    terms = parse_query(query).terms
    row = SearchInteraction(query=query, terms=terms, product_id=product_id, kind=kind, chooser=chooser[:120])
    session.add(row)
    session.flush()
    return row


def learned_counts(session: Session) -> dict[str, dict[str, float]]:
    """term -> product -> weighted number of distinct choosers (each chooser's strongest action counts once)."""
    strongest: dict[tuple[str, str, str], float] = {}
    for terms, product_id, kind, chooser in session.execute(
        select(SearchInteraction.terms, SearchInteraction.product_id, SearchInteraction.kind, SearchInteraction.chooser)
    ):
        for term in terms or []:
            key = (term, product_id, chooser)
            strongest[key] = max(strongest.get(key, 0.0), KINDS.get(kind, 0.0))
    counts: dict[str, dict[str, float]] = defaultdict(dict)
    for (term, product_id, _), weight in strongest.items():
        counts[term][product_id] = counts[term].get(product_id, 0.0) + weight
    return dict(counts)


def boost(count: float) -> float:
    return MAX_BOOST * (1.0 - math.exp(-count / SATURATION))


class LearnedBoosts:
    """The boosts a search engine adds, read from the database at most every REFRESH_S seconds."""

    def __init__(self, database, refresh_s: float = REFRESH_S) -> None:
        self.database = database
        self.refresh_s = refresh_s
        self._counts: dict[str, dict[str, float]] = {}
        self._loaded_at = -math.inf
        self._lock = threading.Lock()

    def refresh(self) -> None:
        with self.database.session() as session:
            counts = learned_counts(session)
        with self._lock:
            self._counts, self._loaded_at = counts, time.monotonic()

    def for_terms(self, terms: list[str]) -> dict[str, float]:
        """product -> boost for a query with these terms (the mean over its terms, so long queries are not favoured)."""
        if time.monotonic() - self._loaded_at > self.refresh_s:
            self.refresh()
        if not terms:
            return {}
        with self._lock:
            totals: dict[str, float] = defaultdict(float)
            for term in terms:
                for product_id, count in self._counts.get(term, {}).items():
                    totals[product_id] += boost(count)
        return {product_id: value / len(terms) for product_id, value in totals.items()}
