"""A stand-in for the OpenAI Realtime server, to run and test Realtime programs without an API
key. It speaks the GA protocol over a real websocket on 127.0.0.1, answers client events as the
server does, plays a few scripted answers (not a model), and refuses what the server refuses,
with the server's `error` events. Its rules, each with a public source, are in
docs/server-behaviour.md ("The stand-in server").

    python3 examples/standin.py --port 8765 &     # prints its base URL; stops after 60 s idle
    OPENAI_BASE_URL=http://127.0.0.1:8765/v1 OPENAI_API_KEY=any python3 examples/quickstart.py

The scripted answers: a user message that names cities it knows (Paris, Rome, ...) gets one
`get_weather` call a city, in parallel, where the session has that tool; the outputs of those
calls get a sentence a city; anything else gets a greeting. With `audio` in the session's
output modalities, messages come as an audio transcript with audio deltas (silence).

Serving needs the websockets library. The protocol core, StandIn, needs only the standard
library: test_rtitem.py tests it without a socket. It never imports rtitem, so that it judges a
program by the server's rules, not by rtitem's.
"""

from __future__ import annotations

import base64
import json
import random
import re
import sys

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any, Dict, Iterator, List, Optional, Tuple

    Event = Dict[str, Any]

CITIES = ("Paris", "Rome", "London", "Tokyo", "Berlin", "Madrid", "Lisbon", "Oslo", "Cairo")
PCM_BYTES_PER_MS = 48  # audio/pcm: 24 kHz, 16-bit mono
AUDIO_MS_PER_WORD = 200
CREATABLE = ("message", "function_call", "function_call_output", "mcp_approval_response")
ROLE_PARTS = {
    "system": ("input_text",),
    "user": ("input_text", "input_audio", "input_image"),
    "assistant": ("output_text", "text"),  # audio parts: the server cannot recreate them
}


class Refused(Exception):
    """A client event the server refuses: the `error` object of its error event."""

    def __init__(self, code: Optional[str], message: str, param: Optional[str] = None) -> None:
        super().__init__(message)
        self.error = {"type": "invalid_request_error", "code": code, "message": message}
        self.error["param"] = param


