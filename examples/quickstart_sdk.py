"""quickstart.py through the openai SDK's client.realtime.connect(): the same question, calls
and answer. apply() takes the SDK's event objects as they come; rtitem's events are dicts, sent
as JSON text with send_raw. It takes the tool and what to do with each event from quickstart.py.

    pip install "openai[realtime]"
    OPENAI_API_KEY=sk-... python quickstart_sdk.py "What's the weather in Paris?"
"""

import json
import logging
import sys
from typing import Any, Dict, Optional

from openai import OpenAI, WebSocketConnectionClosedError
from openai.types.realtime import RealtimeErrorEvent, RealtimeServerEvent, ResponseDoneEvent
from websockets.exceptions import ConnectionClosed

import rtitem
from quickstart import closed, first_events, options, step


def trouble(event: RealtimeServerEvent) -> Optional[str]:
    """The message of an error event, or of a response that failed; None for the rest."""
    if isinstance(event, RealtimeErrorEvent):
        return event.error.message
    if isinstance(event, ResponseDoneEvent) and event.response.status == "failed":
        details = event.response.status_details
        error = details.error if details is not None else None
        return error.message if error is not None and error.message else "the response failed"
    return None


def main() -> int:
    chosen = options()
    logging.basicConfig(format="%(name)s: %(message)s")  # rtitem logs each problem it meets
    conversation = rtitem.Conversation(strict=False)  # live traffic: never raises on it
    client = OpenAI()  # OPENAI_API_KEY, and OPENAI_BASE_URL where it is set
    try:
        with client.realtime.connect(model=chosen.model) as connection:

            def send(event: Dict[str, Any]) -> None:
                conversation.check(event)  # what the server would refuse raises here, with its path
                connection.send_raw(json.dumps(event))

            for event in first_events(" ".join(chosen.text)):
                send(event)
            for server_event in connection:
                changed = conversation.apply(server_event)  # read as the JSON the server sent
                outcome = step(conversation, server_event.type, changed, trouble(server_event))
                if isinstance(outcome, int):
                    return outcome
                for reply in outcome:
                    send(reply)
    except (ConnectionClosed, WebSocketConnectionClosedError, OSError) as error:
        return closed(error)
    return closed()


if __name__ == "__main__":
    sys.exit(main())
