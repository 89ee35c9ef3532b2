"""Idempotency-Key handling: a retry with the same key and body replays the stored response; another body is 409.

The action and the stored record commit in one transaction, so a response is stored exactly when its change
is. Two concurrent first attempts race on the (principal, key) unique constraint: the loser's transaction rolls back
(its change undone) and it answers with the winner's stored response. Failed requests (4xx) change nothing and are
not stored, so a client may fix its request and retry with the same key.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from shopcopilot.commerce.models import IdempotencyRecord
from shopcopilot.errors import Conflict, InvalidInput
from shopcopilot.storage.db import Database

MAX_KEY_LENGTH = 200


@dataclass(frozen=True)
class StoredResponse:
    status_code: int
    body: dict
    replayed: bool = False


def request_fingerprint(method: str, path: str, payload: Any) -> str:
    """A hash of what the request asks for: method, path and the parsed body (key order and spacing ignored)."""
    canonical = json.dumps(payload, sort_keys=True, separators=(",", ":"), default=str)
    return hashlib.sha256(f"{method.upper()} {path}\n{canonical}".encode()).hexdigest()


def _validate_key(key: str) -> str:
    key = key.strip()
    if not key or len(key) > MAX_KEY_LENGTH or not key.isprintable():
        raise InvalidInput(
            f"Idempotency-Key must be 1 to {MAX_KEY_LENGTH} printable characters",
            code="invalid_idempotency_key",
        )
    return key


def _lookup(session: Session, principal: str, key: str) -> IdempotencyRecord | None:
    return session.scalar(
        select(IdempotencyRecord).where(
            IdempotencyRecord.principal == principal, IdempotencyRecord.key == key
        )
    )


def _replay(record: IdempotencyRecord, fingerprint: str) -> StoredResponse:
    if record.request_hash != fingerprint:
        raise Conflict(
            "this Idempotency-Key was already used with a different request; use a new key for a new request",
            code="idempotency_key_reused",
        )
    return StoredResponse(status_code=record.status_code, body=record.body, replayed=True)


def run_idempotent(
    database: Database,
    principal: str,
    key: str | None,
    fingerprint: str,
    action: Callable[[Session], tuple[int, dict]],
) -> StoredResponse:
    """Run `action(session) -> (status, body)` once per (principal, key); without a key, just run it."""
    if key is None:
        with database.session() as session:
            status, body = action(session)
        return StoredResponse(status, body)
    key = _validate_key(key)
    with database.session() as session:
        record = _lookup(session, principal, key)
        if record is not None:
            return _replay(record, fingerprint)
    try:
        with database.session() as session:
            status, body = action(session)
            session.add(
                IdempotencyRecord(
                    principal=principal, key=key, request_hash=fingerprint, status_code=status, body=body
                )
            )
            session.flush()
        return StoredResponse(status, body)
    except IntegrityError:
        with database.session() as session:
            record = _lookup(session, principal, key)
            if record is None:  # the integrity error came from the action itself
                raise
            return _replay(record, fingerprint)