class StandIn:
    """One session of the stand-in server, without a socket.

    `opening()` gives the events a new connection gets; `receive(text)` takes one client
    event (JSON text) and gives the events the server answers with at once; a response plays
    apart from that, one event at a time: `pause()` is the seconds to wait before its next
    event (None when nothing plays), and `next_event()` gives that event. Client events that
    arrive in between are answered in between, as on a live connection, so a program that asks
    for a response while one plays is refused as the server refuses it. What an event changes
    (an item there, the response no longer under way) changes once it has been given, when
    pause() is next asked, never before: the socket's loop asks it before each wait.
    """

    def __init__(self, seed: int = 0, *, fast: float = 0.002, slow: float = 0.05) -> None:
        self.rng = random.Random(seed)
        self.fast, self.slow = fast, slow  # seconds before a streamed event; before response.done
        self.session: Event = {
            "type": "realtime",
            "object": "realtime.session",
            "id": self.new_id("sess_"),
            "model": "gpt-realtime",
            "output_modalities": ["audio"],
            "instructions": "",
            "tools": [],
            "tool_choice": "auto",
            "audio": {
                "input": {"format": {"type": "audio/pcm", "rate": 24000}, "turn_detection": None},
                "output": {"format": {"type": "audio/pcm", "rate": 24000}, "voice": "marin"},
            },
        }
        self.conversation_id = self.new_id("conv_")
        self.items: List[Event] = []  # the conversation, in order
        self.audio_ms: Dict[Tuple[str, int], int] = {}  # (item id, content index): audio sent
        self.buffer = bytearray()  # input audio appended and not yet committed
        self.active: Optional[Event] = None  # the response under way in the conversation
        self.streams: List[_Stream] = []  # responses playing, in turns
        self.ahead: Optional[Event] = None  # the next streamed event, taken but not yet given
        self.event_count = 0

    def new_id(self, prefix: str) -> str:
        letters = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"
        return prefix + "".join(self.rng.choice(letters) for _ in range(21))

    def event(self, kind: str, **fields: Any) -> Event:
        self.event_count += 1
        return {"type": kind, "event_id": f"event_{self.event_count:021d}", **fields}

    # What a connection gets, and the answers to client events.

    def opening(self) -> List[Event]:
        return [self.event("session.created", session=json_copy(self.session))]

    def receive(self, text: str) -> List[Event]:
        try:
            event = json.loads(text)
        except (ValueError, RecursionError):
            event = None
        if not isinstance(event, dict):
            error = Refused("invalid_event", "The message is not a JSON object.")
            return [self.event("error", error={**error.error, "event_id": None})]
        kind = event.get("type")
        try:
            if kind is None:
                raise Refused("invalid_event", "The 'type' field is missing.")
            if not isinstance(kind, str) or kind not in self.HANDLERS:
                raise Refused("invalid_value", f"Invalid value: {kind!r}.", "type")
            return self.HANDLERS[kind](self, event)
        except Refused as refused:
            return [self.event("error", error={**refused.error, "event_id": event.get("event_id")})]

    def on_session_update(self, event: Event) -> List[Event]:
        session = required(event, "session", dict, "session")
        if session.get("type") != "realtime":
            raise Refused("missing_required_parameter", "Missing required parameter: 'session.type'.",
                          "session.type")  # fmt: skip
        modalities(session, "session.output_modalities")
        for name, kind in (("instructions", str), ("tools", list), ("audio", dict)):
            if session.get(name) is not None:
                required(session, name, kind, f"session.{name}")
        for index, tool in enumerate(session.get("tools") or ()):
            if not isinstance(tool, dict):
                raise invalid_type(f"session.tools[{index}]", "an object", tool)
        for way in ("input", "output"):
            if (session.get("audio") or {}).get(way) is not None:
                required(session["audio"], way, dict, f"session.audio.{way}")
        for key, value in session.items():
            if key == "audio" and isinstance(value, dict):
                for way in ("input", "output"):
                    self.session["audio"][way].update(value.get(way) or {})
            elif key != "type":
                self.session[key] = json_copy(value)
        return [self.event("session.updated", session=json_copy(self.session))]

    def on_conversation_item_create(self, event: Event) -> List[Event]:
        item = self.creatable(required(event, "item", dict, "item"))
        position = self.position(event)
        if item["type"] == "function_call_output" and not self.find_call(item["call_id"]):
            raise Refused("invalid_tool_call_id",
                          f"Tool call ID '{item['call_id']}' not found in conversation.")  # fmt: skip
        return self.add(item, position)

    def creatable(self, given: Event) -> Event:
        """The item a conversation.item.create gives, as the server completes it; Refused for
        what that event does not take."""
        kind = given.get("type")
        if kind not in CREATABLE:
            choices = ", ".join(repr(name) for name in CREATABLE)
            raise Refused("invalid_value", f"Invalid value: {kind!r}. Supported values are: {choices}.",
                          "item.type")  # fmt: skip
        item = json_copy(given)
        item_id = item.get("id")
        if item_id is not None:
            if not isinstance(item_id, str):
                raise invalid_type("item.id", "a string", item_id)
            if len(item_id) > 32:
                raise Refused("string_above_max_length",
                              "Invalid 'item.id': string too long. Expected a string with maximum length 32, "
                              f"but got a string with length {len(item_id)} instead.", "item.id")  # fmt: skip
        if kind == "message":
            role = required(item, "role", str, "item.role")
            if role not in ROLE_PARTS:
                raise Refused("invalid_value", f"Invalid value: {role!r}.", "item.role")
            for index, part in enumerate(required(item, "content", list, "item.content")):
                where = f"item.content[{index}]"
                if not isinstance(part, dict):
                    raise invalid_type(where, "an object", part)
                if part.get("type") not in ROLE_PARTS[role]:
                    if role == "assistant":  # openai/openai-agents-js issue 963
                        raise missing(f"{where}.text")
                    raise Refused("invalid_value", f"Invalid value: {part.get('type')!r}.", f"{where}.type")
                if "text" in part["type"]:
                    required(part, "text", str, f"{where}.text")
                for name in ("text", "transcript", "audio", "image_url"):
                    if part.get(name) is not None:
                        required(part, name, str, f"{where}.{name}")
        elif kind == "function_call":
            required(item, "name", str, "item.name")
            required(item, "arguments", str, "item.arguments")
            if item.get("call_id") is not None:
                required(item, "call_id", str, "item.call_id")
            item.setdefault("call_id", self.new_id("call_")[:21])
        elif kind == "function_call_output":
            required(item, "call_id", str, "item.call_id")
            required(item, "output", str, "item.output")
        if any(known["id"] == item_id for known in self.items):  # the stand-in's own wording
            raise Refused("invalid_value", f"Item with id {item_id!r} already exists in conversation.", "item.id")
        item.setdefault("id", self.new_id("item_"))
        item["object"] = "realtime.item"
        item["status"] = "completed"
        return item

    def position(self, event: Event) -> int:
        """Where a created item goes: after previous_item_id, first for "root", last without."""
        previous = event.get("previous_item_id")
        if previous is None:
            return len(self.items)
        if previous == "root":
            return 0
        for index, item in enumerate(self.items):
            if item["id"] == previous:
                return index + 1
        raise Refused("invalid_value", f"Previous item with id {previous!r} not found in conversation.",
                      "previous_item_id")  # fmt: skip

    def add(self, item: Event, position: int) -> List[Event]:
        previous = self.items[position - 1]["id"] if position else None
        self.items.insert(position, item)
        return [
            self.event(kind, previous_item_id=previous, item=json_copy(item))
            for kind in ("conversation.item.added", "conversation.item.done")
        ]

    def on_conversation_item_retrieve(self, event: Event) -> List[Event]:
        item = self.item_named(event)
        return [self.event("conversation.item.retrieved", item=json_copy(item))]

    def on_conversation_item_delete(self, event: Event) -> List[Event]:
        item = self.item_named(event)
        self.items.remove(item)
        return [self.event("conversation.item.deleted", item_id=item["id"])]

    def on_conversation_item_truncate(self, event: Event) -> List[Event]:
        item = self.item_named(event)
        index = required(event, "content_index", int, "content_index")
        end_ms = required(event, "audio_end_ms", int, "audio_end_ms")
        if end_ms < 0:
            raise Refused("invalid_value", f"Invalid 'audio_end_ms': {end_ms}. Expected 0 or more.", "audio_end_ms")
        sent = self.audio_ms.get((item["id"], index))
        if not sent:  # no model audio there yet (livekit/agents issue 6157, at 0 ms)
            raise Refused("unsupported_content_type", "Only model output audio messages can be truncated",
                          "item_id")  # fmt: skip
        answers = []
        if end_ms > sent:  # refused, and cut at the end all the same (ReviewStage/luke pull request 564)
            error = Refused(None, f"Audio content of {sent}ms is already shorter than {end_ms}ms")
            answers.append(self.event("error", error={**error.error, "event_id": None}))
            end_ms = sent
        item["content"][index].pop("transcript", None)
        self.audio_ms[(item["id"], index)] = end_ms
        answers.append(self.event("conversation.item.truncated", item_id=item["id"],
                                  content_index=index, audio_end_ms=end_ms))  # fmt: skip
        return answers

    def item_named(self, event: Event) -> Event:
        item_id = required(event, "item_id", str, "item_id")
        for item in self.items:
            if item["id"] == item_id:
                return item
        raise Refused("invalid_value", f"Item with item_id {item_id!r} not found in conversation.", "item_id")

    def on_input_audio_buffer_append(self, event: Event) -> List[Event]:
        try:
            self.buffer += base64.b64decode(required(event, "audio", str, "audio"), validate=True)
        except ValueError:  # binascii.Error, or a character beyond ASCII
            raise Refused("invalid_value", "Invalid 'audio': expected base64 text.", "audio") from None
        return []

    def on_input_audio_buffer_commit(self, event: Event) -> List[Event]:
        if len(self.buffer) < 100 * PCM_BYTES_PER_MS:
            raise Refused("input_audio_buffer_commit_empty",
                          "Error committing input audio buffer: buffer too small. Expected at least 100ms of audio, "
                          f"but buffer only has {len(self.buffer) / PCM_BYTES_PER_MS:.2f}ms of audio.")  # fmt: skip
        self.buffer.clear()
        item = {"id": self.new_id("item_"), "type": "message", "object": "realtime.item", "status": "completed"}
        item.update(role="user", content=[{"type": "input_audio", "transcript": None}])
        previous = self.items[-1]["id"] if self.items else None
        committed = self.event("input_audio_buffer.committed", previous_item_id=previous, item_id=item["id"])
        return [committed, *self.add(item, len(self.items))]

    def on_input_audio_buffer_clear(self, event: Event) -> List[Event]:
        self.buffer.clear()
        return [self.event("input_audio_buffer.cleared")]

    def on_output_audio_buffer_clear(self, event: Event) -> List[Event]:
        return [self.event("output_audio_buffer.cleared")]

    # Responses.

    def on_response_create(self, event: Event) -> List[Event]:
        options = event.get("response")
        if options is None:
            options = {}
        elif not isinstance(options, dict):
            raise invalid_type("response", "an object", options)
        modalities(options, "response.output_modalities")
        out_of_band = options.get("conversation") == "none"
        if self.active is not None and not out_of_band:
            raise Refused("conversation_already_has_active_response",
                          f"Conversation already has an active response in progress: {self.active['id']}. "
                          "Wait until the response is finished before creating a new one.")  # fmt: skip
        context = self.items
        if options.get("input") is not None:
            context = self.response_input(required(options, "input", list, "response.input"))
        response = {"object": "realtime.response", "id": self.new_id("resp_"), "status": "in_progress"}
        response.update(status_details=None, output=[], usage=None, metadata=options.get("metadata"))
        response["conversation_id"] = None if out_of_band else self.conversation_id
        response["output_modalities"] = options.get("output_modalities") or self.session["output_modalities"]
        if not out_of_band:
            self.active = response
        self.streams.append(self.play(response, context, out_of_band))
        return []

    def response_input(self, given: List[Any]) -> List[Event]:
        """The context of a response.create with an `input`: its items, references resolved. A
        tool's output needs its call there (OpenAI community forum thread 1302944)."""
        context = []
        for index, data in enumerate(given):
            if not isinstance(data, dict):
                raise invalid_type(f"response.input[{index}]", "an object", data)
            if data.get("type") == "item_reference":
                named = [item for item in self.items if item["id"] == data.get("id")]
                if not named:
                    raise Refused("invalid_value", f"Item with id {data.get('id')!r} not found in conversation.",
                                  f"response.input[{index}].id")  # fmt: skip
                context.append(named[0])
                continue
            item = self.creatable(data)
            if item["type"] == "function_call_output":
                calls = [call for call in context if call.get("call_id") == item["call_id"]]
                if not any(call["type"] == "function_call" for call in calls):
                    raise Refused("invalid_tool_call_id",
                                  f"Tool call ID '{item['call_id']}' not found in conversation.")  # fmt: skip
            context.append(item)
        return context

    def on_response_cancel(self, event: Event) -> List[Event]:
        """The response named by `response_id` (by default the conversation's) ends early: what
        it has given goes first, then its response.done, cancelled."""
        named = event.get("response_id")
        for stream in self.streams:
            response = stream.response
            if not stream.ended and (response is self.active if named is None else response["id"] == named):
                stream.events = self.cancelled(response)
                return []
        raise Refused("response_cancel_not_active", "Cancellation failed: no active response found.")

    def cancelled(self, response: Event) -> Iterator[Event]:
        for item in response["output"]:
            if item["status"] == "in_progress":
                item["status"] = "incomplete"
        response.update(status="cancelled", status_details={"type": "cancelled", "reason": "client_cancelled"})
        yield self.event("response.done", response=json_copy(response))
        if self.active is response:
            self.active = None

    def pause(self) -> Optional[float]:
        """The seconds to wait before the next event of a response that plays; None if none does."""
        while self.ahead is None and self.streams:
            stream = self.streams[0]
            self.ahead = next(stream, None)
            if self.ahead is None:
                self.streams.pop(0)
            else:
                self.streams.append(self.streams.pop(0))  # responses play in turns
        if self.ahead is None:
            return None
        return self.slow if self.ahead["type"] == "response.done" else self.fast

    def next_event(self) -> Event:
        """The next event of a response that plays (after pause() said there is one)."""
        event, self.ahead = self.ahead, None
        assert event is not None, "pause() first: nothing plays"
        return event

    def play(self, response: Event, context: List[Event], out_of_band: bool) -> _Stream:
        return _Stream(response, self._play(response, context, out_of_band))

    def _play(self, response: Event, context: List[Event], out_of_band: bool) -> Iterator[Event]:
        """The events of one response, in the server's order. What an event changes (the item
        in the conversation, the response no longer active) changes after it is given."""
        yield self.event("response.created", response=json_copy(response))
        audio = "audio" in response["output_modalities"]
        for index, (kind, payload) in enumerate(self.script(context)):
            item: Event = {"id": self.new_id("item_"), "type": kind, "object": "realtime.item", "status": "in_progress"}
            at = {"response_id": response["id"], "output_index": index}
            if kind == "function_call":
                item.update(name=payload["name"], call_id=self.new_id("call_"), arguments="")
            else:
                item.update(role="assistant", content=[])
            response["output"].append(item)
            yield self.event("response.output_item.added", **at, item=json_copy(item))
            if not out_of_band:
                previous = self.items[-1]["id"] if self.items else None
                self.items.append(item)
                yield self.event("conversation.item.added", previous_item_id=previous, item=json_copy(item))
            named = {**at, "item_id": item["id"]}
            if kind == "function_call":
                text = payload["arguments"]
                for piece in re.findall(r".{1,8}", text, re.DOTALL):
                    yield self.event("response.function_call_arguments.delta", **named, call_id=item["call_id"],
                                     delta=piece)  # fmt: skip
                item["arguments"] = text
                yield self.event("response.function_call_arguments.done", **named, call_id=item["call_id"],
                                 name=item["name"], arguments=text)  # fmt: skip
            else:
                text = payload["text"]
                named["content_index"] = 0
                part = {"type": "audio", "transcript": ""} if audio else {"type": "text", "text": ""}
                item["content"].append({"type": "output_audio", "transcript": ""} if audio else
                                       {"type": "output_text", "text": ""})  # fmt: skip
                yield self.event("response.content_part.added", **named, part=part)
                field = "transcript" if audio else "text"
                for word in re.findall(r"\S+\s*", text):
                    if audio:
                        chunk = bytes(AUDIO_MS_PER_WORD * PCM_BYTES_PER_MS)
                        yield self.event("response.output_audio.delta", **named,
                                         delta=base64.b64encode(chunk).decode("ascii"))  # fmt: skip
                        key = (item["id"], 0)
                        self.audio_ms[key] = self.audio_ms.get(key, 0) + AUDIO_MS_PER_WORD
                        yield self.event("response.output_audio_transcript.delta", **named, delta=word)
                    else:
                        yield self.event("response.output_text.delta", **named, delta=word)
                    if field in item["content"][0]:  # not once truncated: the server deleted it
                        item["content"][0][field] += word
                if audio:
                    yield self.event("response.output_audio.done", **named)
                    yield self.event("response.output_audio_transcript.done", **named, transcript=text)
                else:
                    yield self.event("response.output_text.done", **named, text=text)
                yield self.event("response.content_part.done", **named, part={**part, field: text})
            item["status"] = "completed"
            if not out_of_band:
                yield self.event("conversation.item.done", previous_item_id=previous, item=json_copy(item))
            yield self.event("response.output_item.done", **at, item=json_copy(item))
        words = sum(len(json.dumps(item).split()) for item in context)
        spoken = sum(len(json.dumps(item).split()) for item in response["output"])
        response.update(status="completed", usage=usage(words, spoken, audio))
        yield self.event("response.done", response=json_copy(response))
        if self.active is response:
            self.active = None

    def script(self, context: List[Event]) -> List[Tuple[str, Dict[str, str]]]:
        """What the stand-in answers in a context: (item type, what it holds) for each item."""
        outputs = []
        for item in reversed(context):
            if item["type"] != "function_call_output":
                break
            outputs.insert(0, item["output"])
        if outputs:
            return [("message", {"text": " ".join(map(report, outputs))})]
        asked = ""
        if context and context[-1]["type"] == "message" and context[-1]["role"] == "user":
            asked = " ".join(part.get("text") or part.get("transcript") or "" for part in context[-1]["content"])
        cities = sorted((asked.find(city), city) for city in CITIES if city in asked)
        tools = [tool.get("name") for tool in self.session.get("tools") or () if isinstance(tool, dict)]
        if cities and "get_weather" in tools:
            calls = [("function_call", {"name": "get_weather", "arguments": json.dumps({"city": city})})
                     for _, city in cities]  # fmt: skip
            return calls  # type: ignore[return-value]
        return [("message", {"text": "Hello! Ask me about the weather in a city."})]

    def find_call(self, call_id: str) -> bool:
        return any(item["type"] == "function_call" and item.get("call_id") == call_id for item in self.items)

    HANDLERS = {
        "session.update": on_session_update,
        "conversation.item.create": on_conversation_item_create,
        "conversation.item.retrieve": on_conversation_item_retrieve,
        "conversation.item.delete": on_conversation_item_delete,
        "conversation.item.truncate": on_conversation_item_truncate,
        "input_audio_buffer.append": on_input_audio_buffer_append,
        "input_audio_buffer.commit": on_input_audio_buffer_commit,
        "input_audio_buffer.clear": on_input_audio_buffer_clear,
        "output_audio_buffer.clear": on_output_audio_buffer_clear,
        "response.create": on_response_create,
        "response.cancel": on_response_cancel,
    }


