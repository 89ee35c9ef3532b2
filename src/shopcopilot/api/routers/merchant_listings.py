"""Listing from photo over HTTP: draft from 1-5 photos, then publish the edited draft (merchant token only)."""

from __future__ import annotations

import json
from typing import Annotated

from fastapi import APIRouter, File, Form, Request, UploadFile
from fastapi.concurrency import run_in_threadpool

from shopcopilot.api.deps import DatabaseDep, MerchantDep
from shopcopilot.api.schemas import ERROR_RESPONSES
from shopcopilot.errors import InvalidInput
from shopcopilot.merchant.listing_draft import MAX_PHOTOS, draft_listing
from shopcopilot.merchant.publish import publish_listing
from shopcopilot.studio.images import MAX_BYTES

router = APIRouter(prefix="/v1/merchant/listings", tags=["merchant listings"], responses=ERROR_RESPONSES)


async def _read_all(photos: list[UploadFile]) -> list[bytes]:
    if not 1 <= len(photos) <= MAX_PHOTOS:
        raise InvalidInput(f"send 1 to {MAX_PHOTOS} photos, not {len(photos)}", code="bad_photo_count")
    out = []
    for photo in photos:
        data = await photo.read(MAX_BYTES + 1)
        if len(data) > MAX_BYTES:
            raise InvalidInput(f"a photo is larger than {MAX_BYTES // 2**20} MB", code="too_large")
        out.append(data)
    return out


@router.post("/draft", summary="Draft a listing from 1-5 product photos")
async def draft(
    request: Request,
    merchant_id: MerchantDep,
    database: DatabaseDep,
    photos: Annotated[
        list[UploadFile], File(description="1-5 photos of the product; the first is the main one")
    ],
) -> dict:
    data = await _read_all(photos)

    def run() -> dict:
        with database.session() as session:
            return draft_listing(
                data,
                session=session,
                merchant_id=merchant_id,
                classify=getattr(request.app.state, "listing_classifier", "default"),
                search_engine=getattr(request.app.state, "search_engine", None),
            )

    return await run_in_threadpool(run)


@router.post(
    "", status_code=201, summary="Publish an edited draft: creates the product, variants and slot images"
)
async def publish(
    request: Request,
    merchant_id: MerchantDep,
    database: DatabaseDep,
    listing: Annotated[str, Form(description="the edited draft as JSON (title, variants, category, ...)")],
    photo: Annotated[UploadFile | None, File(description="the main photo, rendered by the studio")] = None,
) -> dict:
    try:
        parsed = json.loads(listing)
    except json.JSONDecodeError as exc:
        raise InvalidInput(f"listing is not valid JSON: {exc}", code="bad_listing") from None
    photo_bytes = (await _read_all([photo]))[0] if photo is not None else None

    def run() -> dict:
        with database.session() as session:
            return publish_listing(session, merchant_id, parsed, photo=photo_bytes)

    created = await run_in_threadpool(run)
    engine = getattr(request.app.state, "search_engine", None)
    if engine is not None:
        await run_in_threadpool(engine.reindex, [created["product_id"]])
    return created
