"""Record a Sluice ``generation`` event around every ``client.chat.completions.create`` call of an
``openai`` client (``OpenAI`` or ``AsyncOpenAI``, or any OpenAI-compatible server behind them).

    from openai import OpenAI
    import sluice

    sl = sluice.Client("https://sluice.example.com", "sk_live_...")
    client = sluice.wrap_openai(OpenAI(), sl, user_id="u_42")
    reply = client.chat.completions.create(model="gpt-4o-mini", messages=[...])
    # reply is exactly what openai returned; reply.id is the generation_id to send feedback for

The call's result is never changed: a streamed response is the same ``Stream`` object, whose
chunks are observed as the caller iterates them; the event is recorded when the stream ends or is
closed. A call that raises is recorded with ``output=[]`` and ``finish_reason="error"`` (unless
``record_errors=False``) and the exception is re-raised unchanged. Recording never raises.

This module does not import ``openai``.
"""

from __future__ import annotations

import contextlib
import contextvars
import datetime as _dt
import functools
import inspect
import json
import logging
import time
from typing import (
    TYPE_CHECKING,
    Any,
    AsyncIterator,
    Awaitable,
    Callable,
    Dict,
    Iterator,
    List,
    Mapping,
    Optional,
    TypeVar,
)

if TYPE_CHECKING:
    from .._client import Client

logger = logging.getLogger("sluice")

C = TypeVar("C")

_FIELDS = frozenset(
    {"user_id", "anonymous_id", "session_id", "trace_id", "parent_id", "generation_id", "properties", "context"}
)
_PARAMS = (
    "temperature",
    "top_p",
    "max_tokens",
    "max_completion_tokens",
    "stop",
    "seed",
    "frequency_penalty",
    "presence_penalty",
    "n",
    "logprobs",
    "top_logprobs",
    "reasoning_effort",
    "response_format",
    "tool_choice",
    "parallel_tool_calls",
    "service_tier",
)

_current: "contextvars.ContextVar[Optional[Dict[str, Any]]]" = contextvars.ContextVar("sluice_openai", default=None)


@contextlib.contextmanager
def sluice_context(**fields: Any) -> Iterator[None]:
    """Attach Sluice fields to the generations recorded inside the block (thread- and
    asyncio-safe): ``user_id``, ``anonymous_id``, ``session_id``, ``trace_id``, ``parent_id``,
    ``generation_id``, ``properties``, ``context``. Nested blocks override outer ones field by
    field (``properties`` and ``context`` are merged)."""
    unknown = set(fields) - _FIELDS
    if unknown:
        raise TypeError(f"unknown sluice_context fields: {sorted(unknown)}")
    token = _current.set(_merge(_current.get() or {}, fields))
    try:
        yield
    finally:
        _current.reset(token)


def wrap_openai(
    client: C,
    sluice: "Client",
    *,
    provider: str = "openai",
    user_id: Optional[str] = None,
    anonymous_id: Optional[str] = None,
    session_id: Optional[str] = None,
    properties: Optional[Mapping[str, Any]] = None,
    context: Optional[Mapping[str, Any]] = None,
    record_errors: bool = True,
) -> C:
    """Patch ``client.chat.completions.create`` (on this client instance only) to record a
    ``generation`` event with ``sluice`` after each call, and return the same client.

    Per call, pass ``sluice={"user_id": ..., "session_id": ..., "generation_id": ...,
    "properties": {...}}`` to ``create`` (removed before openai sees it), or use
    ``sluice_context(...)``. The defaults given here apply when neither says otherwise.
    ``provider`` names the serving stack (``"vllm"`` for a vLLM server behind the openai client).
    Wrapping twice is a no-op.
    """
    completions = getattr(getattr(client, "chat"), "completions")
    original = getattr(completions, "create")
    if getattr(original, "__sluice_wrapped__", False):
        return client
    defaults: Dict[str, Any] = {
        key: value
        for key, value in (
            ("user_id", user_id),
            ("anonymous_id", anonymous_id),
            ("session_id", session_id),
            ("properties", properties),
            ("context", context),
        )
        if value is not None
    }

    def recorder(kwargs: Dict[str, Any]) -> "_Recorder":
        per_call = kwargs.pop("sluice", None) or {}
        attrs = _merge(_merge(defaults, _current.get() or {}), dict(per_call))
        return _Recorder(sluice, kwargs, attrs, provider)

    async def finish_async(pending: Awaitable[Any], rec: "_Recorder", stream: bool) -> Any:
        try:
            result = await pending
        except Exception as error:
            if record_errors:
                rec.record_error(error)
            raise
        if stream:
            return _wrap_async_stream(result, rec)
        rec.record_response(result)
        return result

    # One wrapper for OpenAI and AsyncOpenAI: AsyncCompletions.create is not always a coroutine
    # function itself (openai decorates it), so tell them apart by what the call returns.
    @functools.wraps(original)
    def create(*args: Any, **kwargs: Any) -> Any:
        rec = recorder(kwargs)
        stream = bool(kwargs.get("stream"))
        try:
            result = original(*args, **kwargs)
        except Exception as error:
            if record_errors:
                rec.record_error(error)
            raise
        if inspect.isawaitable(result):
            return finish_async(result, rec, stream)
        if stream:
            return _wrap_stream(result, rec)
        rec.record_response(result)
        return result

    wrapped: Callable[..., Any] = create
    setattr(wrapped, "__sluice_wrapped__", True)
    setattr(completions, "create", wrapped)
    return client