class _Stream:
    """A response's events as it plays; response.cancel gives it other events to end with.
    `ended`: its response.done has been taken."""

    def __init__(self, response: Event, events: Iterator[Event]) -> None:
        self.response, self.events, self.ended = response, events, False

    def __iter__(self) -> _Stream:
        return self

    def __next__(self) -> Event:
        event = next(self.events)
        self.ended = event["type"] == "response.done"
        return event


def report(output: str) -> str:
    """A sentence from the output of a get_weather call, as the program computed it."""
    try:
        data = json.loads(output)
        return f"It's {data['temperature_c']} degrees and {data['sky']} in {data['city']}."
    except (ValueError, KeyError, TypeError):
        return f"The tool said: {output}"


def usage(words: int, spoken: int, audio: bool) -> Event:
    """A usage in the shape the server reports it, counting a token a word."""
    text_in, text_out, audio_out = words, spoken, spoken * 5 if audio else 0
    tokens = {"text_tokens": 0, "audio_tokens": 0, "image_tokens": 0}
    return {
        "total_tokens": text_in + text_out + audio_out,
        "input_tokens": text_in,
        "output_tokens": text_out + audio_out,
        "input_token_details": {"text_tokens": text_in, "audio_tokens": 0, "image_tokens": 0,
                                "cached_tokens": 0, "cached_tokens_details": tokens},  # fmt: skip
        "output_token_details": {"text_tokens": text_out, "audio_tokens": audio_out},
    }


