"""The root of the project's exception hierarchy. Every message tells the user what went wrong and what to do."""

from __future__ import annotations


class ShopcopilotError(Exception):
    """Base class. `status_code` is the HTTP status the API answers with; `code` is a stable machine-readable name."""

    status_code: int = 400
    code: str = "bad_request"

    def __init__(self, message: str, *, code: str | None = None, status_code: int | None = None) -> None:
        super().__init__(message)
        self.message = message
        if code:
            self.code = code
        if status_code:
            self.status_code = status_code


class NotFound(ShopcopilotError):
    status_code = 404
    code = "not_found"


class Forbidden(ShopcopilotError):
    status_code = 403
    code = "forbidden"


class InvalidInput(ShopcopilotError):
    status_code = 422
    code = "invalid_input"


class Conflict(ShopcopilotError):
    status_code = 409
    code = "conflict"
