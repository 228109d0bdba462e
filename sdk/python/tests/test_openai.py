"""wrap_openai: a generation event is recorded around client.chat.completions.create without changing
what the call returns (streams included), against a local server speaking the chat-completions
wire format, with the events stored by the real ingest server."""

from __future__ import annotations

import asyncio
from typing import Any, Callable, Dict, Iterator, List

import pytest

import sluice
from _fake_openai import FakeOpenAI
from _support import SluiceServer

openai = pytest.importorskip("openai")

MakeClient = Callable[..., sluice.Client]

MESSAGES: List[Dict[str, Any]] = [
    {"role": "developer", "content": "You are terse."},
    {"role": "user", "content": "Where is order NW-1?"},
]
WEATHER_TOOL = {
    "type": "function",
    "function": {
        "name": "get_weather",
        "description": "Current weather for a city.",
        "parameters": {"type": "object", "properties": {"city": {"type": "string"}}, "required": ["city"]},
        "strict": True,
    },
}


@pytest.fixture(scope="module")
def fake() -> Iterator[FakeOpenAI]:
    server = FakeOpenAI()
    try:
        yield server
    finally:
        server.close()


@pytest.fixture()
def sl(server: SluiceServer, make_client: MakeClient) -> sluice.Client:
    return make_client(server.url, flush_at=1000, flush_interval=60)


def openai_client(fake: FakeOpenAI) -> Any:
    return openai.OpenAI(base_url=fake.url + "/v1", api_key="sk-test-not-real", max_retries=0)


def async_openai_client(fake: FakeOpenAI) -> Any:
    return openai.AsyncOpenAI(base_url=fake.url + "/v1", api_key="sk-test-not-real", max_retries=0)


def recorded(server: SluiceServer, sl: sluice.Client, user_id: str, validate_event: Callable[[Any], List[Any]],
             count: int = 1) -> List[Dict[str, Any]]:
    assert sl.flush(timeout=10)
    events = [row["event"] for row in server.events(user_id=user_id)]
    assert len(events) == count, events
    for event in events:
        problems = validate_event(event)
        assert not problems, [f"{list(p.absolute_path)}: {p.message}" for p in problems]
    return events


def test_non_streaming_call_is_unchanged_and_recorded(fake: FakeOpenAI, server: SluiceServer, sl: sluice.Client,
                                                      user_id: str, validate_event: Callable[[Any], List[Any]],
                                                      errors: List[sluice.SluiceError]) -> None:
    plain = openai_client(fake)
    wrapped = sluice.wrap_openai(openai_client(fake), sl, user_id=user_id, properties={"feature": "support"})
    kwargs: Dict[str, Any] = dict(model="gpt-fake", messages=MESSAGES, temperature=0.3, max_tokens=50, seed=7)
    expected = plain.chat.completions.create(**kwargs)
    got = wrapped.chat.completions.create(**kwargs)
    assert type(got) is type(expected)
    assert got.model_dump() == expected.model_dump()
    assert got.choices[0].message.content == "echo: Where is order NW-1?"

    [event] = recorded(server, sl, user_id, validate_event)
    assert errors == []
    assert event["generation_id"] == got.id
    assert (event["model"], event["provider"], event["finish_reason"]) == ("gpt-fake", "openai", "stop")
    assert event["input"] == [{"role": "system", "content": "You are terse."},
                              {"role": "user", "content": "Where is order NW-1?"}]
    assert event["output"] == [{"role": "assistant", "content": "echo: Where is order NW-1?"}]
    assert event["params"] == {"temperature": 0.3, "max_tokens": 50, "seed": 7}
    assert event["usage"] == {"input_tokens": 21, "output_tokens": 7, "total_tokens": 28,
                              "cached_input_tokens": 16, "input_audio_tokens": 0,
                              "reasoning_tokens": 2, "output_audio_tokens": 0}
    assert event["latency_ms"] > 0 and event["properties"] == {"feature": "support"}