# ---------------------------------------------------------------------- streams


def _wrap_stream(stream: Any, rec: "_Recorder") -> Any:
    inner = getattr(stream, "_iterator", None)
    if inner is None or not hasattr(inner, "__next__"):
        return _StreamProxy(stream, rec)
    stream._iterator = _observe(inner, rec)
    close = getattr(stream, "close", None)
    if callable(close):

        def closing() -> Any:
            try:
                return close()
            finally:
                rec.finish_stream()

        try:
            stream.close = closing
        except AttributeError:
            pass
    return stream


def _observe(inner: Iterator[Any], rec: "_Recorder") -> Iterator[Any]:
    error: Optional[BaseException] = None
    try:
        for chunk in inner:
            rec.add_chunk(chunk)
            yield chunk
    except Exception as exc:
        error = exc
        raise
    finally:
        rec.finish_stream(error)


def _wrap_async_stream(stream: Any, rec: "_Recorder") -> Any:
    inner = getattr(stream, "_iterator", None)
    if inner is None or not hasattr(inner, "__anext__"):
        return _AsyncStreamProxy(stream, rec)
    stream._iterator = _aobserve(inner, rec)
    close = getattr(stream, "close", None)
    if callable(close):

        async def closing() -> Any:
            try:
                return await close()
            finally:
                rec.finish_stream()

        try:
            stream.close = closing
        except AttributeError:
            pass
    return stream


async def _aobserve(inner: AsyncIterator[Any], rec: "_Recorder") -> AsyncIterator[Any]:
    error: Optional[BaseException] = None
    try:
        async for chunk in inner:
            rec.add_chunk(chunk)
            yield chunk
    except Exception as exc:
        error = exc
        raise
    finally:
        rec.finish_stream(error)


class _StreamProxy:
    """Fallback for stream objects without an ``_iterator`` to observe: iterates like the stream,
    delegates every other attribute to it."""

    def __init__(self, stream: Any, rec: "_Recorder") -> None:
        self._sluice_stream = stream
        self._sluice_iter = _observe(iter(stream), rec)
        self._sluice_rec = rec

    def __iter__(self) -> Iterator[Any]:
        return self._sluice_iter

    def __next__(self) -> Any:
        return next(self._sluice_iter)

    def __enter__(self) -> Any:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        try:
            close = getattr(self._sluice_stream, "close", None)
            if callable(close):
                close()
        finally:
            self._sluice_rec.finish_stream()

    def __getattr__(self, name: str) -> Any:
        return getattr(self._sluice_stream, name)


class _AsyncStreamProxy:
    def __init__(self, stream: Any, rec: "_Recorder") -> None:
        self._sluice_stream = stream
        self._sluice_iter = _aobserve(stream.__aiter__(), rec)
        self._sluice_rec = rec

    def __aiter__(self) -> AsyncIterator[Any]:
        return self._sluice_iter

    async def __anext__(self) -> Any:
        return await self._sluice_iter.__anext__()

    async def __aenter__(self) -> Any:
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.close()

    async def close(self) -> None:
        try:
            close = getattr(self._sluice_stream, "close", None)
            if callable(close):
                result = close()
                if inspect.isawaitable(result):
                    await result
        finally:
            self._sluice_rec.finish_stream()

    def __getattr__(self, name: str) -> Any:
        return getattr(self._sluice_stream, name)


