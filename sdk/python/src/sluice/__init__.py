"""Sluice Python SDK: capture AI-product interaction events (generations, feedback, outcomes,
consent) and send them to a Sluice ingest server.

    import sluice

    client = sluice.Client("https://sluice.example.com", "sk_live_...")
    gid = client.generation(model="gpt-4o", input=[...], output=[...], user_id="u_42")
    client.feedback(generation_id=gid, kind="thumbs", value="up", user_id="u_42")
"""

from __future__ import annotations

from ._client import (
    BeforeSend,
    Client,
    ConsentScope,
    ErrorHandler,
    Event,
    FeedbackKind,
    Message,
    OutcomeKind,
    Target,
    Timestamp,
    Value,
)
from ._errors import (
    BEFORE_SEND_FAILED,
    EVENT_UNSERIALIZABLE,
    QUEUE_FULL,
    RETRIES_EXHAUSTED,
    SHUTDOWN_TIMEOUT,
    DeliveryFailed,
    EventRejected,
    SluiceError,
)
from ._uuid7 import uuid7
from ._version import SDK_NAME, __version__
from .integrations.openai import sluice_context, wrap_openai

__all__ = [
    "BEFORE_SEND_FAILED",
    "EVENT_UNSERIALIZABLE",
    "QUEUE_FULL",
    "RETRIES_EXHAUSTED",
    "SDK_NAME",
    "SHUTDOWN_TIMEOUT",
    "BeforeSend",
    "Client",
    "ConsentScope",
    "DeliveryFailed",
    "ErrorHandler",
    "Event",
    "EventRejected",
    "FeedbackKind",
    "Message",
    "OutcomeKind",
    "SluiceError",
    "Target",
    "Timestamp",
    "Value",
    "__version__",
    "sluice_context",
    "uuid7",
    "wrap_openai",
]
