"""UUIDv7 (RFC 9562) event ids, generated locally with the standard library.

Layout: 48 bits of Unix time in milliseconds, version 7, a 12-bit counter (``rand_a``, seeded at
random each millisecond and incremented within it, so ids made by one process sort in creation
order), the RFC 4122 variant and 62 random bits (``rand_b``).
"""

from __future__ import annotations

import os
import threading
import time
import uuid

_lock = threading.Lock()
_last_ms = 0
_counter = 0

_MAX_COUNTER = 0xFFF
_SEED_MASK = 0x7FF  # seed in the lower half so a millisecond has room for >= 2048 ids before borrowing


def uuid7() -> str:
    """Return a new UUIDv7 in canonical lower-case 36-character form."""
    global _last_ms, _counter
    with _lock:
        now_ms = time.time_ns() // 1_000_000
        if now_ms > _last_ms:
            _last_ms = now_ms
            _counter = int.from_bytes(os.urandom(2), "big") & _SEED_MASK
        else:
            # Same millisecond (or the clock went back): keep counting from the last id.
            _counter += 1
            if _counter > _MAX_COUNTER:
                _last_ms += 1  # borrow the next millisecond rather than lose ordering
                _counter = int.from_bytes(os.urandom(2), "big") & _SEED_MASK
        ms = _last_ms
        counter = _counter
    rand_b = int.from_bytes(os.urandom(8), "big") & ((1 << 62) - 1)
    value = ((ms & 0xFFFF_FFFF_FFFF) << 80) | (0x7 << 76) | (counter << 64) | (0b10 << 62) | rand_b
    return str(uuid.UUID(int=value))


def uuid7_unix_ms(value: str) -> int:
    """The Unix time in milliseconds stored in a UUIDv7."""
    return uuid.UUID(value).int >> 80