def test_streaming_call_is_unchanged_and_recorded(fake: FakeOpenAI, server: SluiceServer, sl: sluice.Client,
                                                  user_id: str, validate_event: Callable[[Any], List[Any]]) -> None:
    plain = openai_client(fake)
    wrapped = sluice.wrap_openai(openai_client(fake), sl, user_id=user_id)
    kwargs: Dict[str, Any] = dict(model="gpt-fake", messages=MESSAGES, stream=True,
                                  stream_options={"include_usage": True})
    expected = [c.model_dump() for c in plain.chat.completions.create(**kwargs)]
    stream = wrapped.chat.completions.create(**kwargs)
    assert isinstance(stream, openai.Stream), "the caller gets openai's own Stream object"
    assert server.events(user_id=user_id) == [], "nothing is recorded before the stream is consumed"
    got = [c.model_dump() for c in stream]
    assert got == expected and len(got) > 3

    [event] = recorded(server, sl, user_id, validate_event)
    assert event["generation_id"] == got[0]["id"]
    assert event["output"] == [{"role": "assistant", "content": "echo: Where is order NW-1?"}]
    assert event["finish_reason"] == "stop"
    assert event["usage"]["input_tokens"] == 21 and event["usage"]["output_tokens"] == 7


def test_streamed_tool_calls(fake: FakeOpenAI, server: SluiceServer, sl: sluice.Client, user_id: str,
                             validate_event: Callable[[Any], List[Any]]) -> None:
    wrapped = sluice.wrap_openai(openai_client(fake), sl, user_id=user_id, provider="vllm")
    history: List[Dict[str, Any]] = [
        {"role": "user", "content": [{"type": "text", "text": "Lookup"},
                                     {"type": "image_url", "image_url": {"url": "https://example.com/a.png"}}]},
        {"role": "assistant", "content": None, "tool_calls": [
            {"id": "call_0", "type": "function", "function": {"name": "lookup", "arguments": "{}"}}]},
        {"role": "tool", "tool_call_id": "call_0", "content": "{\"ok\":true}"},
        {"role": "user", "content": "and the weather in Paris?"},
    ]
    with wrapped.chat.completions.create(model="gpt-fake", messages=history, tools=[WEATHER_TOOL],
                                         tool_choice="auto", stream=True) as stream:
        chunks = list(stream)
    assert chunks[-1].choices[0].finish_reason == "tool_calls"

    [event] = recorded(server, sl, user_id, validate_event)
    assert event["provider"] == "vllm" and event["finish_reason"] == "tool_calls"
    assert event["input"] == history
    assert event["tools"] == [WEATHER_TOOL]
    assert event["params"] == {"tool_choice": "auto"}
    assert event["output"] == [{"role": "assistant", "content": None, "tool_calls": [
        {"id": "call_fake_1", "type": "function", "function": {"name": "get_weather", "arguments": "{\"city\":\"Paris\"}"}}]}]


def test_non_streaming_tool_call_and_several_choices(fake: FakeOpenAI, server: SluiceServer, sl: sluice.Client,
                                                     user_id: str, validate_event: Callable[[Any], List[Any]]) -> None:
    wrapped = sluice.wrap_openai(openai_client(fake), sl, user_id=user_id)
    reply = wrapped.chat.completions.create(model="gpt-fake", messages=[{"role": "user", "content": "weather?"}],
                                            tools=[WEATHER_TOOL])
    assert reply.choices[0].message.tool_calls[0].function.name == "get_weather"
    wrapped.chat.completions.create(model="gpt-fake", messages=[{"role": "user", "content": "hi"}], n=2)
    tool_event, choices_event = recorded(server, sl, user_id, validate_event, count=2)
    assert tool_event["output"][0]["tool_calls"][0]["function"]["arguments"] == "{\"city\":\"Paris\"}"
    assert [m["content"] for m in choices_event["output"]] == ["echo: hi", "echo: hi (1)"]
    assert choices_event["params"] == {"n": 2}


def test_stream_closed_early_is_recorded_with_what_was_received(
    fake: FakeOpenAI, server: SluiceServer, sl: sluice.Client, user_id: str,
    validate_event: Callable[[Any], List[Any]],
) -> None:
    wrapped = sluice.wrap_openai(openai_client(fake), sl, user_id=user_id)
    stream = wrapped.chat.completions.create(model="gpt-fake", messages=MESSAGES, stream=True)
    received = [next(stream), next(stream)]
    stream.close()
    assert received[1].choices[0].delta.content == "echo:"
    [event] = recorded(server, sl, user_id, validate_event)
    assert event["output"] == [{"role": "assistant", "content": "echo:"}]
    assert "finish_reason" not in event


