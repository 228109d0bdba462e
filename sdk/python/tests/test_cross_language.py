"""Cross-language test: the shared example events sent to ONE running server by the Python SDK, by
plain HTTP (the reference: the example files posted as they are), and by the TypeScript SDK when it
is built, end up as stored rows of the same shape.

Each sender has its own write key, so its rows are told apart by `source` (py-sdk, http-ref,
js-sdk). Rows are compared column by column by JSON type ("shape"), and their event payloads by
value once what legitimately differs per sender is removed (the per-event `sent_at`,
`context.sdk`; for the TypeScript SDK also `event_id` and `occurred_at`, in case it assigns its own).

TypeScript half (the hook): runs only if `packages/sdk-js/dist` exists (override the SDK folder
with SLUICE_SDK_JS_DIR). It runs `node <sender> <endpoint> <write_key> <examples_dir> <sdk_js_dir>`
where <sender> is SLUICE_SDK_JS_SENDER, else packages/sdk-js/test/cross-language/send-examples.mjs
if the TypeScript SDK ships one, else tests/cross_language/send_examples_js.mjs (written against
the API of issue 6). Otherwise it is skipped with the reason shown.
"""

from __future__ import annotations

import copy
import datetime
import json
import os
import subprocess
from collections import Counter
from pathlib import Path
from typing import Any, Callable, Dict, List

import pytest

import sluice
from _support import EXAMPLES, HTTP_KEY, JS_KEY, REPO, SluiceServer, find_node, http_json, load_examples
from test_examples import build_with_sdk

MakeClient = Callable[..., sluice.Client]
EXAMPLE_EVENTS = load_examples()
EXAMPLE_EVENTS_BY_ID = {e["event_id"]: e for e in EXAMPLE_EVENTS.values()}
EXAMPLE_IDS = set(EXAMPLE_EVENTS_BY_ID)
SDK_JS_DIR = Path(os.environ.get("SLUICE_SDK_JS_DIR") or REPO / "packages" / "sdk-js")
DEFAULT_SENDER = Path(__file__).parent / "cross_language" / "send_examples_js.mjs"


def shape(value: Any) -> Any:
    """The JSON structure of a value: objects by key, arrays by element, scalars by type."""
    if isinstance(value, dict):
        return {key: shape(item) for key, item in sorted(value.items())}
    if isinstance(value, list):
        return [shape(item) for item in value]
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, (int, float)):
        return "number"
    return type(value).__name__


def payload(row: Dict[str, Any], *, own_ids: bool = False) -> Dict[str, Any]:
    event = copy.deepcopy(row["event"])
    event.pop("sent_at", None)
    context = event.get("context")
    if isinstance(context, dict):
        context.pop("sdk", None)
        if not context:
            event.pop("context")
    if own_ids:
        event.pop("event_id", None)
        event.pop("occurred_at", None)
    return event


def row_shape(row: Dict[str, Any], *, skip: Any = ()) -> Any:
    """The shape of a stored row, its event payload taken without what each sender owns."""
    comparable = {key: value for key, value in row.items() if key not in skip}
    comparable["event"] = payload(row)
    return shape(comparable)


def canonical(value: Any) -> str:
    return json.dumps(value, sort_keys=True)


@pytest.fixture(scope="module")
def reference_rows(server: SluiceServer) -> Dict[str, Dict[str, Any]]:
    """The example files POSTed unchanged over plain HTTP (with a request-level sent_at, as every
    SDK sends), keyed by event_id."""
    sent_at = datetime.datetime.now(datetime.timezone.utc).isoformat(timespec="milliseconds").replace("+00:00", "Z")
    status, body = http_json("POST", f"{server.url}/v1/batch", token=HTTP_KEY,
                             body={"sent_at": sent_at, "events": list(EXAMPLE_EVENTS.values())})
    assert status == 200 and body["accepted"] == len(EXAMPLE_EVENTS) and body["rejected"] == [], body
    rows = {r["event_id"]: r for r in server.events(source="http-ref")}
    assert set(rows) == EXAMPLE_IDS
    return rows


