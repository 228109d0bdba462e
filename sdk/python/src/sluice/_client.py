"""The Sluice client: builds events, queues them, and delivers them in batches from a background
thread. Standard library only."""

from __future__ import annotations

import atexit
import collections
import dataclasses
import datetime as _dt
import decimal
import gzip as _gzip
import json
import logging
import os
import random
import threading
import time
import uuid
import weakref
from typing import (
    Any,
    Callable,
    Deque,
    Dict,
    List,
    Literal,
    Mapping,
    NamedTuple,
    Optional,
    Sequence,
    Tuple,
    Union,
)

from . import _errors
from ._errors import DeliveryFailed, EventRejected, SluiceError
from ._transport import NetworkError, Response, post, retry_after_seconds
from ._uuid7 import uuid7
from ._version import SDK_NAME, __version__

logger = logging.getLogger("sluice")

Event = Dict[str, Any]
"""An event as sent to ``POST /v1/batch`` (see schemas/v1)."""
Timestamp = Union[str, _dt.datetime]
"""An RFC 3339 string with an offset, or a datetime (naive datetimes are taken as local time)."""
Value = Union[str, int, float, bool]
Message = Mapping[str, Any]
"""A chat message in the OpenAI shape: ``{"role": "user", "content": "..."}``."""
Target = Mapping[str, str]
"""``{"generation_id": ...}`` or ``{"session_id": ...}`` (exactly one)."""
FeedbackKind = Literal["thumbs", "rating", "comment", "correction"]
OutcomeKind = Literal[
    "accepted",
    "rejected",
    "edited",
    "regenerated",
    "copied",
    "resolved",
    "escalated",
    "abandoned",
    "task_success",
    "task_failure",
]
ConsentScope = Literal["training", "analytics"]
ErrorHandler = Callable[[SluiceError], None]
BeforeSend = Callable[[Event], Optional[Event]]

MAX_EVENTS_PER_REQUEST = 1000  # the server's default SLUICE_MAX_EVENTS_PER_BATCH
MAX_RETRY_AFTER = 300.0  # a Retry-After longer than this is treated as this


class _Item(NamedTuple):
    seq: int
    data: bytes  # the event, JSON-encoded (UTF-8)
    enqueued_at: float  # time.monotonic()


