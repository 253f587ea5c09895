"""Run the README's programs against the stand-in server, as a user would run them: each of
examples/quickstart.py, quickstart_async.py and quickstart_sdk.py, on a question with one tool
call, one with parallel calls and one with none, must exit 0, print exactly the expected lines
and nothing on standard error, and draw no `error` event from the server. The README's shown
run must be what the program prints. Then two checks of the stand-in itself over its socket: the
old Quick start's mistake (a response.create on a call's response.output_item.done) is refused
as the server refuses it, and a program on the SDK that reconnects after the server closes
with 1012 restores its conversation from previous_session_items on the new session.

Run by .ci/run from the repository's root in a venv with openai, websockets and an installed
rtitem; the programs and the server are the repository's, rtitem is the installed one.
"""

import json
import os
import pathlib
import re
import subprocess
import sys

HERE = pathlib.Path.cwd()
sys.path.insert(0, str(HERE / "examples"))

import standin  # noqa: E402

import rtitem  # noqa: E402

PROGRAMS = ["quickstart.py", "quickstart_async.py", "quickstart_sdk.py"]
QUESTIONS = {
    "": ["assistant: It's 21 degrees and clear in Paris."],
    "What's the weather in Paris and Rome?": ["assistant: It's 21 degrees and clear in Paris. It's 13 degrees and clear in Rome."],
    "Hello": ["assistant: Hello! Ask me about the weather in a city."],
}


def fail(message):
    sys.exit(f"live: {message}")


def run(server, program, question):
    env = {**os.environ, "OPENAI_BASE_URL": server.url, "OPENAI_API_KEY": "sk-stand-in"}
    env.pop("PYTHONPATH", None)
    before = len(server.sent)
    args = [sys.executable, str(HERE / "examples" / program)] + ([question] if question else [])
    result = subprocess.run(args, env=env, capture_output=True, text=True, timeout=120)
    errors = [event for _, event in server.sent[before:] if event["type"] == "error"]
    return result, errors


def check_programs(server):
    for program in PROGRAMS:
        for question, lines in QUESTIONS.items():
            result, errors = run(server, program, question)
            shown = f"{program} {question!r}: exit {result.returncode}, stdout {result.stdout!r}, stderr {result.stderr[-800:]!r}"
            if (result.returncode, result.stdout.splitlines(), result.stderr, errors) != (0, lines, "", []):
                fail(f"{shown}, server errors {errors}")
            print(f"ok: {program} {question!r} -> {lines}")


def check_readme_run(server):
    readme = (HERE / "README.md").read_text(encoding="utf-8")
    commands, output = re.search(r"<!-- quickstart-run -->\n```\n(.*?)```\n<!-- /quickstart-run -->\n\n```\n(.*?)```", readme, re.S).groups()
    lines = commands.strip().splitlines()
    started = re.fullmatch(r"python3 examples/standin.py --port (\d+) &", lines[1])
    match = re.fullmatch(r'python3 examples/(\w+\.py) "(.*)"', lines[-1])
    if lines[2] != "sleep 1":
        fail(f"the README's run does not give the stand-in its second before the program: {lines}")
    if started is None or match is None:
        fail(f"the README's run does not start the stand-in, then end in a program and its question: {lines}")
    url, _, printed = output.partition("\n")
    if url != f"http://127.0.0.1:{started.group(1)}/v1":
        fail(f"the README shows {url!r} as the stand-in's first line; it prints http://127.0.0.1:{started.group(1)}/v1")
    result, errors = run(server, match.group(1), match.group(2))
    if (result.returncode, result.stdout, errors) != (0, printed, []):
        fail(f"the README shows {printed!r} for {lines[-1]!r}, the program printed {result.stdout!r} (exit {result.returncode}, errors {errors})")
    print(f"ok: the README's run prints what it shows: {printed.strip()!r}")


