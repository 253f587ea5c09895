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


# The five shapes, from examples/ (GA dialect, as today's servers send them).
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


def measure(data, sdk, ms, repeat, with_json=True):
    """ns per operation of each contender on one payload; a peer that is absent has no entry."""
    item = rtitem.ConversationItem.from_dict(data)
    text = json.dumps(data)
    out = {
        "rtitem from_dict": best_ns(lambda: rtitem.ConversationItem.from_dict(data), repeat),
        "rtitem to_dict": best_ns(item.to_dict, repeat),
        "floor": best_ns(lambda: floor_copy(data), repeat),
    }
    if with_json:
        out["rtitem from_json"] = best_ns(lambda: rtitem.ConversationItem.from_json(text), repeat)
        out["rtitem to_json"] = best_ns(item.to_json, repeat)
    assert item.to_dict() == data and floor_copy(data) == data
    if sdk:
        beta = beta_names(data)
        model = sdk["beta"].model_validate(beta)
        assert model.model_dump(exclude_none=True) == beta, "the SDK model changed the payload"
        out["SDK model_validate"] = best_ns(lambda: sdk["beta"].model_validate(beta), repeat)
        out["SDK model_dump"] = best_ns(lambda: model.model_dump(exclude_none=True), repeat)
        sdk["ga"].validate_python(data)
        out["SDK GA union"] = best_ns(lambda: sdk["ga"].validate_python(data), repeat)
        if with_json:
            beta_text = json.dumps(beta)
            out["SDK validate_json"] = best_ns(lambda: sdk["beta"].model_validate_json(beta_text), repeat)
            out["SDK dump_json"] = best_ns(lambda: model.model_dump_json(exclude_none=True), repeat)
    if ms:
        msgspec, by_tag = ms["module"], ms["by_tag"]
        struct = msgspec.convert(data, by_tag[data["type"]])
        assert msgspec.to_builtins(struct) == data, "msgspec changed the payload"
        out["msgspec convert"] = best_ns(lambda: msgspec.convert(data, by_tag[data["type"]]), repeat)
        out["msgspec to_builtins"] = best_ns(lambda: msgspec.to_builtins(struct), repeat)
        if with_json:
            encoded = text.encode()
            decode, encode = ms["decoder"].decode, ms["encoder"].encode
            assert decode(encoded) == struct
            out["msgspec json decode"] = best_ns(lambda: decode(encoded), repeat)
            out["msgspec json encode"] = best_ns(lambda: encode(struct), repeat)
    return out


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
    }


def make_recording(path, megabytes, deltas):
    """A GA session recorded both ways, turn after turn, until it reaches `megabytes`: a spoken
    user turn, a tool call and its output, and a spoken answer with `deltas` audio deltas."""
    delta = audio(3_000)  # one 62.5 ms audio chunk, as the server streams them
    user = {"id": "item_User0000000000000001", "type": "message", "status": "completed", "role": "user",
            "content": [{"type": "input_audio", "transcript": None}]}  # fmt: skip
    call = {"id": "item_Call0000000000000001", "type": "function_call", "status": "completed",
            "name": "get_weather", "call_id": "call_kmnUtkOoDYWLgJHP", "arguments": '{"city":"Paris"}'}  # fmt: skip
    output = {"type": "function_call_output", "call_id": "call_kmnUtkOoDYWLgJHP", "output": '{"temperature_c":21}'}
    reply = {"id": "item_Reply000000000000001", "type": "message", "status": "completed", "role": "assistant",
             "content": [{"type": "output_audio", "transcript": "It's 21 degrees and clear in Paris."}]}  # fmt: skip
    turn = [
        {"type": "input_audio_buffer.committed", "event_id": "event_1", "item_id": user["id"]},
        {"type": "conversation.item.added", "event_id": "event_2", "previous_item_id": None, "item": user},
        {"type": "conversation.item.done", "event_id": "event_3", "previous_item_id": None, "item": user},
        {"type": "response.output_item.added", "event_id": "event_4", "response_id": "resp_1", "output_index": 0,
         "item": {**call, "status": "in_progress", "arguments": ""}},
        {"type": "response.output_item.done", "event_id": "event_5", "response_id": "resp_1", "output_index": 0, "item": call},
        {"type": "response.done", "event_id": "event_6", "response": {"id": "resp_1", "status": "completed", "output": [call]}},
        {"type": "conversation.item.create", "event_id": "client_1", "item": output},
        {"type": "response.create", "event_id": "client_2"},
        *({"type": "response.output_audio.delta", "event_id": "event_7", "response_id": "resp_2", "item_id": reply["id"],
           "output_index": 0, "content_index": 0, "delta": delta} for _ in range(deltas)),
        {"type": "response.output_item.done", "event_id": "event_8", "response_id": "resp_2", "output_index": 0, "item": reply},
        {"type": "response.done", "event_id": "event_9", "response": {"id": "resp_2", "status": "completed", "output": [reply]}},
    ]  # fmt: skip
    lines = "".join(json.dumps(event, separators=(",", ":")) + "\n" for event in turn).encode()
    events = items = 0
    with open(path, "wb") as stream:
        written = 0
        while written < megabytes * 1_000_000:
            stream.write(lines)
            written += len(lines)
            events += len(turn)
            items += sum(len(rtitem.items_from_event(event)) for event in turn)
    return written, events, items