# ---------------------------------------------------------------------- recording


class _Choice:
    __slots__ = ("content", "refusal", "tool_calls", "finish_reason")

    def __init__(self) -> None:
        self.content: List[str] = []
        self.refusal: List[str] = []
        self.tool_calls: Dict[int, Dict[str, Any]] = {}
        self.finish_reason: Optional[str] = None


class _Recorder:
    def __init__(self, sluice: "Client", kwargs: Mapping[str, Any], attrs: Dict[str, Any], provider: str) -> None:
        self.sluice = sluice
        self.kwargs = kwargs
        self.attrs = attrs
        self.provider = provider
        self.started = time.perf_counter()
        self.occurred_at = _dt.datetime.now(_dt.timezone.utc)
        self.done = False
        # stream state
        self.response_id: Optional[str] = None
        self.response_model: Optional[str] = None
        self.choices: Dict[int, _Choice] = {}
        self.usage: Any = None

    # -- events from the call

    def record_response(self, response: Any) -> None:
        try:
            choices = _get(response, "choices") or []
            output: List[Dict[str, Any]] = []
            finish_reason: Optional[str] = None
            for choice in sorted(choices, key=lambda c: _get(c, "index") or 0):
                message = _get(choice, "message")
                if message is not None:
                    output.append(_output_message(_plain(message)))
                if finish_reason is None and isinstance(_get(choice, "finish_reason"), str):
                    finish_reason = _get(choice, "finish_reason")
            self._record(
                output=output,
                finish_reason=finish_reason,
                response_id=_get(response, "id"),
                usage=_usage(_get(response, "usage")),
                extra_properties=None,
            )
        except Exception:  # noqa: BLE001 - recording must never break the caller
            logger.exception("sluice: could not record an openai chat completion")

    def record_error(self, error: BaseException) -> None:
        try:
            status = getattr(error, "status_code", None)
            info: Dict[str, Any] = {"type": type(error).__name__, "message": str(error)[:1000]}
            if isinstance(status, int):
                info["status"] = status
            self._record(output=[], finish_reason="error", response_id=None, usage=None, extra_properties={"error": info})
        except Exception:  # noqa: BLE001
            logger.exception("sluice: could not record a failed openai chat completion")

    def add_chunk(self, chunk: Any) -> None:
        try:
            if self.response_id is None and isinstance(_get(chunk, "id"), str):
                self.response_id = _get(chunk, "id")
            if self.response_model is None and isinstance(_get(chunk, "model"), str):
                self.response_model = _get(chunk, "model")
            usage = _get(chunk, "usage")
            if usage is not None:
                self.usage = usage
            for choice in _get(chunk, "choices") or []:
                index = _get(choice, "index") or 0
                state = self.choices.setdefault(index, _Choice())
                delta = _get(choice, "delta")
                if delta is not None:
                    content = _get(delta, "content")
                    if isinstance(content, str):
                        state.content.append(content)
                    refusal = _get(delta, "refusal")
                    if isinstance(refusal, str):
                        state.refusal.append(refusal)
                    for call in _get(delta, "tool_calls") or []:
                        slot = state.tool_calls.setdefault(_get(call, "index") or 0, {"arguments": []})
                        if isinstance(_get(call, "id"), str):
                            slot["id"] = _get(call, "id")
                        if isinstance(_get(call, "type"), str):
                            slot["type"] = _get(call, "type")
                        function = _get(call, "function")
                        if function is not None:
                            if isinstance(_get(function, "name"), str):
                                slot["name"] = slot.get("name", "") + _get(function, "name")
                            if isinstance(_get(function, "arguments"), str):
                                slot["arguments"].append(_get(function, "arguments"))
                finish_reason = _get(choice, "finish_reason")
                if isinstance(finish_reason, str):
                    state.finish_reason = finish_reason
        except Exception:  # noqa: BLE001
            logger.exception("sluice: could not read a streamed chunk")

    def finish_stream(self, error: Optional[BaseException] = None) -> None:
        if self.done:
            return
        try:
            output: List[Dict[str, Any]] = []
            finish_reason: Optional[str] = None
            for index in sorted(self.choices):
                state = self.choices[index]
                message: Dict[str, Any] = {"role": "assistant"}
                calls = [
                    {
                        "id": slot.get("id") or f"call_{index}_{position}",
                        "type": "function",
                        "function": {"name": slot.get("name") or "unknown", "arguments": "".join(slot["arguments"])},
                    }
                    for position, slot in sorted(state.tool_calls.items())
                    if slot.get("type", "function") == "function"
                ]
                text = "".join(state.content) if state.content else None
                if calls:
                    message["content"] = text
                    message["tool_calls"] = calls
                else:
                    message["content"] = text if text is not None else "".join(state.refusal)
                output.append(message)
                if finish_reason is None and state.finish_reason is not None:
                    finish_reason = state.finish_reason
            extra: Optional[Dict[str, Any]] = None
            if error is not None:
                finish_reason = "error"
                extra = {"error": {"type": type(error).__name__, "message": str(error)[:1000]}}
            self._record(
                output=output,
                finish_reason=finish_reason,
                response_id=self.response_id,
                usage=_usage(self.usage),
                extra_properties=extra,
            )
        except Exception:  # noqa: BLE001
            logger.exception("sluice: could not record a streamed openai chat completion")

    # -- the event

    def _record(
        self,
        *,
        output: List[Dict[str, Any]],
        finish_reason: Optional[str],
        response_id: Any,
        usage: Optional[Dict[str, int]],
        extra_properties: Optional[Dict[str, Any]],
    ) -> None:
        if self.done:
            return
        self.done = True
        latency_ms = round((time.perf_counter() - self.started) * 1000, 3)
        kwargs = self.kwargs
        attrs = self.attrs
        properties: Optional[Dict[str, Any]] = dict(attrs["properties"]) if attrs.get("properties") else None
        if extra_properties:
            properties = {**(properties or {}), **extra_properties}
        generation_id = attrs.get("generation_id")
        if generation_id is None and isinstance(response_id, str) and response_id:
            generation_id = response_id
        model = kwargs.get("model")
        if not isinstance(model, str) or not model:
            model = self.response_model or "unknown"
        messages = kwargs.get("messages") or []
        input_messages = [m for m in (_input_message(_plain(message)) for message in messages) if m is not None]
        self.sluice.generation(
            model=model,
            input=input_messages,
            output=output,
            generation_id=generation_id,
            provider=self.provider,
            finish_reason=finish_reason,
            tools=_tools(kwargs.get("tools")),
            params=_params(kwargs),
            usage=usage,
            latency_ms=latency_ms,
            user_id=attrs.get("user_id"),
            anonymous_id=attrs.get("anonymous_id"),
            session_id=attrs.get("session_id"),
            trace_id=attrs.get("trace_id"),
            parent_id=attrs.get("parent_id"),
            context=attrs.get("context"),
            properties=properties,
            occurred_at=self.occurred_at,
        )


