"""A local HTTP server speaking the OpenAI chat-completions wire format (JSON and SSE streaming),
deterministic, for testing the openai wrapper without network.

POST /v1/chat/completions:
- model "fake-fail": 500 with an OpenAI-style error body;
- a request with `tools` whose last user message mentions "weather": one tool call;
- otherwise the assistant answers "echo: <last user text>" (one choice per `n`).
The completion id is derived from the request body, so the same request gets the same answer.
"""

from __future__ import annotations

import hashlib
import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, Dict, Iterator, List

CREATED = 1750000000


def _last_user_text(messages: List[Dict[str, Any]]) -> str:
    for message in reversed(messages):
        if isinstance(message, dict) and message.get("role") == "user":
            content = message.get("content")
            if isinstance(content, str):
                return content
            if isinstance(content, list):
                return " ".join(p.get("text", "") for p in content if isinstance(p, dict) and p.get("type") == "text")
    return ""


def _usage() -> Dict[str, Any]:
    return {
        "prompt_tokens": 21,
        "completion_tokens": 7,
        "total_tokens": 28,
        "prompt_tokens_details": {"cached_tokens": 16, "audio_tokens": 0},
        "completion_tokens_details": {"reasoning_tokens": 2, "audio_tokens": 0,
                                      "accepted_prediction_tokens": 0, "rejected_prediction_tokens": 0},
    }


class FakeOpenAI:
    def __init__(self) -> None:
        self.requests: List[Dict[str, Any]] = []
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, format: str, *args: Any) -> None:  # noqa: A002
                return

            def do_POST(self) -> None:  # noqa: N802
                length = int(self.headers.get("Content-Length") or 0)
                raw = self.rfile.read(length)
                body = json.loads(raw)
                fake.requests.append(body)
                if self.path.rstrip("/") != "/v1/chat/completions":
                    self._json(404, {"error": {"message": "not found", "type": "invalid_request_error"}})
                    return
                if body.get("model") == "fake-fail":
                    self._json(500, {"error": {"message": "the fake model failed", "type": "server_error",
                                               "param": None, "code": None}})
                    return
                completion_id = "chatcmpl-" + hashlib.sha1(raw).hexdigest()[:20]
                if body.get("stream"):
                    self.send_response(200)
                    self.send_header("Content-Type", "text/event-stream")
                    self.send_header("Cache-Control", "no-cache")
                    self.end_headers()
                    for chunk in fake.chunks(body, completion_id):
                        self.wfile.write(b"data: " + json.dumps(chunk).encode() + b"\n\n")
                        self.wfile.flush()
                    self.wfile.write(b"data: [DONE]\n\n")
                    self.wfile.flush()
                    return
                self._json(200, fake.completion(body, completion_id))

            def _json(self, status: int, payload: Dict[str, Any]) -> None:
                data = json.dumps(payload).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.thread = threading.Thread(target=self.server.serve_forever, args=(0.05,), daemon=True)
        self.thread.start()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()

    # -- answers

    @staticmethod
    def wants_tool(body: Dict[str, Any]) -> bool:
        return bool(body.get("tools")) and "weather" in _last_user_text(body.get("messages", []))

    def completion(self, body: Dict[str, Any], completion_id: str) -> Dict[str, Any]:
        if self.wants_tool(body):
            choices = [{
                "index": 0,
                "message": {"role": "assistant", "content": None, "refusal": None, "tool_calls": [{
                    "id": "call_fake_1", "type": "function",
                    "function": {"name": "get_weather", "arguments": "{\"city\":\"Paris\"}"},
                }]},
                "logprobs": None, "finish_reason": "tool_calls",
            }]
        else:
            text = "echo: " + _last_user_text(body.get("messages", []))
            choices = [
                {"index": i, "message": {"role": "assistant", "content": text if i == 0 else f"{text} ({i})",
                                         "refusal": None, "annotations": []},
                 "logprobs": None, "finish_reason": "stop"}
                for i in range(int(body.get("n") or 1))
            ]
        return {"id": completion_id, "object": "chat.completion", "created": CREATED,
                "model": body["model"] + "-2025-01-01", "system_fingerprint": "fp_fake", "service_tier": "default",
                "choices": choices, "usage": _usage()}

    def chunks(self, body: Dict[str, Any], completion_id: str) -> Iterator[Dict[str, Any]]:
        def chunk(choices: List[Dict[str, Any]], **extra: Any) -> Dict[str, Any]:
            return {"id": completion_id, "object": "chat.completion.chunk", "created": CREATED,
                    "model": body["model"] + "-2025-01-01", "system_fingerprint": "fp_fake",
                    "choices": choices, **extra}

        include_usage = bool((body.get("stream_options") or {}).get("include_usage"))
        usage_extra: Dict[str, Any] = {"usage": None} if include_usage else {}
        if self.wants_tool(body):
            yield chunk([{"index": 0, "delta": {"role": "assistant", "content": None, "tool_calls": [
                {"index": 0, "id": "call_fake_1", "type": "function",
                 "function": {"name": "get_weather", "arguments": ""}}]}, "finish_reason": None}], **usage_extra)
            for fragment in ("{\"ci", "ty\":\"Pa", "ris\"}"):
                yield chunk([{"index": 0, "delta": {"tool_calls": [{"index": 0, "function": {"arguments": fragment}}]},
                              "finish_reason": None}], **usage_extra)
            yield chunk([{"index": 0, "delta": {}, "finish_reason": "tool_calls"}], **usage_extra)
        else:
            text = "echo: " + _last_user_text(body.get("messages", []))
            yield chunk([{"index": 0, "delta": {"role": "assistant", "content": "", "refusal": None},
                          "finish_reason": None}], **usage_extra)
            words = text.split(" ")
            for i, word in enumerate(words):
                piece = word if i == 0 else " " + word
                yield chunk([{"index": 0, "delta": {"content": piece}, "finish_reason": None}], **usage_extra)
            yield chunk([{"index": 0, "delta": {}, "finish_reason": "stop"}], **usage_extra)
        if include_usage:
            yield chunk([], usage=_usage())
