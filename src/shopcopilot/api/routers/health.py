"""`GET /healthz`: the process is up and the database answers."""

from __future__ import annotations

from fastapi import APIRouter
from sqlalchemy import text

from shopcopilot.api.deps import SessionDep

router = APIRouter(tags=["health"])


@router.get("/healthz")
def healthz(session: SessionDep) -> dict:
    session.execute(text("SELECT 1"))
    return {"status": "ok", "database": session.get_bind().dialect.name}