# ---------------------------------------------------------------------- conversion to the schema


def _merge(base: Mapping[str, Any], extra: Mapping[str, Any]) -> Dict[str, Any]:
    merged = dict(base)
    for key, value in extra.items():
        if value is None:
            continue
        if key in ("properties", "context") and isinstance(merged.get(key), Mapping) and isinstance(value, Mapping):
            merged[key] = {**merged[key], **value}
        else:
            merged[key] = value
    return merged


def _get(obj: Any, name: str) -> Any:
    if isinstance(obj, Mapping):
        return obj.get(name)
    return getattr(obj, name, None)


def _plain(obj: Any) -> Any:
    """A dict for a pydantic model or mapping; anything else unchanged."""
    if isinstance(obj, Mapping):
        return dict(obj)
    dump = getattr(obj, "model_dump", None)
    if callable(dump):
        return dump(exclude_none=True)
    return obj


def _is_given(value: Any) -> bool:
    # openai marks omitted arguments with NOT_GIVEN / omit sentinels.
    return value is not None and type(value).__name__ not in ("NotGiven", "Omit")


def _content(content: Any) -> Any:
    if content is None or isinstance(content, str):
        return content
    if isinstance(content, (list, tuple)):
        return [_part(_plain(part)) for part in content]
    return str(content)


def _part(part: Any) -> Any:
    if not isinstance(part, Mapping):
        return {"type": "text", "text": str(part)}
    kind = part.get("type")
    if kind == "text":
        return {"type": "text", "text": str(part.get("text", ""))}
    if kind == "image_url":
        image = _plain(part.get("image_url"))
        if isinstance(image, str):
            return {"type": "image_url", "image_url": {"url": image}}
        if isinstance(image, Mapping):
            out: Dict[str, Any] = {"url": str(image.get("url", ""))}
            if isinstance(image.get("detail"), str):
                out["detail"] = image["detail"]
            return {"type": "image_url", "image_url": out}
    return dict(part)


