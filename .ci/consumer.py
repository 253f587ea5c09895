"""A user's script, type-checked by .ci/run against an installed rtitem (mypy --strict).

Each `type: ignore` below is there because the line is wrong on purpose: mypy --strict warns
about an unused ignore, so if rtitem's types were missing (every value Any), these lines
would fail the check instead of passing silently.
"""

import json
from typing import Dict, List, Optional, Tuple

import rtitem
from rtitem import ContentPart, ConversationItem, ItemType, Role

hello = ConversationItem.message("user", "What's the weather in Paris?")
role: Optional[Role] = hello.role
kind: ItemType = hello.type
wire: Dict[str, object] = hello.create_event()
part = ContentPart.input_text("hi")
text: Optional[str] = part.text
items: List[ConversationItem] = rtitem.items_from_event({"type": "response.done", "response": {"output": []}})
conversation = rtitem.Conversation(strict=False)
changed: Optional[str] = conversation.apply({"type": "conversation.item.added", "item": {**hello.to_dict(), "id": "item_1"}})
held: Tuple[ConversationItem, ...] = conversation.items
heard: Optional[float] = conversation.audio_ms("item_1")
replay: List[Dict[str, object]] = conversation.replay_events(packed=True)


def wrong_on_purpose() -> None:  # type-checked, never run
    not_a_number: int = hello.role  # type: ignore[assignment]
    ConversationItem.message(42, "hi")  # type: ignore[arg-type]
    conversation.apply("event", strict=True)  # type: ignore[call-arg]


try:
    ConversationItem.from_dict({"type": "message", "role": "bot", "content": []})
except rtitem.ValidationError as error:
    print(json.dumps({"path": error.path, "message": error.msg}))
print(kind.value, role, text, len(items), sorted(wire), changed, len(held), heard, len(replay))
