"""POST /v1/studio/jobs through a real HTTP server: upload, poll, download; merchants only, own jobs only."""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path

import httpx
import pytest

from conftest import bearer
from http_server import running_server

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "studio"))
from studio_samples import encode, labelled_product  # noqa: E402

from shopcopilot.api.app import create_app  # noqa: E402
from shopcopilot.studio.jobs import EmbeddedJobQueue, JobStore  # noqa: E402


@pytest.fixture
def studio_server(store_db, tmp_path: Path):
    app = create_app(store_db)
    app.state.studio_queue = EmbeddedJobQueue(JobStore(tmp_path / "jobs"))
    with running_server(app) as base_url:
        yield base_url
    app.state.studio_queue.close()


def test_merchant_renders_a_photo_over_http(studio_server: str, gadget_merchant: dict, alice: dict) -> None:
    photo = encode(labelled_product(size=(320, 240)), "JPEG", quality=92)
    options = json.dumps({"slots": ["thumbnail", "square"], "scene": "radial", "ocr": False})
    with httpx.Client(base_url=studio_server, timeout=60) as http:
        files = {"photo": ("box.jpg", photo, "image/jpeg")}
        assert http.post("/v1/studio/jobs", files=files, data={"options": options}).status_code == 401
        assert http.post("/v1/studio/jobs", files=files, headers=alice).status_code == 403
        bad = http.post(
            "/v1/studio/jobs", files={"photo": ("x.jpg", b"", "image/jpeg")}, headers=gadget_merchant
        )
        assert bad.status_code == 422 and bad.json()["error"]["code"] == "empty_image"
        bad = http.post("/v1/studio/jobs", files=files, data={"options": "{nope"}, headers=gadget_merchant)
        assert bad.status_code == 422
        created = http.post(
            "/v1/studio/jobs", files=files, data={"options": options}, headers=gadget_merchant
        )
        assert created.status_code == 202, created.text
        job_id = created.json()["id"]
        deadline = time.monotonic() + 120
        while (state := http.get(f"/v1/studio/jobs/{job_id}", headers=gadget_merchant).json())["status"] in (
            "queued",
            "running",
        ) and time.monotonic() < deadline:
            time.sleep(0.2)
        assert state["status"] == "done", state
        assert [image["slot"] for image in state["images"]] == ["thumbnail", "square"]
        image = http.get(state["images"][1]["url"], headers=gadget_merchant)
        assert image.status_code == 200 and image.content[:8] == b"\x89PNG\r\n\x1a\n"
        report = http.get(state["images"][1]["report_url"], headers=gadget_merchant).json()
        assert report["fidelity"]["pixels"]["changed"] == 0 and report["delivered"]
        other = bearer("merchant", "m2")
        assert http.get(f"/v1/studio/jobs/{job_id}", headers=other).status_code in (401, 404)
        assert http.get(f"/v1/studio/jobs/{job_id}/images/x.png", headers=gadget_merchant).status_code == 404