def _tool_calls(calls: Any) -> List[Dict[str, Any]]:
    result: List[Dict[str, Any]] = []
    for call in calls or []:
        call = _plain(call)
        if not isinstance(call, Mapping) or call.get("type", "function") != "function":
            continue
        function = _plain(call.get("function")) or {}
        arguments = function.get("arguments", "")
        if not isinstance(arguments, (str, dict)):
            arguments = json.dumps(arguments)
        result.append({
            "id": str(call.get("id") or ""),
            "type": "function",
            "function": {"name": str(function.get("name") or ""), "arguments": arguments},
        })
    return result


def _input_message(message: Any) -> Optional[Dict[str, Any]]:
    if not isinstance(message, Mapping):
        return None
    role = message.get("role")
    if role == "developer":
        role = "system"
    if role not in ("system", "user", "assistant", "tool"):
        return None  # e.g. the legacy "function" role: not part of the v1 contract
    out: Dict[str, Any] = {"role": role}
    calls = _tool_calls(message.get("tool_calls")) if role == "assistant" else []
    content = _content(message.get("content"))
    if content is None and not calls:
        content = message.get("refusal") if isinstance(message.get("refusal"), str) else ""
    out["content"] = content
    if isinstance(message.get("name"), str) and message["name"]:
        out["name"] = message["name"]
    if calls:
        out["tool_calls"] = calls
    if role == "tool":
        out["tool_call_id"] = str(message.get("tool_call_id") or "")
    return out


def _output_message(message: Any) -> Dict[str, Any]:
    out = _input_message({**message, "role": "assistant"}) if isinstance(message, Mapping) else None
    if out is None:
        return {"role": "assistant", "content": ""}
    out.pop("name", None)
    if "tool_calls" not in out and out.get("content") is None:
        out["content"] = ""
    return out


def _tools(tools: Any) -> Optional[List[Dict[str, Any]]]:
    if not _is_given(tools):
        return None
    result: List[Dict[str, Any]] = []
    for tool in tools:
        tool = _plain(tool)
        if not isinstance(tool, Mapping) or tool.get("type") != "function":
            continue
        function = _plain(tool.get("function")) or {}
        out: Dict[str, Any] = {"name": str(function.get("name") or "")}
        if isinstance(function.get("description"), str):
            out["description"] = function["description"]
        if isinstance(function.get("parameters"), Mapping):
            out["parameters"] = dict(function["parameters"])
        if isinstance(function.get("strict"), bool):
            out["strict"] = function["strict"]
        result.append({"type": "function", "function": out})
    return result or None


def _params(kwargs: Mapping[str, Any]) -> Optional[Dict[str, Any]]:
    params: Dict[str, Any] = {}
    for key in _PARAMS:
        value = kwargs.get(key)
        if not _is_given(value):
            continue
        value = _plain(value)
        if isinstance(value, (str, int, float, bool, list, tuple, dict)):
            params[key] = list(value) if isinstance(value, tuple) else value
    return params or None


def _usage(usage: Any) -> Optional[Dict[str, int]]:
    usage = _plain(usage)
    if not isinstance(usage, Mapping):
        return None
    prompt, completion = usage.get("prompt_tokens"), usage.get("completion_tokens")
    if not isinstance(prompt, int) or not isinstance(completion, int):
        return None
    out: Dict[str, int] = {"input_tokens": prompt, "output_tokens": completion}
    if isinstance(usage.get("total_tokens"), int):
        out["total_tokens"] = usage["total_tokens"]
    prompt_details = _plain(usage.get("prompt_tokens_details")) or {}
    completion_details = _plain(usage.get("completion_tokens_details")) or {}
    for source, key, name in (
        (prompt_details, "cached_tokens", "cached_input_tokens"),
        (prompt_details, "audio_tokens", "input_audio_tokens"),
        (completion_details, "reasoning_tokens", "reasoning_tokens"),
        (completion_details, "audio_tokens", "output_audio_tokens"),
    ):
        value = source.get(key) if isinstance(source, Mapping) else None
        if isinstance(value, int) and not isinstance(value, bool) and value >= 0:
            out[name] = value
    return {key: value for key, value in out.items() if value >= 0}
