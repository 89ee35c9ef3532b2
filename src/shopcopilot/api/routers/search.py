"""`GET /v1/search`: the catalogue's hybrid search, one engine per app (built on first use, then reused)."""

from __future__ import annotations

import threading
from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from fastapi.encoders import jsonable_encoder

from shopcopilot.api.deps import OptionalShopperDep, SessionDep
from shopcopilot.api.schemas import ERROR_RESPONSES
from shopcopilot.commerce.models import BrowsingEvent, Shopper
from shopcopilot.errors import ShopcopilotError

router = APIRouter(prefix="/v1", tags=["search"], responses=ERROR_RESPONSES)

_engine_lock = threading.Lock()


def search_engine(request: Request) -> Any:
    """The app's search engine; building it loads indexes and the embedder, so it is done once."""
    return app_search_engine(request.app)


def app_search_engine(app: Any) -> Any:
    """The search engine of `app`, built on first use (a request, or `shopcopilot serve`'s warm-up)."""
    state = app.state
    if getattr(state, "search_engine", None) is None:
        with _engine_lock:
            if getattr(state, "search_engine", None) is None:
                try:
                    from shopcopilot.catalog.search import SearchEngine
                except ImportError as exc:
                    raise ShopcopilotError(
                        "search is not available in this build", code="search_unavailable", status_code=503
                    ) from exc
                state.search_engine = SearchEngine(state.database)
    return state.search_engine


@router.get("/search")
def search(
    request: Request,
    session: SessionDep,
    shopper_id: OptionalShopperDep,
    q: Annotated[str, Query(min_length=1, max_length=500, description="what the shopper typed (en or zh)")],
    limit: Annotated[int, Query(ge=1, le=100)] = 10,
) -> dict:
    """Products matching a query: the parsed query (filters it understood) and scored hits."""
    result = search_engine(request).search(q, limit=limit)
    if shopper_id is not None and session.get(Shopper, shopper_id) is not None:
        session.add(BrowsingEvent(shopper_id=shopper_id, kind="search", query=q))
    return {
        "query": q,
        "parsed": jsonable_encoder(result.parsed),
        "hits": jsonable_encoder(list(result.hits)),
    }
