"""Test support: the real ingest server as a subprocess, a fault-injecting HTTP proxy in front of it,
and the event contract's JSON Schemas as a local jsonschema registry (no network)."""

from __future__ import annotations

import gzip
import http.client
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any, Callable, Dict, List, Optional, Tuple

REPO = Path(__file__).resolve().parents[3]
SDK_SRC = REPO / "sdk" / "python" / "src"
# The checkout whose `sluice serve` the tests start (default: this one). Set SLUICE_SERVER_ROOT to
# test against another checkout of the server, e.g. a known-good commit while the server is being edited.
SERVER_ROOT = Path(os.environ.get("SLUICE_SERVER_ROOT") or REPO)
SCHEMAS = REPO / "schemas" / "v1"
EXAMPLES = REPO / "schemas" / "examples" / "v1"
INVALID_EXAMPLES_DIR = EXAMPLES / "invalid"

PY_KEY = "sk_test_python_sdk"
HTTP_KEY = "sk_test_http_reference"
JS_KEY = "sk_test_js_sdk"
ADMIN_TOKEN = "admin_test_python_sdk"
SOURCES = {PY_KEY: "py-sdk", HTTP_KEY: "http-ref", JS_KEY: "js-sdk"}


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def find_node() -> str:
    """The repo's pinned Node (node_modules/.bin, v24) if installed, else the `node` on PATH.
    `sluice serve` runs TypeScript directly, which needs Node >= 22.6 (type stripping)."""
    candidates = [str(SERVER_ROOT / "node_modules" / ".bin" / "node"), shutil.which("node") or ""]
    found = []
    for candidate in candidates:
        if not candidate or not os.path.exists(candidate):
            continue
        version = subprocess.run([candidate, "--version"], capture_output=True, text=True).stdout.strip()
        found.append(f"{candidate} {version}")
        match = re.match(r"v(\d+)\.(\d+)", version)
        if match and (int(match.group(1)), int(match.group(2))) >= (22, 18):
            return candidate
    raise RuntimeError(
        "no Node >= 22.18 found (tried: %s); run `npm ci` at the repo root and put node_modules/.bin first on PATH"
        % (", ".join(found) or "none")
    )


def http_json(method: str, url: str, *, token: Optional[str] = None, body: Any = None,
              headers: Optional[Dict[str, str]] = None, timeout: float = 10.0) -> Tuple[int, Any]:
    data = None
    all_headers = dict(headers or {})
    if token:
        all_headers["Authorization"] = f"Bearer {token}"
    if body is not None:
        data = body if isinstance(body, bytes) else json.dumps(body).encode()
        all_headers.setdefault("Content-Type", "application/json")
    request = urllib.request.Request(url, data=data, headers=all_headers, method=method)
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            return response.status, json.loads(response.read() or b"null")
    except urllib.error.HTTPError as error:
        raw = error.read()
        try:
            return error.code, json.loads(raw)
        except ValueError:
            return error.code, raw.decode(errors="replace")


