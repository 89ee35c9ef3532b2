"""Request dependencies: the database and a session per request, and who is calling."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Annotated

from fastapi import Depends, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from sqlalchemy.orm import Session

from shopcopilot.api.auth import Principal, Unauthorized, verify_token
from shopcopilot.catalog.models import Merchant
from shopcopilot.commerce.models import Shopper
from shopcopilot.errors import Forbidden
from shopcopilot.storage.db import Database

_bearer = HTTPBearer(auto_error=False, description="`shopcopilot token shopper USER_ID` or `... merchant ID`")


def get_database(request: Request) -> Database:
    return request.app.state.database


DatabaseDep = Annotated[Database, Depends(get_database)]


def get_session(database: DatabaseDep) -> Iterator[Session]:
    """One unit of work per request, committed before the response is sent (scope="function")."""
    with database.session() as session:
        yield session


SessionDep = Annotated[Session, Depends(get_session, scope="function")]


def get_principal(
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)],
) -> Principal | None:
    """The caller named by a valid bearer token, None without one; a bad token is 401, never anonymous."""
    if credentials is None:
        return None
    return verify_token(credentials.credentials)


PrincipalDep = Annotated[Principal | None, Depends(get_principal)]


def _require(principal: Principal | None, kind: str, database: Database) -> str:
    if principal is None:
        raise Unauthorized(f"this needs a {kind} bearer token: `shopcopilot token {kind} ID`")
    if principal.kind != kind:
        raise Forbidden(f"this needs a {kind} token, not a {principal.kind} token", code=f"{kind}_only")
    table = Shopper if kind == "shopper" else Merchant
    with database.session() as session:
        if session.get(table, principal.id) is None:
            raise Unauthorized(f"the token names {kind} {principal.id!r}, who is not in this store")
    return principal.id


def current_shopper(principal: PrincipalDep, database: DatabaseDep) -> str:
    """The calling shopper's id (401 without a shopper token, 403 with a merchant token)."""
    return _require(principal, "shopper", database)


def current_merchant(principal: PrincipalDep, database: DatabaseDep) -> str:
    """The calling merchant's id (401 without a merchant token, 403 with a shopper token)."""
    return _require(principal, "merchant", database)


def optional_shopper(principal: PrincipalDep) -> str | None:
    """The shopper's id when a shopper token is sent (personalises and records browsing), else None."""
    return principal.id if principal is not None and principal.kind == "shopper" else None


ShopperDep = Annotated[str, Depends(current_shopper)]
MerchantDep = Annotated[str, Depends(current_merchant)]
OptionalShopperDep = Annotated[str | None, Depends(optional_shopper)]
