"""Benchmark rtitem side by side with the official openai SDK's models and msgspec.

    python bench/bench_rtitem.py [--repeat 5] [--checker-mb 100]

Everything is timed in this one process: best of --repeat runs, nanoseconds per operation. The
peers are optional (`pip install --group bench`, or `pip install openai msgspec`); a peer that
is not installed is skipped with a note. The goals in the project's performance issue are stated
for CPython 3.11 as geometric means over the five shapes.
"""

import argparse
import base64
import json
import math
import os
import platform
import subprocess
import sys
import tempfile
import time
import timeit

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
sys.path.insert(0, ROOT)

import rtitem  # noqa: E402

ONE_SECOND = 24_000 * 2  # bytes of PCM16 mono at 24 kHz, the Realtime API's default input


def audio(n_bytes):
    """Base64 of n_bytes of audio-like bytes."""
    pattern = bytes(range(256))
    raw = pattern * (n_bytes // 256) + pattern[: n_bytes % 256]
    return base64.b64encode(raw).decode("ascii")


# The five shapes, from corpus/ (GA dialect, as today's servers send them).
SHAPES = {
    "user text": {  # ga-conversation.item.added-user-input_text.json
        "id": "item_C9G8pGVKYnaZu8PH5YQ9O",
        "type": "message",
        "status": "completed",
        "role": "user",
        "content": [{"type": "input_text", "text": "hi"}],
    },
    "user audio 1 s": {  # beta-conversation.item.created-user-input_audio-spec2024.json, with 1 s of audio
        "id": "msg_003",
        "type": "message",
        "status": "completed",
        "role": "user",
        "content": [{"type": "input_audio", "audio": audio(ONE_SECOND), "transcript": "hello how are you"}],
    },
    "assistant audio": {  # ga-conversation.item.done-assistant-output_audio.json
        "id": "item_CCXLfxmM5sXVJVz4mCa2S",
        "type": "message",
        "status": "completed",
        "role": "assistant",
        "content": [
            {
                "type": "output_audio",
                "transcript": "Oh, I can hear you loud and clear! Sounds like we're connected just fine. "
                "What can I help you with today?",
            }
        ],
    },
    "function call": {  # ga-response.output_item.done-function_call-sdk.json
        "id": "call_123",
        "type": "function_call",
        "status": "completed",
        "name": "get_weather",
        "call_id": "call_123",
        "arguments": '{"location": "San Francisco"}',
    },
    "function call output": {  # ga-conversation.item.create-function_call_output-docs.json
        "type": "function_call_output",
        "call_id": "call_sHlR7iaFwQ2YQOqm",
        "output": '{"horoscope": "You will soon meet a new friend."}',
    },
}


def beta_names(data):
    """The same item with the beta names of the assistant's parts: the SDK's beta model refuses
    `output_audio`, and its GA union refuses `audio`, so each gets the dialect it knows."""
    renames = {"output_audio": "audio", "output_text": "text"}
    if "content" not in data:
        return data
    parts = [{**part, "type": renames.get(part["type"], part["type"])} for part in data["content"]]
    return {**data, "content": parts}


def with_parts(count):
    parts = [{"type": "input_text", "text": f"part {index}"} for index in range(count)]
    return {"id": "item_parts", "type": "message", "role": "user", "content": parts}


def with_audio(n_bytes):
    part = {"type": "input_audio", "audio": audio(n_bytes), "transcript": "x"}
    return {"id": "item_audio", "type": "message", "role": "user", "content": [part]}


SCALING = {
    **{f"{count} parts": with_parts(count) for count in (1, 10, 100, 10_000)},
    **{f"audio {label}": with_audio(size) for label, size in (
        ("1 KB", 1_000), ("10 KB", 10_000), ("100 KB", 100_000), ("1 MB", 1_000_000), ("10 MB", 10_000_000))},
}  # fmt: skip


def floor_copy(value):
    """The floor: copy the dicts and lists with comprehensions, checking nothing."""
    if type(value) is dict:
        return {key: floor_copy(element) for key, element in value.items()}
    if type(value) is list:
        return [floor_copy(element) for element in value]
    return value


# --- Peers ------------------------------------------------------------------------------------


def load_sdk():
    try:
        import openai
        import pydantic
        from openai.types.beta.realtime import ConversationItem as BetaItem
        from openai.types.realtime import ConversationItem as GaItem
    except ImportError as error:
        return None, f"the openai SDK is not installed ({error.name}): its columns are skipped"
    return {
        "beta": BetaItem,
        "ga": pydantic.TypeAdapter(GaItem),
        "version": f"openai {openai.__version__}, pydantic {pydantic.__version__}",
    }, None


def load_msgspec():
    try:
        import msgspec
    except ImportError:
        return None, "msgspec is not installed: its columns are skipped"
    from typing import List, Literal, Optional, Union

    try:
        from typing import Annotated
    except ImportError:  # Python 3.8
        from typing_extensions import Annotated

    Id = Annotated[str, msgspec.Meta(pattern=r"^[A-Za-z0-9_-]{1,32}$")]
    Status = Literal["completed", "incomplete", "in_progress"]
    options = dict(tag_field="type", omit_defaults=True, forbid_unknown_fields=True, frozen=True, kw_only=True)

    class InputText(msgspec.Struct, tag="input_text", **options):
        text: str

    class OutputText(msgspec.Struct, tag="output_text", **options):
        text: str

    class Text(msgspec.Struct, tag="text", **options):
        text: str

    class InputAudio(msgspec.Struct, tag="input_audio", **options):
        audio: Optional[str] = None
        transcript: Optional[str] = None

    class OutputAudio(msgspec.Struct, tag="output_audio", **options):
        audio: Optional[str] = None
        transcript: Optional[str] = None

    class Audio(msgspec.Struct, tag="audio", **options):
        audio: Optional[str] = None
        transcript: Optional[str] = None

    class InputImage(msgspec.Struct, tag="input_image", **options):
        image_url: Optional[str] = None
        detail: Optional[Literal["auto", "low", "high"]] = None

    class ItemReferencePart(msgspec.Struct, tag="item_reference", **options):
        id: Id

    Part = Union[InputText, OutputText, Text, InputAudio, OutputAudio, Audio, InputImage, ItemReferencePart]

    class Message(msgspec.Struct, tag="message", **options):
        id: Optional[Id] = None
        object: Optional[Literal["realtime.item"]] = None
        status: Optional[Status] = None
        role: Literal["system", "user", "assistant"]
        content: List[Part]

    class FunctionCall(msgspec.Struct, tag="function_call", **options):
        id: Optional[Id] = None
        object: Optional[Literal["realtime.item"]] = None
        status: Optional[Status] = None
        call_id: Optional[Id] = None
        name: str
        arguments: str

    class FunctionCallOutput(msgspec.Struct, tag="function_call_output", **options):
        id: Optional[Id] = None
        object: Optional[Literal["realtime.item"]] = None
        status: Optional[Status] = None
        call_id: Id
        output: str

    # msgspec checks every field's type and value, but it cannot check which parts each role may
    # hold (its unions have one tag), which rtitem does on top. Given the Union, msgspec.convert
    # rebuilds its type information on every call, so the fast and fair way is to pick the Struct
    # by the `type` tag first, as a program that wants speed would; JSON goes through a Decoder.
    union = Union[Message, FunctionCall, FunctionCallOutput]
    return {
        "module": msgspec,
        "union": union,
        "by_tag": {"message": Message, "function_call": FunctionCall, "function_call_output": FunctionCallOutput},
        "decoder": msgspec.json.Decoder(union),
        "encoder": msgspec.json.Encoder(),
        "version": f"msgspec {msgspec.__version__}",
    }, None


# --- Timing ---------------------------------------------------------------------------------------


def best_ns(function, repeat):
    timer = timeit.Timer(function)
    number, _ = timer.autorange()
    return min(timer.repeat(repeat, max(1, number // 2))) / max(1, number // 2) * 1e9


def interleaved_ns(functions, repeat):
    """ns per call of each of `functions` (name: function), best of `repeat` rounds in which each
    runs once in turn: the machine's speed drifts within minutes, and timing one contender's
    repeats after another's would put the drift into their ratio."""
    timers = {name: timeit.Timer(function) for name, function in functions.items()}
    numbers = {name: max(1, timer.autorange()[0] // 2) for name, timer in timers.items()}
    best = dict.fromkeys(timers, math.inf)
    for _ in range(repeat):
        for name, timer in timers.items():
            best[name] = min(best[name], timer.timeit(numbers[name]) / numbers[name] * 1e9)
    return best


def measure(data, sdk, ms, repeat, with_json=True):
    """ns per operation of each contender on one payload, timed in turns (interleaved_ns); a
    peer that is absent has no entry."""
    item = rtitem.ConversationItem.from_dict(data)
    text = json.dumps(data)
    contenders = {
        "rtitem from_dict": lambda: rtitem.ConversationItem.from_dict(data),
        "rtitem to_dict": item.to_dict,
        "floor": lambda: floor_copy(data),
    }
    if with_json:
        contenders["rtitem from_json"] = lambda: rtitem.ConversationItem.from_json(text)
        contenders["rtitem to_json"] = item.to_json
    assert item.to_dict() == data and floor_copy(data) == data
    if sdk:
        beta = beta_names(data)
        model = sdk["beta"].model_validate(beta)
        assert model.model_dump(exclude_none=True) == beta, "the SDK model changed the payload"
        contenders["SDK model_validate"] = lambda: sdk["beta"].model_validate(beta)
        contenders["SDK model_dump"] = lambda: model.model_dump(exclude_none=True)
        sdk["ga"].validate_python(data)
        contenders["SDK GA union"] = lambda: sdk["ga"].validate_python(data)
        if with_json:
            beta_text = json.dumps(beta)
            contenders["SDK validate_json"] = lambda: sdk["beta"].model_validate_json(beta_text)
            contenders["SDK dump_json"] = lambda: model.model_dump_json(exclude_none=True)
    if ms:
        msgspec, by_tag = ms["module"], ms["by_tag"]
        struct = msgspec.convert(data, by_tag[data["type"]])
        assert msgspec.to_builtins(struct) == data, "msgspec changed the payload"
        contenders["msgspec convert"] = lambda: msgspec.convert(data, by_tag[data["type"]])
        contenders["msgspec to_builtins"] = lambda: msgspec.to_builtins(struct)
        if with_json:
            encoded = text.encode()
            decode, encode = ms["decoder"].decode, ms["encoder"].encode
            assert decode(encoded) == struct
            contenders["msgspec json decode"] = lambda: decode(encoded)
            contenders["msgspec json encode"] = lambda: encode(struct)
    return interleaved_ns(contenders, repeat)


def geomean(values):
    return math.exp(sum(math.log(value) for value in values) / len(values))


def table(title, columns, rows, results, ratios=()):
    """Print one table: a row a payload, a column a contender (ns), then the ratios."""
    names = [name for name in columns if all(name in results[row] for row in rows)]
    ratio_names = [(label, a, b) for label, a, b in ratios if a in names and b in names]
    width = max(len(row) for row in rows) + 2
    header = "".join(f"{name:>{max(11, len(name) + 2)}}" for name in names)
    header += "".join(f"{label:>{max(11, len(label) + 2)}}" for label, _, _ in ratio_names)
    print(f"\n{title}\n{'':<{width}}{header}")
    for row in (rows + ["geometric mean"]) if rows == list(SHAPES) else rows:
        if row == "geometric mean":
            cells = "".join(f"{'':>{max(11, len(name) + 2)}}" for name in names)
        else:
            cells = "".join(f"{fmt_ns(results[row][name]):>{max(11, len(name) + 2)}}" for name in names)
        for label, a, b in ratio_names:
            if row == "geometric mean":
                value = geomean([results[r][a] / results[r][b] for r in rows])
            else:
                value = results[row][a] / results[row][b]
            cells += f"{value:>{max(11, len(label) + 2) - 1}.2f}x"
        print(f"{row:<{width}}{cells}")


def fmt_ns(ns):
    if ns >= 1e6:
        return f"{ns / 1e6:,.1f} ms"
    if ns >= 1e4:
        return f"{ns / 1e3:,.1f} us"
    return f"{ns:,.0f}"


# --- Import time and the checker -------------------------------------------------------------------


def import_times(runs=9):
    """Milliseconds to import rtitem on top of dataclasses, enum, json and base64 (best of fresh
    processes, bytecode cached), and python -X importtime totals for rtitem and the SDK's item."""
    cache = tempfile.mkdtemp(prefix="rtitem-pycache-")
    env = {key: value for key, value in os.environ.items() if key != "PYTHONDONTWRITEBYTECODE"}
    env["PYTHONPATH"] = ROOT
    python = [sys.executable, "-X", f"pycache_prefix={cache}"]
    probe = ("import time; t0 = time.perf_counter(); import dataclasses, enum, json, base64; "
             "t1 = time.perf_counter(); import rtitem; t2 = time.perf_counter(); print(t1 - t0, t2 - t1)")  # fmt: skip
    subprocess.run(python + ["-c", probe], env=env, check=True, capture_output=True)  # write the .pyc
    pairs = [subprocess.run(python + ["-c", probe], env=env, check=True, capture_output=True, text=True)
             .stdout.split() for _ in range(runs)]  # fmt: skip
    base = min(float(pair[0]) for pair in pairs) * 1e3
    added = min(float(pair[1]) for pair in pairs) * 1e3

    def importtime(statement):
        totals = []
        for _ in range(runs):
            result = subprocess.run(python + ["-X", "importtime", "-c", statement], env=env,
                                    capture_output=True, text=True)  # fmt: skip
            if result.returncode:
                return None
            top = [line for line in result.stderr.splitlines() if line.startswith("import time:")
                   and "|" in line and not line.split("|")[2].startswith("  ")]  # fmt: skip
            totals.append(sum(int(line.split("|")[1]) for line in top[1:]) / 1e3)  # [0] is the header
        return min(totals)

    return {
        "base": base,
        "added": added,
        "rtitem": importtime("import rtitem"),
        "sdk": importtime("from openai.types.beta.realtime import ConversationItem"),
        **compile_times(runs),
    }


def compile_times(runs):
    """Milliseconds to compile rtitem.py, as Python compiles a script pasted with it on every
    run (only imported modules keep their bytecode), and its item core alone: the sections
    above the History formats banner (best of `runs`). Also the lines of each."""
    source = open(os.path.join(ROOT, "rtitem.py"), encoding="utf-8").read()
    core = source[: source.index("\n# --- History formats ---") + 1]

    def best(text):
        return min(timeit.repeat(lambda: compile(text, "script.py", "exec"), number=1, repeat=runs)) * 1e3

    return {"compile": best(source), "compile_core": best(core), "lines": source.count("\n"), "core_lines": core.count("\n")}


# The spoken answer of a generated turn lasts as long as its transcript takes to say (7 words at
# 150 words a minute: 2.8 s), streamed in 62.5 ms chunks as the server streams PCM audio.
SPOKEN_DELTAS = math.ceil(7 / 2.5 / 0.0625)


SPOKEN = "It's 21 degrees and clear in Paris."


def session_turn(turn, deltas, spoken=SPOKEN, audio_deltas=True, question=("What's ", "the ", "weather?")):
    """One turn of a GA session as a client records it, both directions, with ids of its own: a
    spoken question (transcribed in the pieces of `question`), a tool call and its output, and
    the `spoken` answer in `deltas` audio deltas, each followed by a transcript delta (a word of
    the answer, or ""); with audio_deltas=False, as a WebRTC client records it, only the
    transcript deltas."""
    delta = audio(3_000)  # one 62.5 ms audio chunk, as the server streams them
    ids = {name: f"item_{name}{turn:020d}" for name in ("User", "Call", "Tool", "Talk")}
    previous = f"item_Talk{turn - 1:020d}" if turn else None
    user = {"id": ids["User"], "type": "message", "status": "completed", "role": "user",
            "content": [{"type": "input_audio", "transcript": None}]}  # fmt: skip
    call = {"id": ids["Call"], "type": "function_call", "status": "completed", "name": "get_weather",
            "call_id": f"call_{turn:016d}", "arguments": '{"city":"Paris"}'}  # fmt: skip
    output = {"id": ids["Tool"], "type": "function_call_output", "call_id": call["call_id"], "output": '{"temperature_c":21}'}
    talk = {"id": ids["Talk"], "type": "message", "status": "completed", "role": "assistant",
            "content": [{"type": "output_audio", "transcript": spoken}]}  # fmt: skip
    talking = {**talk, "status": "in_progress", "content": []}
    calling = {**call, "status": "in_progress", "arguments": ""}
    r1, r2 = f"resp_A{turn:016d}", f"resp_B{turn:016d}"
    at = {"response_id": r2, "item_id": talk["id"], "output_index": 0, "content_index": 0}
    words = talk["content"][0]["transcript"].split(" ")
    return [
        {"type": "input_audio_buffer.committed", "event_id": "event_1", "previous_item_id": previous, "item_id": user["id"]},
        {"type": "conversation.item.added", "event_id": "event_2", "previous_item_id": previous, "item": user},
        {"type": "conversation.item.done", "event_id": "event_3", "previous_item_id": previous, "item": user},
        *({"type": "conversation.item.input_audio_transcription.delta", "event_id": "event_4", "item_id": user["id"],
           "content_index": 0, "delta": word} for word in question),
        {"type": "conversation.item.input_audio_transcription.completed", "event_id": "event_5", "item_id": user["id"],
         "content_index": 0, "transcript": "".join(question)},
        {"type": "response.created", "event_id": "event_6", "response": {"id": r1, "status": "in_progress", "output": [], "conversation_id": "conv_1"}},
        {"type": "response.output_item.added", "event_id": "event_7", "response_id": r1, "output_index": 0, "item": calling},
        {"type": "conversation.item.added", "event_id": "event_8", "previous_item_id": user["id"], "item": calling},
        *({"type": "response.function_call_arguments.delta", "event_id": "event_9", "response_id": r1, "item_id": call["id"],
           "output_index": 0, "call_id": call["call_id"], "delta": piece} for piece in ('{"city"', ':"Paris"}')),
        {"type": "response.function_call_arguments.done", "event_id": "event_10", "response_id": r1, "item_id": call["id"],
         "output_index": 0, "call_id": call["call_id"], "name": "get_weather", "arguments": call["arguments"]},
        {"type": "conversation.item.done", "event_id": "event_11", "previous_item_id": user["id"], "item": call},
        {"type": "response.output_item.done", "event_id": "event_12", "response_id": r1, "output_index": 0, "item": call},
        {"type": "response.done", "event_id": "event_13", "response": {"id": r1, "status": "completed", "output": [call], "conversation_id": "conv_1"}},
        {"type": "conversation.item.create", "event_id": "client_1", "item": output},
        {"type": "conversation.item.added", "event_id": "event_14", "previous_item_id": call["id"], "item": output},
        {"type": "conversation.item.done", "event_id": "event_15", "previous_item_id": call["id"], "item": output},
        {"type": "response.create", "event_id": "client_2"},
        {"type": "response.created", "event_id": "event_16", "response": {"id": r2, "status": "in_progress", "output": [], "conversation_id": "conv_1"}},
        {"type": "response.output_item.added", "event_id": "event_17", "response_id": r2, "output_index": 0, "item": talking},
        {"type": "conversation.item.added", "event_id": "event_18", "previous_item_id": output["id"], "item": talking},
        {"type": "response.content_part.added", "event_id": "event_19", **at, "part": {"type": "audio", "transcript": ""}},
        *(event for index in range(deltas) for event in (
            *([{"type": "response.output_audio.delta", "event_id": "event_20", **at, "delta": delta}] if audio_deltas else []),
            {"type": "response.output_audio_transcript.delta", "event_id": "event_21", **at,
             "delta": words[index] + " " if index < len(words) else "", "obfuscation": "Xq2"})),
        {"type": "response.output_audio_transcript.done", "event_id": "event_22", **at, "transcript": talk["content"][0]["transcript"]},
        {"type": "response.content_part.done", "event_id": "event_23", **at, "part": {"type": "audio", "transcript": talk["content"][0]["transcript"]}},
        {"type": "conversation.item.done", "event_id": "event_24", "previous_item_id": output["id"], "item": talk},
        {"type": "response.output_item.done", "event_id": "event_25", "response_id": r2, "output_index": 0, "item": talk},
        {"type": "response.done", "event_id": "event_26", "response": {"id": r2, "status": "completed", "output": [talk], "conversation_id": "conv_1"}},
    ]  # fmt: skip


def make_recording(path, megabytes, deltas):
    """A generated GA session recorded both ways, turn after turn, until it reaches `megabytes`;
    its size, the number of events and of the items they carry, and the number of turns."""
    events = items = turns = written = 0
    with open(path, "wb") as stream:
        while written < megabytes * 1_000_000:
            turn = session_turn(turns, deltas)
            lines = "".join(json.dumps(event, separators=(",", ":")) + "\n" for event in turn).encode()
            stream.write(lines)
            written += len(lines)
            events += len(turn)
            items += sum(len(rtitem.items_from_event(event)) for event in turn)
            turns += 1
    return written, events, items, turns


# The checker's peak memory, as Linux counts it for the process itself (VmHWM starts afresh at
# exec, where ru_maxrss would also count the forked copy of this benchmark).
CHECK = """
import sys, time
sys.path.insert(0, sys.argv[1])
import rtitem
start = time.perf_counter()
status = rtitem.main(["--quiet", *sys.argv[3:], sys.argv[2]])
elapsed = time.perf_counter() - start
with open("/proc/self/status") as info:
    peak = next(int(line.split()[1]) for line in info if line.startswith("VmHWM:"))
print(status, elapsed, peak, file=sys.stderr)
"""


def checker_throughput(megabytes, deltas, *options):
    with tempfile.TemporaryDirectory() as folder:
        path = os.path.join(folder, "session.jsonl")
        size, events, items, _ = make_recording(path, megabytes, deltas)
        command = [sys.executable, "-c", CHECK, ROOT, path, *options]
        result = subprocess.run(command, capture_output=True, text=True, check=True)
        status, elapsed, peak_kb = result.stderr.split()
        summary = result.stdout.strip()
        assert (status, summary) == ("0", f"{events} events, {items} items, 0 invalid"), summary
    return size, events, items, float(elapsed), int(peak_kb) / 1024


# The mirror's peak memory, streaming a recording through Conversation.apply (MIRROR), against
# the same process that only decodes each line (with "decode" as its third argument).
MIRROR = """
import json, sys
sys.path.insert(0, sys.argv[1])
import rtitem
conversation = rtitem.Conversation()
with open(sys.argv[2], "rb") as stream:
    for line in stream:
        event = json.loads(line)
        if sys.argv[3] == "apply" and event["type"] not in rtitem._CLIENT_EVENTS:
            conversation.apply(event)
size = sum(len(item.to_json()) for item in conversation.items)
with open("/proc/self/status") as info:
    peak = next(int(line.split()[1]) for line in info if line.startswith("VmHWM:"))
print(len(conversation), size, peak, len(conversation.problems))
"""


def kind_of(event):
    """How the mirror benchmark groups events: deltas, events that carry items, and the rest."""
    if event["type"].endswith(".delta"):
        return "deltas"
    return "item events" if rtitem.items_from_event(event) else "other events"


def mirror_cost(path, repeat):
    """Conversation.apply on every server event of a recording, against json.loads of the same
    lines, in total (best of `repeat`) and in ns an event by kind (one timed pass each)."""
    with open(path, "rb") as stream:
        lines = [line for line in stream if json.loads(line)["type"] not in rtitem._CLIENT_EVENTS]
    events = [json.loads(line) for line in lines]

    def replay():
        conversation = rtitem.Conversation()
        for event in events:
            conversation.apply(event)
        return conversation

    def decode():
        for line in lines:
            json.loads(line)

    loads = min(timeit.repeat(decode, number=1, repeat=repeat))
    applies = min(timeit.repeat(replay, number=1, repeat=repeat))
    conversation = replay()
    assert conversation.problems == [] and len(conversation) == 4 * sum(e["type"] == "response.done" for e in events) // 2
    clock = time.perf_counter_ns
    empty = min(-(clock() - clock()) for _ in range(10_000))
    per_kind = {}
    conversation = rtitem.Conversation()
    for line, event in zip(lines, events):
        start = clock()
        json.loads(line)
        middle = clock()
        conversation.apply(event)
        end = clock()
        totals = per_kind.setdefault(kind_of(event), [0, 0, 0])
        totals[0] += 1
        totals[1] += middle - start - empty
        totals[2] += end - middle - empty
    return len(events), loads, applies, per_kind


def delta_scaling(repeat):
    """Seconds to apply 20,000 and 200,000 one-character text deltas to one part."""

    def run(count):
        conversation = rtitem.Conversation()
        item = {"id": "item_1", "type": "message", "role": "assistant", "content": [{"type": "output_text", "text": ""}]}
        conversation.apply({"type": "response.output_item.added", "item": item})
        delta = {"type": "response.output_text.delta", "item_id": "item_1", "content_index": 0, "delta": "x"}
        start = time.perf_counter()
        for _ in range(count):
            conversation.apply(delta)
        elapsed = time.perf_counter() - start
        assert conversation.get("item_1").content[0].text == "x" * count
        return elapsed

    return {count: min(run(count) for _ in range(repeat)) for count in (20_000, 200_000)}


def spoken_answer(seconds, transcript_deltas):
    """The server events of one spoken answer of `seconds`, as a websocket client receives them:
    100 ms audio deltas (4,800 bytes of PCM each) with `transcript_deltas` transcript deltas
    spread among them, between the item events that announce and finish the answer."""
    chunk = audio(4_800)
    item = {"id": "item_Answer", "type": "message", "status": "in_progress", "role": "assistant", "content": []}
    response = {"id": "resp_A", "status": "in_progress", "output": [], "conversation_id": "conv_1"}
    at = {"response_id": "resp_A", "item_id": item["id"], "output_index": 0, "content_index": 0}
    words = [f"word{index} " for index in range(transcript_deltas)]
    events = [
        {"type": "session.created", "session": {"type": "realtime"}},
        {"type": "response.created", "response": response},
        {"type": "response.output_item.added", "response_id": "resp_A", "output_index": 0, "item": item},
        {"type": "conversation.item.added", "previous_item_id": None, "item": item},
        {"type": "response.content_part.added", **at, "part": {"type": "audio", "transcript": ""}},
    ]  # fmt: skip
    every = seconds * 10 // transcript_deltas
    for index in range(seconds * 10):
        events.append({"type": "response.output_audio.delta", **at, "delta": chunk})
        if index % every == every - 1:
            events.append({"type": "response.output_audio_transcript.delta", **at, "delta": words[index // every]})
    done = {**item, "status": "completed", "content": [{"type": "output_audio", "transcript": "".join(words)}]}
    events += [
        {"type": "response.output_audio_transcript.done", **at, "transcript": "".join(words)},
        {"type": "response.content_part.done", **at, "part": {"type": "audio", "transcript": "".join(words)}},
        {"type": "conversation.item.done", "previous_item_id": None, "item": done},
        {"type": "response.output_item.done", "response_id": "resp_A", "output_index": 0, "item": done},
        {"type": "response.done", "response": {**response, "status": "completed", "output": [done]}},
    ]  # fmt: skip
    return events


def quick_start(events, keep_audio, read):
    """The README's Quick start loop: apply each event, then (with `read`) get the item it changed."""
    conversation = rtitem.Conversation(keep_audio=keep_audio)
    apply, get = conversation.apply, conversation.get
    for event in events:
        changed = apply(event)
        if read and changed is not None:
            get(changed)
    return conversation


def reading_cost(events, repeat):
    """Seconds for the Quick start loop without reads and with, keep_audio off and on."""
    costs = {}
    for keep in (False, True):
        for read in (False, True):
            costs[keep, read] = min(timeit.repeat(lambda: quick_start(events, keep, read), number=1, repeat=repeat))
    return costs


def webrtc_session(turns):
    """The server events of a generated GA session as a WebRTC client records them (no audio
    deltas: the audio travels apart), mostly transcript and argument deltas with item events
    between, as JSON lines and as decoded events."""
    spoken = " ".join(f"word{index}" for index in range(40)) + "."
    question = tuple(f"word{index} " for index in range(10))
    lines = []
    for turn in range(turns):
        for event in session_turn(turn, 41, spoken=spoken, audio_deltas=False, question=question):
            if event["type"] not in rtitem._CLIENT_EVENTS:
                lines.append(json.dumps(event, separators=(",", ":")).encode())
    return lines, [json.loads(line) for line in lines]


def webrtc_cost(turns, repeat):
    """json.loads of the lines of a WebRTC-shaped session, apply on its events, and the Quick
    start loop on them (apply, then get the changed item), in seconds, best of `repeat`."""
    lines, events = webrtc_session(turns)
    conversation = quick_start(events, False, True)
    assert conversation.problems == [] and len(conversation) == 4 * turns
    loads = min(timeit.repeat(lambda: [json.loads(line) for line in lines], number=1, repeat=repeat))
    applies = min(timeit.repeat(lambda: quick_start(events, False, False), number=1, repeat=repeat))
    loop = min(timeit.repeat(lambda: quick_start(events, False, True), number=1, repeat=repeat))
    deltas = sum(event["type"].endswith(".delta") for event in events)
    return len(events), deltas, loads, applies, loop


# The kinds of server event, by what the mirror does with them, in the order of the table that
# real recordings gave (two WebRTC calls, a WebSocket text session, a function-call session and
# a SIP capture: 738 server events): their share of the events there.
REAL_MIX = {
    "deltas": 0.565,
    "events that touch no item": 0.154,
    "item events": 0.108,
    "response.created, .done": 0.060,
    ".done of a stream": 0.065,
    "response.content_part.*": 0.047,
}


REPEATS = "  of which copies of a known item"  # a row of the table under the item events


def traffic_kind(event):
    """Which kind of REAL_MIX a server event is."""
    kind = event["type"]
    if kind.endswith(".delta"):
        return "deltas"
    if kind in ("response.created", "response.done"):
        return "response.created, .done"
    if kind.startswith("response.content_part."):
        return "response.content_part.*"
    if kind in rtitem._ITEM_EVENTS:
        return "item events"
    if kind in rtitem.Conversation._HANDLERS:
        return ".done of a stream"
    return "events that touch no item"


def real_traffic_session(turns):
    """A GA session with the mix of event kinds and sizes of real recordings (REAL_MIX), as a
    WebRTC client records it (no audio deltas): a spoken question transcribed a word a delta, an
    answer streamed a word or two a delta with `obfuscation`; the audio buffer's, output
    buffer's and rate-limit events; every item event, most of them repeating what is known;
    every third turn a tool call in a response of its own, then its output; one response.done a
    response carrying its items, with its usage."""
    lines = [{"type": "session.created", "event_id": "event_0", "session": {"type": "realtime", "object": "realtime.session",
              "id": "sess_C9G8pGVKYnaZu8PH5YQ9O", "model": "gpt-realtime", "output_modalities": ["audio"]}}]  # fmt: skip
    spoken = ("Sure. It's twenty one degrees and clear in Paris right now, with a light breeze from the west, no rain "
              "expected until the evening, and a cooler night ahead of a sunny morning tomorrow.").split(" ")  # fmt: skip
    pieces = []
    while len(pieces) < len(spoken):  # a word, then two, in turn
        pieces.append(len(pieces) % 2 + 1)
    usage = {"total_tokens": 1562, "input_tokens": 1380, "output_tokens": 182,
             "input_token_details": {"text_tokens": 420, "audio_tokens": 960, "image_tokens": 0, "cached_tokens": 1152,
                                     "cached_tokens_details": {"text_tokens": 384, "audio_tokens": 768, "image_tokens": 0}},
             "output_token_details": {"text_tokens": 38, "audio_tokens": 144}}  # fmt: skip
    limits = [{"name": "requests", "limit": 5000, "remaining": 4999, "reset_seconds": 0.01},
              {"name": "tokens", "limit": 40000, "remaining": 38438, "reset_seconds": 2.3}]  # fmt: skip
    previous = None
    for turn in range(turns):
        numbers = iter(range(10**6))

        def ev(kind, **fields):
            return {"type": kind, "event_id": f"event_{turn:05d}{next(numbers):04d}", **fields}

        def response(response_id, output, status):
            return {"object": "realtime.response", "id": response_id, "status": status, "output": output,
                    "conversation_id": "conv_1", "usage": usage if status == "completed" else None}  # fmt: skip

        user_id, talk_id = f"item_User{turn:016d}", f"item_Talk{turn:016d}"
        user = {"id": user_id, "type": "message", "object": "realtime.item", "status": "completed", "role": "user",
                "content": [{"type": "input_audio", "transcript": None}]}  # fmt: skip
        heard = "What's the weather like in Paris today?".split(" ")
        events = [  # a start the voice activity detection takes back, then the question
            ev("input_audio_buffer.speech_started", audio_start_ms=1000 * turn - 500, item_id=user_id + "x"),
            ev("input_audio_buffer.speech_stopped", audio_end_ms=1000 * turn - 400, item_id=user_id + "x"),
            ev("input_audio_buffer.speech_started", audio_start_ms=1000 * turn, item_id=user_id),
            ev("input_audio_buffer.speech_stopped", audio_end_ms=1000 * turn + 900, item_id=user_id),
            ev("input_audio_buffer.committed", previous_item_id=previous, item_id=user_id),
            ev("conversation.item.added", previous_item_id=previous, item=user),
            ev("conversation.item.done", previous_item_id=previous, item=user),
            *(ev("conversation.item.input_audio_transcription.delta", item_id=user_id, content_index=0,
                 delta=word + " ", obfuscation="aB3") for word in heard),
            ev("conversation.item.input_audio_transcription.completed", item_id=user_id, content_index=0,
               transcript=" ".join(heard), usage={"type": "tokens", "total_tokens": 22, "input_tokens": 14, "output_tokens": 8,
                                                  "input_token_details": {"text_tokens": 0, "audio_tokens": 14}}),
        ]  # fmt: skip
        last = user_id
        if turn % 3 == 0:  # the model calls the tool in a response of its own
            call_response = f"resp_Call{turn:016d}"
            call = {"id": f"item_Call{turn:016d}", "type": "function_call", "object": "realtime.item", "status": "in_progress",
                    "name": "get_weather", "call_id": f"call_{turn:016d}", "arguments": ""}  # fmt: skip
            done_call = {**call, "status": "completed", "arguments": '{"city":"Paris"}'}
            tool = {"id": f"item_Tool{turn:016d}", "type": "function_call_output", "object": "realtime.item",
                    "status": "completed", "call_id": call["call_id"], "output": '{"temperature_c":21,"sky":"clear"}'}  # fmt: skip
            at = {"response_id": call_response, "item_id": call["id"], "output_index": 0}
            events += [
                ev("response.created", response=response(call_response, [], "in_progress")),
                ev("response.output_item.added", response_id=call_response, output_index=0, item=call),
                ev("conversation.item.added", previous_item_id=last, item=call),
                *(ev("response.function_call_arguments.delta", **at, call_id=call["call_id"], delta=piece, obfuscation="Qz")
                  for piece in ('{"', 'city', '":"', 'Paris', '"}')),
                ev("response.function_call_arguments.done", **at, call_id=call["call_id"], name="get_weather",
                   arguments=done_call["arguments"]),
                ev("conversation.item.done", previous_item_id=last, item=done_call),
                ev("response.output_item.done", response_id=call_response, output_index=0, item=done_call),
                ev("response.done", response=response(call_response, [done_call], "completed")),
                ev("rate_limits.updated", rate_limits=limits),
                ev("conversation.item.added", previous_item_id=call["id"], item=tool),
                ev("conversation.item.done", previous_item_id=call["id"], item=tool),
            ]  # fmt: skip
            last = tool["id"]
        response_id = f"resp_Talk{turn:016d}"
        talk = {"id": talk_id, "type": "message", "object": "realtime.item", "status": "in_progress", "role": "assistant",
                "content": []}  # fmt: skip
        said = " ".join(spoken)
        done_talk = {**talk, "status": "completed", "content": [{"type": "output_audio", "transcript": said}]}
        at = {"response_id": response_id, "item_id": talk_id, "output_index": 0, "content_index": 0}
        deltas, start = [], 0
        for size in pieces:
            if start < len(spoken):
                deltas.append(" ".join(spoken[start : start + size]) + " ")
                start += size
        events += [
            ev("response.created", response=response(response_id, [], "in_progress")),
            ev("output_audio_buffer.started", response_id=response_id),
            ev("response.output_item.added", response_id=response_id, output_index=0, item=talk),
            ev("conversation.item.added", previous_item_id=last, item=talk),
            ev("response.content_part.added", **at, part={"type": "audio", "transcript": ""}),
            *(ev("response.output_audio_transcript.delta", **at, delta=piece, obfuscation="x7Kq9") for piece in deltas),
            ev("response.output_audio.done", **at),
            ev("response.output_audio_transcript.done", **at, transcript=said),
            ev("response.content_part.done", **at, part={"type": "audio", "transcript": said}),
            ev("conversation.item.done", previous_item_id=last, item=done_talk),
            ev("response.output_item.done", response_id=response_id, output_index=0, item=done_talk),
            ev("response.done", response=response(response_id, [done_talk], "completed")),
            ev("rate_limits.updated", rate_limits=limits),
            ev("output_audio_buffer.stopped", response_id=response_id),
        ]  # fmt: skip
        lines += events
        previous = talk_id
    encoded = [json.dumps(event, separators=(",", ":")).encode() for event in lines]
    return encoded, [json.loads(line) for line in encoded]


def real_traffic_cost(turns, repeat):
    """On a session of REAL_MIX: json.loads of its lines, apply of its events, and the Quick start
    loop (apply, then get the changed item), whole sessions timed in bulk, in seconds, best of
    `repeat`; the share of each kind of event; and each kind's apply and json.loads time summed
    event by event (the timer's own cost taken off), for the table of where the time goes."""
    lines, events = real_traffic_session(turns)
    conversation = quick_start(events, False, True)
    assert conversation.problems == [], conversation.problems[:3]
    bulk = {"loads": lambda: [json.loads(line) for line in lines], "apply": lambda: quick_start(events, False, False),
            "loop": lambda: quick_start(events, False, True)}  # fmt: skip
    best = dict.fromkeys(bulk, math.inf)
    for _ in range(repeat):  # in turns: see interleaved_ns
        for name, function in bulk.items():
            start = time.perf_counter()
            function()
            best[name] = min(best[name], time.perf_counter() - start)
    loads, applies, loop = best["loads"], best["apply"], best["loop"]
    kinds = [traffic_kind(event) for event in events]
    mirror, repeats = rtitem.Conversation(), []  # which item events copy an item the mirror holds
    for event, kind in zip(events, kinds):
        repeats.append(kind == "item events" and event["item"]["id"] in mirror)
        mirror.apply(event)
    clock = time.perf_counter_ns
    overhead = min(-(clock() - clock()) for _ in range(10_000))
    rows = [*REAL_MIX, REPEATS]
    per_kind = {kind: [math.inf, math.inf] for kind in rows}
    for _ in range(repeat):
        sums = {kind: [0, 0] for kind in rows}
        conversation = rtitem.Conversation()
        for line, event, kind, repeated in zip(lines, events, kinds, repeats):
            start = clock()
            conversation.apply(event)
            middle = clock()
            json.loads(line)
            end = clock()
            for row in (kind, REPEATS) if repeated else (kind,):
                sums[row][0] += middle - start - overhead
                sums[row][1] += end - middle - overhead
        for kind in rows:
            per_kind[kind] = [min(per_kind[kind][0], sums[kind][0]), min(per_kind[kind][1], sums[kind][1])]
    counts = {kind: kinds.count(kind) for kind in REAL_MIX}
    counts[REPEATS] = sum(repeats)
    return len(events), counts, loads, applies, loop, per_kind


def chat_history(messages):
    """A Chat Completions history of about `messages` messages, as apps keep one: a system
    message, then turns of a user question, an assistant answer, and every third turn two
    parallel tool calls with their results."""
    chat = [{"role": "system", "content": "You are a weather assistant. Be brief."}]
    turn = 0
    while len(chat) < messages:
        chat.append({"role": "user", "content": f"What's the weather in city {turn}?"})
        if turn % 3 == 0:
            calls = [{"id": f"call_{turn}_{n}", "type": "function",
                      "function": {"name": "get_weather", "arguments": json.dumps({"city": f"c{turn}{n}"})}} for n in range(2)]  # fmt: skip
            chat.append({"role": "assistant", "content": None, "tool_calls": calls})
            chat += [{"role": "tool", "tool_call_id": call["id"], "content": '{"temperature_c":21}'} for call in calls]
        chat.append({"role": "assistant", "content": f"It's 21 degrees in city {turn}."})
        turn += 1
    return chat


def with_constructors(chat):
    """The items of a chat history, built by hand with the constructors: what a program writes
    without the converter."""
    make = rtitem.ConversationItem
    items = []
    for message in chat:
        role = message["role"]
        if role == "tool":
            items.append(make.function_call_output(message["tool_call_id"], message["content"]))
            continue
        if message.get("content") is not None:
            items.append(make.message(role, message["content"]))
        for call in message.get("tool_calls", ()):
            function = call["function"]
            items.append(make.function_call(function["name"], function["arguments"], call_id=call["id"]))
    return items


def history_cost(messages, repeat):
    """from_chat_messages on a chat of `messages` messages against building the same items with
    the constructors, and to_chat_messages back, in seconds, best of `repeat`."""
    chat = chat_history(messages)
    items = rtitem.from_chat_messages(chat)
    assert items == with_constructors(chat) and rtitem.to_chat_messages(items) == [
        {key: value for key, value in message.items() if value is not None} for message in chat]  # fmt: skip
    convert = min(timeit.repeat(lambda: rtitem.from_chat_messages(chat), number=1, repeat=repeat))
    build = min(timeit.repeat(lambda: with_constructors(chat), number=1, repeat=repeat))
    back = min(timeit.repeat(lambda: rtitem.to_chat_messages(items), number=1, repeat=repeat))
    return len(chat), len(items), convert, build, back


def long_conversation(count):
    """A conversation of `count` items as the mirror holds it after a long voice session."""
    conversation = rtitem.Conversation()
    previous = None
    for index in range(count):
        role, part = ("user", "input_audio") if index % 2 == 0 else ("assistant", "output_audio")
        item = {"id": f"item_{index:08d}", "type": "message", "status": "completed", "role": role,
                "content": [{"type": part, "transcript": f"Sentence number {index}."}]}  # fmt: skip
        conversation.apply({"type": "conversation.item.added", "previous_item_id": previous, "item": item})
        previous = item["id"]
    conversation.items  # built once, as a program that reads them has
    return conversation


def sync_cost(counts, repeat):
    """sync_events on conversations of each of `counts` items for the common edits, in seconds,
    best of `repeat` rounds that time each size in turn (see interleaved_ns)."""
    edits = {}
    for count in counts:
        conversation = long_conversation(count)
        items = list(conversation.items)
        summary = rtitem.ConversationItem.message("system", "Summary of the first half.")
        edits[count] = (conversation, {
            "drop the first half, add a summary": [summary, *items[count // 2 :]],
            "append one": [*items, rtitem.ConversationItem.message("user", "One more.")],
            "replace one": [*items[:count // 2], rtitem.ConversationItem.message("user", "Instead."), *items[count // 2 + 1 :]],
            "swap two": [*items[:count // 2], items[count // 2 + 1], items[count // 2], *items[count // 2 + 2 :]],
        })  # fmt: skip
    best = {count: dict.fromkeys(edits[count][1], math.inf) for count in counts}
    for _ in range(repeat):
        for count in counts:
            conversation, targets = edits[count]
            for name, target in targets.items():
                start = time.perf_counter()
                conversation.sync_events(target)
                best[count][name] = min(best[count][name], time.perf_counter() - start)
    return best


def late_answers(count):
    """A user turn, `count` calls, then one late turn that answers every one of them: the case
    where split_turns moves its cut back the most."""
    items = [rtitem.ConversationItem.message("user", "Check them all.", id="u0")]
    items += [rtitem.ConversationItem.function_call("f", {}, call_id=f"c{n}", id=f"f{n}") for n in range(count)]
    items.append(rtitem.ConversationItem.message("user", "And now?", id="u1"))
    items += [rtitem.ConversationItem.function_call_output(f"c{n}", "x", id=f"o{n}") for n in range(count)]
    return items


def linear_costs(repeat):
    """Seconds for split_turns on a late turn that answers every earlier call, and for deleting
    a conversation's items one by one from its end, at 12,500 and 50,000 items; best of `repeat`
    rounds that time each size in turn."""
    counts = (12_500, 50_000)
    lists = {count: late_answers(count // 2) for count in counts}
    costs = {count: [math.inf, math.inf] for count in counts}
    for _ in range(repeat):
        for count in counts:
            start = time.perf_counter()
            rtitem.split_turns(lists[count], 1)
            costs[count][0] = min(costs[count][0], time.perf_counter() - start)
            conversation = long_conversation(count)
            events = [{"type": "conversation.item.deleted", "item_id": f"item_{n:08d}"} for n in reversed(range(count))]
            start = time.perf_counter()
            for event in events:
                conversation.apply(event)
            costs[count][1] = min(costs[count][1], time.perf_counter() - start)
    return costs


def mirror_memory(path):
    """Peak memory (MB) of a process that streams a recording through the mirror, and of one
    that only decodes it; the mirror's item count and the JSON size of its items (MB)."""
    peaks = {}
    for how in ("decode", "apply"):
        result = subprocess.run([sys.executable, "-c", MIRROR, ROOT, path, how], capture_output=True, text=True, check=True)
        count, size, peak, problems = map(int, result.stdout.split())
        assert problems == 0
        peaks[how] = peak / 1024
    return peaks["apply"], peaks["decode"], count, size / 1e6


# --- The run -------------------------------------------------------------------------------------------


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeat", type=int, default=5, help="repeats per measurement; the best counts")
    parser.add_argument("--checker-mb", type=int, default=100, help="size of the recording for the checker (0 skips)")
    options = parser.parse_args()

    sdk, sdk_note = load_sdk()
    ms, ms_note = load_msgspec()
    cpu = platform.processor() or platform.machine()
    try:
        with open("/proc/cpuinfo") as info:
            cpu = next(line.split(":", 1)[1].strip() for line in info if line.startswith("model name"))
    except (OSError, StopIteration):
        pass
    print(f"rtitem {rtitem.__version__} on CPython {platform.python_version()}, {platform.system()} "
          f"{platform.machine()}, {cpu}, {os.cpu_count()} cores")  # fmt: skip
    print("peers: " + ("; ".join(peer["version"] for peer in (sdk, ms) if peer) or "none installed"))
    for note in (sdk_note, ms_note):
        if note:
            print(f"note: {note}")
    print(f"best of {options.repeat} repeats, ns per operation (us and ms where marked)")
    if sdk:
        print("note: the SDK's beta model gets the assistant audio part as `audio`, its GA union as `output_audio`")

    results = {name: measure(data, sdk, ms, options.repeat) for name, data in SHAPES.items()}
    shapes = list(SHAPES)
    table(
        "Reading: wire dict to object",
        ["rtitem from_dict", "SDK model_validate", "SDK GA union", "msgspec convert", "floor"],
        shapes,
        results,
        [("rtitem/SDK", "rtitem from_dict", "SDK model_validate"),
         ("rtitem/msgspec", "rtitem from_dict", "msgspec convert")],  # fmt: skip
    )
    table(
        "Writing: object to wire dict",
        ["rtitem to_dict", "SDK model_dump", "msgspec to_builtins", "floor"],
        shapes,
        results,
        [("rtitem/SDK", "rtitem to_dict", "SDK model_dump"),
         ("rtitem/msgspec", "rtitem to_dict", "msgspec to_builtins")],  # fmt: skip
    )
    table(
        "JSON text",
        ["rtitem from_json", "SDK validate_json", "msgspec json decode", "rtitem to_json", "SDK dump_json",
         "msgspec json encode"],  # fmt: skip
        shapes,
        results,
        [("from rtitem/SDK", "rtitem from_json", "SDK validate_json"),
         ("to rtitem/SDK", "rtitem to_json", "SDK dump_json")],  # fmt: skip
    )
    if ms:
        union, data = ms["union"], SHAPES["user text"]
        cost = best_ns(lambda: ms["module"].convert(data, union), options.repeat)
        print(f"(msgspec.convert given the Union rather than the tag's Struct: {fmt_ns(cost)} on user text)")
    scaling = {name: measure(data, sdk, ms, options.repeat, with_json=False) for name, data in SCALING.items()}
    table(
        "Scaling: content parts, and audio size (base64 is neither copied nor scanned)",
        ["rtitem from_dict", "rtitem to_dict", "SDK model_validate", "SDK model_dump", "msgspec convert", "floor"],
        list(SCALING),
        scaling,
        [("rtitem/SDK", "rtitem from_dict", "SDK model_validate")],
    )

    times = import_times()
    print("\nImport (fresh processes, bytecode cached, best of 9)")
    print(f"  dataclasses, enum, json, base64: {times['base']:.1f} ms; rtitem on top of them: {times['added']:.1f} ms")
    print(f"  python -X importtime -c 'import rtitem': {times['rtitem']:.1f} ms in all")
    print(f"  compiling rtitem.py as a script pasted with it is on every run: {times['compile']:.1f} ms ({times['lines']:,} lines);"
          f" its item core alone (above History formats): {times['compile_core']:.1f} ms ({times['core_lines']:,} lines)")  # fmt: skip
    if times["sdk"] is not None:
        print(f"  python -X importtime -c 'from openai.types.beta.realtime import ConversationItem': {times['sdk']:.1f} ms in all")

    if options.checker_mb and sys.platform.startswith("linux"):
        print(f"\nChecker: rtitem --quiet on generated {options.checker_mb} MB GA recordings")
        for label, deltas, flags in ((f"a spoken answer in {SPOKEN_DELTAS} audio deltas a turn", SPOKEN_DELTAS, ()),
                                     ("items only, no audio deltas", 0, ()),
                                     (f"--session, {SPOKEN_DELTAS} audio deltas a turn", SPOKEN_DELTAS, ("--session",)),
                                     ("--session, items only", 0, ("--session",))):  # fmt: skip
            size, events, items, elapsed, peak = checker_throughput(options.checker_mb, deltas, *flags)
            print(f"  {label}: {events:,} events, {items:,} items in {elapsed:.2f} s: {items / elapsed:,.0f} items/s, "
                  f"{events / elapsed:,.0f} events/s, {size / 1e6 / elapsed:.0f} MB/s; peak memory {peak:.0f} MB")  # fmt: skip

    mirror = None
    if options.checker_mb and sys.platform.startswith("linux"):
        with tempfile.TemporaryDirectory() as folder:
            path = os.path.join(folder, "session.jsonl")
            size, _, _, turns = make_recording(path, options.checker_mb, SPOKEN_DELTAS)
            print(f"\nConversation: apply() on every server event of the {size / 1e6:.0f} MB session above ({turns:,} turns)")
            count, loads, applies, per_kind = mirror_cost(path, min(options.repeat, 3))
            mirror = applies / loads
            print(f"  {count:,} server events: json.loads of their lines {loads:.2f} s, apply {applies:.2f} s: "
                  f"apply/json.loads {mirror:.2f}x")  # fmt: skip
            for kind, (number, decode_ns, apply_ns) in sorted(per_kind.items()):
                print(f"  {kind}: {number:,}, json.loads {decode_ns / number:,.0f} ns and apply {apply_ns / number:,.0f} ns "
                      f"an event: {apply_ns / decode_ns:.2f}x")  # fmt: skip
            peak, decode_peak, items, json_mb = mirror_memory(path)
            print(f"  memory: {peak:.0f} MB peak streaming it through the mirror ({items:,} items, {json_mb:.1f} MB as JSON), "
                  f"{decode_peak:.0f} MB only decoding it")  # fmt: skip
    scaling_deltas = delta_scaling(min(options.repeat, 3))
    growth = scaling_deltas[200_000] / scaling_deltas[20_000]
    print("\nConversation: one-character text deltas into one part")
    print(f"  20,000 in {scaling_deltas[20_000] * 1e3:.1f} ms, 200,000 in {scaling_deltas[200_000] * 1e3:.1f} ms: "
          f"{growth:.1f}x the time for 10x the deltas")  # fmt: skip

    answer = spoken_answer(60, 50)
    reads = reading_cost(answer, options.repeat)
    print(f"\nConversation: the Quick start loop on a 60 s spoken answer ({len(answer)} events: 600 audio deltas of 4,800 bytes, 50 transcript deltas)")
    for keep in (False, True):
        print(f"  keep_audio={keep}: apply alone {reads[keep, False] * 1e3:.2f} ms, apply then get the changed item "
              f"{reads[keep, True] * 1e3:.2f} ms: {reads[keep, True] / reads[keep, False]:.2f}x")  # fmt: skip
    count, deltas, loads, applies, loop = webrtc_cost(200, options.repeat)
    print(f"\nConversation: a WebRTC-shaped GA session (200 turns, {count:,} server events, {deltas:,} of them deltas, no audio deltas)")
    print(f"  json.loads of its lines {loads * 1e3:.1f} ms, apply {applies * 1e3:.1f} ms ({applies / loads:.2f}x), "
          f"apply then get the changed item {loop * 1e3:.1f} ms ({loop / loads:.2f}x)")  # fmt: skip

    count, counts, loads_real, applies_real, loop_real, per_kind = real_traffic_cost(300, options.repeat)
    print(f"\nConversation: a session of real traffic's mix ({count:,} server events, 300 turns; shares as in recordings)")
    print(f"  json.loads of its lines {loads_real * 1e3:.1f} ms, apply {applies_real * 1e3:.1f} ms ({applies_real / loads_real:.2f}x), "
          f"apply then get the changed item {loop_real * 1e3:.1f} ms ({loop_real / loads_real:.2f}x)")  # fmt: skip
    total_apply = sum(per_kind[kind][0] for kind in REAL_MIX)
    print(f"  {'kind':<34}{'share':>7}{'recorded':>10}{'loads':>9}{'apply':>9}{'apply/loads':>13}{'of apply':>10}")
    for kind in [*REAL_MIX, REPEATS]:
        applied, loaded = per_kind[kind]
        number = counts[kind]
        recorded = f"{REAL_MIX[kind]:>10.1%}" if kind in REAL_MIX else f"{'':>10}"
        print(f"  {kind:<34}{number / count:>7.1%}{recorded}{loaded / number / 1e3:>7.1f}us{applied / number / 1e3:>7.1f}us"
              f"{applied / loaded:>12.2f}x{applied / total_apply:>10.0%}")  # fmt: skip

    chat_size, item_count, convert, build, back = history_cost(1_000, options.repeat)
    print(f"\nHistory: a Chat Completions history of {chat_size:,} messages ({item_count:,} items)")
    print(f"  from_chat_messages {convert * 1e3:.2f} ms, the same items with the constructors {build * 1e3:.2f} ms: "
          f"{convert / build:.2f}x; to_chat_messages {back * 1e3:.2f} ms")  # fmt: skip
    syncs = sync_cost((1_000, 10_000), options.repeat)
    print("\nConversation.sync_events on conversations of 1,000 and 10,000 items")
    for name in syncs[1_000]:
        small, large = syncs[1_000][name], syncs[10_000][name]
        print(f"  {name}: {small * 1e3:.2f} ms and {large * 1e3:.1f} ms: {large / small:.1f}x for 10x the items")
    linear = linear_costs(options.repeat)
    print("\nLinear costs at 12,500 and 50,000 items")
    for index, name in enumerate(["split_turns, one late turn answering every call", "deleting every item from the end, one by one"]):
        small, large = linear[12_500][index], linear[50_000][index]
        print(f"  {name}: {small * 1e3:.1f} ms and {large * 1e3:.1f} ms: {large / small:.1f}x for 4x the items")

    print("\nGoals (geometric means over the five shapes; stated for CPython 3.11)")
    goals = []
    if sdk:
        goals.append(("from_dict / SDK model_validate", "rtitem from_dict", "SDK model_validate", 0.7))
        goals.append(("to_dict / SDK model_dump(exclude_none=True)", "rtitem to_dict", "SDK model_dump", 0.5))
    if ms:
        goals.append(("from_dict / msgspec convert", "rtitem from_dict", "msgspec convert", 6.0))
    for label, a, b, limit in goals:
        value = geomean([results[shape][a] / results[shape][b] for shape in shapes])
        print(f"  {label}: {value:.2f}x (goal: at most {limit}x) {'met' if value <= limit else 'MISSED'}")
    if sdk:
        worst = max(results[shape]["rtitem from_dict"] / results[shape]["SDK model_validate"] for shape in shapes)
        print(f"  from_dict / SDK model_validate, the worst shape: {worst:.2f}x (goal: at most 1.0x) "
              f"{'met' if worst <= 1.0 else 'MISSED'}")  # fmt: skip
    if mirror is not None:
        print(f"  Conversation.apply / json.loads of the same lines: {mirror:.2f}x (goal: at most 0.5x) "
              f"{'met' if mirror <= 0.5 else 'MISSED'}")  # fmt: skip
    print(f"  200,000 deltas / 20,000 deltas: {growth:.1f}x (goal: about 10x, at most 15x) {'met' if growth <= 15 else 'MISSED'}")
    for keep in (False, True):
        ratio = reads[keep, True] / reads[keep, False]
        print(f"  spoken answer, keep_audio={keep}: loop with reads / without: {ratio:.2f}x (goal: at most 1.5x) "
              f"{'met' if ratio <= 1.5 else 'MISSED'}")  # fmt: skip
    print(f"  WebRTC-shaped session, apply / json.loads: {applies / loads:.2f}x (goal: at most 0.5x) "
          f"{'met' if applies / loads <= 0.5 else 'MISSED'}")  # fmt: skip
    print(f"  WebRTC-shaped session, Quick start loop / json.loads: {loop / loads:.2f}x (goal: at most 1.0x) "
          f"{'met' if loop / loads <= 1.0 else 'MISSED'}")  # fmt: skip
    print(f"  real traffic's mix, apply / json.loads: {applies_real / loads_real:.2f}x (goal: at most 0.5x) "
          f"{'met' if applies_real / loads_real <= 0.5 else 'MISSED'}")  # fmt: skip
    print(f"  real traffic's mix, Quick start loop / json.loads: {loop_real / loads_real:.2f}x (goal: at most 1.0x) "
          f"{'met' if loop_real / loads_real <= 1.0 else 'MISSED'}")  # fmt: skip
    print(f"  from_chat_messages / the constructors, 1,000 messages: {convert / build:.2f}x (goal: at most 3x) "
          f"{'met' if convert / build <= 3 else 'MISSED'}")  # fmt: skip
    growth_sync = max(syncs[10_000][name] / syncs[1_000][name] for name in syncs[1_000])
    print(f"  sync_events, 10,000 items / 1,000 items, the worst edit: {growth_sync:.1f}x (goal: at most 15x) "
          f"{'met' if growth_sync <= 15 else 'MISSED'}")  # fmt: skip
    for index, name in enumerate(["split_turns", "deletes from the end"]):
        growth_linear = linear[50_000][index] / linear[12_500][index]
        print(f"  {name}, 50,000 items / 12,500 items: {growth_linear:.1f}x (goal: at most 6x) "
              f"{'met' if growth_linear <= 6 else 'MISSED'}")  # fmt: skip
    # The import goal was set as 4 ms on a machine where importing the four modules took
    # 11.5 ms; this machine's speed varies by half from one day to the next, so the goal is
    # kept as that ratio, measured in the same run: 4 / 11.5 = 0.35.
    share = times["added"] / times["base"]
    print(f"  import on top of dataclasses, enum, json, base64: {times['added']:.1f} ms, {share:.2f}x importing "
          f"those four (goal: at most 0.35x, 4 ms where they take 11.5 ms) {'met' if share <= 0.35 else 'MISSED'}")  # fmt: skip


if __name__ == "__main__":
    main()
