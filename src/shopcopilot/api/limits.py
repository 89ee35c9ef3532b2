"""Request body size limits, enforced before a route parses anything.

JSON bodies are small (a cart line, an address), so they get a tight limit; uploads (multipart forms, raw images)
such as listing-from-photo get a larger one. Both the declared Content-Length and the bytes actually streamed are
checked, so a chunked body cannot slip past.
"""

from __future__ import annotations

import json

from starlette.exceptions import HTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

JSON_BODY_LIMIT = 64 * 1024
UPLOAD_BODY_LIMIT = 20 * 1024 * 1024
_UPLOAD_TYPES = (b"multipart/form-data", b"image/", b"application/octet-stream")


def _too_large_message(limit: int) -> str:
    return f"request body is larger than {limit} bytes; send less"


class BodySizeLimit:
    def __init__(
        self, app: ASGIApp, json_limit: int = JSON_BODY_LIMIT, upload_limit: int = UPLOAD_BODY_LIMIT
    ):
        self.app = app
        self.json_limit = json_limit
        self.upload_limit = upload_limit

    def limit_for(self, content_type: bytes) -> int:
        return self.upload_limit if content_type.lower().startswith(_UPLOAD_TYPES) else self.json_limit

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = dict(scope["headers"])
        limit = self.limit_for(headers.get(b"content-type", b""))
        declared = headers.get(b"content-length")
        if declared is not None and (not declared.isdigit() or int(declared) > limit):
            await _send_413(send, limit)
            return
        received = 0

        async def limited_receive() -> Message:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > limit:
                    # FastAPI re-raises HTTPException from body reading, so the app's handler answers 413.
                    raise HTTPException(status_code=413, detail=_too_large_message(limit))
            return message

        await self.app(scope, limited_receive, send)


async def _send_413(send: Send, limit: int) -> None:
    body = json.dumps({"error": {"code": "body_too_large", "message": _too_large_message(limit)}}).encode()
    await send(
        {
            "type": "http.response.start",
            "status": 413,
            "headers": [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode())],
        }
    )
    await send({"type": "http.response.body", "body": body})
