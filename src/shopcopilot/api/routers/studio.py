"""The image studio over HTTP: submit a photo as a background job, poll it, fetch its images and reports.

Merchant token only; a merchant sees only its own jobs. The queue is `app.state.studio_queue` when set (tests),
else the process's queue (`studio.jobs.job_queue`: embedded pool, or dramatiq when SHOPCOPILOT_REDIS_URL is set).
"""

from __future__ import annotations

import json
from typing import Annotated

from fastapi import APIRouter, Depends, File, Form, Request, UploadFile
from fastapi.responses import FileResponse

from shopcopilot.api.deps import MerchantDep
from shopcopilot.api.schemas import ERROR_RESPONSES
from shopcopilot.errors import InvalidInput, NotFound
from shopcopilot.studio.images import MAX_BYTES
from shopcopilot.studio.jobs import JobQueue, job_queue

router = APIRouter(prefix="/v1/studio", tags=["studio"], responses=ERROR_RESPONSES)


def get_queue(request: Request) -> JobQueue:
    return getattr(request.app.state, "studio_queue", None) or job_queue()


QueueDep = Annotated[JobQueue, Depends(get_queue)]


async def _read(upload: UploadFile, what: str) -> bytes:
    data = await upload.read(MAX_BYTES + 1)
    if len(data) > MAX_BYTES:
        raise InvalidInput(f"the {what} is larger than {MAX_BYTES // 2**20} MB", code="too_large")
    return data


def _public(state: dict, job_id: str) -> dict:
    images = [
        {
            **image,
            "url": f"/v1/studio/jobs/{job_id}/images/{image['file']}" if image.get("file") else None,
            "report_url": f"/v1/studio/jobs/{job_id}/images/{image['slot']}.report.json",
        }
        for image in state.get("images", [])
    ]
    keys = ("id", "status", "options", "error", "created_at", "started_at", "finished_at", "timings")
    return {**{key: state.get(key) for key in keys}, "images": images}


def _owned(queue: JobQueue, job_id: str, merchant_id: str) -> dict:
    state = queue.get(job_id)
    if state.get("owner") != merchant_id:
        raise NotFound(
            f"no studio job {job_id!r}", code="job_not_found"
        )  # 404, not 403: ids are not disclosed
    return state


@router.post("/jobs", status_code=202)
async def submit_job(
    merchant_id: MerchantDep,
    queue: QueueDep,
    photo: Annotated[UploadFile, File(description="the product photo (JPEG, PNG, WebP)")],
    options: Annotated[
        str, Form(description='JSON, e.g. {"slots": ["square", "banner"], "scene": "studio"}')
    ] = "{}",
    background: Annotated[UploadFile | None, File(description="a background photo for scene 'photo'")] = None,
) -> dict:
    try:
        parsed = json.loads(options or "{}")
    except json.JSONDecodeError as exc:
        raise InvalidInput(f"options is not valid JSON: {exc}", code="bad_options") from None
    if not isinstance(parsed, dict):
        raise InvalidInput("options must be a JSON object", code="bad_options")
    photo_bytes = await _read(photo, "photo")
    background_bytes = await _read(background, "background photo") if background is not None else None
    job_id = queue.submit(photo_bytes, parsed, background_bytes, owner=merchant_id)
    return _public(queue.get(job_id), job_id)


@router.get("/jobs/{job_id}")
def get_job(job_id: str, merchant_id: MerchantDep, queue: QueueDep) -> dict:
    return _public(_owned(queue, job_id, merchant_id), job_id)


@router.get("/jobs/{job_id}/images/{name}")
def get_image(job_id: str, name: str, merchant_id: MerchantDep, queue: QueueDep) -> FileResponse:
    _owned(queue, job_id, merchant_id)
    path = queue.store.image_path(job_id, name)
    media = "application/json" if name.endswith(".json") else "image/png"
    return FileResponse(path, media_type=media)