class SluiceServer:
    """`node packages/cli/src/main.ts serve` on a free port with a temporary data dir."""

    def __init__(self, data_dir: Path) -> None:
        self.data_dir = data_dir
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.log_path = data_dir / "server.log"
        self.process: Optional[subprocess.Popen[bytes]] = None

    def start(self, timeout: float = 60.0) -> None:
        env = dict(os.environ)
        env.update({
            "SLUICE_DATA_DIR": str(self.data_dir / "data"),
            "SLUICE_PORT": str(self.port),
            "SLUICE_HOST": "127.0.0.1",
            "SLUICE_WRITE_KEYS": ",".join(f"{key}:acme/{source}" for key, source in SOURCES.items()),
            "SLUICE_ADMIN_TOKEN": ADMIN_TOKEN,
            "SLUICE_RATE_LIMIT_PER_SECOND": "0",
            "SLUICE_LOG_LEVEL": "warn",
        })
        for name in ("SLUICE_CONFIG", "SLUICE_EVENT_LOG", "SLUICE_WAREHOUSE"):
            env.pop(name, None)
        node = find_node()
        log = open(self.log_path, "wb")
        self.process = subprocess.Popen(
            [node, str(SERVER_ROOT / "packages" / "cli" / "src" / "main.ts"), "serve"],
            cwd=SERVER_ROOT, env=env, stdout=log, stderr=subprocess.STDOUT,
        )
        log.close()
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"sluice serve exited with {self.process.returncode}:\n{self.log_tail()}")
            try:
                status, _ = http_json("GET", self.url + "/readyz", timeout=2)
                if status == 200:
                    return
            except (urllib.error.URLError, ConnectionError, OSError):
                pass
            time.sleep(0.1)
        self.stop()
        raise RuntimeError(f"sluice serve not ready within {timeout}s:\n{self.log_tail()}")

    def stop(self) -> None:
        if self.process is None or self.process.poll() is not None:
            return
        self.process.send_signal(signal.SIGTERM)
        try:
            self.process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait(timeout=5)

    def log_tail(self, chars: int = 4000) -> str:
        try:
            return self.log_path.read_text(errors="replace")[-chars:]
        except OSError:
            return ""

    # -- read API (admin token)

    def events(self, **filters: str) -> List[Dict[str, Any]]:
        """All stored rows (GET /v1/events?limit=1000, paged with after_seq), oldest first,
        optionally filtered (user_id=, source=, type=, session_id=)."""
        rows: List[Dict[str, Any]] = []
        after = 0
        while True:
            query = urllib.parse.urlencode({"limit": 1000, "after_seq": after, **filters})
            status, body = http_json("GET", f"{self.url}/v1/events?{query}", token=ADMIN_TOKEN)
            assert status == 200, body
            page: List[Dict[str, Any]] = body["events"]
            rows.extend(page)
            if len(page) < 1000:
                return rows
            after = page[-1]["ingest_seq"]

    def quarantine(self, **filters: str) -> List[Dict[str, Any]]:
        query = urllib.parse.urlencode({"limit": 1000, **filters})
        status, body = http_json("GET", f"{self.url}/v1/quarantine?{query}", token=ADMIN_TOKEN)
        assert status == 200, body
        rows: List[Dict[str, Any]] = body["quarantine"]
        return rows

    def wait_for_events(self, count: int, timeout: float = 10.0, **filters: str) -> List[Dict[str, Any]]:
        deadline = time.monotonic() + timeout
        rows = self.events(**filters)
        while len(rows) < count and time.monotonic() < deadline:
            time.sleep(0.05)
            rows = self.events(**filters)
        return rows

    def post_batch(self, events: List[Any], key: str = HTTP_KEY) -> Tuple[int, Any]:
        return http_json("POST", f"{self.url}/v1/batch", token=key, body={"events": events})


# ---------------------------------------------------------------------- fault-injecting proxy


@dataclass
class Recorded:
    at: float  # time.monotonic() when the request arrived
    method: str
    path: str
    headers: Dict[str, str]
    raw: bytes  # body as received (maybe gzip)
    status: int = 0  # what the client got back (0 = connection dropped)

    @property
    def body(self) -> Any:
        data = gzip.decompress(self.raw) if self.headers.get("content-encoding") == "gzip" else self.raw
        return json.loads(data)

    @property
    def events(self) -> List[Dict[str, Any]]:
        events: List[Dict[str, Any]] = self.body["events"]
        return events


@dataclass
class Fault:
    """What the proxy does with one request.

    kind: "status" answer `status` without forwarding; "forward_then_status" forward (the server
    stores the events) but answer `status` to the client; "drop" close the connection without an
    answer; "delay" wait `seconds`, then forward.
    """

    kind: str
    status: int = 503
    headers: Dict[str, str] = field(default_factory=dict)
    seconds: float = 0.0


