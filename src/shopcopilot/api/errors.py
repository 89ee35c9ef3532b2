"""Every error leaves the API as `{"error": {"code": ..., "message": ...}}` with a 4xx/5xx status."""

from __future__ import annotations

import logging

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

from shopcopilot.errors import ShopcopilotError

log = logging.getLogger(__name__)

_HTTP_CODES = {
    400: "bad_request",
    401: "unauthorized",
    403: "forbidden",
    404: "not_found",
    405: "method_not_allowed",
    413: "body_too_large",
    415: "unsupported_media_type",
}


def error_response(status_code: int, code: str, message: str, **extra) -> JSONResponse:
    return JSONResponse(
        status_code=status_code, content={"error": {"code": code, "message": message, **extra}}
    )


def _location(loc: tuple) -> str:
    return ".".join(str(part) for part in loc) or "request"


async def _shopcopilot_error(_request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, ShopcopilotError)
    headers = {"WWW-Authenticate": "Bearer"} if exc.status_code == 401 else None
    response = error_response(exc.status_code, exc.code, exc.message)
    if headers:
        response.headers.update(headers)
    return response


async def _validation_error(_request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, RequestValidationError)
    errors = list(exc.errors())
    if any(error.get("type") == "json_invalid" for error in errors):
        return error_response(400, "malformed_json", "the request body is not valid JSON")
    # The offending input is left out on purpose: it may be a megabyte of garbage or a secret.
    details = [
        {"loc": list(error.get("loc", ())), "type": error.get("type"), "msg": error.get("msg")}
        for error in errors
    ]
    message = "; ".join(f"{_location(tuple(d['loc']))}: {d['msg']}" for d in details[:5])
    return error_response(422, "invalid_input", message or "invalid request", details=details)


async def _http_error(_request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, StarletteHTTPException)
    code = _HTTP_CODES.get(exc.status_code, "http_error")
    response = error_response(exc.status_code, code, str(exc.detail))
    if exc.headers:
        response.headers.update(exc.headers)
    return response


async def _unexpected_error(_request: Request, exc: Exception) -> JSONResponse:
    log.exception("unhandled error", exc_info=exc)
    return error_response(500, "internal_error", "something went wrong on our side; the change was not made")


def install_error_handlers(app: FastAPI) -> None:
    app.add_exception_handler(ShopcopilotError, _shopcopilot_error)
    app.add_exception_handler(RequestValidationError, _validation_error)
    app.add_exception_handler(StarletteHTTPException, _http_error)
    app.add_exception_handler(Exception, _unexpected_error)
