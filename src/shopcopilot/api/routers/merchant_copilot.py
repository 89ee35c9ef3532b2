"""The operations copilot over HTTP: chat (SSE), and the operations log with preview -> confirm -> undo.

Chat events: `block` (one per answer block), `trace`, then `done`. Bad input is a 4xx JSON error before the
stream starts. Operation ids of another store are 404.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import StreamingResponse
from pydantic import BaseModel, Field

from shopcopilot.api.deps import MerchantDep, SessionDep
from shopcopilot.api.schemas import ERROR_RESPONSES
from shopcopilot.merchant import audit
from shopcopilot.merchant.copywriting import product_copy

router = APIRouter(prefix="/v1/merchant", tags=["merchant copilot"], responses=ERROR_RESPONSES)


class ChatIn(BaseModel):
    session_id: str = Field(min_length=1, max_length=100, pattern=r"^[A-Za-z0-9_.:-]+$")
    message: str = Field(min_length=1, max_length=2000)


class PreviewIn(BaseModel):
    operation: str = Field(min_length=1, max_length=64)
    arguments: dict[str, Any] = Field(default_factory=dict)


class CopyIn(BaseModel):
    product_id: str = Field(min_length=1, max_length=64)


def copilot_of(request: Request):
    copilot = getattr(request.app.state, "merchant_copilot", None)
    if copilot is None:
        from shopcopilot.merchant.copilot import MerchantCopilot
        from shopcopilot.models.llm.factory import llm_from_settings

        copilot = MerchantCopilot(request.app.state.database, llm=llm_from_settings())
        request.app.state.merchant_copilot = copilot
    return copilot


def _sse(event: str, data: dict) -> str:
    return f"event: {event}\ndata: {json.dumps(data, ensure_ascii=False)}\n\n"


@router.post("/chat", summary="One copilot turn as Server-Sent Events (block..., trace, done)")
async def chat(body: ChatIn, request: Request, merchant_id: MerchantDep) -> StreamingResponse:
    copilot = copilot_of(request)
    # Namespaced by merchant so two stores can never share a conversation's pending preview.
    turn = await run_in_threadpool(
        copilot.turn, merchant_id, f"{merchant_id}:{body.session_id}", body.message
    )
    data = turn.to_dict()

    def events() -> Iterator[str]:
        for block in data["blocks"]:
            yield _sse("block", block)
        yield _sse("trace", {**data["trace"], "language": data["language"]})
        yield _sse("done", {"session_id": body.session_id})

    return StreamingResponse(
        events(),
        media_type="text/event-stream",
        headers={"Cache-Control": "no-cache", "X-Accel-Buffering": "no"},
    )


@router.get("/operations", summary="The store's operations log (audit), newest first")
def operations_log(
    merchant_id: MerchantDep,
    session: SessionDep,
    status: Annotated[str | None, Query(max_length=16)] = None,
    limit: Annotated[int, Query(ge=1, le=200)] = 50,
) -> dict:
    rows = audit.list_operations(session, merchant_id, status=status, limit=limit)
    return {"items": [audit.operation_view(row) for row in rows]}


@router.post("/operations/preview", summary="Dry-run an operation; consequential ones wait for confirmation")
def preview(body: PreviewIn, merchant_id: MerchantDep, session: SessionDep) -> dict:
    result, row = audit.preview_operation(session, merchant_id, body.operation, body.arguments, actor="api")
    return {**result.to_dict(), "operation_id": row.id if row else None}


@router.post("/operations/{operation_id}/confirm")
def confirm(operation_id: int, merchant_id: MerchantDep, session: SessionDep) -> dict:
    return audit.operation_view(audit.confirm_operation(session, merchant_id, operation_id))


@router.post("/operations/{operation_id}/cancel")
def cancel(operation_id: int, merchant_id: MerchantDep, session: SessionDep) -> dict:
    return audit.operation_view(audit.cancel_operation(session, merchant_id, operation_id))


@router.post("/operations/{operation_id}/undo")
def undo(operation_id: int, merchant_id: MerchantDep, session: SessionDep) -> dict:
    row, restored = audit.undo_operation(session, merchant_id, operation_id)
    return {**audit.operation_view(row), "restored": restored}


@router.post("/copy", summary="Titles and ad lines for one of your products, grounded in its data")
def copy(body: CopyIn, request: Request, merchant_id: MerchantDep, session: SessionDep) -> dict:
    return product_copy(session, merchant_id, body.product_id, copilot_of(request).llm)