def check_the_old_mistake_is_refused(server):
    from websockets.sync.client import connect

    tool = {"type": "function", "name": "get_weather", "parameters": {"type": "object"}}
    url = server.url.replace("http", "ws", 1) + "/realtime?model=gpt-realtime"
    with connect(url, additional_headers={"Authorization": "Bearer sk-stand-in"}) as ws:
        ws.send(json.dumps({"type": "session.update", "session": {"type": "realtime", "output_modalities": ["text"], "tools": [tool]}}))
        ws.send(json.dumps(rtitem.ConversationItem.message("user", "Weather in Paris?").create_event()))
        ws.send(json.dumps({"type": "response.create"}))
        for message in ws:
            event = json.loads(message)
            if event["type"] == "response.output_item.done" and event["item"]["type"] == "function_call":
                ws.send(json.dumps({"type": "response.create", "event_id": "too_early"}))
            if event["type"] == "error":
                if (event["error"]["code"], event["error"]["event_id"]) != ("conversation_already_has_active_response", "too_early"):
                    fail(f"the stand-in refused the early response.create otherwise: {event}")
                print(f"ok: over its socket, the stand-in refuses a response.create during a response: {event['error']['message']!r}")
                return
            if event["type"] == "response.done":
                fail("the stand-in accepted a response.create while a response was under way")
    fail("the connection closed before the stand-in answered")


def check_a_reconnect_through_the_sdk():
    """The SDK reconnects on 1012; the new session's events come on the same iterator, and the
    program restores what previous_session_items holds before it asks its next question."""
    from openai import OpenAI
    from quickstart import first_events, step

    server = standin.Server(idle=30, drop_after=1, fast=0.0005, slow=0.01).start()
    client = OpenAI(api_key="sk-stand-in", base_url=server.url)
    conversation = rtitem.Conversation(strict=False)
    close_codes = []
    with client.realtime.connect(model="gpt-realtime", on_reconnecting=lambda event: close_codes.append(event.close_code)) as connection:

        def send(event):
            conversation.check(event)
            connection.send_raw(json.dumps(event))

        for event in first_events("Hello"):
            send(event)
        for server_event in connection:
            changed = conversation.apply(server_event)
            if server_event.type == "error":
                fail(f"the server refused an event: {server_event.error}")
            if server_event.type == "session.created" and conversation.previous_session_items:
                session, question, ask = first_events("What's the weather in Paris?")
                send(session)  # the new session has none of the old one's settings
                for event in rtitem.history_events(conversation.previous_session_items):
                    connection.send_raw(json.dumps(event))  # each anchored on the one before it
                send(question)
                send(ask)
            outcome = step(conversation, server_event.type, changed, None)
            if outcome == 0 and len(server.sessions) == 2:
                break
            for event in outcome if isinstance(outcome, list) else ():
                send(event)
    first = [item.to_dict() for item in conversation.previous_session_items]
    held = [item.to_dict() for item in conversation]
    if (close_codes, len(server.sessions), len(first)) != ([1012], 2, 2):
        fail(f"the reconnect went otherwise: close codes {close_codes}, {len(server.sessions)} sessions, first session {first}")
    if held != server.sessions[1].items or [item["id"] for item in held[:2]] != [item["id"] for item in first]:
        fail(f"the mirror is not the new session's conversation, restored first: {held} against {server.sessions[1].items}")
    if conversation.items[-1].plain_text() != "It's 21 degrees and clear in Paris." or server.errors():
        fail(f"the answer after the reconnect was {conversation.items[-1]}; the stand-in refused {server.errors()}")
    print(f"ok: the SDK reconnected (close code 1012); {len(first)} items restored from previous_session_items, {len(held)} held")


def main():
    server = standin.Server(idle=30).start()
    check_programs(server)
    check_readme_run(server)
    check_the_old_mistake_is_refused(server)
    check_a_reconnect_through_the_sdk()


if __name__ == "__main__":
    main()
