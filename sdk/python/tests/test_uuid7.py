"""UUIDv7 event ids made with the standard library (RFC 9562)."""

from __future__ import annotations

import re
import threading
import time
import uuid
from typing import List

from sluice import uuid7
from sluice._uuid7 import uuid7_unix_ms

CANONICAL = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$")


def test_layout() -> None:
    before = time.time_ns() // 1_000_000
    value = uuid7()
    after = time.time_ns() // 1_000_000
    assert CANONICAL.match(value), value
    parsed = uuid.UUID(value)
    assert parsed.version == 7 and parsed.variant == uuid.RFC_4122
    assert before <= uuid7_unix_ms(value) <= after + 1


def test_ids_sort_in_creation_order_and_never_repeat() -> None:
    ids = [uuid7() for _ in range(20_000)]  # many per millisecond: the counter keeps them ordered
    assert ids == sorted(ids)
    assert len(set(ids)) == len(ids)


def test_unique_across_threads() -> None:
    out: List[List[str]] = [[] for _ in range(4)]

    def work(n: int) -> None:
        out[n].extend(uuid7() for _ in range(5_000))

    threads = [threading.Thread(target=work, args=(n,)) for n in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    every = [i for part in out for i in part]
    assert len(set(every)) == len(every)
    for part in out:
        assert part == sorted(part)
