"""`POST /v1/chat`: one turn of the shopper assistant, streamed as Server-Sent Events.

Events: `block` (one per answer block, in order), `trace` (the turn's trace), then `done`. A shopper token makes
the conversation that shopper's; without one the caller is a guest who must authenticate in the conversation
before any order is shown. Bad input is a 4xx JSON error before the stream starts, and changes nothing.
"""

from __future__ import annotations

import json
from collections.abc import Iterator

from fastapi import APIRouter, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import StreamingResponse
from pydantic import BaseModel, Field

from shopcopilot.api.deps import OptionalShopperDep
from shopcopilot.api.schemas import ERROR_RESPONSES

router = APIRouter(prefix="/v1", tags=["assistant"], responses=ERROR_RESPONSES)


class ChatIn(BaseModel):
    session_id: str = Field(min_length=1, max_length=100, pattern=r"^[A-Za-z0-9_.:-]+$")
    message: str = Field(min_length=1, max_length=2000)


def assistant_of(request: Request):
    """One assistant per app (it caches the vocabulary, co-purchase counts and the search engine)."""
    assistant = getattr(request.app.state, "assistant", None)
    if assistant is None:
        from shopcopilot.api.routers.search import search_engine
        from shopcopilot.errors import ShopcopilotError
        from shopcopilot.shopper.assistant import build_assistant

        try:
            engine = search_engine(request)  # the app's one engine: /v1/search and the chat share its indexes
        except ShopcopilotError:
            engine = None
        assistant = build_assistant(request.app.state.database, search_engine=engine)
        request.app.state.assistant = assistant
    return assistant


def _sse(event: str, data: dict) -> str:
    return f"event: {event}\ndata: {json.dumps(data, ensure_ascii=False)}\n\n"


@router.post("/chat", summary="One assistant turn as Server-Sent Events (block..., trace, done)")
async def chat(body: ChatIn, request: Request, shopper_id: OptionalShopperDep) -> StreamingResponse:
    assistant = assistant_of(request)
    # The turn runs before streaming starts, so a refused turn is a plain 4xx JSON error.
    turn = await run_in_threadpool(assistant.turn, body.session_id, body.message, shopper_id)
    data = turn.to_dict()

    def events() -> Iterator[str]:
        for block in data["blocks"]:
            yield _sse("block", block)
        yield _sse("trace", {**data["trace"], "session_id": data["session_id"], "language": data["language"]})
        yield _sse("done", {"session_id": data["session_id"]})

    return StreamingResponse(
        events(),
        media_type="text/event-stream",
        headers={"Cache-Control": "no-cache", "X-Accel-Buffering": "no"},
    )
