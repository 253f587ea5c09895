"""Check that Conversation.apply() of the official SDK's event objects gives exactly what
apply() of the events' JSON dicts gives, with no warning: every server event of the corpus and
of generated sessions (the test file's GA and beta sessions, and the stand-in's responses with
text, calls, parallel calls and audio), read through the SDK's own parse path
(`RealtimeConnection.parse_event`, GA and beta), in both modes. Also that the SDK's
model_dump() with its defaults is what misleads a mirror, so that this check can fail.

Run by .ci/run from the repository's root in a venv with openai, pytest and an installed
rtitem; the SDK is a reference here, never a dependency of rtitem.
"""

import json
import logging
import pathlib
import random
import sys
import warnings

from openai.resources.beta.realtime.realtime import RealtimeConnection as BetaConnection
from openai.resources.realtime.realtime import RealtimeConnection

import rtitem  # the installed one, first: the test file imported next finds it imported

HERE = pathlib.Path.cwd()
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE / "examples"))

import standin  # noqa: E402
import test_rtitem  # noqa: E402  (its session generator)

if pathlib.Path(rtitem.__file__).parent == HERE:
    sys.exit("sdk_events: run it where the installed rtitem is the one imported, not the clone's")


def parse(connection, event):
    """The SDK's parse path, as its connection's recv() takes a message."""
    return connection.parse_event(None, json.dumps(event))


def state(conversation):
    """What a program can read of a conversation."""
    return (
        [item.to_dict() for item in conversation],
        [item.to_dict() for item in conversation.out_of_band],
        [(path, message) for _, path, message in conversation.problems],
        conversation.usage,
        conversation.last_usage,
        conversation.active_response,
        [item.to_dict() for item in conversation.previous_session_items],
        conversation.dialect,
        conversation.transcript(),
    )


def same_through_the_sdk(events, connection, what):
    for strict in (True, False):
        plain, sdk = rtitem.Conversation(strict=strict), rtitem.Conversation(strict=strict)
        for index, event in enumerate(events):
            try:
                expected = plain.apply(event)
            except rtitem.ValidationError as error:
                expected = error
            try:
                got = sdk.apply(parse(connection, event))
            except rtitem.ValidationError as error:
                got = error
            if str(got) != str(expected):
                sys.exit(f"{what}, event {index} ({event.get('type')}), strict={strict}: {got!r} through the SDK, {expected!r} from the dict")
        if state(plain) != state(sdk):
            sys.exit(f"{what}, strict={strict}: the conversation differs through the SDK")


def stand_in_sessions():
    """Sessions of the stand-in: a spoken answer with a call, parallel calls, a text answer."""
    for seed, text, modalities in [(1, "Weather in Paris?", ["audio"]), (2, "Paris and Rome, please", ["text"]), (3, "Hi", ["text"])]:
        server = standin.StandIn(seed=seed, fast=0, slow=0)
        events = test_rtitem.weather_session(server, text, modalities)
        events += test_rtitem.play(server, {"type": "response.create"})
        for event in list(events):
            if event["type"] == "response.output_item.done" and event["item"]["type"] == "function_call":
                output = {"type": "function_call_output", "call_id": event["item"]["call_id"], "output": '{"city": "Paris"}'}
                events += test_rtitem.play(server, {"type": "conversation.item.create", "item": output})
        events += test_rtitem.play(server, {"type": "response.create"})
        yield events


def main():
    warnings.simplefilter("error")  # a warning pydantic prints fails the check
    logging.getLogger("rtitem").propagate = False  # the lenient mirrors' problems: compared, not shown
    logging.getLogger("rtitem").addHandler(logging.NullHandler())
    corpus = [json.loads(path.read_text(encoding="utf-8")) for path in sorted((HERE / "corpus").glob("*.json"))]
    server_events = corpus  # client events among them: refused alike, both ways
    counted = 0
    for name, connection in (("GA", RealtimeConnection), ("beta", BetaConnection)):
        same_through_the_sdk(server_events, connection, f"the corpus, {name} types")
        counted += len(server_events)
    rng = random.Random(7)
    for turns in (1, 4):
        for dialect, connection in (("ga", RealtimeConnection), ("beta", BetaConnection)):
            events, _ = test_rtitem.session(rng, dialect, turns)
            same_through_the_sdk(events, connection, f"a generated {dialect} session of {turns} turns")
            counted += len(events)
    for events in stand_in_sessions():
        same_through_the_sdk(events, RealtimeConnection, "a session of the stand-in")
        counted += len(events)
    done = next(event for event in corpus if event.get("type") == "response.done" and "conversation_id" not in event["response"])
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        dumped = parse(BetaConnection, done).model_dump()
    if dumped["response"].get("conversation_id", "absent") is not None:
        sys.exit("the SDK's model_dump() no longer adds conversation_id: null to a beta response.done")
    print(f"{counted} server events read through the SDK's parse path give the conversation their dicts give, with no warning")


if __name__ == "__main__":
    main()
