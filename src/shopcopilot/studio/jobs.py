"""Background studio jobs behind one small interface, `JobQueue`, with two implementations:

- `EmbeddedJobQueue`: a thread pool inside the API process (the default; nothing else to run);
- `DramatiqJobQueue`: dramatiq on Redis (`SHOPCOPILOT_REDIS_URL`), so workers on many machines share the work
  (`shopcopilot studio worker`).
Job state is files, not a table: `<var>/studio/jobs/<id>/job.json` (written atomically) next to the upload and
the outputs, because the images have to live on a disk anyway; with several machines that folder is shared storage.
A job that fails (bad photo, a product that fails fidelity, a crash) records why; the queue keeps serving others.
"""

from __future__ import annotations

import json
import logging
import os
import threading
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

from shopcopilot.config import settings, var_dir
from shopcopilot.errors import NotFound, ShopcopilotError
from shopcopilot.studio.images import probe

log = logging.getLogger(__name__)

STATUSES = ("queued", "running", "done", "failed")


def _job_id_ok(job_id: str) -> bool:
    return len(job_id) == 32 and all(c in "0123456789abcdef" for c in job_id)


@dataclass
class JobStore:
    root: Path

    @classmethod
    def default(cls) -> JobStore:
        return cls(var_dir() / "studio" / "jobs")

    def folder(self, job_id: str) -> Path:
        if not _job_id_ok(job_id):
            raise NotFound(f"no studio job {job_id!r}", code="job_not_found")
        return self.root / job_id

    def create(
        self, photo: bytes, options: dict, background: bytes | None = None, owner: str | None = None
    ) -> str:
        job_id = uuid.uuid4().hex
        folder = self.root / job_id
        folder.mkdir(parents=True)
        (folder / "input.bin").write_bytes(photo)
        if background is not None:
            (folder / "background.bin").write_bytes(background)
        self.write(
            job_id,
            {
                "id": job_id,
                "status": "queued",
                "owner": owner,
                "options": options,
                "created_at": time.time(),
                "images": [],
                "error": None,
            },
        )
        return job_id

    def write(self, job_id: str, state: dict) -> None:
        path = self.folder(job_id) / "job.json"
        tmp = path.with_suffix(f".{uuid.uuid4().hex[:8]}.tmp")
        tmp.write_text(json.dumps(state, indent=2, ensure_ascii=False), encoding="utf-8")
        os.replace(tmp, path)  # readers never see a half-written file

    def read(self, job_id: str) -> dict:
        path = self.folder(job_id) / "job.json"
        if not path.exists():
            raise NotFound(f"no studio job {job_id!r}", code="job_not_found")
        return json.loads(path.read_text(encoding="utf-8"))

    def update(self, job_id: str, **changes) -> dict:
        state = self.read(job_id)
        state.update(changes)
        self.write(job_id, state)
        return state

    def image_path(self, job_id: str, name: str) -> Path:
        state = self.read(job_id)
        files = {image["file"] for image in state.get("images", []) if image.get("file")}
        files |= {f"{image['slot']}.report.json" for image in state.get("images", [])}
        if name not in files:
            raise NotFound(f"job {job_id} has no image {name!r}", code="image_not_found")
        return self.folder(job_id) / "out" / name


def run_job(store: JobStore, job_id: str) -> dict:
    """Render one job and record the outcome. Never raises: a failure is the job's status, not the worker's."""
    from shopcopilot.studio.pipeline import RenderOptions, render, write_outputs

    state = store.update(job_id, status="running", started_at=time.time())
    folder = store.folder(job_id)
    try:
        options = RenderOptions.from_dict(state["options"])
        background = folder / "background.bin"
        result = render(folder / "input.bin", options, background=background if background.exists() else None)
        write_outputs(result, folder / "out")
        images = [
            {
                "slot": item.slot.name,
                "file": item.report.get("file"),
                "delivered": item.delivered,
                "faithful": item.report["faithful"],
                "reasons": item.report["reasons"],
            }
            for item in result.results
        ]
        delivered = [image for image in images if image["delivered"]]
        error = (
            None
            if delivered
            else {
                "code": "fidelity_failed",
                "message": "no output passed the fidelity check; see each image's reasons",
            }
        )
        return store.update(
            job_id,
            status="done" if delivered else "failed",
            images=images,
            error=error,
            timings={k: round(v, 4) for k, v in result.timings.items()},
            finished_at=time.time(),
        )
    except ShopcopilotError as exc:
        return store.update(
            job_id, status="failed", error={"code": exc.code, "message": exc.message}, finished_at=time.time()
        )
    except Exception as exc:  # a crash in one job must not take the worker down with it
        log.exception("studio job %s crashed", job_id)
        return store.update(
            job_id,
            status="failed",
            finished_at=time.time(),
            error={"code": "internal_error", "message": f"{type(exc).__name__}: {exc}"},
        )


