"""Background jobs: the embedded pool and dramatiq on a real Redis; bad jobs fail alone, the queue keeps serving."""

from __future__ import annotations

from pathlib import Path

import pytest
from studio_samples import encode, labelled_product

from shopcopilot.errors import InvalidInput, NotFound
from shopcopilot.studio.jobs import DramatiqJobQueue, EmbeddedJobQueue, JobStore, run_job, wait_for

FAST = {"slots": ["thumbnail"], "ocr": False}


@pytest.fixture
def photo() -> bytes:
    return encode(labelled_product(size=(320, 240)), "JPEG", quality=92)


def test_embedded_queue_runs_jobs_and_survives_bad_ones(tmp_path: Path, photo: bytes) -> None:
    queue = EmbeddedJobQueue(JobStore(tmp_path), workers=1)
    try:
        with pytest.raises(InvalidInput):
            queue.submit(b"", FAST)  # refused at the door: nothing stored
        with pytest.raises(InvalidInput):
            queue.submit(photo, {"slots": ["thumbnail"], "colour": "red"})
        assert not any(tmp_path.iterdir())
        # A header that looks fine but a body that is cut off: accepted, then fails in the worker.
        truncated = queue.submit(photo[: len(photo) * 2 // 3], FAST)
        good = queue.submit(photo, FAST)
        bad_state = wait_for(queue, truncated, timeout=60)
        good_state = wait_for(queue, good, timeout=120)
    finally:
        queue.close()
    assert bad_state["status"] == "failed" and bad_state["error"]["code"] == "corrupt_image"
    assert good_state["status"] == "done", good_state
    image = good_state["images"][0]
    assert image["delivered"] and (tmp_path / good / "out" / image["file"]).exists()
    assert queue.store.image_path(good, image["file"]).exists()
    with pytest.raises(NotFound):
        queue.store.image_path(good, "../job.json")
    with pytest.raises(NotFound):
        queue.get("not-a-job")


def test_a_crash_inside_a_job_is_recorded_not_raised(tmp_path: Path, photo: bytes) -> None:
    store = JobStore(tmp_path)
    job_id = store.create(
        photo, {"slots": ["thumbnail"], "ocr": False, "slots_file": str(tmp_path / "none.json")}
    )
    state = run_job(store, job_id)
    assert state["status"] == "failed" and "slots file not found" in state["error"]["message"]


def test_dramatiq_queue_on_real_redis(tmp_path: Path, photo: bytes, redis_url: str) -> None:
    queue = DramatiqJobQueue(redis_url, JobStore(tmp_path), namespace="studio-test")
    worker = queue.worker(threads=1)
    try:
        bad = queue.submit(photo[: len(photo) * 2 // 3], FAST)
        good = queue.submit(photo, FAST)
        bad_state = wait_for(queue, bad, timeout=90)
        good_state = wait_for(queue, good, timeout=120)
    finally:
        worker.stop()
        queue.close()
    assert bad_state["status"] == "failed"
    assert good_state["status"] == "done", good_state
    assert (tmp_path / good / "out" / "thumbnail.png").exists()