class Client:
    """Sends events to a Sluice ingest server.

    Capture methods (``generation``, ``feedback``, ``outcome``, ``consent``, ``track``,
    ``erasure_request``, ``capture``) only build the event and put it on an in-memory queue; they
    never block on the network and never raise for delivery problems. A background thread sends
    the queue in batches: when ``flush_at`` events are waiting, when the oldest has waited
    ``flush_interval`` seconds, on ``flush()``, and on ``shutdown()`` (also run at interpreter
    exit). Failures are reported to ``on_error``.

    Args:
        endpoint: Base URL of the ingest server, e.g. ``"https://sluice.example.com"``
            (``/v1/batch`` is appended; a URL already ending in ``/v1/batch`` is used as is).
        write_key: The source's write key (``Authorization: Bearer``).
        flush_at: Send as soon as this many events are queued; also the most events in one
            request (capped at 1000, the server's limit).
        flush_interval: Seconds the oldest queued event may wait before a send.
        max_queue: Most events held in memory; beyond it the oldest are dropped and counted in
            ``dropped``.
        max_batch_bytes: Most bytes of (uncompressed) JSON events in one request. An event larger
            than this is sent on its own.
        gzip: Compress request bodies (``Content-Encoding: gzip``).
        timeout: Seconds for one HTTP request.
        max_retries: Retries of one request after a 5xx, 429 or network error (so at most
            ``max_retries + 1`` attempts); then its events are reported and dropped.
        retry_base_delay, retry_max_delay: Exponential backoff with full jitter: before retry
            ``n`` wait ``uniform(0, min(retry_max_delay, retry_base_delay * 2**(n-1)))`` seconds,
            but never less than the server's ``Retry-After``.
        on_error: Called with an ``EventRejected`` for each event the server rejected (not
            retried), and a ``DeliveryFailed`` for events that were not stored: a request that
            failed for good, the shutdown deadline, an event dropped from a full queue (these three
            on the background thread), or an event that ``before_send`` or JSON encoding failed on
            (on the capturing thread). Exceptions it raises are logged and ignored. Without a
            handler, failures are logged as warnings (queue overflow once per episode).
        before_send: Called with each event before it is queued; return the event (possibly
            changed) to send it, or ``None`` to drop it (e.g. redaction, sampling).
        disabled: Start opted out: nothing is queued or sent (see ``opt_out()``).
        debug: Log every step at DEBUG on the ``sluice`` logger (a stderr handler is added if the
            logger has none).
        context: Merged into every event's ``context`` (e.g. ``{"app_version": "1.4.2"}``). The SDK
            sets ``context.sdk`` to ``{"name": "sluice-python", "version": ...}`` unless the
            event's or the client's context has its own ``sdk``.
        anonymous_id: Default ``anonymous_id`` for events given neither ``user_id`` nor
            ``anonymous_id`` (e.g. a device or installation id).
        shutdown_timeout: Deadline in seconds of the flush run at interpreter exit.
        flush_at_exit: Register that exit flush with ``atexit``.
    """

    def __init__(
        self,
        endpoint: str,
        write_key: str,
        *,
        flush_at: int = 20,
        flush_interval: float = 5.0,
        max_queue: int = 10_000,
        max_batch_bytes: int = 512 * 1024,
        gzip: bool = True,
        timeout: float = 10.0,
        max_retries: int = 8,
        retry_base_delay: float = 0.5,
        retry_max_delay: float = 30.0,
        on_error: Optional[ErrorHandler] = None,
        before_send: Optional[BeforeSend] = None,
        disabled: bool = False,
        debug: bool = False,
        context: Optional[Mapping[str, Any]] = None,
        anonymous_id: Optional[str] = None,
        shutdown_timeout: float = 5.0,
        flush_at_exit: bool = True,
    ) -> None:
        if not endpoint.startswith(("http://", "https://")):
            raise ValueError(f"endpoint must be an http:// or https:// URL, got {endpoint!r}")
        if not write_key:
            raise ValueError("write_key is required")
        if flush_at < 1 or max_queue < 1 or max_batch_bytes < 1:
            raise ValueError("flush_at, max_queue and max_batch_bytes must be >= 1")
        if flush_interval <= 0 or timeout <= 0:
            raise ValueError("flush_interval and timeout must be > 0")
        if max_retries < 0 or retry_base_delay < 0 or retry_max_delay < 0:
            raise ValueError("max_retries, retry_base_delay and retry_max_delay must be >= 0")
        base = endpoint.rstrip("/")
        self.url = base if base.endswith("/v1/batch") else base + "/v1/batch"
        self._write_key = write_key
        self.flush_at = flush_at
        self.flush_interval = float(flush_interval)
        self.max_queue = max_queue
        self.max_batch_bytes = max_batch_bytes
        self.gzip = gzip
        self.timeout = float(timeout)
        self.max_retries = max_retries
        self.retry_base_delay = float(retry_base_delay)
        self.retry_max_delay = float(retry_max_delay)
        self.on_error = on_error
        self.before_send = before_send
        self.shutdown_timeout = float(shutdown_timeout)
        self._context: Dict[str, Any] = dict(context or {})
        self._anonymous_id = anonymous_id
        self._disabled = disabled
        self._batch_events = min(flush_at, MAX_EVENTS_PER_REQUEST)

        # Re-entrant: a capture can run inside another one on the same thread (e.g. the openai
        # wrapper recording from a stream's finalizer during garbage collection).
        self._cond = threading.Condition(threading.RLock())
        self._queue: Deque[_Item] = collections.deque()
        self._seq = 0  # seq of the last event enqueued
        self._flush_upto = 0  # events with seq <= this are sent regardless of flush_at
        self._inflight_min: Optional[int] = None  # smallest seq in the batch being delivered
        self._closing = False  # shutdown() was called: drain, then stop
        self._closed = False  # no more events accepted
        self._deadline = float("inf")  # monotonic deadline of the shutdown drain
        self._thread: Optional[threading.Thread] = None
        self._pid = os.getpid()
        self._overflowing = False
        self._warned_closed = False
        self._stats: Dict[str, int] = {
            "queued": 0,
            "accepted": 0,
            "duplicates": 0,
            "rejected": 0,
            "failed": 0,
            "dropped": 0,
            "filtered": 0,
            "requests": 0,
            "retries": 0,
        }

        if debug:
            logger.setLevel(logging.DEBUG)
            if not logger.handlers:
                handler = logging.StreamHandler()
                handler.setFormatter(logging.Formatter("%(asctime)s sluice %(levelname)s %(message)s"))
                logger.addHandler(handler)
        self._atexit_registered = False
        if flush_at_exit:
            atexit.register(self._flush_at_exit)
            self._atexit_registered = True
        _live_clients.add(self)

    # ------------------------------------------------------------------ capture methods

    def generation(
        self,
        *,
        model: str,
        input: Sequence[Message],
        output: Sequence[Message],
        generation_id: Optional[str] = None,
        provider: Optional[str] = None,
        finish_reason: Optional[str] = None,
        tools: Optional[Sequence[Mapping[str, Any]]] = None,
        params: Optional[Mapping[str, Any]] = None,
        usage: Optional[Mapping[str, int]] = None,
        latency_ms: Optional[float] = None,
        user_id: Optional[str] = None,
        anonymous_id: Optional[str] = None,
        session_id: Optional[str] = None,
        trace_id: Optional[str] = None,
        parent_id: Optional[str] = None,
        context: Optional[Mapping[str, Any]] = None,
        properties: Optional[Mapping[str, Any]] = None,
        event_id: Optional[str] = None,
        occurred_at: Optional[Timestamp] = None,
    ) -> str:
        """Record one model call. Returns its ``generation_id`` (a new UUIDv7 unless given), which
        ``feedback`` and ``outcome`` refer to."""
        gid = generation_id if generation_id is not None else uuid7()
        fields: Dict[str, Any] = {
            "generation_id": gid,
            "model": model,
            "provider": provider,
            "input": list(input),
            "output": list(output),
            "finish_reason": finish_reason,
            "tools": None if tools is None else list(tools),
            "params": params,
            "usage": usage,
            "latency_ms": latency_ms,
        }
        self._capture(
            "generation", fields, properties, user_id, anonymous_id, session_id, trace_id, parent_id,
            context, event_id, occurred_at,
        )
        return gid

    def feedback(
        self,
        *,
        kind: FeedbackKind,
        target: Optional[Target] = None,
        generation_id: Optional[str] = None,
        value: Optional[Value] = None,
        comment: Optional[str] = None,
        correction: Optional[str] = None,
        user_id: Optional[str] = None,
        anonymous_id: Optional[str] = None,
        session_id: Optional[str] = None,
        trace_id: Optional[str] = None,
        parent_id: Optional[str] = None,
        context: Optional[Mapping[str, Any]] = None,
        properties: Optional[Mapping[str, Any]] = None,
        event_id: Optional[str] = None,
        occurred_at: Optional[Timestamp] = None,
    ) -> str:
        """Record what a user said about a generation (``generation_id=`` or
        ``target={"generation_id": ...}``) or a session (``target={"session_id": ...}``).
        ``thumbs`` and ``rating`` need ``value``, ``comment`` needs ``comment``, ``correction``
        needs ``correction``. Returns the event id."""
        fields: Dict[str, Any] = {
            "target": _target(target, generation_id),
            "kind": kind,
            "value": value,
            "comment": comment,
            "correction": correction,
        }
        return self._capture(
            "feedback", fields, properties, user_id, anonymous_id, session_id, trace_id, parent_id,
            context, event_id, occurred_at,
        )

    def outcome(
        self,
        *,
        kind: OutcomeKind,
        target: Optional[Target] = None,
        generation_id: Optional[str] = None,
        final_text: Optional[str] = None,
        value: Optional[Value] = None,
        user_id: Optional[str] = None,
        anonymous_id: Optional[str] = None,
        session_id: Optional[str] = None,
        trace_id: Optional[str] = None,
        parent_id: Optional[str] = None,
        context: Optional[Mapping[str, Any]] = None,
        properties: Optional[Mapping[str, Any]] = None,
        event_id: Optional[str] = None,
        occurred_at: Optional[Timestamp] = None,
    ) -> str:
        """Record what happened to a generation or session (accepted, edited, resolved, ...).
        Returns the event id."""
        fields: Dict[str, Any] = {
            "target": _target(target, generation_id),
            "kind": kind,
            "final_text": final_text,
            "value": value,
        }
        return self._capture(
            "outcome", fields, properties, user_id, anonymous_id, session_id, trace_id, parent_id,
            context, event_id, occurred_at,
        )

    def consent(
        self,
        *,
        scope: ConsentScope,
        granted: bool,
        user_id: Optional[str] = None,
        anonymous_id: Optional[str] = None,
        session_id: Optional[str] = None,
        trace_id: Optional[str] = None,
        parent_id: Optional[str] = None,
        context: Optional[Mapping[str, Any]] = None,
        properties: Optional[Mapping[str, Any]] = None,
        event_id: Optional[str] = None,
        occurred_at: Optional[Timestamp] = None,
    ) -> str:
        """Record that a user granted or revoked consent for ``training`` or ``analytics``.
        Returns the event id."""
        fields: Dict[str, Any] = {"scope": scope, "granted": granted}
        return self._capture(
            "consent", fields, properties, user_id, anonymous_id, session_id, trace_id, parent_id,
            context, event_id, occurred_at,
        )

    def track(
        self,
        name: str,
        properties: Optional[Mapping[str, Any]] = None,
        *,
        user_id: Optional[str] = None,
        anonymous_id: Optional[str] = None,
        session_id: Optional[str] = None,
        trace_id: Optional[str] = None,
        parent_id: Optional[str] = None,
        context: Optional[Mapping[str, Any]] = None,
        event_id: Optional[str] = None,
        occurred_at: Optional[Timestamp] = None,
    ) -> str:
        """Record any other product event (``checkout_completed``, ``suggestion_shown``, ...).
        Returns the event id."""
        return self._capture(
            "track", {"name": name}, properties, user_id, anonymous_id, session_id, trace_id, parent_id,
            context, event_id, occurred_at,
        )

    def erasure_request(
        self,
        *,
        user_id: str,
        reason: Optional[str] = None,
        anonymous_id: Optional[str] = None,
        session_id: Optional[str] = None,
        trace_id: Optional[str] = None,
        parent_id: Optional[str] = None,
        context: Optional[Mapping[str, Any]] = None,
        properties: Optional[Mapping[str, Any]] = None,
        event_id: Optional[str] = None,
        occurred_at: Optional[Timestamp] = None,
    ) -> str:
        """Ask Sluice to erase everything about ``user_id`` from future datasets (GDPR Art. 17).
        Returns the event id."""
        return self._capture(
            "erasure_request", {"reason": reason}, properties, user_id, anonymous_id, session_id, trace_id,
            parent_id, context, event_id, occurred_at,
        )

    def capture(self, event: Mapping[str, Any]) -> str:
        """Queue a complete event dict as is, filling in only what is missing: ``event_id``,
        ``occurred_at``, ``context.sdk`` and the default ``anonymous_id``. For event types
        without a method of their own. Returns the event id."""
        data = dict(event)
        envelope = self._envelope(
            str(data.get("type", "")),
            data.pop("user_id", None),
            data.pop("anonymous_id", None),
            data.pop("session_id", None),
            data.pop("trace_id", None),
            data.pop("parent_id", None),
            data.pop("context", None),
            data.pop("event_id", None),
            data.pop("occurred_at", None),
        )
        data.pop("type", None)
        envelope.update(data)
        return self._enqueue(envelope)

    # ------------------------------------------------------------------ control

    def flush(self, timeout: Optional[float] = None) -> bool:
        """Send everything queued so far and wait until it is delivered (or failed for good and
        reported). Returns False if ``timeout`` seconds passed first."""
        deadline = None if timeout is None else time.monotonic() + timeout
        with self._cond:
            target = self._seq
            if self._settled(target):
                return True
            if threading.current_thread() is self._thread:
                return False  # called from on_error on the worker: waiting would deadlock
            self._flush_upto = max(self._flush_upto, target)
            self._ensure_worker()
            self._cond.notify_all()
            while not self._settled(target):
                if self._thread is None or not self._thread.is_alive():
                    return self._settled(target)
                remaining = None if deadline is None else deadline - time.monotonic()
                if remaining is not None and remaining <= 0:
                    return False
                self._cond.wait(remaining if remaining is not None else 1.0)
            return True

    def shutdown(self, timeout: Optional[float] = None) -> bool:
        """Stop accepting events and deliver everything queued within ``timeout`` seconds
        (default ``shutdown_timeout``). Returns True if every queued event reached the server
        (stored, duplicate or rejected) in time; events not delivered by the deadline are
        reported to ``on_error`` as ``SLUICE_SDK_SHUTDOWN_TIMEOUT``. Safe to call more than once."""
        timeout = self.shutdown_timeout if timeout is None else timeout
        start = time.monotonic()
        with self._cond:
            failed_before = self._stats["failed"]
            self._closed = True
            if not self._closing:
                self._closing = True
                self._deadline = start + max(0.0, timeout)
                logger.debug("shutdown: %d events queued, deadline %.3fs", len(self._queue), timeout)
            else:
                self._deadline = min(self._deadline, start + max(0.0, timeout))
            if self._queue and not self._disabled:
                self._ensure_worker()
            self._cond.notify_all()
            thread = self._thread
        if thread is not None and thread is not threading.current_thread():
            thread.join(max(0.0, self._deadline - time.monotonic()))
        if self._atexit_registered:
            atexit.unregister(self._flush_at_exit)
            self._atexit_registered = False
        with self._cond:
            leftover = list(self._queue)
            self._queue.clear()
            inflight = self._inflight_min is not None
            self._cond.notify_all()
        if leftover:
            self._fail(
                leftover,
                DeliveryFailed(
                    _errors.SHUTDOWN_TIMEOUT,
                    f"{len(leftover)} events were still queued when shutdown's {timeout:g}s deadline passed",
                    events=_decode(leftover),
                ),
            )
        with self._cond:
            failed_meanwhile = self._stats["failed"] - failed_before
        ok = not leftover and not inflight and failed_meanwhile == 0
        logger.debug("shutdown %s in %.3fs", "complete" if ok else "incomplete", time.monotonic() - start)
        return ok

    def close(self) -> None:
        """Same as ``shutdown()``."""
        self.shutdown()

    def __enter__(self) -> "Client":
        return self

    def __exit__(self, *_exc: object) -> None:
        self.shutdown()

    def opt_out(self) -> None:
        """Stop capturing: queued events are discarded and nothing more is queued or sent until
        ``opt_in()``."""
        with self._cond:
            self._disabled = True
            discarded = len(self._queue)
            self._queue.clear()
            self._cond.notify_all()
        logger.debug("opted out; %d queued events discarded", discarded)

    def opt_in(self) -> None:
        """Resume capturing after ``opt_out()`` (or ``disabled=True``)."""
        with self._cond:
            self._disabled = False

    @property
    def opted_out(self) -> bool:
        return self._disabled

    @property
    def dropped(self) -> int:
        """Events dropped because the queue was full (oldest first)."""
        return self._stats["dropped"]

    @property
    def queue_size(self) -> int:
        return len(self._queue)

    def stats(self) -> Dict[str, int]:
        """Counters since start: queued, accepted, duplicates, rejected, failed, dropped,
        filtered (by ``before_send``), requests, retries."""
        with self._cond:
            return dict(self._stats)

    # ------------------------------------------------------------------ building events

    def _capture(
        self,
        type_: str,
        fields: Dict[str, Any],
        properties: Optional[Mapping[str, Any]],
        user_id: Optional[str],
        anonymous_id: Optional[str],
        session_id: Optional[str],
        trace_id: Optional[str],
        parent_id: Optional[str],
        context: Optional[Mapping[str, Any]],
        event_id: Optional[str],
        occurred_at: Optional[Timestamp],
    ) -> str:
        event = self._envelope(
            type_, user_id, anonymous_id, session_id, trace_id, parent_id, context, event_id, occurred_at,
        )
        for key, value in fields.items():
            if value is not None:
                event[key] = value
        if properties is not None:
            event["properties"] = dict(properties)
        return self._enqueue(event)

    def _envelope(
        self,
        type_: str,
        user_id: Optional[str],
        anonymous_id: Optional[str],
        session_id: Optional[str],
        trace_id: Optional[str],
        parent_id: Optional[str],
        context: Optional[Mapping[str, Any]],
        event_id: Optional[str],
        occurred_at: Optional[Timestamp],
    ) -> Event:
        if user_id is None and anonymous_id is None:
            anonymous_id = self._anonymous_id
        event: Event = {
            "event_id": event_id if event_id is not None else uuid7(),
            "type": type_,
            "occurred_at": _timestamp(occurred_at) if occurred_at is not None else _now(),
        }
        for key, value in (
            ("user_id", user_id),
            ("anonymous_id", anonymous_id),
            ("session_id", session_id),
            ("trace_id", trace_id),
            ("parent_id", parent_id),
        ):
            if value is not None:
                event[key] = value
        merged: Dict[str, Any] = {"sdk": {"name": SDK_NAME, "version": __version__}}
        merged.update(self._context)
        if context:
            merged.update(context)  # a caller's own context.sdk wins (e.g. a framework integration)
        event["context"] = merged
        return event

    def _enqueue(self, event: Event) -> str:
        event_id = str(event.get("event_id", ""))
        if self._disabled:
            return event_id
        if self.before_send is not None:
            try:
                filtered = self.before_send(event)
            except Exception as error:  # noqa: BLE001 - a hook must not break the app
                with self._cond:
                    self._stats["failed"] += 1
                self._report(DeliveryFailed(_errors.BEFORE_SEND_FAILED, f"before_send raised {error!r}", events=[event]))
                return event_id
            if filtered is None:
                with self._cond:
                    self._stats["filtered"] += 1
                return event_id
            event = filtered
        try:
            data = json.dumps(
                event, ensure_ascii=False, separators=(",", ":"), allow_nan=False, default=_json_default,
            ).encode("utf-8")
        except (TypeError, ValueError) as error:
            with self._cond:
                self._stats["failed"] += 1
            self._report(DeliveryFailed(_errors.EVENT_UNSERIALIZABLE, str(error), events=[event]))
            return event_id
        with self._cond:
            if self._disabled:
                return event_id
            if self._closed:
                if not self._warned_closed:
                    self._warned_closed = True
                    logger.warning("event captured after shutdown() was ignored (type %s)", event.get("type"))
                return event_id
            if self._pid != os.getpid():
                self._after_fork_locked()
            self._seq += 1
            self._queue.append(_Item(self._seq, data, time.monotonic()))
            self._stats["queued"] += 1
            lost: List[_Item] = []
            while len(self._queue) > self.max_queue:
                lost.append(self._queue.popleft())
                self._stats["dropped"] += 1
                if not self._overflowing:
                    self._overflowing = True
                    logger.warning("queue full (%d events): dropping the oldest events", self.max_queue)
            size = len(self._queue)
            self._ensure_worker()
            if size == 1 or size >= self.flush_at:
                self._cond.notify_all()
        logger.debug("queued %s %s (%d bytes, %d queued)", event.get("type"), event_id, len(data), size)
        if lost and self.on_error is not None:
            self._report(DeliveryFailed(
                _errors.QUEUE_FULL, f"queue full ({self.max_queue}): dropped the {len(lost)} oldest events",
                events=_decode(lost),
            ))
        return event_id

    # ------------------------------------------------------------------ the worker

    def _ensure_worker(self) -> None:
        """Start the background thread if it is not running. Call with the lock held."""
        if self._thread is not None and self._thread.is_alive():
            return
        self._thread = threading.Thread(target=self._run, name="sluice-flush", daemon=True)
        self._thread.start()

    def _after_fork_locked(self) -> None:
        # In a forked child the parent's thread does not exist and its queue is the parent's to send.
        self._pid = os.getpid()
        self._queue.clear()
        self._inflight_min = None
        self._thread = None

    def _settled(self, target: int) -> bool:
        head_done = not self._queue or self._queue[0].seq > target
        inflight_done = self._inflight_min is None or self._inflight_min > target
        return head_done and inflight_done

    def _run(self) -> None:
        logger.debug("worker started")
        while True:
            with self._cond:
                batch = self._next_batch_locked()
                while batch is None:
                    if self._closing and (not self._queue or self._disabled):
                        self._inflight_min = None
                        self._cond.notify_all()
                        logger.debug("worker stopped")
                        return
                    if self._closing and time.monotonic() >= self._deadline:
                        self._cond.notify_all()
                        return  # shutdown() reports what is left
                    self._cond.wait(self._wait_seconds_locked())
                    batch = self._next_batch_locked()
                self._inflight_min = batch[0].seq
            try:
                self._deliver(batch)
            except Exception:  # noqa: BLE001 - never let the worker die
                logger.exception("unexpected error while sending a batch")
                self._fail(batch, DeliveryFailed("SLUICE_SDK_INTERNAL", "unexpected error", events=_decode(batch)))
            with self._cond:
                self._inflight_min = None
                self._cond.notify_all()

    def _wait_seconds_locked(self) -> Optional[float]:
        if self._closing:
            return max(0.001, self._deadline - time.monotonic())
        if not self._queue:
            return None
        due = self._queue[0].enqueued_at + self.flush_interval
        return max(0.001, due - time.monotonic())

    def _next_batch_locked(self) -> Optional[List[_Item]]:
        """The next batch to send, taken off the queue, or None if nothing is due yet."""
        if not self._queue or self._disabled:
            return None
        head = self._queue[0]
        due = (
            self._closing
            or len(self._queue) >= self.flush_at
            or head.seq <= self._flush_upto
            or time.monotonic() >= head.enqueued_at + self.flush_interval
        )
        if not due:
            return None
        if self._closing and time.monotonic() >= self._deadline:
            return None
        batch: List[_Item] = []
        size = 2
        while self._queue and len(batch) < self._batch_events:
            item = self._queue[0]
            if batch and size + len(item.data) + 1 > self.max_batch_bytes:
                break
            batch.append(self._queue.popleft())
            size += len(item.data) + 1
        if not self._queue:
            self._overflowing = False
        return batch

    def _deliver(self, batch: List[_Item]) -> None:
        events_json = b",".join(item.data for item in batch)
        attempt = 0
        while True:
            if self._disabled:
                logger.debug("opted out: %d in-flight events discarded", len(batch))
                return
            body = b'{"sent_at":"' + _now().encode() + b'","events":[' + events_json + b"]}"
            headers = {
                "Authorization": f"Bearer {self._write_key}",
                "Content-Type": "application/json",
                "User-Agent": f"{SDK_NAME}/{__version__}",
            }
            if self.gzip:
                body = _gzip.compress(body, compresslevel=6)
                headers["Content-Encoding"] = "gzip"
            timeout = self.timeout
            if self._closing:
                timeout = min(timeout, max(0.05, self._deadline - time.monotonic()))
            started = time.monotonic()
            retry_after: Optional[float] = None
            with self._cond:
                self._stats["requests"] += 1
            try:
                response = post(self.url, body, headers, timeout)
            except NetworkError as error:
                reason = f"network error: {error}"
                status: Optional[int] = None
            else:
                elapsed = (time.monotonic() - started) * 1000
                logger.debug(
                    "POST %s -> %d (%d events, %d bytes, attempt %d, %.0f ms)",
                    self.url, response.status, len(batch), len(body), attempt + 1, elapsed,
                )
                if 200 <= response.status < 300:
                    self._on_success(batch, response)
                    return
                status = response.status
                server_code, server_message = _error_of(response)
                if status != 429 and status < 500:
                    # Any other 4xx will fail the same way again: report, do not retry.
                    self._fail(batch, DeliveryFailed(
                        server_code or f"HTTP_{status}", server_message or f"HTTP {status}",
                        status=status, events=_decode(batch),
                    ))
                    return
                reason = f"HTTP {status} {server_code or ''}".rstrip()
                retry_after = retry_after_seconds(response.headers.get("retry-after"))
            attempt += 1
            if attempt > self.max_retries:
                self._fail(batch, DeliveryFailed(
                    _errors.RETRIES_EXHAUSTED, f"gave up after {attempt} attempts; last: {reason}", status=status, events=_decode(batch),
                ))
                return
            cap = min(self.retry_max_delay, self.retry_base_delay * (2 ** (attempt - 1)))
            delay = random.uniform(0, cap)
            if retry_after is not None:
                delay = max(delay, min(retry_after, MAX_RETRY_AFTER))
            logger.info("%s; retry %d/%d in %.2fs", reason, attempt, self.max_retries, delay)
            if not self._sleep(delay):
                self._fail(batch, DeliveryFailed(
                    _errors.SHUTDOWN_TIMEOUT, f"shutdown deadline passed while retrying; last: {reason}",
                    status=status, events=_decode(batch),
                ))
                return
            with self._cond:
                self._stats["retries"] += 1

    def _sleep(self, delay: float) -> bool:
        """Wait before a retry. False if shutdown's deadline would pass first (give up now)."""
        wake_at = time.monotonic() + delay
        with self._cond:
            while True:
                now = time.monotonic()
                if self._closing and wake_at > self._deadline:
                    return False
                if now >= wake_at:
                    return True
                if self._disabled:
                    return True  # _deliver discards the batch
                self._cond.wait(wake_at - now)

    def _on_success(self, batch: List[_Item], response: Response) -> None:
        try:
            answer = json.loads(response.body.decode("utf-8"))
            accepted = int(answer.get("accepted", 0))
            duplicates = int(answer.get("duplicates", 0))
            rejected = list(answer.get("rejected") or [])
        except (ValueError, AttributeError, TypeError, UnicodeDecodeError):
            logger.warning("unexpected answer from %s (status %d); events taken as delivered", self.url, response.status)
            accepted, duplicates, rejected = len(batch), 0, []
        with self._cond:
            self._stats["accepted"] += accepted
            self._stats["duplicates"] += duplicates
            self._stats["rejected"] += len(rejected)
        for entry in rejected:
            try:
                index = int(entry["index"])
                event = json.loads(batch[index].data)
            except (KeyError, ValueError, TypeError, IndexError):
                logger.warning("could not match a rejection to an event: %r", entry)
                continue
            self._report(EventRejected(
                str(entry.get("code", "SLUICE_ERR_EVENT_INVALID")),
                str(entry.get("message", "")),
                pointer=str(entry.get("pointer", "")),
                index=index,
                event_id=entry.get("event_id"),
                event=event,
            ))

    def _fail(self, items: Sequence[_Item], error: SluiceError) -> None:
        with self._cond:
            self._stats["failed"] += len(items)
        self._report(error)

    def _report(self, error: SluiceError) -> None:
        if isinstance(error, EventRejected):
            logger.debug("event %s rejected: %s at %r", error.event_id, error.code, error.pointer)
        if self.on_error is None:
            logger.warning("%s (%d events)", error, len(error.events))
            return
        try:
            self.on_error(error)
        except Exception:  # noqa: BLE001 - a hook must not break the worker
            logger.exception("on_error raised")

    def _flush_at_exit(self) -> None:
        self._atexit_registered = False
        with self._cond:
            pending = bool(self._queue) or self._inflight_min is not None
        if pending:
            logger.debug("interpreter exit: flushing")
        self.shutdown(self.shutdown_timeout)


