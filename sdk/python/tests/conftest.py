"""Fixtures for the Python SDK suite. Every test that sends events talks to the REAL ingest server,
started once per session by the `server` fixture (`node packages/cli/src/main.ts serve`, embedded
DuckDB in a temporary directory); faults are injected by a small proxy in front of it.

Run from the repository root (after `npm ci`):
    python -m pytest sdk/python/tests -q -p no:cacheprovider
"""

from __future__ import annotations

import sys
import uuid
from typing import Any, Callable, Dict, Iterator, List

import pytest

from _support import PY_KEY, SDK_SRC, FaultProxy, SluiceServer, event_validators

# Test the source tree, whether or not the package is also installed.
sys.path.insert(0, str(SDK_SRC))

import sluice  # noqa: E402


@pytest.fixture(scope="session")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SluiceServer]:
    srv = SluiceServer(tmp_path_factory.mktemp("sluice-server"))
    srv.start()
    try:
        yield srv
    finally:
        srv.stop()


@pytest.fixture()
def proxy(server: SluiceServer) -> Iterator[FaultProxy]:
    p = FaultProxy(server.url)
    try:
        yield p
    finally:
        p.close()


@pytest.fixture()
def user_id(request: pytest.FixtureRequest) -> str:
    """A user id no other test uses, to read back just this test's events."""
    return f"py-{request.node.name[:60]}-{uuid.uuid4().hex[:8]}"


@pytest.fixture()
def errors() -> List[sluice.SluiceError]:
    return []


@pytest.fixture()
def make_client(errors: List[sluice.SluiceError]) -> Iterator[Callable[..., sluice.Client]]:
    """Clients with test-friendly defaults (fast retries, no atexit hook, errors collected in
    `errors`); each is shut down after the test."""
    clients: List[sluice.Client] = []

    def make(endpoint: str, write_key: str = PY_KEY, **options: Any) -> sluice.Client:
        settings: Dict[str, Any] = {
            "flush_at": 20,
            "flush_interval": 0.2,
            "retry_base_delay": 0.01,
            "retry_max_delay": 0.05,
            "timeout": 5.0,
            "flush_at_exit": False,
            "on_error": errors.append,
        }
        settings.update(options)
        client = sluice.Client(endpoint, write_key, **settings)
        clients.append(client)
        return client

    yield make
    for client in clients:
        client.shutdown(timeout=2)


@pytest.fixture(scope="session")
def validate_event() -> Callable[[Any], List[Any]]:
    return event_validators()
