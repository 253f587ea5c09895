"""quickstart.py for asyncio: the same question, calls and answer, with the websockets
library's asyncio client. It takes the tool and what to do with each event from quickstart.py.

    OPENAI_API_KEY=sk-... python quickstart_async.py "What's the weather in Paris?"
"""

import asyncio
import json
import logging
import os
import sys
from typing import Any, Dict

from websockets.asyncio.client import connect
from websockets.exceptions import ConnectionClosed

import rtitem
from quickstart import closed, first_events, options, realtime_url, step, trouble


async def main() -> int:
    chosen = options()
    logging.basicConfig(format="%(name)s: %(message)s")  # rtitem logs each problem it meets
    conversation = rtitem.Conversation(strict=False)  # live traffic: never raises on it
    headers = {"Authorization": f"Bearer {os.environ['OPENAI_API_KEY']}"}
    try:
        url = realtime_url(chosen.model)
        async with connect(url, additional_headers=headers, max_size=None) as ws:

            async def send(event: Dict[str, Any]) -> None:
                conversation.check(event)  # what the server would refuse raises here, with its path
                await ws.send(json.dumps(event))

            for event in first_events(" ".join(chosen.text)):
                await send(event)
            async for message in ws:
                event = json.loads(message)
                changed = conversation.apply(event)  # the id of the item it touched, or None
                outcome = step(conversation, str(event.get("type")), changed, trouble(event))
                if isinstance(outcome, int):
                    return outcome
                for reply in outcome:
                    await send(reply)
    except (ConnectionClosed, OSError) as error:  # OSError: no server there
        return closed(error)
    return closed()


if __name__ == "__main__":
    sys.exit(asyncio.run(main()))