# ---------------------------------------------------------------------- helpers

_live_clients: "weakref.WeakSet[Client]" = weakref.WeakSet()


def _reinit_after_fork() -> None:
    for client in list(_live_clients):
        client._cond = threading.Condition(threading.RLock())
        client._after_fork_locked()


if hasattr(os, "register_at_fork"):
    os.register_at_fork(after_in_child=_reinit_after_fork)


def _target(target: Optional[Target], generation_id: Optional[str]) -> Optional[Dict[str, str]]:
    if target is not None:
        return dict(target)
    if generation_id is not None:
        return {"generation_id": generation_id}
    return None


def _now() -> str:
    return _format(_dt.datetime.now(_dt.timezone.utc))


def _format(moment: _dt.datetime) -> str:
    return moment.astimezone(_dt.timezone.utc).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def _timestamp(value: Timestamp) -> str:
    if isinstance(value, _dt.datetime):
        return _format(value)
    return str(value)


def _json_default(value: Any) -> Any:
    if isinstance(value, _dt.datetime):
        return _format(value)
    if isinstance(value, _dt.date):
        return value.isoformat()
    if isinstance(value, uuid.UUID):
        return str(value)
    if isinstance(value, decimal.Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    if isinstance(value, (set, frozenset)):
        return list(value)
    dump = getattr(value, "model_dump", None)  # pydantic v2 models (e.g. openai message objects)
    if callable(dump):
        return dump(mode="json", exclude_none=True)
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return dataclasses.asdict(value)
    raise TypeError(f"{type(value).__name__} is not JSON serializable")


def _decode(items: Sequence[_Item]) -> List[Event]:
    events: List[Event] = []
    for item in items:
        decoded = json.loads(item.data)
        events.append(decoded)
    return events


def _error_of(response: Response) -> Tuple[Optional[str], Optional[str]]:
    try:
        error = json.loads(response.body.decode("utf-8"))["error"]
        return str(error["code"]), str(error.get("message", ""))
    except (ValueError, KeyError, TypeError, UnicodeDecodeError, AttributeError):
        return None, None