class FaultProxy:
    """A tiny HTTP proxy in front of the real server. Requests consume `faults` in order; once
    they are used up, requests are forwarded unchanged. Every request is recorded."""

    def __init__(self, upstream: str) -> None:
        self.upstream = urllib.parse.urlsplit(upstream)
        self.faults: List[Fault] = []
        self.requests: List[Recorded] = []
        self.lock = threading.Lock()
        proxy = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - silence
                return

            def do_POST(self) -> None:  # noqa: N802
                proxy.handle(self)

            def do_GET(self) -> None:  # noqa: N802
                proxy.handle(self)

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.thread = threading.Thread(target=self.server.serve_forever, args=(0.05,), name="fault-proxy",
                                       daemon=True)
        self.thread.start()

    def fail(self, *faults: Fault) -> "FaultProxy":
        with self.lock:
            self.faults.extend(faults)
        return self

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()

    def batches(self) -> List[Recorded]:
        with self.lock:
            return [r for r in self.requests if r.path.startswith("/v1/batch")]

    def wait_for_requests(self, count: int, timeout: float = 10.0) -> List[Recorded]:
        deadline = time.monotonic() + timeout
        while len(self.batches()) < count and time.monotonic() < deadline:
            time.sleep(0.01)
        return self.batches()

    def handle(self, handler: BaseHTTPRequestHandler) -> None:
        length = int(handler.headers.get("Content-Length") or 0)
        raw = handler.rfile.read(length) if length else b""
        record = Recorded(time.monotonic(), handler.command, handler.path,
                          {k.lower(): v for k, v in handler.headers.items()}, raw)
        with self.lock:
            self.requests.append(record)
            fault = self.faults.pop(0) if self.faults else None
        if fault is not None and fault.kind == "drop":
            handler.close_connection = True
            try:
                handler.connection.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass
            return
        if fault is not None and fault.kind == "status":
            self._answer(handler, record, fault.status, fault.headers,
                         json.dumps({"error": {"code": "INJECTED", "message": "injected by the test proxy"}}).encode())
            return
        if fault is not None and fault.kind == "delay":
            time.sleep(fault.seconds)
        status, headers, body = self._forward(handler, raw)
        if fault is not None and fault.kind == "forward_then_status":
            self._answer(handler, record, fault.status, fault.headers,
                         json.dumps({"error": {"code": "INJECTED", "message": "stored, but the answer was lost"}}).encode())
            return
        self._answer(handler, record, status, headers, body)

    def _forward(self, handler: BaseHTTPRequestHandler, raw: bytes) -> Tuple[int, Dict[str, str], bytes]:
        connection = http.client.HTTPConnection(self.upstream.hostname or "127.0.0.1", self.upstream.port, timeout=30)
        try:
            headers = {k: v for k, v in handler.headers.items() if k.lower() not in ("host", "connection")}
            connection.request(handler.command, handler.path, body=raw if raw else None, headers=headers)
            response = connection.getresponse()
            body = response.read()
            keep = {k: v for k, v in response.getheaders() if k.lower() in ("content-type", "retry-after")}
            return response.status, keep, body
        finally:
            connection.close()

    @staticmethod
    def _answer(handler: BaseHTTPRequestHandler, record: Recorded, status: int, headers: Dict[str, str], body: bytes) -> None:
        record.status = status
        handler.send_response(status)
        for key, value in headers.items():
            handler.send_header(key, value)
        if not any(k.lower() == "content-type" for k in headers):
            handler.send_header("Content-Type", "application/json")
        handler.send_header("Content-Length", str(len(body)))
        handler.end_headers()
        handler.wfile.write(body)


# ---------------------------------------------------------------------- JSON Schemas


def load_examples() -> Dict[str, Dict[str, Any]]:
    """schemas/examples/v1/<type>.<name>.json by file stem."""
    return {path.stem: json.loads(path.read_text()) for path in sorted(EXAMPLES.glob("*.json"))}


def load_invalid_vectors() -> Dict[str, Dict[str, Any]]:
    return {path.stem: json.loads(path.read_text()) for path in sorted((EXAMPLES / "invalid").glob("*.json"))}


_RFC3339 = re.compile(
    r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$", re.IGNORECASE
)


def event_validators() -> Callable[[Any], List[Any]]:
    """A function event -> list of jsonschema errors, validating each event with the schema of its
    `type`. All schemas of schemas/v1 are registered under their `$id`s, so the relative `$ref`s
    between files resolve locally (no retrieval). `format` is asserted (uuid, date-time)."""
    import jsonschema
    from referencing import Registry, Resource

    schemas = {path.stem: json.loads(path.read_text()) for path in SCHEMAS.glob("*.json")}
    registry: Registry[Any] = Registry().with_resources(
        (schema["$id"], Resource.from_contents(schema)) for schema in schemas.values()
    )
    checker = jsonschema.FormatChecker()

    @checker.checks("date-time")
    def is_datetime(value: object) -> bool:
        if not isinstance(value, str) or not _RFC3339.match(value):
            return False
        import datetime

        try:
            datetime.datetime.fromisoformat(value.upper().replace("Z", "+00:00"))
        except ValueError:
            return False
        return True

    validators = {
        name: jsonschema.Draft202012Validator(schema, registry=registry, format_checker=checker)
        for name, schema in schemas.items()
        if name not in ("envelope", "common", "batch")
    }
    for validator in validators.values():
        jsonschema.Draft202012Validator.check_schema(validator.schema)

    def validate(event: Any) -> List[Any]:
        if not isinstance(event, dict):
            return ["not an object"]
        validator = validators.get(event.get("type"))  # type: ignore[arg-type]
        if validator is None:
            return [f"unknown type {event.get('type')!r}"]
        return list(validator.iter_errors(event))

    return validate
