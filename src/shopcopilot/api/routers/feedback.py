"""`POST /v1/feedback`: thumbs up/down with an optional comment on an assistant answer, and with a thumbs down
optionally what the message meant (`wanted_intent`: a correction the store reviews before the intent router learns
from it); `GET` lists a conversation's ratings. A shopper token is needed for a shopper's conversation; guests rate
their own."""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Query
from pydantic import BaseModel, ConfigDict, Field, StrictInt

from shopcopilot.agent.intents import INTENTS
from shopcopilot.api.deps import OptionalShopperDep, SessionDep
from shopcopilot.api.schemas import ERROR_RESPONSES
from shopcopilot.errors import InvalidInput
from shopcopilot.feedback.corrections import correction_view, record_correction
from shopcopilot.feedback.ratings import (
    MAX_COMMENT_CHARS,
    conversation_feedback,
    feedback_view,
    record_feedback,
)

router = APIRouter(prefix="/v1/feedback", tags=["feedback"], responses=ERROR_RESPONSES)

SessionId = Annotated[str, Field(min_length=1, max_length=100, pattern=r"^[A-Za-z0-9_.:-]+$")]


class FeedbackIn(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True)

    session_id: SessionId
    turn: StrictInt | None = Field(default=None, ge=0, description="the turn's position in the conversation")
    turn_id: StrictInt | None = Field(default=None, ge=1, description="the stored turn's id, when known")
    rating: Literal[1, -1] = Field(description="1 = thumbs up, -1 = thumbs down")
    comment: str = Field(default="", max_length=MAX_COMMENT_CHARS)
    wanted_intent: str | None = Field(
        default=None, description=f"with a thumbs down: what the message meant, one of {', '.join(INTENTS)}"
    )


@router.post("", status_code=201, summary="Rate an assistant answer (a second rating of a turn replaces the first)")
def give_feedback(body: FeedbackIn, session: SessionDep, shopper_id: OptionalShopperDep) -> dict:
    if body.wanted_intent is not None and body.rating != -1:
        raise InvalidInput("wanted_intent goes with a thumbs down (rating -1)", code="correction_needs_thumbs_down")
    if body.wanted_intent is not None and body.turn is None and body.turn_id is None:
        raise InvalidInput("name the misunderstood turn (turn or turn_id) with wanted_intent", code="turn_required")
    row = record_feedback(
        session,
        session_id=body.session_id,
        rating=body.rating,
        comment=body.comment,
        turn=body.turn,
        turn_id=body.turn_id,
        shopper_id=shopper_id,
    )
    view = feedback_view(row)
    if body.wanted_intent is not None:
        correction = record_correction(
            session, session_id=body.session_id, intent=body.wanted_intent, turn=body.turn, turn_id=body.turn_id,
            shopper_id=shopper_id,
        )  # fmt: skip
        view["correction"] = correction_view(correction)
    return view


@router.get("")
def list_feedback(
    session: SessionDep,
    shopper_id: OptionalShopperDep,
    session_id: Annotated[str, Query(min_length=1, max_length=100, pattern=r"^[A-Za-z0-9_.:-]+$")],
) -> list[dict]:
    return [feedback_view(row) for row in conversation_feedback(session, session_id, shopper_id)]