def test_python_sdk_rows_match_the_reference(server: SluiceServer, make_client: MakeClient,
                                             errors: List[sluice.SluiceError],
                                             reference_rows: Dict[str, Dict[str, Any]]) -> None:
    client = make_client(server.url, flush_at=1000)
    for example in EXAMPLE_EVENTS.values():
        build_with_sdk(client, example)
    assert client.flush(timeout=10) and errors == []
    rows = {r["event_id"]: r for r in server.events(source="py-sdk") if r["event_id"] in EXAMPLE_IDS}
    assert set(rows) == EXAMPLE_IDS

    for event_id, reference in reference_rows.items():
        row = rows[event_id]
        assert row_shape(row) == row_shape(reference), f"{event_id} ({reference['type']}): stored row shapes differ"
        assert payload(row) == payload(reference), event_id
        for column in ("type", "occurred_at", "user_id", "anonymous_id", "session_id", "trace_id", "parent_id"):
            assert row[column] == reference[column], (event_id, column)
        expected_sdk = EXAMPLE_EVENTS_BY_ID[event_id].get("context", {}).get("sdk", {}).get("name", "sluice-python")
        assert row["event"]["context"]["sdk"]["name"] == expected_sdk


def js_sender() -> Path:
    override = os.environ.get("SLUICE_SDK_JS_SENDER")
    if override:
        return Path(override)
    shipped = SDK_JS_DIR / "test" / "cross-language" / "send-examples.mjs"
    return shipped if shipped.exists() else DEFAULT_SENDER


def test_typescript_sdk_rows_match_the_reference(server: SluiceServer,
                                                 reference_rows: Dict[str, Dict[str, Any]]) -> None:
    if not (SDK_JS_DIR / "dist").is_dir():
        pytest.skip(f"TypeScript half skipped: {SDK_JS_DIR / 'dist'} does not exist (the TypeScript SDK is not "
                    "built); the Python half compared its rows against plain-HTTP rows of the same examples")
    sender = js_sender()
    result = subprocess.run(
        [find_node(), str(sender), server.url, JS_KEY, str(EXAMPLES), str(SDK_JS_DIR)],
        cwd=REPO, capture_output=True, text=True, timeout=60,
    )
    assert result.returncode == 0, (
        f"{sender} failed ({result.returncode}); see its header for the hook's contract\n"
        f"stdout: {result.stdout[-2000:]}\nstderr: {result.stderr[-4000:]}"
    )
    summary = json.loads(result.stdout.strip().splitlines()[-1])
    rows = server.wait_for_events(int(summary["sent"]), source="js-sdk")
    assert len(rows) == summary["sent"] > 0, summary

    # The TypeScript SDK may assign its own event_id / occurred_at: pair rows with examples by the
    # rest of their payload.
    references = {canonical(payload(r, own_ids=True)): r for r in reference_rows.values()}
    unmatched = []
    matched: List[str] = []
    for row in rows:
        reference = references.get(canonical(payload(row, own_ids=True)))
        if reference is None:
            unmatched.append(payload(row, own_ids=True))
            continue
        assert row_shape(row) == row_shape(reference), f"{reference['event_id']} ({reference['type']})"
        if "sdk" not in EXAMPLE_EVENTS_BY_ID[reference["event_id"]].get("context", {}):
            assert row["event"]["context"]["sdk"]["name"] != "sluice-python"
        matched.append(reference["event_id"])
    assert not unmatched, "rows stored from the TypeScript SDK that match no example:\n" + "\n".join(
        canonical(u) for u in unmatched)
    skipped = summary.get("skipped") or []
    assert len(set(matched)) == len(matched) == len(EXAMPLE_EVENTS) - len(skipped), (Counter(matched), skipped)