# The checker's peak memory, as Linux counts it for the process itself (VmHWM starts afresh at
# exec, where ru_maxrss would also count the forked copy of this benchmark).
CHECK = """
import sys, time
sys.path.insert(0, sys.argv[1])
import rtitem
start = time.perf_counter()
status = rtitem.main(["--quiet", sys.argv[2]])
elapsed = time.perf_counter() - start
with open("/proc/self/status") as info:
    peak = next(int(line.split()[1]) for line in info if line.startswith("VmHWM:"))
print(status, elapsed, peak, file=sys.stderr)
"""


def checker_throughput(megabytes, deltas):
    with tempfile.TemporaryDirectory() as folder:
        path = os.path.join(folder, "session.jsonl")
        size, events, items = make_recording(path, megabytes, deltas)
        result = subprocess.run([sys.executable, "-c", CHECK, ROOT, path], capture_output=True, text=True, check=True)
        status, elapsed, peak_kb = result.stderr.split()
        summary = result.stdout.strip()
        assert (status, summary) == ("0", f"{events} events, {items} items, 0 invalid"), summary
    return size, events, items, float(elapsed), int(peak_kb) / 1024


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
    if times["sdk"] is not None:
        print(f"  python -X importtime -c 'from openai.types.beta.realtime import ConversationItem': {times['sdk']:.1f} ms in all")

    if options.checker_mb and sys.platform.startswith("linux"):
        print(f"\nChecker: rtitem --quiet on generated {options.checker_mb} MB GA recordings")
        for label, deltas in (("with 10 audio deltas a turn", 10), ("items only, no audio deltas", 0)):
            size, events, items, elapsed, peak = checker_throughput(options.checker_mb, deltas)
            print(f"  {label}: {events:,} events, {items:,} items in {elapsed:.2f} s: {items / elapsed:,.0f} items/s, "
                  f"{events / elapsed:,.0f} events/s, {size / 1e6 / elapsed:.0f} MB/s; peak memory {peak:.0f} MB")  # fmt: skip

    print("\nGoals (geometric means over the five shapes; stated for CPython 3.11)")
    goals = []
    if sdk:
        goals.append(("from_dict / SDK model_validate", "rtitem from_dict", "SDK model_validate", 0.8))
        goals.append(("to_dict / SDK model_dump(exclude_none=True)", "rtitem to_dict", "SDK model_dump", 0.5))
    if ms:
        goals.append(("from_dict / msgspec convert", "rtitem from_dict", "msgspec convert", 6.0))
    for label, a, b, limit in goals:
        value = geomean([results[shape][a] / results[shape][b] for shape in shapes])
        print(f"  {label}: {value:.2f}x (goal: at most {limit}x) {'met' if value <= limit else 'MISSED'}")
    added = times["added"]
    print(f"  import on top of dataclasses, enum, json, base64: {added:.1f} ms (goal: at most 4 ms) "
          f"{'met' if added <= 4 else 'MISSED'}")  # fmt: skip


if __name__ == "__main__":
    main()
