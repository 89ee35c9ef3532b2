"""Operations as transactions: preview (stored with its diff) -> explicit confirmation -> audited apply -> undo.

Confirming re-runs the dry run first: when the store changed since the preview (another edit, a price already
moved) the diff differs and the confirmation is refused (409), so what is applied is exactly what was shown.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from shopcopilot.errors import Conflict, NotFound
from shopcopilot.merchant.models import MerchantOperation
from shopcopilot.merchant.operations import operation
from shopcopilot.merchant.previews import Preview


def operation_view(row: MerchantOperation) -> dict:
    return {
        "id": row.id,
        "operation": row.operation,
        "arguments": row.arguments,
        "summary": row.summary,
        "diff": row.diff,
        "status": row.status,
        "undoable": row.status == "applied"
        and row.undo is not None
        and operation(row.operation).undo is not None,
        "session_id": row.session_id,
        "actor": row.actor,
        "request": row.request,
        "created_at": row.created_at.isoformat() if row.created_at else None,
        "applied_at": row.applied_at.isoformat() if row.applied_at else None,
        "undone_at": row.undone_at.isoformat() if row.undone_at else None,
    }


def preview_operation(
    session: Session,
    merchant_id: str,
    name: str,
    arguments: dict,
    *,
    session_id: str | None = None,
    request: str | None = None,
    actor: str = "merchant",
) -> tuple[Preview, MerchantOperation | None]:
    """The dry run. A consequential operation is stored as 'previewed' (its id is what the merchant confirms);
    a read-only one is just answered."""
    spec = operation(name)
    preview = spec.preview(session, merchant_id, dict(arguments))
    if spec.read_only:
        return preview, None
    row = MerchantOperation(
        merchant_id=merchant_id,
        session_id=session_id,
        operation=name,
        arguments=dict(arguments),
        summary=preview.summary,
        diff=preview.diff + [{**r, "rejected": True} for r in preview.rejected],
        status="previewed",
        actor=actor,
        request=request,
    )
    session.add(row)
    session.flush()
    return preview, row


def _own(session: Session, merchant_id: str, operation_id: int) -> MerchantOperation:
    row = session.get(MerchantOperation, operation_id)
    if row is None or row.merchant_id != merchant_id:
        raise NotFound(f"no operation {operation_id} in your store's log", code="operation_not_found")
    return row


def confirm_operation(session: Session, merchant_id: str, operation_id: int) -> MerchantOperation:
    row = _own(session, merchant_id, operation_id)
    if row.status != "previewed":
        raise Conflict(
            f"operation {operation_id} is {row.status}; only a preview can be confirmed", code="not_pending"
        )
    spec = operation(row.operation)
    fresh = spec.preview(session, merchant_id, dict(row.arguments))
    stored = [r for r in row.diff if not r.get("rejected")]
    if row.operation != "create_coupon" and fresh.diff != stored:
        raise Conflict(
            "the store changed since this preview; ask for a new preview and confirm that one",
            code="stale_preview",
        )
    assert spec.apply is not None
    row.undo = spec.apply(session, merchant_id, dict(row.arguments))
    row.status = "applied"
    row.applied_at = datetime.now()
    session.flush()
    return row


def cancel_operation(session: Session, merchant_id: str, operation_id: int) -> MerchantOperation:
    row = _own(session, merchant_id, operation_id)
    if row.status != "previewed":
        raise Conflict(
            f"operation {operation_id} is {row.status}; only a preview can be cancelled", code="not_pending"
        )
    row.status = "cancelled"
    return row


def undo_operation(
    session: Session, merchant_id: str, operation_id: int
) -> tuple[MerchantOperation, list[dict]]:
    row = _own(session, merchant_id, operation_id)
    spec = operation(row.operation)
    if row.status != "applied":
        raise Conflict(
            f"operation {operation_id} is {row.status}; only an applied one can be undone", code="not_applied"
        )
    if spec.undo is None or row.undo is None:
        raise Conflict(f"{row.operation} cannot be undone", code="not_undoable")
    restored = spec.undo(session, merchant_id, row.undo)
    row.status = "undone"
    row.undone_at = datetime.now()
    session.flush()
    return row, restored


def list_operations(
    session: Session,
    merchant_id: str,
    *,
    status: str | None = None,
    session_id: str | None = None,
    limit: int = 50,
) -> list[MerchantOperation]:
    query = select(MerchantOperation).where(MerchantOperation.merchant_id == merchant_id)
    if status:
        query = query.where(MerchantOperation.status == status)
    if session_id:
        query = query.where(MerchantOperation.session_id == session_id)
    return list(session.scalars(query.order_by(MerchantOperation.id.desc()).limit(limit)))
