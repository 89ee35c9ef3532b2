"""Store setup over HTTP: name suggestions, logo (SVG or PNG), storefront theme (merchant token only)."""

from __future__ import annotations

import json
from typing import Annotated, Literal

from fastapi import APIRouter, File, Form, UploadFile
from fastapi.responses import Response
from pydantic import BaseModel, Field

from shopcopilot.api.deps import MerchantDep, SessionDep
from shopcopilot.api.schemas import ERROR_RESPONSES
from shopcopilot.catalog.models import Merchant
from shopcopilot.errors import InvalidInput
from shopcopilot.merchant.store_setup import (
    build_theme,
    logo_png,
    logo_svg,
    make_palette,
    suggest_store_names,
)
from shopcopilot.studio.images import MAX_BYTES

router = APIRouter(prefix="/v1/merchant/store", tags=["merchant store"], responses=ERROR_RESPONSES)


class NamesIn(BaseModel):
    category_words: list[Annotated[str, Field(max_length=40)]] = Field(min_length=1, max_length=5)
    style_words: list[Annotated[str, Field(max_length=40)]] = Field(default_factory=list, max_length=5)


class LogoIn(BaseModel):
    name: str | None = Field(default=None, min_length=1, max_length=80)
    colours: list[Annotated[str, Field(max_length=20)]] = Field(default_factory=list, max_length=4)
    kind: Literal["monogram", "mark"] = "monogram"
    format: Literal["svg", "png"] = "svg"


@router.post("/names")
def names(body: NamesIn, merchant_id: MerchantDep, session: SessionDep) -> dict:
    return {"suggestions": suggest_store_names(session, body.category_words, body.style_words)}


@router.post(
    "/logo", response_class=Response, responses={200: {"content": {"image/svg+xml": {}, "image/png": {}}}}
)
def logo(body: LogoIn, merchant_id: MerchantDep, session: SessionDep) -> Response:
    merchant = session.get(Merchant, merchant_id)
    name = body.name or (merchant.name if merchant else merchant_id)
    palette = make_palette(body.colours)
    if body.format == "png":
        return Response(logo_png(name, palette, kind=body.kind), media_type="image/png")
    return Response(logo_svg(name, palette, kind=body.kind), media_type="image/svg+xml")


@router.post("/theme")
async def theme(
    merchant_id: MerchantDep,
    session: SessionDep,
    colours: Annotated[
        str, Form(description='JSON list of colour names or #rrggbb, e.g. ["navy", "white"]')
    ] = "[]",
    featured: Annotated[str, Form(description="JSON list of your product ids to feature")] = "[]",
    photos: Annotated[list[UploadFile] | None, File(description="product photos for the banner")] = None,
) -> dict:
    try:
        colour_list, featured_ids = json.loads(colours), json.loads(featured)
    except json.JSONDecodeError as exc:
        raise InvalidInput(f"colours and featured must be JSON lists: {exc}", code="bad_theme") from None
    if not isinstance(colour_list, list) or not isinstance(featured_ids, list):
        raise InvalidInput("colours and featured must be JSON lists", code="bad_theme")
    data = []
    for photo in (photos or [])[:4]:
        raw = await photo.read(MAX_BYTES + 1)
        if len(raw) > MAX_BYTES:
            raise InvalidInput("a photo is too large", code="too_large")
        data.append(raw)
    return build_theme(
        session,
        merchant_id,
        colours=[str(c) for c in colour_list],
        photos=data,
        featured=[str(p) for p in featured_ids] or None,
    )
