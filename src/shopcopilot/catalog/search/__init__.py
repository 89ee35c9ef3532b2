"""Bilingual hybrid product search: full text + vectors fused by reciprocal rank, with structured filters.

from shopcopilot.catalog.search import SearchEngine, SearchFilters, parse_query
"""

from shopcopilot.catalog.search.filters import SearchFilters
from shopcopilot.catalog.search.hybrid import SearchEngine, SearchHit, SearchResponse
from shopcopilot.catalog.search.query_parser import ParsedQuery, parse_query
from shopcopilot.catalog.search.vocabulary import Vocabulary

__all__ = [
    "ParsedQuery",
    "SearchEngine",
    "SearchFilters",
    "SearchHit",
    "SearchResponse",
    "Vocabulary",
    "parse_query",
]