def test_failed_call_is_reraised_unchanged_and_recorded(fake: FakeOpenAI, server: SluiceServer, sl: sluice.Client,
                                                        user_id: str, validate_event: Callable[[Any], List[Any]]) -> None:
    wrapped = sluice.wrap_openai(openai_client(fake), sl, user_id=user_id)
    with pytest.raises(openai.InternalServerError) as raised:
        wrapped.chat.completions.create(model="fake-fail", messages=MESSAGES)
    assert raised.value.status_code == 500
    [event] = recorded(server, sl, user_id, validate_event)
    assert event["output"] == [] and event["finish_reason"] == "error" and event["model"] == "fake-fail"
    assert event["properties"]["error"]["type"] == "InternalServerError"
    assert event["properties"]["error"]["status"] == 500

    sluice.wrap_openai(openai_client(fake), sl, user_id=user_id + "-quiet", record_errors=False)


def test_async_client(fake: FakeOpenAI, server: SluiceServer, sl: sluice.Client, user_id: str,
                      validate_event: Callable[[Any], List[Any]]) -> None:
    async def main() -> List[Any]:
        plain = async_openai_client(fake)
        wrapped = sluice.wrap_openai(async_openai_client(fake), sl, user_id=user_id)
        expected = await plain.chat.completions.create(model="gpt-fake", messages=MESSAGES)
        got = await wrapped.chat.completions.create(model="gpt-fake", messages=MESSAGES)
        assert got.model_dump() == expected.model_dump()
        stream = await wrapped.chat.completions.create(model="gpt-fake", messages=MESSAGES, stream=True)
        assert isinstance(stream, openai.AsyncStream)
        chunks = [c async for c in stream]
        plain_chunks = [c async for c in await plain.chat.completions.create(
            model="gpt-fake", messages=MESSAGES, stream=True)]
        assert [c.model_dump() for c in chunks] == [c.model_dump() for c in plain_chunks]
        with pytest.raises(openai.InternalServerError):
            await wrapped.chat.completions.create(model="fake-fail", messages=MESSAGES)
        await plain.close()
        await wrapped.close()
        return [got]

    [got] = asyncio.run(main())
    completion, streamed, failed = recorded(server, sl, user_id, validate_event, count=3)
    assert completion["generation_id"] == got.id
    assert streamed["output"] == completion["output"] and streamed["finish_reason"] == "stop"
    assert failed["finish_reason"] == "error"


def test_identity_per_call_and_per_block(fake: FakeOpenAI, server: SluiceServer, sl: sluice.Client,
                                         user_id: str) -> None:
    wrapped = sluice.wrap_openai(openai_client(fake), sl, anonymous_id="anon-default", properties={"app": "x"})
    with sluice.sluice_context(user_id=user_id, session_id="s-block", properties={"block": True}):
        wrapped.chat.completions.create(model="gpt-fake", messages=MESSAGES)
        wrapped.chat.completions.create(model="gpt-fake", messages=MESSAGES,
                                        sluice={"session_id": "s-call", "generation_id": "gen-mine"})
    assert sl.flush(timeout=10)
    first, second = [row["event"] for row in server.events(user_id=user_id)]
    assert first["session_id"] == "s-block" and first["properties"] == {"app": "x", "block": True}
    assert first["anonymous_id"] == "anon-default"
    assert second["session_id"] == "s-call" and second["generation_id"] == "gen-mine"
    # sluice= never reaches openai
    assert all("sluice" not in request for request in fake.requests)
    with pytest.raises(TypeError):
        with sluice.sluice_context(usr_id="typo"):
            pass


def test_wrapping_is_per_instance_and_idempotent(fake: FakeOpenAI, server: SluiceServer, sl: sluice.Client,
                                                 user_id: str) -> None:
    client = openai_client(fake)
    other = openai_client(fake)
    assert sluice.wrap_openai(client, sl, user_id=user_id) is client
    create = client.chat.completions.create
    sluice.wrap_openai(client, sl, user_id=user_id)
    assert client.chat.completions.create is create, "wrapping twice is a no-op"
    client.chat.completions.create(model="gpt-fake", messages=MESSAGES)
    other.chat.completions.create(model="gpt-fake", messages=MESSAGES)  # not wrapped: not recorded
    assert sl.flush(timeout=10)
    assert len(server.events(user_id=user_id)) == 1


def test_recording_problems_never_reach_the_caller(fake: FakeOpenAI, sl: sluice.Client, user_id: str,
                                                   errors: List[sluice.SluiceError]) -> None:
    wrapped = sluice.wrap_openai(openai_client(fake), sl, user_id=user_id)
    weird: List[Any] = [{"role": "function", "name": "legacy", "content": "dropped"},
                        {"role": "user", "content": "hi"}, "not a message"]
    reply = wrapped.chat.completions.create(model="gpt-fake", messages=weird)
    assert reply.choices[0].message.content == "echo: hi"
    assert sl.flush(timeout=10) and errors == []
