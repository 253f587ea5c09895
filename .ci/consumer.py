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

# History in and out, and the conversation a program wants.
chat = [{"role": "user", "content": "Hi"}, {"role": "assistant", "content": "Hello."}]
seeded: List[Dict[str, object]] = rtitem.history_events(rtitem.from_chat_messages(chat))
from_responses: List[ConversationItem] = rtitem.from_responses_input("Hi")
messages: List[Dict[str, object]] = rtitem.to_chat_messages(conversation)
responses_input: List[Dict[str, object]] = rtitem.to_responses_input(conversation.items)
transcript: str = conversation.transcript()
older, recent = rtitem.split_turns(conversation, 1)
summary = ConversationItem.message("system", f"{len(older)} older items")
synced: List[Dict[str, object]] = conversation.sync_events([summary, *recent])
used: int = conversation.usage["input_tokens"]
last: Optional[Dict[str, object]] = conversation.last_usage
kept: Optional[bytes] = conversation.kept_audio("item_1")

# A live program: the response under way, a new session on the stream, what was heard.
active: Optional[str] = conversation.active_response
previous: Tuple[ConversationItem, ...] = conversation.previous_session_items
restore: List[Dict[str, object]] = rtitem.history_events(previous)
heard_text: Optional[str] = conversation.heard_transcript("item_1", 0)
transcribed: Dict[str, object] = conversation.transcription_usage


def wrong_on_purpose() -> None:  # type-checked, never run
    not_a_number: int = hello.role  # type: ignore[assignment]
    ConversationItem.message(42, "hi")  # type: ignore[arg-type]
    conversation.apply("event", strict=True)  # type: ignore[call-arg]
    rtitem.split_turns(conversation, keep_turns="2")  # type: ignore[arg-type]
    transcript_lines: List[str] = conversation.transcript()  # type: ignore[assignment]
    not_a_list: List[str] = conversation.previous_session_items  # type: ignore[assignment]


try:
    ConversationItem.from_dict({"type": "message", "role": "bot", "content": []})
except rtitem.ValidationError as error:
    print(json.dumps({"path": error.path, "message": error.msg}))
print(kind.value, role, text, len(items), sorted(wire), changed, len(held), heard, len(replay))
print(len(seeded), len(from_responses), messages, responses_input, transcript, len(synced), used, last, kept)
print(active, len(previous), len(restore), heard_text, transcribed)
