"""Bounded queue, opt-out, flush / shutdown deadlines, and the atexit flush of a process that exits
without calling shutdown()."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
import threading
import time
from typing import Callable, List

import pytest

import sluice
from _support import PY_KEY, SDK_SRC, Fault, FaultProxy, SluiceServer, free_port

MakeClient = Callable[..., sluice.Client]


def test_bounded_queue_drops_the_oldest(server: SluiceServer, proxy: FaultProxy, make_client: MakeClient,
                                        errors: List[sluice.SluiceError], user_id: str) -> None:
    client = make_client(proxy.url, max_queue=5, flush_at=1000, flush_interval=60)
    for i in range(8):
        client.track(f"e{i}", user_id=user_id)
    assert client.dropped == 3 and client.queue_size == 5
    assert [(e.code, [d["name"] for d in e.events]) for e in errors] == [
        (sluice.QUEUE_FULL, ["e0"]), (sluice.QUEUE_FULL, ["e1"]), (sluice.QUEUE_FULL, ["e2"])]
    assert proxy.batches() == []
    assert client.flush(timeout=5)
    assert [r["event"]["name"] for r in server.events(user_id=user_id)] == ["e3", "e4", "e5", "e6", "e7"]
    assert client.stats()["dropped"] == 3


def test_queue_stays_bounded_while_the_server_is_down(proxy: FaultProxy, make_client: MakeClient, user_id: str) -> None:
    proxy.fail(*[Fault("status", 503, {"Retry-After": "1"})] * 3)
    client = make_client(proxy.url, max_queue=10, flush_at=2)
    for i in range(100):
        client.track(f"e{i}", user_id=user_id)
    assert client.queue_size <= 10
    assert client.dropped >= 88  # 100 - 10 queued - at most 2 in flight


def test_opt_out_sends_nothing(server: SluiceServer, proxy: FaultProxy, make_client: MakeClient, user_id: str) -> None:
    client = make_client(proxy.url, disabled=True, flush_at=1)
    gid = client.generation(model="m", input=[], output=[], user_id=user_id)
    client.track("a", user_id=user_id)
    assert isinstance(gid, str) and client.opted_out
    assert client.flush(timeout=2) and client.queue_size == 0

    client.opt_in()
    client2 = make_client(proxy.url, flush_at=1000, flush_interval=60)
    client2.track("queued-then-opted-out", user_id=user_id)
    client2.opt_out()  # discards what is queued
    client2.track("after-opt-out", user_id=user_id)
    assert client2.flush(timeout=2)
    time.sleep(0.3)
    assert proxy.batches() == [] and server.events(user_id=user_id) == []

    client.track("after-opt-in", user_id=user_id)
    assert client.flush(timeout=5)
    assert [r["event"]["name"] for r in server.events(user_id=user_id)] == ["after-opt-in"]


def test_shutdown_flushes_everything_queued(server: SluiceServer, make_client: MakeClient, user_id: str) -> None:
    client = make_client(server.url, flush_at=1000, flush_interval=60)
    for i in range(25):
        client.track(f"e{i}", user_id=user_id)
    started = time.monotonic()
    assert client.shutdown(timeout=5) is True
    assert time.monotonic() - started < 3
    assert len(server.events(user_id=user_id)) == 25
    client.track("after-shutdown", user_id=user_id)  # ignored, not raised
    assert client.shutdown(timeout=1) is True  # idempotent
    assert len(server.events(user_id=user_id)) == 25


def test_shutdown_keeps_its_deadline_when_the_server_keeps_failing(
    proxy: FaultProxy, make_client: MakeClient, errors: List[sluice.SluiceError], user_id: str,
) -> None:
    proxy.fail(*[Fault("status", 503, {"Retry-After": "30"})] * 10)
    client = make_client(proxy.url, flush_at=2, flush_interval=60)
    for i in range(5):
        client.track(f"e{i}", user_id=user_id)
    proxy.wait_for_requests(1)
    started = time.monotonic()
    assert client.shutdown(timeout=1.0) is False
    assert time.monotonic() - started < 2.0
    assert {e.code for e in errors} == {sluice.SHUTDOWN_TIMEOUT}
    assert sum(len(e.events) for e in errors) == 5, "every undelivered event is reported"


def test_shutdown_keeps_its_deadline_when_the_server_hangs(
    proxy: FaultProxy, make_client: MakeClient, user_id: str,
) -> None:
    proxy.fail(Fault("delay", seconds=5))
    client = make_client(proxy.url, flush_at=1, timeout=30)
    client.track("slow", user_id=user_id)
    proxy.wait_for_requests(1)
    started = time.monotonic()
    assert client.shutdown(timeout=0.5) is False
    assert time.monotonic() - started < 1.5


def test_flush_timeout(proxy: FaultProxy, make_client: MakeClient, user_id: str) -> None:
    proxy.fail(Fault("delay", seconds=1))
    client = make_client(proxy.url)
    client.track("slow", user_id=user_id)
    started = time.monotonic()
    assert client.flush(timeout=0.3) is False
    assert time.monotonic() - started < 1.0
    assert client.flush(timeout=5) is True


def test_flush_from_many_threads(server: SluiceServer, make_client: MakeClient, user_id: str) -> None:
    client = make_client(server.url, flush_at=7, flush_interval=60)

    def work(n: int) -> None:
        for i in range(50):
            client.track("t", {"thread": n, "i": i}, user_id=user_id)
        assert client.flush(timeout=10)

    threads = [threading.Thread(target=work, args=(n,)) for n in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    rows = server.events(user_id=user_id)
    assert len(rows) == 200 and len({r["event_id"] for r in rows}) == 200


def run_python(code: str, timeout: float = 30) -> "subprocess.CompletedProcess[str]":
    env = {**os.environ, "PYTHONPATH": str(SDK_SRC)}
    return subprocess.run([sys.executable, "-c", textwrap.dedent(code)], env=env, capture_output=True,
                          text=True, timeout=timeout)


def test_atexit_flush_when_the_program_never_calls_shutdown(server: SluiceServer, user_id: str) -> None:
    result = run_python(f"""
        import sluice
        client = sluice.Client({server.url!r}, {PY_KEY!r}, flush_at=1000, flush_interval=60)
        for i in range(5):
            client.track("e%d" % i, user_id={user_id!r})
        print("exiting with", client.queue_size, "queued")
    """)
    assert result.returncode == 0, result.stderr
    assert "exiting with 5 queued" in result.stdout
    assert [r["event"]["name"] for r in server.events(user_id=user_id)] == [f"e{i}" for i in range(5)]


def test_atexit_flush_after_sys_exit_from_a_thread_heavy_program(server: SluiceServer, user_id: str) -> None:
    result = run_python(f"""
        import sys, threading, sluice
        client = sluice.Client({server.url!r}, {PY_KEY!r}, flush_at=1000, flush_interval=60)
        def work(n):
            for i in range(10):
                client.track("t", {{"n": n, "i": i}}, user_id={user_id!r})
        threads = [threading.Thread(target=work, args=(n,)) for n in range(3)]
        [t.start() for t in threads]; [t.join() for t in threads]
        sys.exit(3)
    """)
    assert result.returncode == 3, result.stderr
    assert len(server.events(user_id=user_id)) == 30


def test_atexit_flush_is_bounded_when_the_server_is_unreachable(user_id: str) -> None:
    started = time.monotonic()
    result = run_python(f"""
        import sluice
        client = sluice.Client("http://127.0.0.1:{free_port()}", {PY_KEY!r}, flush_interval=60,
                               shutdown_timeout=1.0, retry_base_delay=5)
        client.track("lost", user_id={user_id!r})
    """)
    elapsed = time.monotonic() - started
    assert result.returncode == 0, result.stderr
    assert elapsed < 5, elapsed
    assert "SLUICE_SDK_SHUTDOWN_TIMEOUT" in result.stderr  # reported (logged: no on_error handler)


@pytest.mark.skipif(not hasattr(os, "fork"), reason="needs os.fork")
def test_a_forked_child_sends_its_own_events_only(server: SluiceServer, user_id: str) -> None:
    result = run_python(f"""
        import os, sluice
        client = sluice.Client({server.url!r}, {PY_KEY!r}, flush_at=1000, flush_interval=60)
        client.track("parent-before-fork", user_id={user_id!r})
        pid = os.fork()
        if pid == 0:
            client.track("child", user_id={user_id!r})
            ok = client.shutdown(timeout=5)
            os._exit(0 if ok else 1)
        _, status = os.waitpid(pid, 0)
        assert os.waitstatus_to_exitcode(status) == 0
        client.track("parent-after-fork", user_id={user_id!r})
        assert client.shutdown(timeout=5)
    """)
    assert result.returncode == 0, result.stderr
    names = sorted(r["event"]["name"] for r in server.events(user_id=user_id))
    assert names == ["child", "parent-after-fork", "parent-before-fork"]