def modalities(options: Event, param: str) -> None:
    given = options.get("output_modalities")
    if given is not None and not (isinstance(given, list) and given and all(m in ("text", "audio") for m in given)):
        raise Refused("invalid_value", f"Invalid value for '{param}': expected ['text'] or ['audio'].", param)


def required(data: Event, name: str, kind: type, param: str) -> Any:
    value = data.get(name)
    if value is None:
        raise missing(param)
    if not isinstance(value, kind) or isinstance(value, bool):
        raise invalid_type(param, {str: "a string", int: "an integer", list: "an array"}.get(kind, "an object"), value)
    return value


def missing(param: str) -> Refused:
    return Refused("missing_required_parameter", f"Missing required parameter: '{param}'.", param)


def invalid_type(param: str, expected: str, value: object) -> Refused:
    got = {str: "a string", int: "an integer", float: "a decimal", bool: "a boolean", list: "an array",
           dict: "an object", type(None): "null"}.get(type(value), "a value")  # fmt: skip
    return Refused("invalid_type", f"Invalid type for '{param}': expected {expected}, but got {got} instead.", param)


def json_copy(value: Any) -> Any:
    return json.loads(json.dumps(value))


# --- Serving it over a websocket ----------------------------------------------------------------


class Server:
    """The stand-in on 127.0.0.1, in a thread of its own: `url` is the base URL to give a
    program (as OPENAI_BASE_URL), `sent` every event sent and `received` every client event,
    each as (connection number, event), and `sessions` the StandIn of each connection. It serves the path /v1/realtime with a `model` and a
    Bearer token, as the API does, gives each connection a new session, and stops by itself
    once no connection has been open for `idle` seconds. `drop_after` closes the first
    connection with code 1012 (service restart) after that many responses, so that a client
    that reconnects can be tried."""

    def __init__(
        self, *, port: int = 0, idle: float = 60.0, drop_after: Optional[int] = None, **timing: float
    ) -> None:
        self.port, self.idle, self.drop_after, self.timing = port, idle, drop_after, timing
        self.sent: List[Tuple[int, Event]] = []
        self.received: List[Tuple[int, Any]] = []
        self.sessions: List[StandIn] = []  # the session of each connection, in order
        self.url = ""

    def errors(self) -> List[Event]:
        return [event for _, event in self.sent if event["type"] == "error"]

    def start(self) -> Server:
        import asyncio
        import threading

        ready = threading.Event()
        failed: List[BaseException] = []

        def run() -> None:
            try:
                asyncio.run(self._serve(ready))
            except BaseException as error:  # the port in use, say: start() raises it
                failed.append(error)
                ready.set()

        self.thread = threading.Thread(target=run, daemon=True)
        self.thread.start()
        if not ready.wait(10) or failed:
            raise failed[0] if failed else RuntimeError("the stand-in server did not start")
        return self

    async def _serve(self, ready: Any) -> None:
        import asyncio
        from urllib.parse import parse_qs, urlsplit

        from websockets.asyncio.server import serve
        from websockets.exceptions import ConnectionClosed

        open_now = 0
        last_seen = asyncio.get_running_loop().time()

        def admit(connection: Any, request: Any) -> Any:
            target = urlsplit(request.path)
            if target.path != "/v1/realtime":
                return connection.respond(404, "Not found: the Realtime API is at /v1/realtime\n")
            if not parse_qs(target.query).get("model"):
                return connection.respond(400, "Missing required parameter: 'model'.\n")
            token = request.headers.get("Authorization", "")
            if not token.startswith("Bearer ") or not token[7:].strip():
                return connection.respond(401, "Missing bearer authentication in header\n")
            return None

        async def handle(websocket: Any) -> None:
            nonlocal open_now, last_seen
            number = len(self.sessions)
            core = StandIn(number, **self.timing)
            self.sessions.append(core)
            open_now += 1
            responses = 0

            async def send(event: Event) -> None:
                nonlocal responses
                self.sent.append((number, event))
                await websocket.send(json.dumps(event))
                if event["type"] == "response.done":
                    responses += 1
                    if number == 0 and responses == self.drop_after:
                        await websocket.close(1012, "service restart")

            try:
                for event in core.opening():
                    await send(event)
                while True:
                    delay = core.pause()
                    if delay is None:
                        text = await websocket.recv()
                    else:
                        try:
                            text = await asyncio.wait_for(websocket.recv(), delay)
                        except asyncio.TimeoutError:
                            await send(core.next_event())
                            continue
                    self.received.append((number, text))
                    for event in core.receive(text):
                        await send(event)
            except ConnectionClosed:  # the client went away, or drop_after: the session ends
                pass
            finally:
                open_now -= 1
                last_seen = asyncio.get_running_loop().time()

        async with serve(handle, "127.0.0.1", self.port, process_request=admit, max_size=None) as server:
            port = server.sockets[0].getsockname()[1]
            self.url = f"http://127.0.0.1:{port}/v1"
            ready.set()
            loop = asyncio.get_running_loop()
            while open_now or loop.time() - last_seen < self.idle:
                await asyncio.sleep(0.1)


def main() -> int:
    import argparse
    import time

    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--port", type=int, default=0, help="the port on 127.0.0.1 (default: a free one)")
    parser.add_argument("--idle", type=float, default=60.0,
                        help="stop after this many seconds with no connection open (default: 60)")  # fmt: skip
    parser.add_argument("--drop-after", type=int, metavar="N",
                        help="close the first connection with code 1012 after N responses, to try reconnects")  # fmt: skip
    options = parser.parse_args()
    try:
        import websockets  # noqa: F401
    except ImportError:
        sys.exit("standin.py: serving needs the websockets library: pip install websockets")
    try:
        server = Server(port=options.port, idle=options.idle, drop_after=options.drop_after).start()
    except OSError as error:
        sys.exit(f"standin.py: cannot listen on 127.0.0.1:{options.port}: {error.strerror or error}")
    print(server.url, flush=True)
    try:
        while server.thread.is_alive():
            time.sleep(0.2)
    except KeyboardInterrupt:
        pass
    return 0


if __name__ == "__main__":
    sys.exit(main())
