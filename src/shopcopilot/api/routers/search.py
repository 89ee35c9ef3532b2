"""`GET /v1/search`: the catalogue's hybrid search, one engine per app (built on first use, then reused)."""

from __future__ import annotations

import threading
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Query, Request
from fastapi.encoders import jsonable_encoder
from pydantic import BaseModel, ConfigDict, Field

from shopcopilot.api.deps import OptionalShopperDep, SessionDep, ShopperDep
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


class SearchChoiceIn(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True)

    query: str = Field(min_length=1, max_length=500, description="the search the product was chosen from")
    product_id: str = Field(min_length=1, max_length=64)
    kind: Literal["click", "add_to_cart", "purchase"] = "click"


@router.post("/search/choices", status_code=201, summary="Note that the signed-in shopper chose a product from a search")
def search_choice(body: SearchChoiceIn, session: SessionDep, shopper_id: ShopperDep) -> dict:
    """The ranker learns from these (distinct shoppers per word and product; one shopper counts once)."""
    from shopcopilot.catalog.search.interactions import record_interaction

    row = record_interaction(session, query=body.query, product_id=body.product_id, kind=body.kind,
                             chooser=shopper_id)
    return {"id": row.id, "query": row.query, "terms": row.terms, "product_id": row.product_id, "kind": row.kind}
