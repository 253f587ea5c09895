"""Check that what rtitem's history converters write is what the official SDK's request types
accept: every Chat Completions message a `ChatCompletionMessageParam`, every Responses input
item a `ResponseInputItemParam`, with no key those types do not have. Run by .ci/run in a venv
with the `openai` package and an installed rtitem; the SDK is a reference here, never a
dependency of rtitem.
"""

import collections.abc
import random
import sys
import typing

import typing_extensions
from openai.types.chat import ChatCompletionMessageParam
from openai.types.responses import ResponseInputItemParam

import rtitem

WRAPPERS = {typing_extensions.Required, typing_extensions.NotRequired, typing_extensions.Annotated}


def fits(value, hint, path, why):
    """Whether `value` is of type `hint` exactly: a TypedDict with only its keys and all its
    required ones. `why` collects the reasons a value does not fit, for the message."""
    origin = typing_extensions.get_origin(hint)
    if origin in WRAPPERS or origin is getattr(typing, "Annotated", None):
        return fits(value, typing_extensions.get_args(hint)[0], path, why)
    if origin is typing.Union:
        return any(fits(value, option, path, why) for option in typing_extensions.get_args(hint))
    if origin in (typing.Literal, typing_extensions.Literal):
        return value in typing_extensions.get_args(hint) or why.append(f"{path}: {value!r} is no {hint}")
    if typing_extensions.is_typeddict(hint):
        if not isinstance(value, dict):
            return why.append(f"{path}: not an object")
        hints = typing_extensions.get_type_hints(hint, include_extras=True)
        wrapper = {key: typing_extensions.get_origin(of) for key, of in hints.items()}
        if hint.__total__:  # the SDK's are total=False, with Required[...] in string annotations
            required = {key for key in hints if wrapper[key] is not typing_extensions.NotRequired}
        else:
            required = {key for key in hints if wrapper[key] is typing_extensions.Required}
        extra = set(value) - set(hints)
        missing = required - set(value)
        if extra or missing:
            return why.append(f"{path}: {hint.__name__} has no {sorted(extra)} or needs {sorted(missing)}")
        return all(fits(item, hints[key], f"{path}.{key}", why) for key, item in value.items())
    if origin in (list, collections.abc.Iterable, collections.abc.Sequence) or (
        origin is not None and getattr(origin, "__name__", "") == "SequenceNotStr"
    ):
        (element,) = typing_extensions.get_args(hint)
        return isinstance(value, list) and all(fits(item, element, f"{path}[{i}]", why) for i, item in enumerate(value))
    if hint is object:
        return True
    if hint is type(None):
        return value is None
    if hint in (str, int, bool, float):
        return type(value) is hint or why.append(f"{path}: {value!r} is no {hint.__name__}")
    raise TypeError(f"{path}: no check for {hint!r}")


def check(values, hint, what):
    for index, value in enumerate(values):
        why = []
        if not fits(value, hint, f"[{index}]", why):
            sys.exit(f"{what}[{index}] is not what the SDK types: {value}\n  " + "\n  ".join(why[-6:]))


def main():
    rng = random.Random(7)
    png = "data:image/png;base64,iVBORw0KGgo="
    total = 0
    for turn in range(200):
        conversation = rtitem.Conversation()
        previous = None
        items = [
            {"type": "message", "role": "system", "content": [{"type": "input_text", "text": "Be brief."}]},
            {"type": "message", "role": "user", "content": [{"type": "input_audio", "transcript": "Look."},
                                                            {"type": "input_image", "image_url": png, "detail": rng.choice(["low", "auto"])}]},
            {"type": "message", "role": "user", "content": [{"type": "input_text", "text": "Weather?"}]},
            {"type": "message", "role": "assistant", "content": [{"type": "output_audio", "transcript": "Checking."}]},
            {"type": "function_call", "call_id": "call_1", "name": "get_weather", "arguments": "{}"},
            {"type": "function_call", "call_id": "call_2", "name": "get_time", "arguments": "{}"},
            {"type": "function_call_output", "call_id": "call_1", "output": "21"},
            {"type": "function_call_output", "call_id": "call_2", "output": "noon"},
            {"type": "message", "role": "assistant", "content": [{"type": "output_text", "text": "Sunny."},
                                                                 {"type": "output_text", "text": "At noon."}]},
        ]  # fmt: skip
        rng.shuffle(items[2:4])
        for index, item in enumerate(items):
            if rng.random() < 0.9:
                conversation.apply({"type": "conversation.item.added", "previous_item_id": previous,
                                    "item": {**item, "id": f"item_{turn}_{index}"}})  # fmt: skip
                previous = f"item_{turn}_{index}"
        messages = rtitem.to_chat_messages(conversation)
        responses = rtitem.to_responses_input(conversation)
        check(messages, ChatCompletionMessageParam, "to_chat_messages")
        check(responses, ResponseInputItemParam, "to_responses_input")
        total += len(messages) + len(responses)
    print(f"{total} Chat Completions messages and Responses input items are what the SDK's types accept")


if __name__ == "__main__":
    main()
