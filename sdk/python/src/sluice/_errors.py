from __future__ import annotations

from typing import Any, Dict, List, Optional, Sequence

# Codes the SDK itself reports (the server's codes are SLUICE_ERR_*; see docs/errors.md).
RETRIES_EXHAUSTED = "SLUICE_SDK_RETRIES_EXHAUSTED"
"""A retryable failure (5xx, 429, network error) persisted through every retry."""
SHUTDOWN_TIMEOUT = "SLUICE_SDK_SHUTDOWN_TIMEOUT"
"""``shutdown()`` (or the atexit flush) reached its deadline before these events were delivered."""
EVENT_UNSERIALIZABLE = "SLUICE_SDK_EVENT_UNSERIALIZABLE"
"""The event holds a value that cannot be encoded as JSON (e.g. an arbitrary object, NaN)."""
QUEUE_FULL = "SLUICE_SDK_QUEUE_FULL"
"""The queue held ``max_queue`` events: the oldest were dropped to make room (see ``Client.dropped``)."""
BEFORE_SEND_FAILED = "SLUICE_SDK_BEFORE_SEND_FAILED"
"""The ``before_send`` hook raised; the event was dropped rather than sent unfiltered."""


class SluiceError(Exception):
    """An event (or a batch of events) that was not stored. Passed to ``on_error``; never raised
    by the capture methods.

    ``code`` is the server's ``SLUICE_ERR_*`` code when the server answered, else one of the
    ``SLUICE_SDK_*`` codes. ``events`` are the affected events as they were sent.
    """

    def __init__(
        self,
        code: str,
        message: str,
        *,
        status: Optional[int] = None,
        events: Sequence[Dict[str, Any]] = (),
    ) -> None:
        super().__init__(f"{code}: {message}")
        self.code = code
        self.message = message
        self.status = status
        self.events: List[Dict[str, Any]] = list(events)


class EventRejected(SluiceError):
    """The server answered 200 but rejected this one event (it failed validation and was put in
    quarantine). Not retried: the same event would be rejected again."""

    def __init__(
        self,
        code: str,
        message: str,
        *,
        pointer: str,
        index: int,
        event_id: Optional[str],
        event: Dict[str, Any],
    ) -> None:
        super().__init__(code, message, status=200, events=[event])
        self.pointer = pointer
        self.index = index
        self.event_id = event_id
        self.event = event


class DeliveryFailed(SluiceError):
    """A whole request failed: a non-retryable HTTP error (4xx other than 429), retries exhausted,
    or the shutdown deadline. None of ``events`` was acknowledged."""
