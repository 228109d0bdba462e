"""Shared test vectors: the SDK builds every example event of schemas/examples/v1 through its public
methods, and what it would send validates against the JSON Schemas of schemas/v1 (the contract)."""

from __future__ import annotations

import copy
from typing import Any, Callable, Dict, List

import pytest

import sluice
from _support import load_examples, load_invalid_vectors

EXAMPLES = load_examples()
INVALID = load_invalid_vectors()


def build_with_sdk(client: sluice.Client, example: Dict[str, Any]) -> str:
    """Build one example with the method for its type; the keyword arguments are the event's own
    field names (the per-event `sent_at` is the SDK's business, set per request)."""
    fields = {key: copy.deepcopy(value) for key, value in example.items() if key not in ("type", "sent_at")}
    method: Callable[..., str] = getattr(client, example["type"])
    return method(**fields)


def captured_events(examples: List[Dict[str, Any]]) -> List[Dict[str, Any]]:
    seen: List[Dict[str, Any]] = []

    def capture(event: Dict[str, Any]) -> None:
        seen.append(event)
        return None  # keep it: nothing is sent

    client = sluice.Client("http://127.0.0.1:9", "sk_unused_key", before_send=capture, flush_at_exit=False)
    try:
        for example in examples:
            build_with_sdk(client, example)
    finally:
        assert client.shutdown(timeout=1)
    return seen


def test_there_is_an_example_of_every_event_type() -> None:
    assert {e["type"] for e in EXAMPLES.values()} == {
        "generation", "feedback", "outcome", "consent", "erasure_request", "track",
    }


@pytest.mark.parametrize("name", sorted(EXAMPLES))
def test_the_sdk_builds_the_example_and_it_validates(name: str, validate_event: Callable[[Any], List[Any]]) -> None:
    example = EXAMPLES[name]
    [event] = captured_events([example])
    errors = validate_event(event)
    assert not errors, "\n".join(f"{list(e.absolute_path)}: {e.message}" for e in errors)
    # Exactly the example, except that the SDK adds context.sdk where the example has none, and
    # leaves sent_at to the request.
    expected = {key: value for key, value in example.items() if key != "sent_at"}
    expected["context"] = {"sdk": {"name": "sluice-python", "version": sluice.__version__}, **example.get("context", {})}
    assert event == expected


def test_generation_returns_the_generation_id_and_other_methods_the_event_id() -> None:
    seen: List[Dict[str, Any]] = []
    client = sluice.Client("http://127.0.0.1:9", "sk_unused_key", before_send=lambda e: seen.append(e),
                           flush_at_exit=False)
    gid = client.generation(model="m", input=[], output=[], user_id="u")
    eid = client.feedback(generation_id=gid, kind="thumbs", value="up", user_id="u")
    assert seen[0]["generation_id"] == gid and seen[1]["event_id"] == eid
    assert seen[1]["target"] == {"generation_id": gid}
    client.shutdown(timeout=1)


def test_events_built_with_defaults_validate(validate_event: Callable[[Any], List[Any]]) -> None:
    """The SDK's own choices (UUIDv7 ids, timestamps, context) are valid too."""
    import datetime

    seen: List[Dict[str, Any]] = []
    client = sluice.Client("http://127.0.0.1:9", "sk_unused_key", before_send=lambda e: seen.append(e),
                           flush_at_exit=False, context={"app_version": "9.9.9"}, anonymous_id="device-1")
    gid = client.generation(model="m", input=[{"role": "user", "content": "hi"}],
                            output=[{"role": "assistant", "content": "hello"}],
                            usage={"input_tokens": 1, "output_tokens": 1}, latency_ms=12.5)
    client.feedback(generation_id=gid, kind="rating", value=5, user_id="u1")
    client.outcome(target={"session_id": "s1"}, kind="resolved", value=True, anonymous_id="a1")
    client.consent(scope="training", granted=True, user_id="u1",
                   occurred_at=datetime.datetime(2025, 6, 1, 12, 0, tzinfo=datetime.timezone(datetime.timedelta(hours=2))))
    client.track("opened", {"at": datetime.date(2025, 6, 1)}, user_id="u1")
    client.erasure_request(user_id="u1", reason="test")
    client.capture({"type": "track", "name": "raw", "user_id": "u1", "properties": {"k": 1}})
    client.shutdown(timeout=1)
    assert len(seen) == 7
    for event in seen:
        assert not validate_event(event), (event, [e.message for e in validate_event(event)])
    assert seen[0]["anonymous_id"] == "device-1" and "user_id" not in seen[0]
    assert seen[0]["context"]["app_version"] == "9.9.9"
    assert "anonymous_id" not in seen[1]
    assert seen[3]["occurred_at"] == "2025-06-01T10:00:00.000Z"


@pytest.mark.parametrize("name", sorted(INVALID))
def test_the_validator_rejects_every_invalid_vector(name: str, validate_event: Callable[[Any], List[Any]]) -> None:
    """The local registry really enforces the contract (so the test above can fail)."""
    assert validate_event(INVALID[name]["event"]), f"{name} was accepted"
