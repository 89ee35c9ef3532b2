"""Bearer tokens: `base64url(json{"sub": "shopper:<id>"|"merchant:<id>", "iat": ...}).base64url(hmac)`.

HMAC-SHA256 with `settings().secret`, so a token minted by `shopcopilot token ...` works against any server that
shares the secret, and no token table is needed. Tokens carry no expiry unless minted with `ttl_seconds`.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import json
import time
from dataclasses import dataclass
from typing import Literal

from shopcopilot.config import settings
from shopcopilot.errors import ShopcopilotError

PrincipalKind = Literal["shopper", "merchant"]
KINDS: tuple[str, ...] = ("shopper", "merchant")
MAX_TOKEN_LENGTH = 2048


class Unauthorized(ShopcopilotError):
    status_code = 401
    code = "unauthorized"


@dataclass(frozen=True)
class Principal:
    """Who is calling: a shopper or a merchant, by id."""

    kind: PrincipalKind
    id: str

    @property
    def subject(self) -> str:
        return f"{self.kind}:{self.id}"


def _b64encode(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode("ascii")


def _b64decode(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def _sign(payload: str, secret: str) -> str:
    return _b64encode(hmac.new(secret.encode(), payload.encode("ascii"), hashlib.sha256).digest())


def mint_token(
    kind: PrincipalKind,
    subject_id: str,
    *,
    secret: str | None = None,
    issued_at: int | None = None,
    ttl_seconds: int | None = None,
) -> str:
    """A signed bearer token for a shopper or a merchant."""
    if kind not in KINDS:
        raise ShopcopilotError(
            f"token kind must be one of {', '.join(KINDS)}, not {kind!r}", code="invalid_input"
        )
    if not subject_id:
        raise ShopcopilotError("a token needs a non-empty id", code="invalid_input")
    claims: dict = {
        "sub": f"{kind}:{subject_id}",
        "iat": int(time.time() if issued_at is None else issued_at),
    }
    if ttl_seconds is not None:
        claims["exp"] = claims["iat"] + int(ttl_seconds)
    payload = _b64encode(json.dumps(claims, separators=(",", ":"), sort_keys=True).encode())
    return f"{payload}.{_sign(payload, secret or settings().secret)}"


def verify_token(token: str, *, secret: str | None = None, now: float | None = None) -> Principal:
    """The principal a token names; `Unauthorized` when it is malformed, forged or expired."""
    if not token or len(token) > MAX_TOKEN_LENGTH or token.count(".") != 1:
        raise Unauthorized("malformed bearer token: get one with `shopcopilot token shopper USER_ID`")
    payload, signature = token.split(".")
    expected = _sign(payload, secret or settings().secret)
    if not hmac.compare_digest(expected.encode(), signature.encode()):
        raise Unauthorized(
            "bearer token signature does not match: it was minted with another secret or altered"
        )
    try:
        claims = json.loads(_b64decode(payload))
        kind, _, subject_id = str(claims["sub"]).partition(":")
    except (ValueError, KeyError, TypeError, binascii.Error) as exc:
        raise Unauthorized("bearer token payload is not valid") from exc
    if kind not in KINDS or not subject_id:
        raise Unauthorized("bearer token names no shopper or merchant")
    expires = claims.get("exp")
    if isinstance(expires, int | float) and (time.time() if now is None else now) >= expires:
        raise Unauthorized("bearer token has expired: mint a new one")
    return Principal(kind=kind, id=subject_id)  # type: ignore[arg-type]


def principal_from_header(authorization: str | None) -> Principal | None:
    """Parse an `Authorization: Bearer <token>` header; None when absent."""
    if authorization is None:
        return None
    scheme, _, token = authorization.strip().partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise Unauthorized("use an `Authorization: Bearer <token>` header")
    return verify_token(token.strip())