class JobQueue(Protocol):
    store: JobStore

    def submit(
        self, photo: bytes, options: dict, background: bytes | None = None, owner: str | None = None
    ) -> str:
        """Validate cheaply (refuse bad uploads now, with a 4xx), store, enqueue; returns the job id."""

    def get(self, job_id: str) -> dict: ...

    def close(self) -> None: ...


def _validate(photo: bytes, options: dict, background: bytes | None) -> None:
    from shopcopilot.studio.pipeline import RenderOptions

    probe(photo)
    if background is not None:
        probe(background)
    parsed = RenderOptions.from_dict(options)
    if parsed.scene.kind == "photo" and background is None:
        from shopcopilot.errors import InvalidInput

        raise InvalidInput("scene 'photo' needs a background photo upload", code="bad_scene")


class EmbeddedJobQueue:
    def __init__(self, store: JobStore | None = None, workers: int = 1) -> None:
        self.store = store or JobStore.default()
        self.pool = ThreadPoolExecutor(max_workers=workers, thread_name_prefix="studio")

    def submit(
        self, photo: bytes, options: dict, background: bytes | None = None, owner: str | None = None
    ) -> str:
        _validate(photo, options, background)
        job_id = self.store.create(photo, options, background, owner)
        self.pool.submit(run_job, self.store, job_id)
        return job_id

    def get(self, job_id: str) -> dict:
        return self.store.read(job_id)

    def close(self) -> None:
        self.pool.shutdown(wait=True)


class DramatiqJobQueue:
    def __init__(
        self, redis_url: str, store: JobStore | None = None, namespace: str = "shopcopilot-studio"
    ) -> None:
        import dramatiq
        from dramatiq.brokers.redis import RedisBroker

        self.store = store or JobStore.default()
        self.broker = RedisBroker(url=redis_url, namespace=namespace)
        store_ref = self.store

        def studio_render(job_id: str) -> None:
            run_job(store_ref, job_id)

        self.actor = dramatiq.actor(
            studio_render,
            broker=self.broker,
            actor_name="studio_render",
            queue_name="studio",
            max_retries=0,
            time_limit=15 * 60 * 1000,
        )

    def submit(
        self, photo: bytes, options: dict, background: bytes | None = None, owner: str | None = None
    ) -> str:
        _validate(photo, options, background)
        job_id = self.store.create(photo, options, background, owner)
        self.actor.send(job_id)
        return job_id

    def get(self, job_id: str) -> dict:
        return self.store.read(job_id)

    def worker(self, threads: int = 1):
        """A started dramatiq worker consuming this queue in this process; call `.stop()` when done."""
        from dramatiq import Worker

        worker = Worker(self.broker, worker_threads=threads, worker_timeout=200)
        worker.start()
        return worker

    def close(self) -> None:
        self.broker.close()


_lock = threading.Lock()
_queue: JobQueue | None = None


def job_queue() -> JobQueue:
    """The process's queue: Redis/dramatiq when SHOPCOPILOT_REDIS_URL is set, else the embedded pool."""
    global _queue
    with _lock:
        if _queue is None:
            redis_url = settings().redis_url
            _queue = DramatiqJobQueue(redis_url) if redis_url else EmbeddedJobQueue()
        return _queue


def wait_for(queue: JobQueue, job_id: str, timeout: float = 120.0, poll: float = 0.1) -> dict:
    """Poll until the job is done or failed (CLI and tests)."""
    deadline = time.monotonic() + timeout
    while True:
        state = queue.get(job_id)
        if state["status"] in ("done", "failed") or time.monotonic() > deadline:
            return state
        time.sleep(poll)
