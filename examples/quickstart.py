"""Ask a Realtime model one question over a websocket, answer its tool calls, print its answer.

    pip install websockets
    OPENAI_API_KEY=sk-... python quickstart.py "What's the weather in Paris?"

rtitem keeps the conversation from the server's events and checks each event before it is
sent. quickstart_async.py is this program for asyncio, quickstart_sdk.py for the openai SDK.
"""

import argparse
import json
import logging
import os
import sys
from typing import Any, Dict, List, Optional, Union, cast

from websockets.exceptions import ConnectionClosed
from websockets.sync.client import connect

import rtitem
from rtitem import ConversationItem, Role

WEATHER_TOOL = {
    "type": "function",
    "name": "get_weather",
    "description": "The weather in a city, now.",
    "parameters": {
        "type": "object",
        "properties": {"city": {"type": "string"}},
        "required": ["city"],
    },
}


def get_weather(city: str) -> Dict[str, Any]:
    return {"city": city, "temperature_c": 10 + sum(map(ord, city)) % 20, "sky": "clear"}


def first_events(text: str) -> List[Dict[str, Any]]:
    """The session (text answers, one tool), the user's message, and a request for an answer."""
    session = {"type": "realtime", "output_modalities": ["text"], "tools": [WEATHER_TOOL]}
    return [
        {"type": "session.update", "session": session},
        ConversationItem.message("user", text).create_event(),
        {"type": "response.create"},
    ]


def step(
    conversation: rtitem.Conversation, kind: str, changed: Optional[str], trouble: Optional[str]
) -> Union[int, List[Dict[str, Any]]]:
    """What to do once apply() has taken a server event of type `kind`: stop (1) on `trouble`,
    the server's error; print an assistant message when it is done; at response.done, answer
    every call still to answer, then ask for one response (the server refuses one while a
    response is under way), or stop (0) when there is no call to answer. The exit status, or
    the events to send."""
    if trouble is not None:
        print(trouble, file=sys.stderr)
        return 1
    item = conversation.get(changed) if changed else None
    if kind == "response.output_item.done" and item is not None and item.role is Role.ASSISTANT:
        print("assistant:", item.plain_text())
    if kind != "response.done":
        return []
    replies: List[Dict[str, Any]] = []
    for call in conversation.pending_calls():
        try:
            arguments = call.parsed_arguments()  # a ValidationError (a ValueError) if not JSON
            result = get_weather(str(arguments["city"]))
        except (ValueError, KeyError, TypeError) as error:
            result = {"error": f"bad arguments: {error}"}
        replies.append(ConversationItem.function_call_output(call, result).create_event())
    return replies + [{"type": "response.create"}] if replies else 0


def trouble(event: Dict[str, Any]) -> Optional[str]:
    """The message of an error event, or of a response that failed; None for the rest."""
    if event.get("type") == "error":
        return str(field(event, "error").get("message") or event.get("error"))
    response = field(event, "response")
    if event.get("type") == "response.done" and response.get("status") == "failed":
        error = field(field(response, "status_details"), "error")
        return str(error.get("message") or "the response failed")
    return None


def field(data: Dict[str, Any], name: str) -> Dict[str, Any]:
    """An object in a server event, or {} where there is none."""
    value = data.get(name)
    return cast(Dict[str, Any], value) if isinstance(value, dict) else {}


def closed(error: Optional[Exception] = None) -> int:
    """The connection closed (or never opened) before the answer: say so, and fail."""
    why = f": {error}" if error else ""
    print(f"the connection closed before the answer{why}", file=sys.stderr)
    return 1


def options() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description="Ask a Realtime model one question.")
    parser.add_argument("text", nargs="*", default=["What's the weather in Paris?"])
    parser.add_argument("--model", default="gpt-realtime")
    return parser.parse_args()


def realtime_url(model: str) -> str:
    """Where the openai SDK connects: OPENAI_BASE_URL, http(s) made ws(s), then /realtime."""
    base = os.environ.get("OPENAI_BASE_URL", "https://api.openai.com/v1").rstrip("/")
    return base.replace("http", "ws", 1) + f"/realtime?model={model}"


def main() -> int:
    chosen = options()
    logging.basicConfig(format="%(name)s: %(message)s")  # rtitem logs each problem it meets
    conversation = rtitem.Conversation(strict=False)  # live traffic: never raises on it
    headers = {"Authorization": f"Bearer {os.environ['OPENAI_API_KEY']}"}
    try:
        with connect(realtime_url(chosen.model), additional_headers=headers, max_size=None) as ws:

            def send(event: Dict[str, Any]) -> None:
                conversation.check(event)  # what the server would refuse raises here, with its path
                ws.send(json.dumps(event))

            for event in first_events(" ".join(chosen.text)):
                send(event)
            for message in ws:
                event = json.loads(message)
                changed = conversation.apply(event)  # the id of the item it touched, or None
                outcome = step(conversation, str(event.get("type")), changed, trouble(event))
                if isinstance(outcome, int):
                    return outcome
                for reply in outcome:
                    send(reply)
    except (ConnectionClosed, OSError) as error:  # OSError: no server there
        return closed(error)
    return closed()


if __name__ == "__main__":
    sys.exit(main())
