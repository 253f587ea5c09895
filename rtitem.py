# rtitem: the OpenAI Realtime API conversation item, in one file.
# Not on the package index: vendor this file as it is, and keep this header.
#
# SPDX-License-Identifier: MIT
# Copyright (c) 2026 the rtitem authors
#
# Permission is hereby granted, free of charge, to any person obtaining a copy of this software
# and associated documentation files (the "Software"), to deal in the Software without
# restriction, including without limitation the rights to use, copy, modify, merge, publish,
# distribute, sublicense, and/or sell copies of the Software, and to permit persons to whom the
# Software is furnished to do so, subject to the following conditions:
#
# The above copyright notice and this permission notice shall be included in all copies or
# substantial portions of the Software.
#
# THE SOFTWARE IS PROVIDED "AS IS", WITHOUT WARRANTY OF ANY KIND, EXPRESS OR IMPLIED, INCLUDING
# BUT NOT LIMITED TO THE WARRANTIES OF MERCHANTABILITY, FITNESS FOR A PARTICULAR PURPOSE AND
# NONINFRINGEMENT. IN NO EVENT SHALL THE AUTHORS OR COPYRIGHT HOLDERS BE LIABLE FOR ANY CLAIM,
# DAMAGES OR OTHER LIABILITY, WHETHER IN AN ACTION OF CONTRACT, TORT OR OTHERWISE, ARISING FROM,
# OUT OF OR IN CONNECTION WITH THE SOFTWARE OR THE USE OR OTHER DEALINGS IN THE SOFTWARE.
"""Strict, dependency-free model of the OpenAI Realtime API conversation item.

The rules it enforces, as the code cites them (the README states them in full):
  D1  both dialects read without a switch: the union of beta and GA item and part types;
  D2  which content part types each role may hold (_ROLE_CONTENT);
  D3  the fields of each content part type (_PART_FIELDS);
  D4  the fields of each item type, of an MCP tool and of an MCP error (_ITEM_FIELDS);
  D5  values: strings are str, ids 1 to 32 of [A-Za-z0-9_-], null means absent;
  D6  unknown keys: an error, or dropped with strict=False; a null key counts as absent;
  D7  output: fresh JSON-native dicts in wire order, absent fields left out;
  D8  one exception, ValidationError, with the path in wire names and what was expected.
"""

from __future__ import annotations

import base64
import json
import math
import os
import re
import reprlib
import sys
import time
from collections.abc import Mapping
from dataclasses import dataclass
from enum import Enum

TYPE_CHECKING = False  # typing stays out of the import path (import time matters here)
if TYPE_CHECKING:
    from typing import IO, Any, Callable, Dict, Iterable, Iterator, List, Optional, Tuple, Type
    from typing import Container, Set, TypeVar, Union

    _Check = Callable[[Any, bool], Any]
    _W = TypeVar("_W", bound="_Wire")
    _T = TypeVar("_T")

__version__ = "0.4.0"

__all__ = [
    "ContentPart",
    "ContentType",
    "Conversation",
    "ConversationItem",
    "ImageDetail",
    "ItemStatus",
    "ItemType",
    "JsonObject",
    "McpError",
    "McpErrorType",
    "McpTool",
    "Role",
    "ValidationError",
    "from_chat_messages",
    "from_responses_input",
    "history_events",
    "items_from_event",
    "main",
    "split_turns",
    "to_chat_messages",
    "to_responses_input",
]


# --- Vocabulary -------------------------------------------------------------------------------


class _WireEnum(str, Enum):
    """A str enum whose str() and format() give the wire value on every Python version."""

    def __str__(self) -> str:
        return str.__str__(self)

    def __format__(self, spec: str) -> str:
        return str.__format__(str.__str__(self), spec)


class ItemType(_WireEnum):
    """The `type` of a conversation item."""

    MESSAGE = "message"
    FUNCTION_CALL = "function_call"
    FUNCTION_CALL_OUTPUT = "function_call_output"
    ITEM_REFERENCE = "item_reference"
    MCP_LIST_TOOLS = "mcp_list_tools"
    MCP_CALL = "mcp_call"
    MCP_APPROVAL_REQUEST = "mcp_approval_request"
    MCP_APPROVAL_RESPONSE = "mcp_approval_response"


class Role(_WireEnum):
    """Who speaks in a message item."""

    SYSTEM = "system"
    USER = "user"
    ASSISTANT = "assistant"


class ItemStatus(_WireEnum):
    """The `status` of an item."""

    COMPLETED = "completed"
    INCOMPLETE = "incomplete"
    IN_PROGRESS = "in_progress"


class ContentType(_WireEnum):
    """The `type` of a content part; `text` and `audio` are the beta names of the output parts.

    D1: these enums hold the union of both dialects' vocabularies, so reading needs no switch.
    """

    INPUT_TEXT = "input_text"
    INPUT_AUDIO = "input_audio"
    INPUT_IMAGE = "input_image"
    ITEM_REFERENCE = "item_reference"
    TEXT = "text"
    AUDIO = "audio"
    OUTPUT_TEXT = "output_text"
    OUTPUT_AUDIO = "output_audio"


class ImageDetail(_WireEnum):
    """The `detail` of an `input_image` part."""

    AUTO = "auto"
    LOW = "low"
    HIGH = "high"


class McpErrorType(_WireEnum):
    """The `type` of the `error` object of an `mcp_call` item."""

    PROTOCOL_ERROR = "protocol_error"
    TOOL_EXECUTION_ERROR = "tool_execution_error"
    HTTP_ERROR = "http_error"


# D2: the content part types each role may hold.
_ROLE_CONTENT = {
    Role.SYSTEM: (ContentType.INPUT_TEXT,),
    Role.USER: (
        ContentType.INPUT_TEXT,
        ContentType.INPUT_AUDIO,
        ContentType.INPUT_IMAGE,
        ContentType.ITEM_REFERENCE,
    ),
    Role.ASSISTANT: (
        ContentType.TEXT,
        ContentType.AUDIO,
        ContentType.OUTPUT_TEXT,
        ContentType.OUTPUT_AUDIO,
    ),
}

# D1: the assistant's parts are the only ones the two dialects name differently.
_GA_NAME = {"text": "output_text", "audio": "output_audio"}
_BETA_NAME = {ga: beta for beta, ga in _GA_NAME.items()}
_TEXT_PARTS = ("text", _GA_NAME["text"])  # an assistant's text part, in either dialect
_AUDIO_PARTS = ("audio", _GA_NAME["audio"])  # and its audio part


def _text_type(role: str, dialect: str = "ga") -> str:
    """The type of a role's text part in a dialect (D1, D2): only the assistant's differs."""
    if role != "assistant":
        return "input_text"
    return _GA_NAME["text"] if dialect == "ga" else "text"


# D3: the fields of each content part type after `type`, in output order; starred is required.
_PART_FIELDS = {
    ContentType.INPUT_TEXT: ("text*",),
    ContentType.TEXT: ("text*",),
    ContentType.OUTPUT_TEXT: ("text*",),
    ContentType.INPUT_AUDIO: ("audio", "transcript"),
    ContentType.AUDIO: ("audio", "transcript"),
    ContentType.OUTPUT_AUDIO: ("audio", "transcript"),
    ContentType.INPUT_IMAGE: ("image_url", "detail"),
    ContentType.ITEM_REFERENCE: ("id*",),
}

_COMMON = ("id", "type", "object", "status")
# D4: the fields of each item type, in output order (D7); starred ones are required.
_ITEM_FIELDS = {
    ItemType.MESSAGE: _COMMON + ("role*", "content*"),
    ItemType.FUNCTION_CALL: _COMMON + ("call_id", "name*", "arguments*"),
    ItemType.FUNCTION_CALL_OUTPUT: _COMMON + ("call_id*", "output*"),
    ItemType.ITEM_REFERENCE: ("id*", "type"),
    ItemType.MCP_LIST_TOOLS: _COMMON + ("server_label*", "tools*"),
    ItemType.MCP_CALL: _COMMON
    + ("name*", "arguments*", "output", "server_label", "approval_request_id", "error"),
    ItemType.MCP_APPROVAL_REQUEST: _COMMON + ("name*", "arguments*", "server_label*"),
    ItemType.MCP_APPROVAL_RESPONSE: _COMMON + ("approval_request_id*", "approve*", "reason"),
}

# D4: the fields of a tool in `mcp_list_tools.tools`, and of the `error` of an `mcp_call`.
_TOOL_FIELDS = ("name*", "description", "input_schema", "annotations")
_MCP_ERROR_FIELDS = {
    McpErrorType.PROTOCOL_ERROR: ("code", "message*"),
    McpErrorType.TOOL_EXECUTION_ERROR: ("message*",),
    McpErrorType.HTTP_ERROR: ("code", "message*"),
}

# D5: ids and call ids, as the server limits them.
_ID = re.compile(r"[A-Za-z0-9_-]{1,32}\Z").match
_ID_RULE = "1 to 32 characters of A-Z, a-z, 0-9, '_' or '-'"
# The 32 binds what a client sends; read leniently, an id a server sent is kept whatever its
# length (some Realtime-compatible servers and proxies name items with 36-character UUIDs).
_ANY_LENGTH_ID = re.compile(r"[A-Za-z0-9_-]+\Z").match
_OBJECT = "realtime.item"
_MAX_DEPTH = 100  # free JSON deeper than this is refused rather than risking a RecursionError


# Items travel inside events (docs/server-behaviour.md, "Where items travel"): the client sends
# them in `conversation.item.create` and in the `input` of `response.create`; the server sends
# them in the item events below and in the `output` of `response.created` and `response.done`.
_CREATE = "conversation.item.create"
_ITEM_EVENTS = (
    _CREATE,
    "conversation.item.created",
    "conversation.item.added",
    "conversation.item.done",
    "conversation.item.retrieved",
    "response.output_item.added",
    "response.output_item.done",
)
_RESPONSE_LISTS = {
    "response.created": "output",
    "response.done": "output",
    "response.create": "input",
}
_PART_EVENTS = ("response.content_part.added", "response.content_part.done")
_MAX_EVENT_ID = 512  # the spec's maxLength for a client event_id

# What conversation.item.create takes (docs/server-behaviour.md): no item references (they
# belong in response.create), no MCP items but the approval response, and no assistant audio,
# which the server cannot recreate ("Missing required parameter: 'item.content[0].text'").
_CREATE_TYPES = ("message", "function_call", "function_call_output", "mcp_approval_response")
_CREATE_ASSISTANT_PARTS = _TEXT_PARTS

# D1: each dialect's item types, its names for the assistant's parts, and the part type it lacks
# (docs/server-behaviour.md, "The two dialects").
_DIALECTS = {
    "beta": (
        ("message", "function_call", "function_call_output", "item_reference"),
        _BETA_NAME,
        "input_image",
    ),
    "ga": (tuple(item_type.value for item_type in ItemType), _GA_NAME, "item_reference"),
}


# --- The error --------------------------------------------------------------------------------
# D8: one exception for bad data, with the place in wire names and what was expected there.


class ValidationError(ValueError):
    """Bad data: `.path` is where (in wire names, "" for the whole object), `.msg` is what."""

    def __init__(self, path: str, msg: str) -> None:
        super().__init__(path, msg)
        self.path = path
        self.msg = msg

    def __str__(self) -> str:
        return f"{self.path or '(root)'}: {self.msg}"

    def within(self, outer: object) -> ValidationError:
        """The same error seen from the object that holds this one under key or index `outer`."""
        step = f"[{outer}]" if isinstance(outer, int) else str(outer)
        path = self.path
        if not step:
            return self
        if not path:
            path = step
        elif path[0] == "[":
            path = step + path
        else:
            path = f"{step}.{path}"
        return type(self)(path, self.msg)


def _missing(path: str) -> ValidationError:
    return ValidationError(path, "missing required field")


# --- Describing values in messages (error path only) ------------------------------------------

_SHOW = 40
_REPR = reprlib.Repr()
_REPR.maxlevel, _REPR.maxdict, _REPR.maxlist, _REPR.maxtuple = 2, 3, 2, 2
_REPR.maxstring, _REPR.maxother, _REPR.maxlong = _SHOW, _SHOW, _SHOW


_OBJECTS: List[type] = [dict]  # what _json_type names "object"; JsonObject joins (Free JSON)


def _json_type(value: object) -> str:
    """Name a Python value as JSON would (string, number, ...), or by its Python type."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, (int, float)):
        return "number"
    if isinstance(value, str):
        return "string"
    if isinstance(value, (list, tuple)):
        return "array"
    if isinstance(value, tuple(_OBJECTS)):
        return "object"
    return _escaped(type(value).__name__)


def _show(value: object) -> str:
    """Quote a value for a message, cut to a few dozen characters."""
    if isinstance(value, (str, bytes, bytearray)):
        head = value[:_SHOW]
        text = repr(str.__str__(head)) if isinstance(head, str) else repr(bytes(head))
        if len(value) > _SHOW:
            unit = "characters" if isinstance(value, str) else "bytes"
            text = f"{text[:-1]}...{text[-1]} ({len(value)} {unit})"
        return text
    if isinstance(value, bool):
        return "true" if value else "false"
    try:
        return _escaped(_REPR.repr(value))  # a program's own object may have any __repr__
    except Exception:  # a broken __repr__, or an int too long to print
        return f"<{_escaped(type(value).__name__)}>"


# Every Unicode line break (those of str.splitlines, \r\n as one) and every other control
# character: C0, DEL and C1. No line that rtitem writes for people or models carries one.
_CONTROLS = re.compile("\r\n|[\x00-\x1f\x7f-\x9f\u2028\u2029]")


def _escaped(text: str) -> str:
    """Text from elsewhere (a repr, a type's name) with each control character escaped."""
    return _CONTROLS.sub(lambda found: found.group().encode("unicode_escape").decode(), text)


_PLAIN_KEY = re.compile(r"[A-Za-z0-9_$-]+\Z").match


def _key_step(key: str) -> str:
    """A key of the data as a step of an error path: as it is where it is a plain name, else
    quoted in brackets (`['my key']`), so that a path stays one line, carries no control
    character, and cannot pass for another path."""
    return str.__str__(key) if _PLAIN_KEY(key) else f"[{_show(key)}]"  # a subclass's str() lies


def _got(value: object) -> str:
    """'number 5', 'string 'x'', 'null': what was found, for 'expected X, got Y'."""
    return "null" if value is None else f"{_json_type(value)} {_show(value)}"


def _choices(values: Iterable[str]) -> str:
    return ", ".join(repr(str.__str__(value)) for value in values)


def _expected(what: str, value: object) -> ValidationError:
    return ValidationError("", f"expected {what}, got {_got(value)}")


def _not_one_of(choices: str, value: object) -> ValidationError:
    return _expected(f"one of {choices}", value)


def _not_json(error: Exception, with_line: bool = True) -> ValidationError:
    """The one wording of "this text is not JSON", from the error json.loads raised. The line
    is left out where the caller says where the text starts (the checker's FILE:LINE)."""
    if isinstance(error, UnicodeDecodeError):
        return ValidationError("", "expected UTF-8 text")
    if isinstance(error, json.JSONDecodeError):
        where = f"column {error.colno}"
        if with_line and error.lineno > 1:
            where = f"line {error.lineno}, {where}"
        return ValidationError("", f"expected JSON text: {error.msg} ({where})")
    if isinstance(error, RecursionError):
        return ValidationError("", "expected JSON text: nested too deeply to decode")
    return ValidationError("", f"expected JSON text: {error}")  # a number too long to convert


# --- Field checks -----------------------------------------------------------------------------
# Each check takes a value that is not None and the strict flag, and returns the value as an
# item stores it, or raises a ValidationError whose path the caller fills in. A str subclass
# counts as a string (D5) and is stored as a plain str, so that to_dict gives JSON-native data.


def _string(value: object, strict: bool = True) -> str:
    if not isinstance(value, str):
        raise _expected("string", value)
    text = value if type(value) is str else str.__str__(value)
    if not text.isascii() and _SURROGATE(text) is not None:
        # JSON's "\ud800" decodes to one; no UTF-8 can carry it (D5), so no socket can send it.
        raise _expected("text that UTF-8 can encode (no lone surrogate)", text)
    return text


_SURROGATE = re.compile("[\ud800-\udfff]").search


def _identifier(value: object, strict: bool = True) -> str:
    text = _string(value)
    if _ID(text) is None and (strict or _ANY_LENGTH_ID(text) is None):
        raise _expected(_ID_RULE, value)
    return text


# previous_item_id names the start of the conversation "root". An item that a client names so
# (the server's are `item_...`) would send the next item anchored on it to the front.
_ROOT = "root"


def _not_root(item_id: object, path: str) -> None:
    """Refuse "root" as the id a client gives an item (constructors, create_event, lists)."""
    if item_id == _ROOT:
        what = f"an id other than {_ROOT!r}, previous_item_id's name for the start"
        raise _expected(what, item_id).within(path)


# The common case of a check, as the source text that a generated reader runs inline instead of
# calling it (see _compile_reader); `check` there names the check itself. Whatever the inline
# test accepts, its check must accept and return unchanged: a test holds every entry to that.
# A check with no entry is always called.
_INLINE: Dict[_Check, str] = {
    _string: "type(value) is str and value.isascii()",
    # Most ids are identifiers ("item_..."): those, at once.
    _identifier: "type(value) is str and (len(value) <= 32 and value.isascii()"
    " and value.isidentifier() or ID(value) is not None)",
}


def _object_tag(value: object, strict: bool) -> str:
    if value == _OBJECT and isinstance(value, str):
        return value if type(value) is str else _OBJECT
    raise _expected(repr(_OBJECT), value)


_INLINE[_object_tag] = "value == OBJECT and type(value) is str"


def _boolean(value: object, strict: bool) -> bool:
    if value is True or value is False:
        return value
    raise _expected("boolean", value)


def _whole_number(value: object, strict: bool) -> int:
    if isinstance(value, int) and not isinstance(value, bool):
        return int(value)
    raise _expected("whole number", value)


class _Members(dict):  # type: ignore[type-arg]
    """The check for an enum field, mapping each wire value to its member. An item stores the
    wire value (see _EnumField); a generated reader tests a plain string for membership inline
    (`inline`, as in _INLINE), and anything else comes here to be made a plain string or refused."""

    inline = "type(value) is str and value in check"

    def __call__(self, value: object, strict: bool) -> str:
        if isinstance(value, str) and value in self:
            return _string(value)
        raise _not_one_of(_choices(self), value)


def _member(enum: Any) -> _Members:
    return _Members((member.value, member) for member in enum)


_ITEM_TYPE, _ROLE, _STATUS = _member(ItemType), _member(Role), _member(ItemStatus)
_PART_TYPE, _DETAIL, _ERROR_TYPE = _member(ContentType), _member(ImageDetail), _member(McpErrorType)


# --- Reading wire objects through tables ------------------------------------------------------


class _Shape:
    """One kind of wire object: its fields in wire order, each with its check and whether it is
    required (a starred name); the class that holds it; and, for better messages, every field
    name its family knows. `read(data, strict)` checks a wire dict and returns the instance.
    The other formats' objects (History formats) are read as shapes too; there `dropped` names
    the keys dropped wherever they appear."""

    __slots__ = ("what", "cls", "fields", "checks", "known", "dropped", "tags", "read")

    def __init__(
        self,
        what: str,
        cls: Any,
        fields: Iterable[str],
        checks: Dict[str, _Check],
        known: Any,
        dropped: Tuple[str, ...] = (),
        **tags: str,
    ) -> None:
        fields = tuple(fields)
        self.what = what
        self.cls = cls
        self.fields = tuple((name.rstrip("*"), name.endswith("*")) for name in fields)
        self.checks = {name: checks[name] for name, _ in self.fields}
        self.known = known
        self.dropped = dropped
        self.tags = tags  # the tag fields that chose this shape, and their values (_dispatch)
        self.read: Callable[[Any, bool], Any] = self._compile_then_read

    def _compile_then_read(self, data: Any, strict: bool) -> Any:
        self.read = _compile_reader(self)  # on first use, so that importing stays cheap
        return self.read(data, strict)

    def unexpected(self, key: object) -> ValidationError:
        has = f"{self.what} has: {', '.join(self.checks)}"
        if not isinstance(key, str):
            return ValidationError("", f"unknown field {_show(key)}: keys are strings; {has}")
        if key in self.known:
            return ValidationError(str.__str__(key), f"field not allowed here: {has}")
        return ValidationError(_key_step(key), f"{_UNKNOWN}{has}")


_UNKNOWN = "unknown field: "


def _offering_lenient(error: ValidationError) -> ValidationError:
    """An error as a caller who could have read leniently sees it (from_dict, from_json, the
    event readers, a strict conversation's apply, the checker): an unknown field says that
    strict=False drops it. A caller who cannot (a constructor, check(), the history formats)
    is told no more than what is wrong."""
    if error.msg.startswith(_UNKNOWN) and not error.msg.endswith(_DROPS):
        return ValidationError(error.path, error.msg + _DROPS)
    return error


_DROPS = " (strict=False drops unknown fields)"


# Reading is where rtitem spends its time, so each shape gets a reader written for it, the way
# dataclasses writes __init__: straight-line code, one block per field, in wire order. The
# instance is made without its __init__ and its __dict__ filled with exactly the wire form (the
# fields present, JSON-native, in wire order), so that to_dict is a copy; a field left out
# reads its class default, None. A tag field (`type`, a message's `role`) was checked when
# _dispatch chose the shape, so the reader writes its value. A string in a string, id or enum
# field, most of any payload, is accepted inline; everything else, and every error, goes
# through the field's check.
# For a function_call_output, the generated reader reads:
#
#     def read(data, strict):
#         instance = new(cls)
#         values = instance.__dict__
#         value = data.get('id')
#         if value is None:
#             pass
#         elif type(value) is str and ID(value) is not None:
#             values['id'] = value
#         else:
#             try:
#                 values['id'] = check_0(value, strict)
#             except ValidationError as error:
#                 raise error.within('id') from None
#         values['type'] = 'function_call_output'
#         ...
#         value = data.get('output')
#         if value is None:
#             raise missing('output')
#         elif type(value) is str and value.isascii():
#             values['output'] = value
#         else:
#             try:
#                 values['output'] = check_5(value, strict)
#             except ValidationError as error:
#                 raise error.within('output') from None
#         if len(values) != len(data):
#             extra_keys(data, shape, strict)
#         return instance

_FIELD_BLOCK = """
    value = data.get({name!r})
    if value is None:
        {absent}{inline}
    else:
        try:
            values[{name!r}] = check_{index}(value, strict)
        except ValidationError as error:
            raise error.within({name!r}) from None"""
_INLINE_BLOCK = """
    elif {accept}:
        values[{name!r}] = value"""
# An array of objects tagged as _array reads them (a message's content) has its common case
# inline too: a list of dicts whose tags name shapes, each read by its shape; anything else,
# and the error of an element, goes through the array's check.
_ARRAY_BLOCK = """
    value = data.get({name!r})
    if value is None:
        {absent}
    else:
        out, done = [], False
        if type(value) is list:
            try:
                for element in value:
                    found = element.get({tag!r}) if type(element) is dict else None
                    read = shapes_{index}.get(found) if type(found) is str else None
                    if read is None:
                        break
                    out.append(read.read(element, strict))
                else:
                    done = True
            except ValidationError as error:
                raise error.within(len(out)).within({name!r}) from None
        if done:
            values[{name!r}] = tuple(out)
        else:
            try:
                values[{name!r}] = check_{index}(value, strict)
            except ValidationError as error:
                raise error.within({name!r}) from None"""


def _compile_reader(shape: _Shape) -> Callable[[Any, bool], Any]:
    namespace: Dict[str, Any] = {
        "new": object.__new__,
        "cls": shape.cls,
        "shape": shape,
        "ID": _ID,
        "OBJECT": _OBJECT,
        "missing": _missing,
        "ValidationError": ValidationError,
        "extra_keys": _extra_keys,
    }
    lines = ["def read(data, strict):", "    instance = new(cls)", "    values = instance.__dict__"]
    for index, (name, required) in enumerate(shape.fields):
        check = namespace[f"check_{index}"] = shape.checks[name]
        if name in shape.tags:
            lines.append(f"    values[{name!r}] = {shape.tags[name]!r}")
            continue
        if not isinstance(check, _Members) and check in _TAGGED_ARRAYS:
            namespace[f"shapes_{index}"], tag = _TAGGED_ARRAYS[check]
            absent = f"raise missing({name!r})" if required else "pass"
            lines.append(_ARRAY_BLOCK.format(name=name, index=index, absent=absent, tag=tag))
            continue
        accept = check.inline if isinstance(check, _Members) else _INLINE.get(check)
        inline = ""
        if accept is not None:
            accept = re.sub(r"\bcheck\b", f"check_{index}", accept)
            inline = _INLINE_BLOCK.format(name=name, accept=accept)
        absent = "pass"
        if required:
            absent = f"raise missing({name!r})"
        lines.append(_FIELD_BLOCK.format(name=name, index=index, absent=absent, inline=inline))
    lines += [
        "    if len(values) != len(data):",
        "        extra_keys(data, shape, strict)",
        "    return instance",
    ]
    code = compile("\n".join(lines), f"<rtitem reader: {shape.what}>", "exec")
    exec(code, namespace)
    return namespace["read"]  # type: ignore[no-any-return]


def _checked(check: _Check, name: str, value: object, strict: bool = True) -> Any:
    """Run a field's check on a value, naming the field in the error path: for a value that a
    reader's inline test did not accept, and for a constructor's argument."""
    try:
        return check(value, strict)
    except ValidationError as error:
        raise error.within(name) from None


def _extra_keys(data: Dict[Any, Any], shape: _Shape, strict: bool) -> None:
    """Look at the keys the reader did not keep: null, unknown, or known but out of place."""
    for key, value in data.items():
        if value is None or key in shape.checks:  # D5, D6: a null key carries nothing
            continue
        if key in shape.dropped:
            continue
        if strict or key in shape.known:  # D4: a known field out of place stays an error
            raise shape.unexpected(key)


def _tag(data: Any, key: str, choices: Optional[Iterable[str]], context: str = "") -> str:
    """The value of a tag field (`type`, a message's `role`), one of `choices` where they are
    given. As in msgspec, a missing tag, a tag that is not a string and an unknown tag are three
    different errors."""
    if not isinstance(data, dict):
        raise _expected("object", data)
    tag = data.get(key)
    if tag is None:
        raise _missing(key)
    if not isinstance(tag, str):
        raise ValidationError(key, f"expected string, got {_got(tag)}")
    text: str = _checked(_string, key, tag)
    if choices is not None and text not in choices:
        raise _not_one_of(f"{_choices(choices)}{context}", text).within(key)
    return text


def _event_type(event: Any, kinds: Optional[Iterable[str]] = None) -> str:
    """The `type` of an event, which must be one of `kinds` where they are given."""
    return _tag(event, "type", kinds)


def _required(data: Dict[str, Any], name: str, check: Optional[_Check] = None) -> Any:
    """A required field of a wire object (an event, a usage, another format's message): its
    value, checked by `check` where one is given; errors name the field."""
    value = data.get(name)
    if value is None:
        raise _missing(name)
    return value if check is None else _checked(check, name, value)


def _dispatch(data: Any, key: str, shapes: Dict[str, _Shape], context: str = "") -> _Shape:
    """The shape that a tag field names."""
    if type(data) is dict:
        tag = data.get(key)
        shape = shapes.get(tag) if type(tag) is str else None
        if shape is not None:
            return shape  # the common case, inline
    return shapes[_tag(data, key, shapes, context)]


def _read_tagged(data: Any, shapes: Dict[str, _Shape], strict: bool) -> Any:
    """Read a wire object by the shape its `type` names."""
    return _dispatch(data, "type", shapes).read(data, strict)


def _shapes_by_type(
    what: Callable[[str], str],
    cls: Any,
    fields: Dict[Any, Tuple[str, ...]],
    checks: Dict[str, _Check],
) -> Dict[str, _Shape]:
    """The shape of each value of a `type` tag, from a table of the fields each type has (the
    tag itself first, where the table leaves it out)."""
    return {
        tag.value: _Shape(
            what(tag.value),
            cls,
            names if "type" in names else ("type",) + names,
            checks,
            frozenset(checks),
            type=tag.value,
        )
        for tag, names in fields.items()
    }


def _array(shapes: Dict[str, _Shape], tag: Optional[str], context: str = "") -> _Check:
    """The check for a JSON array of objects, each read by the shape its `tag` field names, or
    by shapes[""] where `tag` is None; it returns a tuple of instances."""

    def shape_of(element: object) -> _Shape:
        if tag is not None:
            return _dispatch(element, tag, shapes, context)
        if not isinstance(element, dict):
            raise _expected("object", element)
        return shapes[""]

    def check(value: object, strict: bool) -> Tuple[Any, ...]:
        if not isinstance(value, (list, tuple)):
            raise _expected("array", value)
        out: List[Any] = []
        try:
            for element in value:
                out.append(shape_of(element).read(element, strict))
        except ValidationError as error:
            raise error.within(len(out)) from None  # the index of the element that failed
        return tuple(out)

    if tag is not None:
        _TAGGED_ARRAYS[check] = (shapes, tag)
    return check


_TAGGED_ARRAYS: Dict[_Check, Tuple[Dict[str, _Shape], str]] = {}  # see _ARRAY_BLOCK


def _wire_view(value: object) -> Any:
    """A built value in the plain form from_dict reads, so that __init__ and validate() apply
    exactly the rules of from_dict. It goes no deeper than the objects an item holds in its
    arrays (parts, tools): anything else is left for the checks to refuse."""
    if isinstance(value, _Wire):
        return {k: _wire_view(v) for k, v in value.__dict__.items() if v is not None}
    if isinstance(value, (list, tuple)):
        return [_wire_view(element) if isinstance(element, _Wire) else element for element in value]
    return value


def _adopt(instance: object, checked: object) -> None:
    """Give an instance that __init__ filled the checked wire form of another, as a reader
    stores it (see _compile_reader)."""
    instance.__dict__.clear()
    instance.__dict__.update(checked.__dict__)


class _EnumField:
    """The attribute of an enum field. The instance's __dict__ keeps the wire string, so that
    to_dict is a dict copy; reading the attribute gives the enum member."""

    def __init__(self, name: str, members: _Members) -> None:
        self.name = name
        self.members = members

    def __get__(self, instance: object, owner: Any) -> Any:
        if instance is None:
            return self
        value = instance.__dict__.get(self.name)
        return value if value is None else self.members.get(value, value)

    def __set__(self, instance: object, value: object) -> None:
        instance.__dict__[self.name] = value  # only __init__ sets fields; __post_init__ checks


def _enum_fields(cls: Any, **fields: _Members) -> None:
    """Give a dataclass the attribute of each of its enum fields (see _EnumField)."""
    for name, members in fields.items():
        setattr(cls, name, _EnumField(name, members))


def _decode_json(text: object, name: str = "") -> Any:
    """Parse JSON text (str or bytes); anything else is a ValidationError at `name`. NaN and
    Infinity, which Python's json reads, are not JSON."""
    if not isinstance(text, (str, bytes, bytearray)):
        raise _expected("JSON text (str or bytes)", text).within(name)
    try:
        if not isinstance(text, str):
            text = bytes(text).decode(json.detect_encoding(text), "surrogatepass")  # as json.loads
        return _json_text(text)
    except (ValueError, RecursionError) as error:  # JSONDecodeError, UnicodeDecodeError, ...
        raise _not_json(error).within(name) from None


def _no_constant(name: str) -> Any:
    raise ValueError(f"{name} is not JSON")


_json_text = json.JSONDecoder(parse_constant=_no_constant).decode


# One encoder for every to_json: json.dumps with options builds a new one each call.
_compact_json = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"), allow_nan=False).encode


def _json_argument(name: str, value: object, text_is_json: bool) -> str:
    """A constructor argument that the wire carries as a string: a str is taken as it is (and
    must be JSON text where `text_is_json`), anything else is encoded as compact JSON."""
    if isinstance(value, str):
        text: str = _checked(_string, name, value)
        if text_is_json:
            _decode_json(text, name)
        return text
    try:
        return _compact_json(value)
    except (TypeError, ValueError, RecursionError) as error:
        raise ValidationError(name, f"expected a JSON-serialisable value ({error})") from None


class _Wire:
    """What the wire dataclasses share. Each sets `_reader`, the function that reads its wire
    dict (data, strict). __init__ and dataclasses.replace() check by the rules of from_dict:
    __post_init__ reads the wire view of the fields and keeps what the reader stored."""

    _reader: Callable[[Any, bool], Any]

    def __post_init__(self) -> None:
        _adopt(self, self._reader(_wire_view(self), True))

    # Equality and hash compare the wire form, which __dict__ holds: the same as the fields
    # dataclasses would compare, without generating __eq__ and __hash__ for each class at import.
    def __eq__(self, other: object) -> bool:
        if type(other) is not type(self):
            return NotImplemented
        return self.__dict__ == other.__dict__

    def __hash__(self) -> int:
        return hash(tuple(self.__dict__.items()))

    def __repr__(self) -> str:
        """Name(field=value, ...) with the fields that are set, as the wire has them."""
        shown = ", ".join(f"{name}={value!r}" for name, value in self.__dict__.items())
        return f"{type(self).__name__}({shown})"

    @classmethod
    def from_dict(cls: Type[_W], data: Any, *, strict: bool = True) -> _W:
        """Read one from its wire dict; raise ValidationError if it breaks a rule.

        With strict=False unknown keys are dropped; everything else is still checked.
        """
        try:
            return cls._reader(data, strict)  # type: ignore[no-any-return]
        except ValidationError as error:
            raise _offering_lenient(error) from None

    @classmethod
    def from_json(cls: Type[_W], text: Union[str, bytes], *, strict: bool = True) -> _W:
        """Read one from JSON text (str or bytes)."""
        try:
            return cls._reader(_decode_json(text), strict)  # type: ignore[no-any-return]
        except ValidationError as error:
            raise _offering_lenient(error) from None

    def to_dict(self) -> Dict[str, Any]:
        """The wire dict: fresh JSON-native data in wire order, absent fields left out (D7)."""
        return self.__dict__.copy()  # the wire form already: see _compile_reader

    def to_json(self) -> str:
        """The wire dict as compact JSON text."""
        return _compact_json(self.to_dict())

    def validate(self) -> None:
        """Raise ValidationError if this breaks a rule of from_dict (for an object built
        around __init__; every other one was checked when it was made)."""
        self._reader(_wire_view(self), True)


# --- Free JSON --------------------------------------------------------------------------------

if TYPE_CHECKING:
    from typing import Mapping as _MappingBase

    _JsonMapping = _MappingBase[str, Any]
else:
    _JsonMapping = Mapping


class JsonObject(_JsonMapping):
    """A read-only, hashable JSON object: an MCP tool's `input_schema` or `annotations`.

    The JSON is kept exactly as given (nulls and key order included); nested objects are
    JsonObjects and arrays are tuples. Two are equal when they hold the same JSON, whatever the
    key order; `true`, `1` and `1.0` differ, as they do on the wire. to_dict() thaws it.
    """

    __slots__ = ("_items", "_key")

    def __init__(self, data: Any = None) -> None:
        if data is None:
            data = {}
        elif isinstance(data, Mapping) and not isinstance(data, (dict, JsonObject)):
            data = dict(data)
        self._items: Dict[str, Any] = _free_object(data, True)._items
        self._key: Optional[str] = None

    @classmethod
    def _wrap(cls, items: Dict[str, Any]) -> JsonObject:
        instance = object.__new__(cls)
        instance._items = items
        instance._key = None
        return instance

    def __getitem__(self, key: str) -> Any:
        return self._items[key]

    def __iter__(self) -> Iterator[str]:
        return iter(self._items)

    def __len__(self) -> int:
        return len(self._items)

    def __repr__(self) -> str:
        return f"JsonObject({self.to_dict()!r})"

    def __eq__(self, other: object) -> bool:
        if isinstance(other, JsonObject):
            return self._canonical() == other._canonical()
        if isinstance(other, dict):
            try:
                return self._canonical() == _canonical(other)
            except (TypeError, ValueError, RecursionError):
                return False  # not JSON, so not equal to any JSON object
        return NotImplemented

    def __hash__(self) -> int:
        return hash(self._canonical())

    def __reduce__(self) -> Any:
        return (JsonObject, (self.to_dict(),))

    def _canonical(self) -> str:
        if self._key is None:
            self._key = _canonical(self.to_dict())
        return self._key

    def to_dict(self) -> Dict[str, Any]:
        """The JSON as fresh dicts and lists."""
        return _thaw(self)  # type: ignore[return-value]


def _canonical(data: object) -> str:
    return json.dumps(data, sort_keys=True, ensure_ascii=False, separators=(",", ":"))


_OBJECTS.append(JsonObject)


def _free_object(value: object, strict: bool) -> JsonObject:
    """Free JSON (a tool's input_schema and annotations): kept exactly as given, frozen."""
    if isinstance(value, JsonObject):
        return value
    if not isinstance(value, dict):
        raise _expected("object", value)
    return _freeze_object(value, 0)


def _freeze_object(value: Dict[Any, Any], depth: int) -> JsonObject:
    if depth >= _MAX_DEPTH:
        raise ValidationError("", f"expected at most {_MAX_DEPTH} levels of nesting")
    items = {}
    for key, item in value.items():
        if not isinstance(key, str):
            raise ValidationError("", f"expected string keys, got {_got(key)}")
        try:
            items[_string(key)] = _freeze(item, depth + 1)
        except ValidationError as error:
            raise error.within(_key_step(key)) from None
    return JsonObject._wrap(items)


def _freeze(value: object, depth: int) -> object:
    """Copy a JSON value into immutable form: objects become JsonObject, arrays tuples."""
    if isinstance(value, str):
        return _string(value)
    if value is None or value is True or value is False or isinstance(value, JsonObject):
        return value
    if isinstance(value, int):
        return int(value)
    if isinstance(value, float):
        if not math.isfinite(value):  # NaN and infinities are not JSON
            raise _expected("a finite number", value)
        return float(value)
    if isinstance(value, dict):
        return _freeze_object(value, depth)
    if not isinstance(value, (list, tuple)):
        raise _expected("a JSON value", value)
    if depth >= _MAX_DEPTH:
        raise ValidationError("", f"expected at most {_MAX_DEPTH} levels of nesting")
    frozen = []
    for index, item in enumerate(value):
        try:
            frozen.append(_freeze(item, depth + 1))
        except ValidationError as error:
            raise error.within(index) from None
    return tuple(frozen)


def _thaw(value: object) -> object:
    """The fresh, mutable JSON value behind a frozen one."""
    if type(value) is JsonObject:
        return {key: _thaw(item) for key, item in value._items.items()}
    if type(value) is tuple:
        return [_thaw(item) for item in value]
    return value


# --- Content parts ----------------------------------------------------------------------------


def _read_part(data: Any, strict: bool) -> ContentPart:
    return _read_tagged(data, _PART_SHAPES, strict)  # type: ignore[no-any-return]


@dataclass(frozen=True, repr=False, eq=False)
class ContentPart(_Wire):
    """One content part of a message, of any part type (D3).

    ContentPart(...) checks its fields by the rules of from_dict, so every part is valid.
    """

    _reader = staticmethod(_read_part)

    type: ContentType
    text: Optional[str] = None
    audio: Optional[str] = None
    transcript: Optional[str] = None
    image_url: Optional[str] = None
    detail: Optional[ImageDetail] = None
    id: Optional[str] = None

    @classmethod
    def from_event(cls, event: Any, *, strict: bool = True) -> ContentPart:
        """The `part` of a `response.content_part.added` or `.done` event; errors have paths
        from the event (`part.type`)."""
        _event_type(event, _PART_EVENTS)
        data = _required(event, "part")
        try:
            return _read_part(data, strict)
        except ValidationError as error:
            raise _offering_lenient(error).within("part") from None

    # Named constructors: each checks its arguments and names the bad one in the error path.

    @classmethod
    def input_text(cls, text: str) -> ContentPart:
        """A user or system text part."""
        return _make_part(ContentType.INPUT_TEXT, text=text)

    @classmethod
    def output_text(cls, text: str) -> ContentPart:
        """An assistant text part, as the GA dialect names it."""
        return _make_part(ContentType.OUTPUT_TEXT, text=text)

    @classmethod
    def input_audio(cls, audio: Union[bytes, str], transcript: Optional[str] = None) -> ContentPart:
        """A user audio part from raw audio bytes (base64-encoded for you) or base64 text."""
        return _make_part(ContentType.INPUT_AUDIO, audio=_base64(audio), transcript=transcript)

    @classmethod
    def output_audio(
        cls, audio: Union[bytes, str, None], transcript: Optional[str] = None
    ) -> ContentPart:
        """An assistant audio part (GA); `audio` may be None, as the server sends it."""
        return _make_part(ContentType.OUTPUT_AUDIO, audio=_base64(audio), transcript=transcript)

    @classmethod
    def input_image(
        cls,
        image_url: Union[str, bytes],
        detail: Union[ImageDetail, str, None] = None,
        *,
        mime_type: Optional[str] = None,
    ) -> ContentPart:
        """A user image part from a `data:` URI, or from the image's bytes: PNG and JPEG are
        recognised, other formats need `mime_type`."""
        if isinstance(image_url, (bytes, bytearray)):
            image_url = _data_uri(bytes(image_url), mime_type)
        elif not isinstance(image_url, str):
            raise _expected("image bytes or a 'data:' URI", image_url).within("image_url")
        _checked(_image_uri, "image_url", image_url)
        return _make_part(ContentType.INPUT_IMAGE, image_url=image_url, detail=detail)

    @classmethod
    def item_reference(cls, id: str) -> ContentPart:
        """A reference to an earlier item, as a content part (beta `response.create` input)."""
        _not_root(id, "id")
        return _make_part(ContentType.ITEM_REFERENCE, id=id)

    @classmethod
    def beta_text(cls, text: str) -> ContentPart:
        """An assistant text part, as the beta dialect names it (`type: text`)."""
        return _make_part(ContentType.TEXT, text=text)

    @classmethod
    def beta_audio(
        cls, audio: Union[bytes, str, None], transcript: Optional[str] = None
    ) -> ContentPart:
        """An assistant audio part, as the beta dialect names it (`type: audio`)."""
        return _make_part(ContentType.AUDIO, audio=_base64(audio), transcript=transcript)

    # Readers.

    def audio_bytes(self) -> bytes:
        """The audio, base64-decoded; ValidationError at `audio` if absent or not base64."""
        if self.audio is None:
            raise ValidationError("audio", "missing: servers leave audio out of item events")
        try:
            return base64.b64decode(self.audio, validate=True)
        except ValueError:  # binascii.Error, or a character beyond ASCII
            raise _expected("base64 text", self.audio).within("audio") from None


def _words(part: ContentPart) -> Optional[str]:
    """What a part says in words: its text, or its audio's transcript; None for neither."""
    return part.text if part.text is not None else part.transcript


def _make_part(part_type: ContentType, **fields: object) -> ContentPart:
    return _read_part({"type": part_type, **fields}, True)


def _base64(audio: object) -> Any:
    """Audio for a constructor: bytes are encoded; text must already be base64."""
    if audio is None or isinstance(audio, (bytes, bytearray)):
        return audio if audio is None else base64.b64encode(audio).decode("ascii")
    if not isinstance(audio, str):
        raise _expected("bytes or base64 text", audio).within("audio")
    try:
        base64.b64decode(audio, validate=True)
    except ValueError:  # binascii.Error (worded differently by each Python), or non-ASCII
        raise _expected("base64 text", audio).within("audio") from None
    return audio


def _image_uri(value: object, strict: bool = True) -> str:
    """The check for the URL of an image that a client sends: the API takes no external URLs,
    only `data:` URIs (docs/server-behaviour.md, "Limits")."""
    text = _string(value)
    if not text.startswith("data:"):
        error = "a 'data:' URI (the Realtime API takes no image URLs: send the image's bytes)"
        raise _expected(error, text)
    return text


def _data_uri(image: bytes, mime_type: Optional[str]) -> str:
    if mime_type is None:
        if image.startswith(b"\x89PNG\r\n\x1a\n"):
            mime_type = "image/png"
        elif image.startswith(b"\xff\xd8\xff"):
            mime_type = "image/jpeg"
        else:
            raise ValidationError("mime_type", "missing: the image bytes are neither PNG nor JPEG")
    elif not (isinstance(mime_type, str) and re.fullmatch(r"image/[A-Za-z0-9.+-]+", mime_type)):
        raise _expected("an image MIME type such as 'image/png'", mime_type).within("mime_type")
    return f"data:{mime_type};base64,{base64.b64encode(image).decode('ascii')}"


_enum_fields(ContentPart, type=_PART_TYPE, detail=_DETAIL)
_PART_CHECKS: Dict[str, _Check] = {
    "type": _PART_TYPE,
    "text": _string,
    "audio": _string,  # D5: base64 is not checked when parsing (logs often truncate it)
    "transcript": _string,
    "image_url": _string,
    "detail": _DETAIL,
    "id": _identifier,
}
_PART_SHAPES = _shapes_by_type(
    lambda tag: f"a part of type {tag!r}", ContentPart, _PART_FIELDS, _PART_CHECKS
)


# --- MCP tools and errors ---------------------------------------------------------------------


def _read_tool(data: Any, strict: bool) -> McpTool:
    if not isinstance(data, dict):
        raise _expected("object", data)
    return _TOOL_SHAPE.read(data, strict)  # type: ignore[no-any-return]


def _read_mcp_error(data: Any, strict: bool) -> McpError:
    return _read_tagged(data, _MCP_ERROR_SHAPES, strict)  # type: ignore[no-any-return]


@dataclass(frozen=True, repr=False, eq=False)
class McpTool(_Wire):
    """One tool in the `tools` of an `mcp_list_tools` item (D4)."""

    _reader = staticmethod(_read_tool)

    name: str
    description: Optional[str] = None
    input_schema: Optional[JsonObject] = None
    annotations: Optional[JsonObject] = None

    def to_dict(self) -> Dict[str, Any]:
        """The wire dict of the tool, its free JSON thawed into fresh dicts and lists."""
        out = self.__dict__.copy()
        for name in ("input_schema", "annotations"):
            if name in out:
                out[name] = out[name].to_dict()
        return out


@dataclass(frozen=True, repr=False, eq=False)
class McpError(_Wire):
    """The `error` of an `mcp_call` item (D4); `code` only on protocol and HTTP errors."""

    _reader = staticmethod(_read_mcp_error)

    type: McpErrorType
    message: str
    code: Optional[int] = None


_enum_fields(McpError, type=_ERROR_TYPE)
_TOOL_CHECKS: Dict[str, _Check] = {
    "name": _string,
    "description": _string,
    "input_schema": _free_object,
    "annotations": _free_object,
}
_TOOL_SHAPE = _Shape("a tool", McpTool, _TOOL_FIELDS, _TOOL_CHECKS, frozenset(_TOOL_CHECKS))
_ERROR_CHECKS: Dict[str, _Check] = {"type": _ERROR_TYPE, "code": _whole_number, "message": _string}
_MCP_ERROR_SHAPES = _shapes_by_type(
    lambda tag: f"an error of type {tag!r}", McpError, _MCP_ERROR_FIELDS, _ERROR_CHECKS
)


# --- The conversation item --------------------------------------------------------------------


def _read_item(data: Any, strict: bool) -> ConversationItem:
    if type(data) is dict:  # the common case of _dispatch, inline: reading is the hot path
        tag = data.get("type")
        shape = _ITEM_SHAPES.get(tag) if type(tag) is str else None
        if shape is _ANY_MESSAGE:  # D2: the role decides which parts the content may hold
            role = data.get("role")
            shape = _MESSAGE_SHAPES.get(role) if type(role) is str else None
        if shape is not None:
            return shape.read(data, strict)  # type: ignore[no-any-return]
    shape = _dispatch(data, "type", _ITEM_SHAPES)
    if shape is _ANY_MESSAGE:
        shape = _dispatch(data, "role", _MESSAGE_SHAPES)
    return shape.read(data, strict)  # type: ignore[no-any-return]


@dataclass(frozen=True, repr=False, eq=False)
class ConversationItem(_Wire):
    """One Realtime conversation item, of any item type (D4), with fields named as on the wire.

    ConversationItem(...) and dataclasses.replace() check the item by the rules of from_dict, as
    the named constructors do, so every item is valid. `content` may be given as a list of
    ContentPart objects or of their wire dicts; it is stored as a tuple of ContentPart.
    """

    _reader = staticmethod(_read_item)

    id: Optional[str] = None
    type: ItemType = None  # type: ignore[assignment]  # required: __post_init__ says so
    object: Optional[str] = None
    status: Optional[ItemStatus] = None
    role: Optional[Role] = None
    content: Optional[Tuple[ContentPart, ...]] = None
    call_id: Optional[str] = None
    name: Optional[str] = None
    arguments: Optional[str] = None
    output: Optional[str] = None
    server_label: Optional[str] = None
    tools: Optional[Tuple[McpTool, ...]] = None
    approval_request_id: Optional[str] = None
    approve: Optional[bool] = None
    reason: Optional[str] = None
    error: Optional[McpError] = None

    # Reading and writing: from_dict, from_json, to_json and validate come from _Wire.

    def to_dict(self) -> Dict[str, Any]:
        """The wire dict: fresh JSON-native data in wire order, absent fields left out (D7)."""
        out = self.__dict__.copy()  # the wire form already: see _compile_reader
        if "content" in out:
            out["content"] = [part.__dict__.copy() for part in out["content"]]
        elif "tools" in out:
            out["tools"] = [tool.to_dict() for tool in out["tools"]]
        elif "error" in out:
            out["error"] = out["error"].__dict__.copy()
        return out

    # Events and dialects.

    @classmethod
    def from_event(cls, event: Any, *, strict: bool = True) -> ConversationItem:
        """The item of an event that carries one: `conversation.item.created`, `.added`,
        `.done`, `.retrieved`, `response.output_item.added`, `.done`, or the client's
        `conversation.item.create` (also checked against what the server refuses there).
        Errors have paths from the event (`item.content[0].type`)."""
        kind = _event_type(event, _ITEM_EVENTS)
        try:
            (item,) = _items_at(event, kind, strict)
        except ValidationError as error:
            raise _offering_lenient(error) from None
        return item

    def create_event(
        self, *, previous_item_id: Optional[str] = None, event_id: Optional[str] = None
    ) -> Dict[str, Any]:
        """The client event `conversation.item.create` that adds this item. `previous_item_id`
        may be "root" (insert first) or an item's id; left out, the item is appended. Refuses
        what the server refuses in that event (docs/server-behaviour.md)."""
        event: Dict[str, Any] = {"type": _CREATE}
        if event_id is not None:
            event["event_id"] = event_id
        if previous_item_id is not None:
            event["previous_item_id"] = previous_item_id
        _check_create(event, self)
        event["item"] = self.to_dict()
        return event

    def to_dialect(self, dialect: str) -> ConversationItem:
        """The same item in the part names of `dialect`, "ga" or "beta": an assistant's
        `output_text` and `output_audio` are `text` and `audio` in beta. ValidationError where
        that dialect has no way to say it: MCP items and `input_image` parts in beta, and
        `item_reference` parts in GA."""
        item_types, renames, missing_part = _DIALECTS[_dialect_named(dialect)]
        if self.type not in item_types:
            choices = f"{_choices(item_types)} (the item types of {dialect})"
            raise _not_one_of(choices, self.type.value).within("type")
        if not self.content:
            return self
        parts = []
        for index, part in enumerate(self.content):
            if part.type == missing_part:
                error = f"{dialect} has no {missing_part!r} parts"
                raise ValidationError(f"content[{index}].type", error)
            parts.append({**part.to_dict(), "type": renames.get(part.type, part.type.value)})
        return _read_item({**self.to_dict(), "content": parts}, True)

    # Named constructors: each can only build a valid item, and names the bad argument.

    @classmethod
    def message(
        cls,
        role: Union[Role, str],
        content: Any,
        *,
        id: Optional[str] = None,
        status: Union[ItemStatus, str, None] = None,
    ) -> ConversationItem:
        """A message. `content` is a string, a ContentPart, a part's wire dict, or an iterable
        of those; a string becomes the role's text part (input_text, or output_text for the
        assistant). Which parts a role may hold is checked (D2)."""
        role = _checked(_ROLE, "role", role)  # the plain wire string from here on
        text_type = _text_type(role)
        if isinstance(content, (str, ContentPart, dict)):
            content = (content,)
        elif isinstance(content, (bytes, bytearray)) or not hasattr(content, "__iter__"):
            raise _expected("a string, a ContentPart or an iterable of those", content).within(
                "content"
            )
        parts: List[Any] = []
        for index, part in enumerate(content):
            if isinstance(part, str):
                parts.append({"type": text_type, "text": part})
            elif isinstance(part, (ContentPart, dict)):
                parts.append(_wire_view(part))
            else:
                error = _expected("a string, a ContentPart or a part's dict", part)
                raise error.within(index).within("content")
        _not_root(id, "id")
        data = {"type": "message", "id": id, "status": status, "role": role, "content": parts}
        return _read_item(data, True)

    @classmethod
    def function_call(
        cls,
        name: str,
        arguments: Any,
        *,
        call_id: Optional[str] = None,
        id: Optional[str] = None,
    ) -> ConversationItem:
        """A tool call. `arguments` is JSON text or any JSON-serialisable value (encoded
        compactly); `call_id` may be left for the server to assign."""
        arguments = _json_argument("arguments", arguments, text_is_json=True)
        _not_root(id, "id")
        data = {"type": "function_call", "id": id, "call_id": call_id, "name": name}
        return _read_item({**data, "arguments": arguments}, True)

    @classmethod
    def function_call_output(
        cls, call: Union[str, ConversationItem], output: Any, *, id: Optional[str] = None
    ) -> ConversationItem:
        """A tool's output for `call`: a call id, or the function_call item itself. `output` is
        a string (sent as it is) or any JSON-serialisable value (encoded compactly)."""
        if isinstance(call, ConversationItem):
            if call.type is not ItemType.FUNCTION_CALL or call.call_id is None:
                got = "one with no call_id"
                if call.type is not ItemType.FUNCTION_CALL:
                    got = f"an item of type {call.type.value!r}"
                expected = "expected a function_call item with a call_id"
                raise ValidationError("call", f"{expected}, got {got}")
            call_id = call.call_id
        else:
            call_id = _checked(_identifier, "call", call)
        output = _json_argument("output", output, text_is_json=False)
        _not_root(id, "id")
        data = {"type": "function_call_output", "id": id, "call_id": call_id, "output": output}
        return _read_item(data, True)

    @classmethod
    def item_reference(cls, id: str) -> ConversationItem:
        """A reference to an earlier item, for the `input` of `response.create` (GA)."""
        _not_root(id, "id")
        return _read_item({"type": "item_reference", "id": id}, True)

    @classmethod
    def mcp_approval_response(
        cls,
        approval_request: Union[str, ConversationItem],
        approve: bool,
        reason: Optional[str] = None,
        *,
        id: Optional[str] = None,
    ) -> ConversationItem:
        """The answer to an `mcp_approval_request`: its id, or the request item itself."""
        if isinstance(approval_request, ConversationItem):
            request = approval_request
            if request.type is not ItemType.MCP_APPROVAL_REQUEST or request.id is None:
                raise ValidationError(
                    "approval_request",
                    f"expected an mcp_approval_request item with an id, got {repr(request)[:80]}",
                )
            request_id = request.id
        else:
            request_id = _checked(_string, "approval_request", approval_request)
        _not_root(id, "id")
        data = {"type": "mcp_approval_response", "id": id, "approval_request_id": request_id}
        return _read_item({**data, "approve": approve, "reason": reason}, True)

    @classmethod
    def coerce(cls, value: Any) -> ConversationItem:
        """An item from what a caller has: a string becomes a user message, an item is returned
        as it is, a mapping is read with from_dict. Anything else is a TypeError."""
        if isinstance(value, ConversationItem):
            return value
        if isinstance(value, str):
            return cls.message(Role.USER, value)
        if isinstance(value, Mapping):
            return cls.from_dict(value if isinstance(value, dict) else dict(value))
        raise TypeError(f"cannot make a ConversationItem from {type(value).__name__}")

    # Readers.

    def parsed_arguments(self) -> Any:
        """The `arguments` JSON-decoded; ValidationError at `arguments` if absent or not JSON."""
        if self.arguments is None:
            raise ValidationError("arguments", f"missing: {self.type.value!r} items have none")
        return _decode_json(self.arguments, "arguments")

    def plain_text(self, sep: str = "\n") -> str:
        """The text of a message: its text parts and audio transcripts in order, joined by
        `sep`. Parts with neither (images, references, untranscribed audio) add nothing;
        items other than messages have no text and give ""."""
        texts = []
        for part in self.content or ():
            text = _words(part)
            if text is not None:
                texts.append(text)
        return sep.join(texts)


def _a_message(role: str) -> str:
    """`a user message`, `an assistant message`: a message of a role, in any format."""
    name = str(role)  # a Role's is its wire value
    return f"{'an' if name == 'assistant' else 'a'} {name} message"  # the one role said with an


def _parts_of(role: Role) -> _Check:
    """The check for the content of a message: D2 says which parts the role may hold."""
    allowed = {part_type.value: _PART_SHAPES[part_type.value] for part_type in _ROLE_CONTENT[role]}
    return _array(allowed, "type", f" (the parts {_a_message(role)} may hold)")


_enum_fields(ConversationItem, type=_ITEM_TYPE, status=_STATUS, role=_ROLE)
_ITEM_CHECKS: Dict[str, _Check] = {
    "id": _identifier,
    "type": _ITEM_TYPE,
    "object": _object_tag,
    "status": _STATUS,
    "role": _ROLE,
    "content": _array(_PART_SHAPES, "type"),
    "call_id": _identifier,
    "name": _string,
    "arguments": _string,  # D5: not checked for JSON (partial while the call is in progress)
    "output": _string,
    "server_label": _string,
    "tools": _array({"": _TOOL_SHAPE}, None),
    "approval_request_id": _string,
    "approve": _boolean,
    "reason": _string,
    "error": _read_mcp_error,
}
_ITEM_SHAPES = _shapes_by_type(
    lambda tag: "a message" if tag == "message" else f"an item of type {tag!r}",
    ConversationItem,
    _ITEM_FIELDS,
    _ITEM_CHECKS,
)
_ANY_MESSAGE = _ITEM_SHAPES[ItemType.MESSAGE.value]
_MESSAGE_SHAPES = {
    role.value: _Shape(
        _a_message(role),
        ConversationItem,
        _ITEM_FIELDS[ItemType.MESSAGE],
        {**_ITEM_CHECKS, "content": _parts_of(role)},
        frozenset(_ITEM_CHECKS),
        type=ItemType.MESSAGE.value,
        role=role.value,
    )
    for role in Role
}


# Where items travel (the tables at the top): reading them out of an event, and refusing what the
# server refuses in conversation.item.create.


def _raw_items(event: Dict[str, Any], kind: str) -> Iterator[Tuple[str, Any]]:
    """Where the items of an event of type `kind` sit: the path to each, and its wire dict."""
    if kind in _ITEM_EVENTS:
        yield "item", _required(event, "item")
    elif kind in _RESPONSE_LISTS:
        name = _RESPONSE_LISTS[kind]
        response = event.get("response")
        if response is None and kind == "response.create":
            return  # a response with the session's settings
        if not isinstance(response, dict):
            raise _expected("object", response).within("response")
        items = response.get(name)
        if not isinstance(items, (list, type(None))):
            raise _expected("array", items).within(name).within("response")
        for index, data in enumerate(items or ()):
            yield f"response.{name}[{index}]", data


def _items_at(event: Dict[str, Any], kind: str, strict: bool) -> List[ConversationItem]:
    items = []
    for item in _event_items(event, kind, strict):
        if isinstance(item, ValidationError):
            raise item
        items.append(item)
    return items


def _event_items(
    event: Dict[str, Any], kind: str, strict: bool
) -> Iterator[Union[ConversationItem, ValidationError]]:
    """Each item of an event, read, or in its place the error that it has, with its path from
    the event; the checker reports every one of them, items_from_event the first."""
    for path, data in _raw_items(event, kind):
        try:
            item = _read_item(data, strict)
        except ValidationError as error:
            yield error.within(path)
            continue
        if kind == _CREATE:
            try:
                _check_create(event, item)
            except ValidationError as error:  # its paths start at the event already
                yield error
                continue
        yield item


def _not_created(item: ConversationItem) -> ValidationError:
    """The refusal of an item whose type conversation.item.create does not take."""
    choices = f"{_choices(_CREATE_TYPES)} (the items {_CREATE} takes)"
    return _not_one_of(choices, item.type.value).within("type")


def _dialect_named(dialect: object) -> str:
    """A `dialect` argument: "ga" or "beta" (_DIALECTS)."""
    if not (isinstance(dialect, str) and dialect in _DIALECTS):
        raise ValidationError("dialect", f"expected 'ga' or 'beta', got {_got(dialect)}")
    return dialect


def _check_images(item: ConversationItem, path: str) -> None:
    """Refuse an image that a client sends by URL (_image_uri); `path` leads to the item."""
    for index, part in enumerate(item.content or ()):
        if part.image_url is not None:
            _checked(_image_uri, f"{path}content[{index}].image_url", part.image_url)


def _check_create(event: Dict[str, Any], item: ConversationItem) -> None:
    """Refuse what the server refuses in conversation.item.create, with paths from the event."""
    event_id = event.get("event_id")
    if event_id is not None:
        text = _checked(_string, "event_id", event_id)
        if len(text) > _MAX_EVENT_ID:
            raise _expected(f"at most {_MAX_EVENT_ID} characters", text).within("event_id")
    if event.get("previous_item_id") is not None:
        _checked(_identifier, "previous_item_id", event["previous_item_id"])
    for name in ("id", "call_id"):  # an item read leniently may hold a server's longer id
        if item.__dict__.get(name) is not None:
            _checked(_identifier, f"item.{name}", item.__dict__[name])
    _not_root(item.id, "item.id")
    _check_images(item, "item.")
    if item.type not in _CREATE_TYPES:
        raise _not_created(item).within("item")
    if item.role is Role.ASSISTANT:
        for index, part in enumerate(item.content or ()):
            if part.type not in _CREATE_ASSISTANT_PARTS:
                choices = f"{_choices(_CREATE_ASSISTANT_PARTS)} (the assistant parts {_CREATE}"
                choices += " takes: send the transcript as text)"
                raise _not_one_of(choices, part.type.value).within(f"item.content[{index}].type")


# --- Events ------------------------------------------------------------------------------------
# Reading a server's or a client's event: the items it carries, and the dict an event object of
# the official SDK stands for.


def items_from_event(event: Any, *, strict: bool = True) -> List[ConversationItem]:
    """Every item an event carries, in order: the `item` of the item events, the `output` of
    `response.created` and `response.done`, the `input` of `response.create`; [] for the
    events that carry none. Errors have paths from the event (`response.output[1].name`)."""
    try:
        return _items_at(event, _event_type(event), strict)
    except ValidationError as error:
        raise _offering_lenient(error) from None


def _event_dict(event: Any) -> Dict[str, Any]:
    """An event as the dict its JSON text decodes to. A dict is itself and another mapping is
    copied; an event object of the official SDK (a pydantic model, as its connection's recv()
    and iteration give them) is dumped as the server sent it: the keys that were in its JSON,
    by their wire names, as Python values (so that NaN stays NaN), without the defaults the
    model fills in (beta `response.done` would gain `conversation_id: null`) and without
    pydantic's warnings about part types its union does not expect. (The SDK has already
    coerced what it could while it built the object: "3" in a field it types Optional[int]
    arrives as 3.) One the SDK cannot dump, such as JSON nested deeper than pydantic
    serialises, is a ValidationError; any other value is a TypeError: a bug in the program,
    not bad traffic."""
    if isinstance(event, dict):
        return event
    if isinstance(event, Mapping):
        return dict(event)
    dump = getattr(event, "model_dump", None)
    if callable(dump) and not isinstance(event, type):
        options: Dict[str, Any] = {"mode": "python", "by_alias": True, "exclude_unset": True}
        if hasattr(type(event), "__pydantic_serializer__"):  # pydantic 2, which can warn
            options["warnings"] = False
        try:
            data = dump(**options)
        except (ValueError, RecursionError) as error:  # pydantic's errors are ValueErrors
            why = f"an event its SDK object can give as a dict ({_escaped(type(error).__name__)})"
            raise ValidationError("", f"expected {why}") from None
        if isinstance(data, dict):
            return data
    what = "an event: a dict, another mapping, or an event object of the openai SDK"
    raise TypeError(f"expected {what}, got {_escaped(type(event).__name__)}")


# --- History formats --------------------------------------------------------------------------
# Functions over items that turn a history into items and items into something else: Chat
# Completions `messages`, the Responses API's `input`, the client events that seed a session, a
# transcript. The conversation's methods call them on its items. What each format can and
# cannot hold, with public sources, is in docs/server-behaviour.md ("History formats").
#
# The other formats' objects are read as the item is, through _Shape: their fields are tables
# below, starred where required, each field with its check, and an unknown key is refused in the
# item's words. A converter has no strict flag, so an unknown key is always refused; the keys of
# _NOTHING_HELD carry nothing a conversation holds (cache hints, the phase of an answer,
# citations and log probabilities of a text) and are dropped wherever they appear.

_NOTHING_HELD = ("prompt_cache_breakpoint", "phase", "annotations", "logprobs")
# The reasons a Realtime part cannot hold a part of another format.
_NO_AUDIO = (
    "a part the Realtime API can hold (not audio in wav or mp3: give its transcript as text)"
)
_NO_FILE = "a part the Realtime API can hold (not a file: give its text)"

# Chat Completions messages (the SDK's ChatCompletionMessageParam): the fields of each role's
# message and the part types it may hold; the fields of each part type, of a tool call and of
# its function. Where a table gives a reason instead of fields, that type is refused with it.
_CHAT_FIELDS = {
    "system": ("role", "content*", "name"),
    "developer": ("role", "content*", "name"),
    "user": ("role", "content*", "name"),
    "assistant": ("role", "content", "name", "refusal", "tool_calls", "audio", "function_call"),
    "tool": ("role", "content*", "tool_call_id*"),
}
_CHAT_PARTS = {
    "system": ("text",),
    "developer": ("text",),
    "user": ("text", "image_url", "input_audio", "file"),
    "assistant": ("text", "refusal"),
    "tool": ("text",),
}
_CHAT_PART_FIELDS = {
    "text": ("type", "text*"),
    "refusal": ("type", "refusal*"),  # what the assistant said instead of an answer
    "image_url": ("type", "image_url*"),
    "input_audio": _NO_AUDIO,
    "file": _NO_FILE,
}
_CHAT_IMAGE_FIELDS = ("url*", "detail")
_CHAT_CALL_FIELDS = {
    "function": ("id*", "type", "function*"),
    "custom": "'function' (the Realtime API has no custom tools)",
}
_CHAT_FUNCTION_FIELDS = ("name*", "arguments*")
# The keys of a chat assistant's message that no item can hold, and why.
_CHAT_REFUSED = {
    "audio": "no reference to an earlier audio answer (the Realtime API cannot resolve one: give "
    "its transcript as content)",
    "function_call": "no function_call (deprecated, with no id that a tool message could answer: "
    "use tool_calls)",
}

# Responses input: the fields of each item type (MCP items are read as Realtime items), the
# part types each role's message may hold, and the fields of each part type, in a message and
# in the output of a function_call_output. Left out: the item types whose results are in the
# messages that follow them, or that only the Responses API can read. Any other type is unknown.
_MCP_TYPES = ("mcp_list_tools", "mcp_call", "mcp_approval_request", "mcp_approval_response")
_RESPONSES_LEFT_OUT = (
    "reasoning",
    "compaction",
    "web_search_call",
    "file_search_call",
    "code_interpreter_call",
    "image_generation_call",
    "tool_search_call",
    "tool_search_output",
)
_RESPONSES_FIELDS = {
    "message": ("type", "role", "content*", "id", "status", "phase"),
    "function_call": ("type", "id", "call_id*", "name*", "arguments*", "status"),
    "function_call_output": ("type", "id", "call_id*", "output*", "status"),
    "item_reference": ("type", "id*"),
}
_RESPONSES_REFUSED = dict.fromkeys(  # client-run tools, with no Realtime item
    (
        *("computer_call", "computer_call_output", "custom_tool_call", "custom_tool_call_output"),
        *("local_shell_call", "local_shell_call_output", "shell_call", "shell_call_output"),
        *("apply_patch_call", "apply_patch_call_output"),
    ),
    "an item the Realtime API has (it runs no such tool)",
)
_RESPONSES_TYPES = (*_RESPONSES_FIELDS, *_MCP_TYPES, *_RESPONSES_LEFT_OUT, *_RESPONSES_REFUSED)
_RESPONSES_INPUT_PARTS = ("input_text", "input_image", "input_file", "input_audio")
_RESPONSES_PARTS = {
    "user": _RESPONSES_INPUT_PARTS,
    "assistant": ("output_text", "refusal"),
    "system": _RESPONSES_INPUT_PARTS,
    "developer": _RESPONSES_INPUT_PARTS,
}
_RESPONSES_PART_FIELDS = {
    "input_text": ("type", "text*"),
    "output_text": ("type", "text*"),
    "refusal": ("type", "refusal*"),
    "input_image": ("type", "image_url", "file_id", "detail"),  # no image_url: _read_spelled_part
    "input_file": _NO_FILE,
    "input_audio": _NO_AUDIO,
}
_OUTPUT_PART_FIELDS = {  # of a function_call_output
    "input_text": ("type", "text*"),
    **dict.fromkeys(("input_image", "input_file"), "'input_text' (a Realtime tool output is text)"),
}


class _Spelling:
    """How a format spells what a Realtime message holds, read and written alike: the type of
    its text part, the type of its image part, the paths to the image's URL and detail in that
    part, and the detail it writes where an image has none."""

    def __init__(self, text: str, image: str, url: str, detail: str, default: Any) -> None:
        self.text, self.image, self.default_detail = text, image, default
        self.url, self.detail = tuple(url.split(".")), tuple(detail.split("."))


_CHAT = _Spelling("text", "image_url", "image_url.url", "image_url.detail", None)
# The Responses API requires an image's detail; its text parts are `input_text` but for an
# assistant's, which it reads as `output_text` and takes back as a string.
_RESPONSES = _Spelling("input_text", "input_image", "image_url", "detail", "auto")


def from_chat_messages(messages: Any) -> List[ConversationItem]:
    """Realtime items from Chat Completions `messages`, in order: a message of each role
    (`developer` becomes `system`), an assistant's `tool_calls` as function_call items after its
    text, a `tool` message as the function_call_output of its call. A call id the Realtime API
    refuses is mapped (see _realtime_call_id). What a conversation cannot hold is a
    ValidationError with its place (`[3].content[1].type`); nothing is dropped silently but
    `name` and cache hints, which carry no content. The items have no ids: the server assigns
    them, or history_events does."""
    calls = _CallIds()
    converted = _each(messages, "", lambda message: _read_chat_message(message, calls))
    return [item for items in converted for item in items]


def _read_chat_message(message: Any, calls: _CallIds) -> List[ConversationItem]:
    """The items of one chat message (see from_chat_messages); `calls` maps the call ids."""
    fields = _read_fields(message, "role", _shapes("chat"))
    role, parts = fields["role"], fields.get("content")
    if role == "tool":
        call_id = fields["tool_call_id"]
        if call_id not in calls:
            error = _expected("the id of a tool call in an earlier assistant message", call_id)
            raise error.within("tool_call_id")
        output = "".join(part["text"] for part in fields["content"])
        return [ConversationItem.function_call_output(calls[call_id], output)]
    tool_calls = fields.get("tool_calls")
    if parts is None:  # only an assistant may leave it out, and only to call tools or refuse
        if not (tool_calls or fields.get("refusal")):
            raise _missing("content")
        parts = []
    if fields.get("refusal") is not None:  # what the assistant said instead of an answer
        parts.append({"type": "text", "text": fields["refusal"]})
    items = []
    if role != "assistant" or not tool_calls or any(part.get("text") for part in parts):
        items.append(_message_of(role, parts))
    if tool_calls is not None:
        items += _each(tool_calls, "tool_calls", lambda call: _read_chat_call(call, calls))
    return items


def _read_chat_call(call: _Fields, calls: _CallIds) -> ConversationItem:
    """A tool call of an assistant message, read, as a function_call item."""
    call_id = calls.new(call.__dict__["id"], "id")
    function = call.__dict__["function"]
    wire = {"type": "function_call", "call_id": call_id, "name": function["name"]}
    return _read_item({**wire, "arguments": function["arguments"]}, True)


def from_responses_input(input: Any) -> List[ConversationItem]:
    """Realtime items from the Responses API's `input`: a string (one user message), or a list
    of messages (the short `{"role", "content"}` form or `message` items, assistant output
    messages included), `function_call`, `function_call_output`, `item_reference` and MCP items.
    An item id the Realtime API would refuse is left out (the server assigns one); a call id it
    would refuse is mapped, the call and its outputs together (see _realtime_call_id).
    Reasoning and the calls of tools the Responses API runs itself are left out (their results
    are in the messages that follow); client-run tools with no Realtime item, files, audio and
    image URLs are a ValidationError with their place."""
    if isinstance(input, str):
        return [ConversationItem.message(Role.USER, input)]
    calls, requests = _CallIds(), _CallIds()
    requests.taken.add(_ROOT)  # an item id: not the start's name
    items = _each(input, "", lambda data: _read_responses_item(data, calls, requests))
    return [item for item in items if item is not None]


def _read_responses_item(
    data: Any, calls: _CallIds, requests: _CallIds
) -> Optional[ConversationItem]:
    """The item of one element of a Responses input, or None where it is left out (see
    from_responses_input); `calls` and `requests` map the call and approval request ids."""
    if isinstance(data, dict) and data.get("type") is None:  # the short forms
        short = "message" if "role" in data or "content" in data else "item_reference"
        data = {**data, "type": short}
    kind = _tag(data, "type", _RESPONSES_TYPES)
    if kind in _RESPONSES_LEFT_OUT:
        return None
    if kind in _MCP_TYPES:
        return _read_responses_mcp(data, kind, requests)
    if kind == "message":
        fields = _read_fields(data, "role", _shapes("responses messages"))
    else:
        fields = _read_fields(data, "type", _shapes("responses"))
    if kind == "item_reference":
        return ConversationItem.item_reference(fields["id"])
    kept = {"id": _kept_id(fields.get("id")), "status": fields.get("status")}
    if kind == "message":
        return _message_of(fields["role"], fields["content"], **kept)
    if kind == "function_call":
        call = {"call_id": calls.new(fields["call_id"], "call_id"), "name": fields["name"]}
        return _read_item({"type": kind, **kept, **call, "arguments": fields["arguments"]}, True)
    given = fields["call_id"]
    if given not in calls:
        raise _expected("the call_id of an earlier function_call", given).within("call_id")
    output = {"call_id": calls[given], "output": fields["output"]}
    return _read_item({"type": kind, **kept, **output}, True)


def _read_responses_mcp(data: Dict[str, Any], kind: str, requests: _CallIds) -> ConversationItem:
    """An MCP item of a Responses input, read by the item's own rules, the keys of _NOTHING_HELD
    dropped. An approval request's id, which its response names, is mapped as a call id is;
    another MCP item keeps an id the Realtime API takes."""
    wire = {key: value for key, value in data.items() if key not in _NOTHING_HELD}
    item_id = wire.pop("id", None)
    if item_id is not None:
        item_id = _checked(_string, "id", item_id)
    if kind == "mcp_approval_request":
        wire["id"] = requests.new(_required(data, "id", _string), "id", "mcpr_")
        return _read_item(wire, True)
    if kind == "mcp_approval_response":
        given = _required(wire, "approval_request_id", _string)
        if given not in requests:
            error = _expected("the id of an earlier mcp_approval_request", given)
            raise error.within("approval_request_id")
        wire["approval_request_id"] = requests[given]
    return _read_item({**wire, "id": _kept_id(item_id)}, True)


def _kept_id(item_id: Optional[str]) -> Optional[str]:
    """Another format's item id where the Realtime API takes it, else None (the server names
    the item)."""
    return item_id if item_id is not None and _ID(item_id) and item_id != _ROOT else None


def _message_of(role: str, parts: List[Dict[str, Any]], **fields: Any) -> ConversationItem:
    """A Realtime message from another format's role (`developer` is `system`) and part dicts
    whose text parts are `text`: they become the role's text part (_text_type). `fields` are
    its other fields (id, status), null where absent."""
    role = "system" if role == "developer" else role
    text_type = _text_type(role)
    content = [{**part, "type": text_type} if part["type"] == "text" else part for part in parts]
    return _read_item({"type": "message", **fields, "role": role, "content": content}, True)


class _CallIds(dict):  # type: ignore[type-arg]
    """The call ids of a history so far: each id given, mapped to the one it became (see
    _realtime_call_id), and those `taken`."""

    def __init__(self) -> None:
        super().__init__()
        self.taken: Set[str] = set()

    def new(self, given: str, path: str, prefix: str = "call_") -> str:
        """The call_id of a call in the history (or the id of an approval request, with its
        prefix), refused if an earlier call had it."""
        if given in self:
            raise _expected("a call id that no earlier call has", given).within(path)
        self[given] = mapped = _realtime_call_id(given, prefix, self.taken)
        self.taken.add(mapped)
        return mapped


def _realtime_call_id(call_id: str, prefix: str = "call_", taken: Container[str] = ()) -> str:
    """A call id as the Realtime API takes it: the same where it is 1 to 32 of A-Z a-z 0-9 _ -,
    else `prefix` ("call_") and the first 27 hex digits of its SHA-256, so that a call and its
    outputs keep one id and a program can compute it again. An id that another in `taken`
    has already is hashed again with a counter, until it is one no other has."""
    if _ID(call_id) is not None and call_id not in taken:
        return call_id
    import hashlib  # here: only a history with such ids needs it

    seed, again = call_id.encode("utf-8", "surrogatepass"), 0
    while True:
        digest = hashlib.sha256(seed + (b"\0%d" % again if again else b"")).hexdigest()
        mapped = prefix + digest[: 32 - len(prefix)]
        if mapped not in taken:
            return mapped
        again += 1


def _each(values: object, path: str, convert: Callable[[Any], _T]) -> List[_T]:
    """`convert` of each element of a caller's JSON array (a list or a tuple) at `path`; an
    error names the element's index there."""
    if not isinstance(values, (list, tuple)):
        raise _expected("array", values).within(path)
    converted = []
    for index, value in enumerate(values):
        try:
            converted.append(convert(value))
        except ValidationError as error:
            raise error.within(index).within(path) from None
    return converted


# The shapes of the other formats' objects, made from the tables at the top. Each reads an
# object into a _Fields, whose __dict__ holds the fields read (what the readers above take).


class _Fields:
    """An object of another format, read by its shape."""


def _read_fields(data: Any, tag: str, shapes: Dict[str, _Shape]) -> Dict[str, Any]:
    """The fields of an object of another format, read by the shape its `tag` names."""
    return _dispatch(data, tag, shapes).read(data, True).__dict__  # type: ignore[no-any-return]


def _format_shape(what: str, fields: Any, checks: Dict[str, _Check], **tags: str) -> _Shape:
    """The shape of an object of another format, with `fields` as a table gives them; where the
    table gives a reason instead, the object is refused at its `type` with that reason."""
    if isinstance(fields, str):
        fields, checks, tags = ("type",), {"type": _refusal(fields)}, {}
    names = frozenset(name.rstrip("*") for name in fields)
    return _Shape(what, _Fields, fields, checks, names, _NOTHING_HELD, **tags)


def _format_shapes(
    what: str, table: Dict[str, Any], checks: Dict[str, _Check]
) -> Dict[str, _Shape]:
    """The shape of each `type` of object in `table`; `what` names one ("a part of type {!r}")."""
    return {
        kind: _format_shape(what.format(kind), fields, checks, type=kind)
        for kind, fields in table.items()
    }


def _refusal(expected: str) -> _Check:
    """The check for a field or tag whose every value is refused: nothing Realtime holds it."""

    def check(value: object, strict: bool) -> None:
        raise _expected(expected, value)

    return check


def _object_of(shape: _Shape) -> _Check:
    """The check for an object of another format that `shape` reads: it gives the fields."""

    def check(value: object, strict: bool) -> Dict[str, Any]:
        if not isinstance(value, dict):
            raise _expected("object", value)
        return shape.read(value, strict).__dict__  # type: ignore[no-any-return]

    return check


def _message_checks(
    spelling: _Spelling,
    role: str,
    kinds: Tuple[str, ...],
    parts: Dict[str, _Shape],
    checks: Dict[str, _Check],
) -> Dict[str, _Check]:
    """The checks of a role's message in another format: `checks`, and for its content a string
    (one text part) or an array of the part types `kinds` (of the format's `parts`), given as
    Realtime part dicts."""
    shapes = {kind: parts[kind] for kind in kinds}
    read_parts = _array(shapes, "type", f" (the parts {_a_message(role)} may hold)")

    def content(value: object, strict: bool) -> List[Dict[str, Any]]:
        if isinstance(value, str):
            return [{"type": "text", "text": value}]
        parts = read_parts(value, strict)
        return _each(parts, "", lambda part: _read_spelled_part(spelling, part.__dict__))

    return {**checks, "content": content}


def _read_spelled_part(spelling: _Spelling, part: Dict[str, Any]) -> Dict[str, Any]:
    """A part of another format, read, as a Realtime part dict: an image as an input_image
    part, a text or a refusal as a part whose type is `text` (see _message_of)."""
    if part["type"] != spelling.image:
        return {"type": "text", "text": part["text"] if "text" in part else part["refusal"]}
    url = _at(part, spelling.url)
    if url is None:
        raise _missing(".".join(spelling.url))
    detail = _at(part, spelling.detail)
    image = {"type": "input_image", "image_url": url}
    return image if detail is None else {**image, "detail": detail}


def _at(data: Dict[str, Any], path: Tuple[str, ...]) -> Any:
    """The value at `path` in an object as a shape read it, or None."""
    for name in path[:-1]:
        data = data.get(name) or {}
    return data.get(path[-1])


def _json_string(value: object, strict: bool) -> str:
    """The check for the arguments of a call, which another format gives as JSON text."""
    text = _string(value)
    _decode_json(text)
    return text


def _tool_output(value: object, strict: bool) -> str:
    """The check for the output of a function_call_output: a string, or text parts joined."""
    if isinstance(value, str):
        return _string(value)
    return "".join(part.__dict__["text"] for part in _shapes("output parts")(value, strict))


_SHAPES: Dict[str, Any] = {}  # the shapes of the other formats, made on first use (_shapes)


def _shapes(name: str) -> Any:
    """The shapes of the other formats ("chat", "responses", "responses messages") and the
    check of a tool output's parts ("output parts"), made from the tables the first time a
    converter reads, so that importing rtitem stays cheap."""
    if not _SHAPES:
        _SHAPES.update(_made_shapes())
    return _SHAPES[name]


def _made_shapes() -> Dict[str, Any]:
    chat: Dict[str, _Check] = {
        **dict.fromkeys(("type", "role", "text", "refusal", "name", "id", "tool_call_id"), _string),
        **{name: _refusal(expected) for name, expected in _CHAT_REFUSED.items()},
        **{"url": _image_uri, "detail": _DETAIL, "arguments": _json_string},
    }
    chat["image_url"] = _object_of(_format_shape("an image_url", _CHAT_IMAGE_FIELDS, chat))
    chat["function"] = _object_of(_format_shape("a function", _CHAT_FUNCTION_FIELDS, chat))
    chat["tool_calls"] = _array(_format_shapes("a tool call", _CHAT_CALL_FIELDS, chat), "type")
    responses: Dict[str, _Check] = {
        **dict.fromkeys(("type", "role", "text", "refusal", "id", "call_id", "name"), _string),
        **{"image_url": _image_uri, "detail": _DETAIL, "status": _STATUS},
        "arguments": _json_string,
        "file_id": _refusal(
            "no file_id (the Realtime API cannot read uploaded files: send an image_url)"
        ),
        "phase": lambda value, strict: None,  # one of _NOTHING_HELD, which the table names
        "output": _tool_output,
    }
    items: Dict[str, Any] = {k: v for k, v in _RESPONSES_FIELDS.items() if k != "message"}
    items.update(_RESPONSES_REFUSED)
    chat_parts = _format_shapes("a part of type {!r}", _CHAT_PART_FIELDS, chat)
    responses_parts = _format_shapes("a part of type {!r}", _RESPONSES_PART_FIELDS, responses)
    return {
        "chat": {
            role: _format_shape(
                _a_message(role),
                fields,
                _message_checks(_CHAT, role, _CHAT_PARTS[role], chat_parts, chat),
                role=role,
            )
            for role, fields in _CHAT_FIELDS.items()
        },
        "responses": _format_shapes("an item of type {!r}", items, responses),
        "responses messages": {
            role: _format_shape(
                "a message",
                _RESPONSES_FIELDS["message"],
                _message_checks(_RESPONSES, role, kinds, responses_parts, responses),
                type="message",
                role=role,
            )
            for role, kinds in _RESPONSES_PARTS.items()
        },
        "output parts": _array(
            _format_shapes("a part of type {!r}", _OUTPUT_PART_FIELDS, responses), "type"
        ),
    }


def to_chat_messages(items: Iterable[Any]) -> List[Dict[str, Any]]:
    """Chat Completions `messages` from items (ConversationItem objects or their wire dicts; a
    Conversation is an iterable of items), in order. A message's text parts and audio
    transcripts become its content (a string where it is one text, else a list of parts), a
    user's images `image_url` parts. Calls in a row become one assistant message with several
    `tool_calls` (joined to the assistant message right before them), followed by their `tool`
    messages. Left out, since Chat Completions refuses them or has no place for them: a call
    without an output, an output whose call is not in the items, an audio part without a
    transcript and a message left empty, item references and MCP items."""
    items = _history_of(items)
    answers = _answers(items)
    messages: List[Dict[str, Any]] = []
    speaker: Optional[Dict[str, Any]] = None  # the assistant message right before the calls
    turn: List[ConversationItem] = []  # the calls in a row so far
    for item in items:
        if item.type is ItemType.FUNCTION_CALL and item.call_id in answers:
            turn.append(item)
            continue
        if item.type not in (ItemType.MESSAGE, ItemType.FUNCTION_CALL_OUTPUT):
            continue  # left out, and no end of a turn
        if turn:
            messages += _write_chat_turn(speaker, turn, answers)
            turn = []
        speaker = None
        if item.type is ItemType.MESSAGE:
            content = _write_content(_CHAT, _said(item))
            if content is not None:
                messages.append({"role": item.__dict__["role"], "content": content})
                speaker = messages[-1] if messages[-1]["role"] == "assistant" else None
    if turn:
        messages += _write_chat_turn(speaker, turn, answers)
    return messages


def _history_of(items: object) -> List[ConversationItem]:
    """The items a history is made of (to_chat_messages, to_responses_input, history_events):
    each of _items_given, or, for an iterable that tells its own history (a Conversation has
    `_told`), the items as it tells them: an interrupted answer with what was heard of it."""
    told = getattr(items, "_told", None)
    return told() if callable(told) else list(_items_given(items))


def _items_given(items: object) -> Iterator[ConversationItem]:
    """Each item of a caller's iterable: a ConversationItem, or a wire dict read strictly; a
    ValidationError names the place (`[2].content[0].type`)."""
    if isinstance(items, (str, bytes, bytearray, dict)) or not hasattr(items, "__iter__"):
        raise _expected("an iterable of items", items)
    for index, item in enumerate(items):
        if isinstance(item, ConversationItem):
            yield item
        elif isinstance(item, dict):
            try:
                yield _read_item(item, True)
            except ValidationError as error:
                raise error.within(index) from None
        else:
            raise _expected("a ConversationItem or an item's dict", item).within(index)


def _answers(items: List[ConversationItem]) -> Dict[str, List[Tuple[int, ConversationItem]]]:
    """The function_call_output items of each finished call in `items` that has any, by
    call_id, each with its position. A call_id that two calls have is refused at the second
    (_called_once)."""
    calls: Set[str] = set()
    finished: Set[Any] = set()
    for index, item in enumerate(items):
        _called_once(item, index, calls)
        if item.type is ItemType.FUNCTION_CALL and _unfinished(item) is None:
            finished.add(item.call_id)
    answers: Dict[str, List[Tuple[int, ConversationItem]]] = {}
    for index, item in enumerate(items):
        if item.type is ItemType.FUNCTION_CALL_OUTPUT and item.call_id in finished:
            answers.setdefault(item.call_id, []).append((index, item))  # type: ignore[arg-type]
    return answers


def _said(item: ConversationItem, empty: bool = False) -> List[Union[str, ContentPart]]:
    """What a message says that another format can hold: the words of each text and audio part
    (_words; an empty text only with `empty`), and each image."""
    said: List[Union[str, ContentPart]] = []
    for part in item.content or ():
        if part.type is ContentType.INPUT_IMAGE:
            if part.image_url is not None:
                said.append(part)
        elif part.type is not ContentType.ITEM_REFERENCE:
            text = _words(part)
            if text or (empty and part.text is not None):
                said.append(text)  # type: ignore[arg-type]
    return said


def _write_content(spelling: _Spelling, said: List[Union[str, ContentPart]]) -> Any:
    """The content of a message of another format that says `said`: a string where it is one
    text, else a list of the format's parts; None where it says nothing."""
    if len(said) == 1 and isinstance(said[0], str):
        return said[0]
    parts = []
    for piece in said:
        if isinstance(piece, str):
            parts.append({"type": spelling.text, "text": piece})
        else:  # an image (D2: only a user's)
            part: Dict[str, Any] = {"type": spelling.image}
            _put(part, spelling.url, piece.image_url)
            detail = piece.__dict__.get("detail", spelling.default_detail)
            if detail is not None:
                _put(part, spelling.detail, detail)
            parts.append(part)
    return parts or None


def _put(data: Dict[str, Any], path: Tuple[str, ...], value: object) -> None:
    """Set the value at `path` in a part that rtitem writes (see _at)."""
    for name in path[:-1]:
        data = data.setdefault(name, {})
    data[path[-1]] = value


def _write_chat_turn(
    speaker: Optional[Dict[str, Any]],
    calls: List[ConversationItem],
    answers: Dict[str, List[Tuple[int, ConversationItem]]],
) -> List[Dict[str, Any]]:
    """The tool calls of a turn on the assistant message right before them (or a new one),
    then the tool messages that answer them, in the order of the outputs."""
    messages = []
    if speaker is None:
        speaker = {"role": "assistant"}
        messages.append(speaker)
    speaker["tool_calls"] = [
        {
            "id": call.call_id,
            "type": "function",
            "function": {"name": call.name, "arguments": call.arguments},
        }
        for call in calls
    ]
    outputs = [output for call in calls for output in answers[call.call_id]]  # type: ignore[index]
    for _, output in sorted(outputs):
        messages.append({"role": "tool", "tool_call_id": output.call_id, "content": output.output})
    return messages


def to_responses_input(items: Iterable[Any]) -> List[Dict[str, Any]]:
    """The Responses API's `input` from items, in order: messages in the short `{"role",
    "content"}` form (an assistant's as one string, its parts joined by a line break, since
    the Responses API takes an assistant's earlier text that way), `function_call` and
    `function_call_output` items without ids (the Responses API names its own). Left out, as in
    to_chat_messages: a call without an output and an output whose call is not in the items
    (the Responses API refuses both), an audio part without a transcript and a message left
    empty, item references and MCP items."""
    items = _history_of(items)
    answers = _answers(items)
    out: List[Dict[str, Any]] = []
    early: Dict[Any, List[Dict[str, Any]]] = {}  # outputs that came before their call
    given = set()  # the calls given so far
    for item in items:
        if item.type is ItemType.MESSAGE:
            said = _said(item)
            if item.role is Role.ASSISTANT:
                texts = [text for text in said if isinstance(text, str)]
                content = "\n".join(texts) if texts else None
            else:
                content = _write_content(_RESPONSES, said)
            if content is not None:
                out.append({"role": item.__dict__["role"], "content": content})
        elif item.type is ItemType.FUNCTION_CALL and item.call_id in answers:
            call = {"type": "function_call", "call_id": item.call_id, "name": item.name}
            out += [{**call, "arguments": item.arguments}, *early.pop(item.call_id, ())]
            given.add(item.call_id)
        elif item.type is ItemType.FUNCTION_CALL_OUTPUT and item.call_id in answers:
            output: Dict[str, Any] = {"type": "function_call_output", "call_id": item.call_id}
            output["output"] = item.output
            if item.call_id in given:
                out.append(output)
            else:  # the Responses API refuses an output before its call: it follows the call
                early.setdefault(item.call_id, []).append(output)
    return out


def history_events(
    items: Iterable[Any], *, packed: bool = False, dialect: str = "ga"
) -> List[Dict[str, Any]]:
    """The `conversation.item.create` events that seed a session with `items` (ConversationItem
    objects or their wire dicts), in order, chained by `previous_item_id` from "root", each
    passing create_event's refusals and Conversation.check on the session as it fills.

    Audio cannot be sent: an audio part becomes its transcript as text, and goes where it has
    none; a message left with nothing goes. Calls still in progress, outputs whose call is not
    sent, item references and MCP items are left out. An item without an id gets one: "rt_",
    twelve random hex digits drawn once a call, "_" and its position, so that the chain holds
    on a session that has items already. `dialect` names the assistant's text part
    (`output_text` in "ga", `text` in "beta"; beta has no images, so they are left out there).
    An image by URL, which no session takes, is a ValidationError with its place. packed=True
    gives one user message of text instead (see transcript lines), which keeps a
    model that was answering in audio from answering in text.
    """
    _dialect_named(dialect)
    wires: List[Dict[str, Any]] = []
    calls: Set[str] = set()
    named: Set[str] = set()
    called: Set[str] = set()
    for index, item in enumerate(_history_of(items)):
        _named_once(item, index, named)
        _called_once(item, index, called)
        if dialect == "ga":  # where images are sent: one by URL is refused, not left out
            _check_images(item, f"[{index}].")
        wire = _write_created(item, calls, set(), dialect)
        if not isinstance(wire, ValidationError):  # else left out, for the reason it gives
            wires.append(wire)
    if packed:
        if not wires:
            return []
        lines = ["The conversation so far, oldest first:"]
        lines += _transcript_lines([_read_item(wire, True) for wire in wires], {})
        history = ConversationItem.message(Role.USER, "\n".join(lines))
        return [history.create_event(previous_item_id=_ROOT)]
    return _created_events(list(enumerate(wires)))


def _sync_events(
    current: Tuple[ConversationItem, ...], wanted: Iterable[Any], dialect: str
) -> List[Dict[str, Any]]:
    """Conversation.sync_events, for a server that holds the items `current`: the items of
    `wanted` that stay where they are are a longest run of those the server holds unchanged, in
    an order that it keeps (_increasing); every other item the server holds is deleted, and
    every other item of the list is created, each anchored on the item before it. The list is
    checked first, as history_events checks one (an id twice, a call_id twice), and more
    strictly, since the server must hold exactly the list: an output needs its call before it,
    and an item a response is streaming must stay as it is."""
    target = list(_items_given(wanted))
    position = {item.id: index for index, item in enumerate(current)}
    busy = {item.id for item in current if item.status is ItemStatus.IN_PROGRESS}
    calls = {item.call_id for item in target if item.type is ItemType.FUNCTION_CALL}
    named: Set[str] = set()
    before: Set[Any] = set()  # the call_ids of the calls so far in the list
    stays = []  # (index in target, position in current) of each item that may stay as it is
    for index, item in enumerate(target):
        if item.type is ItemType.FUNCTION_CALL:
            _called_once(item, index, before)
        elif item.type is ItemType.FUNCTION_CALL_OUTPUT and item.call_id not in before:
            where = "before it in the list" if item.call_id in calls else "in the list"
            refused = _expected(f"the call_id of a function_call {where}", item.call_id)
            raise refused.within("call_id").within(index)
        _named_once(item, index, named)
        if item.id is None:
            continue
        if item.id in busy:
            error = "an item that is done (a response is streaming this one)"
            raise _expected(error, item.id).within("id").within(index)
        at = position.get(item.id)
        if at is not None and _same_item(current[at], item):
            stays.append((index, at))
    for item in current:
        if item.id in busy and item.id not in named:
            error = f"a list that keeps item {item.id!r}, which a response is streaming"
            raise ValidationError("", f"expected {error}")
    kept = _increasing(stays)
    kept_ids = {target[index].id for index in kept}
    events = [
        {"type": "conversation.item.delete", "item_id": item.id}
        for item in current
        if item.id not in kept_ids
    ]
    stayed = [item for item in current if item.id in kept_ids]
    present = {item.call_id for item in stayed if item.type is ItemType.FUNCTION_CALL}
    requests = {item.id for item in stayed if item.type is ItemType.MCP_APPROVAL_REQUEST}
    chain: List[Tuple[int, Union[str, Dict[str, Any]]]] = []
    for index, item in enumerate(target):
        if index in kept:
            chain.append((index, item.id))  # type: ignore[arg-type]  # a kept item has one
            continue
        if dialect == "ga":
            _check_images(item, f"[{index}].")
        wire = _write_created(item, present, requests, dialect, exact=True)
        if isinstance(wire, ValidationError):
            raise wire.within(index)
        chain.append((index, wire))
    return events + _created_events(chain)


# What history_events and _sync_events share.


def _named_once(item: ConversationItem, index: int, named: Set[str]) -> None:
    """Refuse an item of a list whose id an earlier one has (the server refuses the second), or
    whose id is "root"."""
    if item.id is not None:
        _checked(_identifier, f"[{index}].id", item.id)  # the client's rule, for a server's item
        _not_root(item.id, f"[{index}].id")
        if item.id in named:
            raise _expected("an id that no earlier item has", item.id).within("id").within(index)
        named.add(item.id)


def _called_once(item: ConversationItem, index: int, calls: Set[str]) -> None:
    """Refuse a function_call of a list whose call_id an earlier call has: no other format, and
    no output, could tell which of the two it answers. `calls` collects them."""
    if item.type is ItemType.FUNCTION_CALL and item.call_id is not None:
        if item.call_id in calls:
            error = _expected("a call_id that no earlier call has", item.call_id)
            raise error.within("call_id").within(index)
        calls.add(item.call_id)


def _write_created(
    item: ConversationItem,
    calls: Set[Any],
    requests: Set[Any],
    dialect: str,
    exact: bool = False,
) -> Union[Dict[str, Any], ValidationError]:
    """The wire dict that conversation.item.create gives a session for the item, or why it can
    give none (history_events leaves such an item out; _sync_events refuses it). `calls` are
    the call_ids present by then, and grow with a call; `requests` the ids of the approval
    requests present. Audio goes as its transcript; `exact` (a sync's, where the server must
    hold exactly the item) sends an empty text part as it is, and refuses a reference part
    rather than leaving it out."""
    wire: Dict[str, Any] = {"id": item.id, "type": item.type.value}
    if item.type is ItemType.MESSAGE:
        for index, part in enumerate(item.content or ()):
            if exact and part.type is ContentType.ITEM_REFERENCE:
                what = f"a part that {_CREATE} takes (a reference belongs in the input of "
                refused = _expected(what + "response.create)", part.type.value)
                return refused.within(f"content[{index}].type")
        text_type = _text_type(item.__dict__["role"], dialect)
        parts = []
        for said in _said(item, exact):
            if isinstance(said, str):
                parts.append({"type": text_type, "text": said})
            elif dialect == "ga":
                parts.append(said.to_dict())
        if not parts:
            what = f"text, an image or a transcript ({_CREATE} sends no audio)"
            return ValidationError("content", f"expected {what}, got none")
        wire.update(role=item.__dict__["role"], content=parts)
    elif item.type is ItemType.FUNCTION_CALL:
        unfinished = _unfinished(item)
        if unfinished is not None:
            return unfinished
        calls.add(item.call_id)
        wire.update(call_id=item.call_id, name=item.name, arguments=item.arguments)
    elif item.type is ItemType.FUNCTION_CALL_OUTPUT:
        if item.call_id not in calls:
            what = "the call_id of a function_call before it in the list"
            return _expected(what, item.call_id).within("call_id")
        wire.update(call_id=item.call_id, output=item.output)
    elif item.type is ItemType.MCP_APPROVAL_RESPONSE:
        if item.approval_request_id not in requests:
            error = "the id of an mcp_approval_request in the list, as the conversation holds it"
            return _expected(error, item.approval_request_id).within("approval_request_id")
        wire.update(item.to_dict())
        wire.pop("status", None)
        wire.pop("object", None)
    else:
        return _not_created(item)  # item references, and MCP items but approval responses
    return wire


def _unfinished(call: ConversationItem) -> Optional[ValidationError]:
    """Why a function_call is not one that another format or a new session can hold, or None
    where it is: it must have a call_id that an output can answer, be done (neither in progress
    nor incomplete: its arguments may be cut short), and have arguments that are JSON. The one
    rule of to_chat_messages, to_responses_input, history_events and sync_events."""
    if call.call_id is None:
        return _missing("call_id")
    if call.status in (ItemStatus.IN_PROGRESS, ItemStatus.INCOMPLETE):
        return _expected("a call that is done", call.__dict__["status"]).within("status")
    try:
        _decode_json(call.arguments, "arguments")
    except ValidationError as error:
        return error
    return None


def _created_events(chain: List[Tuple[int, Union[str, Dict[str, Any]]]]) -> List[Dict[str, Any]]:
    """The conversation.item.create events of a list, each anchored on the item before it
    (from "root"): `chain` has, for each item in order, its position and the wire dict to send,
    or the id of an item that stays. An item sent without an id gets one: _id_prefix and its
    position."""
    prefix = _id_prefix()
    events, previous = [], _ROOT
    for position, wire in chain:
        if isinstance(wire, str):
            previous = wire
            continue
        if wire["id"] is None:
            wire["id"] = f"{prefix}{position}"
        events.append(_read_item(wire, True).create_event(previous_item_id=previous))
        previous = wire["id"]
    return events


def _id_prefix() -> str:
    """How the ids of new items begin: "rt_" and twelve random hex digits, drawn once a list,
    then "_"; the item's position follows. Random, so that two lists sent to one session never
    give two items one id."""
    return f"rt_{os.urandom(6).hex()}_"


# What only _sync_events needs.


def _same_item(known: ConversationItem, given: ConversationItem) -> bool:
    """Whether an item of the list is the item the conversation holds, but for the status and
    object tag that the server sets."""
    if known is given:
        return True
    ignore = ("status", "object")
    return {k: v for k, v in known.__dict__.items() if k not in ignore} == {
        k: v for k, v in given.__dict__.items() if k not in ignore
    }


def _increasing(pairs: List[Tuple[int, int]]) -> Set[int]:
    """The first elements of a longest run of `pairs` whose second elements increase: O(n)
    where they all do (the common edits), O(n log n) by patience sorting otherwise."""
    if all(a[1] < b[1] for a, b in zip(pairs, pairs[1:])):
        return {index for index, _ in pairs}
    from bisect import bisect_left  # here: only a reordering needs it

    tails: List[int] = []  # tails[k]: the pair that ends the best run of k + 1 so far
    ends: List[int] = []  # and its second element
    before = [-1] * len(pairs)
    for at, (_, value) in enumerate(pairs):
        k = bisect_left(ends, value)
        if k:
            before[at] = tails[k - 1]
        if k == len(tails):
            tails.append(at)
            ends.append(value)
        else:
            tails[k], ends[k] = at, value
    run, at = set(), tails[-1] if tails else -1
    while at >= 0:
        run.add(pairs[at][0])
        at = before[at]
    return run


def split_turns(
    items: Iterable[Any], keep_turns: int
) -> Tuple[List[ConversationItem], List[ConversationItem]]:
    """The items split into the older ones and the last `keep_turns` turns (a turn starts at a
    user message), never a call apart from its output nor an approval request apart from its
    response: where a kept item pairs with an older one, the cut moves back to the turn that
    holds it. For compaction: summarise the older items, then sync the conversation to the
    summary and the recent ones. O(n)."""
    items = list(_items_given(items))
    if isinstance(keep_turns, bool) or not isinstance(keep_turns, int) or keep_turns < 0:
        raise _expected("a whole number, 0 or more", keep_turns).within("keep_turns")
    starts = [index for index, item in enumerate(items) if item.role is Role.USER]
    cut = 0 if len(starts) < keep_turns else starts[-keep_turns] if keep_turns else len(items)
    first: Dict[Tuple[str, Any], int] = {}  # a pair's key: where its first item is
    earliest = []  # for each item: where the first item of its pair is (itself if none)
    for index, item in enumerate(items):
        key = _pair_key(item)
        earliest.append(index if key is None else first.setdefault(key, index))
    # A cut c keeps the pairs whole when no item from c on pairs with one before c. The cut
    # moves back to the latest turn start (or 0) at or before `cut` where that holds.
    reach = len(items)  # the earliest pair start among the items from `at` on
    at = len(items)
    for start in [cut, *reversed([s for s in starts if s < cut]), 0]:
        while at > start:
            at -= 1
            reach = min(reach, earliest[at])
        if reach >= start:
            cut = start
            break
    return items[:cut], items[cut:]


def _pair_key(item: ConversationItem) -> Optional[Tuple[str, Any]]:
    """What pairs an item with another that must stay on its side of a cut: a call and its
    outputs share their call_id, an approval request and its response the request's id."""
    if item.type in (ItemType.FUNCTION_CALL, ItemType.FUNCTION_CALL_OUTPUT) and item.call_id:
        return ("call", item.call_id)
    if item.type is ItemType.MCP_APPROVAL_REQUEST and item.id:
        return ("approval", item.id)
    if item.type is ItemType.MCP_APPROVAL_RESPONSE:
        return ("approval", item.approval_request_id)
    return None


def _transcript_lines(
    items: List[ConversationItem], notes: Dict[Tuple[Any, int], str]
) -> List[str]:
    """A line a message (`user: ...`, its texts and transcripts joined by spaces), a line a call
    and one for its result, in order; every value in them is _one_line. `notes` gives, by (item
    id, content index), what stands for an audio part the conversation knows more of (a
    transcription pending or failed, an interruption); any other audio part without a
    transcript is "(no transcript)", an image "(image)". Item references and MCP items other
    than calls are left out."""
    names = {item.call_id: item.name for item in items if item.type is ItemType.FUNCTION_CALL}
    lines = []
    for item in items:
        wire = item.__dict__
        if item.type is ItemType.MESSAGE:
            pieces = []
            for index, part in enumerate(item.content or ()):
                text = _words(part)
                note = notes.get((item.id, index))
                if note is not None:
                    pieces.append(note)
                elif part.type is ContentType.INPUT_IMAGE:
                    pieces.append("(image)")
                elif text is not None:
                    pieces.append(_one_line(text))
                elif part.type is not ContentType.ITEM_REFERENCE:
                    pieces.append("(no transcript)")
            if item.status is ItemStatus.INCOMPLETE:
                pieces.append("(incomplete)")
            lines.append(f"{wire['role']}: {' '.join(pieces)}")
        elif item.type in (ItemType.FUNCTION_CALL, ItemType.MCP_CALL):
            name = _one_line(f"{item.server_label}.{item.name}" if item.server_label else item.name)
            called = f"assistant called {name}({_one_line(item.arguments)})"
            if item.call_id is not None:
                called += f", {_one_line(item.call_id)}"
            if item.status is not None and item.status is not ItemStatus.COMPLETED:
                called += f" ({item.status.value.replace('_', ' ')})"
            lines.append(called)
            if item.output is not None:
                lines.append(f"{name} returned: {_one_line(item.output)}")
            elif item.error is not None:
                lines.append(f"{name} failed: {_one_line(item.error.message)}")
        elif item.type is ItemType.FUNCTION_CALL_OUTPUT:
            name = _one_line(names.get(item.call_id) or "a call")
            lines.append(f"{name}, {_one_line(item.call_id)}, returned: {_one_line(item.output)}")
    return lines


def _one_line(value: Any) -> str:
    """A value as a line that rtitem writes holds it: each line break and other control
    character a space, so that no value starts a line (a tool's output cannot write a `user:`
    line) or reaches a terminal as a control. The value itself keeps them."""
    return _CONTROLS.sub(" ", value)


# --- The conversation -------------------------------------------------------------------------
# Conversation mirrors the server's conversation from the events the server sends
# (docs/server-behaviour.md, "The conversation, event by event"). An event travels down the
# class: apply() hands it to the handler that _HANDLERS names for its type; the handlers come in
# the order of that table, and the bookkeeping they share comes after them. An item arrives
# whole in item events and in pieces in deltas. The mirror keeps it as an _Entry: its wire form,
# the text streamed into it since it was last built, and the audio that arrived, so that a delta
# costs the delta and an item is built (and checked) only when it is read.


def _both_names(beta: str) -> Tuple[str, str]:
    """A server event that streams an assistant's part, by its GA name and by its beta name
    (`beta`): GA names the part as its items do (D1), `response.output_audio_transcript.delta`
    where beta has `response.audio_transcript.delta`."""
    scope, streamed, end = beta.split(".")
    part, underscore, rest = streamed.partition("_")
    return f"{scope}.{_GA_NAME[part]}{underscore}{rest}.{end}", beta


# Streamed text: the event, the field it grows or sets, whether it sets it, and where: a part
# (the part types it may be in) or the item (the item type it may be).
_INPUT_PARTS = ("input_audio",)
_STREAMED_PARTS = {  # the events that stream an assistant's part, by their beta names
    "response.text.delta": ("text", False, _TEXT_PARTS),
    "response.text.done": ("text", True, _TEXT_PARTS),
    "response.audio_transcript.delta": ("transcript", False, _AUDIO_PARTS),
    "response.audio_transcript.done": ("transcript", True, _AUDIO_PARTS),
}
_STREAMS = {
    **{name: row for beta, row in _STREAMED_PARTS.items() for name in _both_names(beta)},
    "conversation.item.input_audio_transcription.delta": ("transcript", False, _INPUT_PARTS),
    "conversation.item.input_audio_transcription.completed": ("transcript", True, _INPUT_PARTS),
    "response.function_call_arguments.delta": ("arguments", False, "function_call"),
    "response.function_call_arguments.done": ("arguments", True, "function_call"),
    "response.mcp_call_arguments.delta": ("arguments", False, "mcp_call"),
    "response.mcp_call_arguments.done": ("arguments", True, "mcp_call"),
}
_ITEM_ADDED = (
    "conversation.item.created",
    "conversation.item.added",
    "conversation.item.done",
    "conversation.item.retrieved",
)
_DELTAS = tuple(  # the deltas of an assistant's parts: the most common event (_on_delta)
    kind
    for kind, (_, sets, where) in _STREAMS.items()
    if where in (_TEXT_PARTS, _AUDIO_PARTS) and not sets
)
_TRANSCRIBED = "conversation.item.input_audio_transcription.completed"  # may carry a usage
_TRANSCRIPT_DONE = _both_names("response.audio_transcript.done")
_OUTPUT_ITEM = ("response.output_item.added", "response.output_item.done")
_RESPONSE = ("response.created", "response.done")
_AUDIO_EVENTS = _both_names("response.audio.delta")
_AUDIO_DONE = _both_names("response.audio.done")
# The events that only one dialect's server sends (D1): the first of them names the dialect
# that new parts are named in and that replay_events speaks.
_BETA_DELTAS = ("response.text.delta", "response.audio.delta", "response.audio_transcript.delta")
_DIALECT_OF = {
    "conversation.item.added": "ga",
    "conversation.item.done": "ga",
    **{_both_names(beta)[0]: "ga" for beta in _BETA_DELTAS},
    **dict.fromkeys(_BETA_DELTAS, "beta"),
}
_FINISHED = ("completed", "incomplete")  # a status that never goes back to in_progress
_CLIENT_EVENTS = frozenset(
    (
        _CREATE,
        "conversation.item.delete",
        "conversation.item.retrieve",
        "conversation.item.truncate",
        "response.create",
        "response.cancel",
        "session.update",
        "input_audio_buffer.append",
        "input_audio_buffer.commit",
        "input_audio_buffer.clear",
        "output_audio_buffer.clear",
    )
)
# Bytes of output audio a millisecond, by format: GA names (session.audio.output.format.type)
# and beta names (session.output_audio_format). PCM is 24 kHz 16-bit mono, G.711 8 kHz 8-bit.
_BYTES_PER_MS = {
    "audio/pcm": 48,
    "pcm16": 48,
    "audio/pcmu": 8,
    "audio/pcma": 8,
    "g711_ulaw": 8,
    "g711_alaw": 8,
}
_PIECES = 1024  # streamed pieces of one field are joined this many at a time, to bound memory
# What a reference that names nothing was expected to name.
_AN_ITEM = "the id of an item in the conversation"
_A_CALL = "the call_id of a function_call in the conversation"
_A_REQUEST = "the id of an mcp_approval_request in the conversation"


def _no_usage() -> Dict[str, Any]:
    """The usage of a response in the shape response.done reports it (the SDK's
    RealtimeResponseUsage), before anything was used."""
    tokens = {"text_tokens": 0, "audio_tokens": 0}
    details: Dict[str, Any] = {**tokens, "image_tokens": 0, "cached_tokens": 0}
    details["cached_tokens_details"] = {**tokens, "image_tokens": 0}
    return {
        "total_tokens": 0,
        "input_tokens": 0,
        "output_tokens": 0,
        "input_token_details": details,
        "output_token_details": tokens,
    }


def _usage_of(value: object, totals: Dict[str, Any], depth: int) -> Dict[str, Any]:
    """A response's usage, checked: whole numbers, 0 or more, in objects shaped as `totals`
    (where it has the key), nulls left out; a fresh copy."""
    if not isinstance(value, dict):
        raise _expected("object", value)
    if depth >= 3:
        raise ValidationError("", "expected at most 3 levels of objects in a usage")
    usage: Dict[str, Any] = {}
    for key, count in value.items():
        if count is None:
            continue
        if not (type(key) is str and key.isascii()):  # the check of _string, inline
            if not isinstance(key, str):
                raise ValidationError("", f"expected string keys, got {_got(key)}")
            key = _checked(_string, _key_step(key), key)
        total = totals.get(key)
        if type(count) is int and 0 <= count <= _MAX_TOKENS and type(total) is not dict:
            usage[key] = count  # the check of _tokens, inline
            continue
        try:
            if isinstance(total, dict) or (total is None and isinstance(count, dict)):
                usage[key] = _usage_of(count, total or {}, depth + 1)
            else:
                usage[key] = _tokens(count)
        except ValidationError as error:
            raise error.within(_key_step(key)) from None
    return usage


_MAX_TOKENS = 2**63 - 1  # the API counts in 64-bit integers; a sum of such counts stays printable


def _tokens(value: object) -> int:
    if isinstance(value, int) and not isinstance(value, bool) and 0 <= value <= _MAX_TOKENS:
        return int(value)
    raise _expected(f"a whole number, 0 or more (at most {_MAX_TOKENS})", value)


def _transcription_usage(value: object) -> Dict[str, Any]:
    """The usage of an input transcription, checked: {"type": "tokens", and token counts as a
    response reports them} or {"type": "duration", "seconds": seconds of audio}."""
    kind = _tag(value, "type", ("tokens", "duration"))
    if kind == "tokens":
        counts = {key: count for key, count in value.items() if key != "type"}  # type: ignore
        return {"type": kind, **_usage_of(counts, {}, 0)}
    seconds = _required(value, "seconds")  # type: ignore[arg-type]
    number = isinstance(seconds, (int, float)) and not isinstance(seconds, bool)
    if not (number and 0 <= seconds <= _MAX_TOKENS):  # a sum of such stays finite
        raise _expected(f"0 or more seconds (at most {_MAX_TOKENS})", seconds).within("seconds")
    return {"type": kind, "seconds": seconds}


def _copy_usage(usage: Dict[str, Any]) -> Dict[str, Any]:
    return {key: _copy_usage(n) if isinstance(n, dict) else n for key, n in usage.items()}


def _add_usage(totals: Dict[str, Any], usage: Dict[str, Any]) -> None:
    for key, count in usage.items():
        if key == "type":
            continue  # a transcription's: the kind of usage, not a count
        if isinstance(count, dict):
            _add_usage(totals.setdefault(key, {}), count)
        else:
            totals[key] = totals.get(key, 0) + count


def _index(value: object, strict: bool = True) -> int:
    """The check for a position: a whole number, 0 or more."""
    if isinstance(value, int) and not isinstance(value, bool) and value >= 0:
        return int(value)
    raise _expected("a whole number, 0 or more", value)


def _audio_length(base64_text: str) -> int:
    """The number of bytes that base64 text decodes to, without decoding it."""
    size = len(base64_text)
    return size // 4 * 3 - (base64_text.endswith("=") + base64_text.endswith("=="))


def _same_part(known: str, given: str) -> bool:
    """Whether two part types name one part, whatever the dialect (`audio`, `output_audio`)."""
    return _BETA_NAME.get(known, known) == _BETA_NAME.get(given, given)


def _stale(known: object, value: object) -> bool:
    """Whether a string value from a later copy is the start of the known one (or equal)."""
    return isinstance(known, str) and isinstance(value, str) and known.startswith(value)


def _without_nulls(parts: object) -> object:
    """A copy's content as the wire form holds it, its parts' null fields left out (D5)."""
    if type(parts) is not list or not all(type(part) is dict for part in parts):
        return parts
    return [{name: value for name, value in part.items() if value is not None} for part in parts]


class _Entry:
    """One item as the mirror holds it: its wire fields (content apart) and its parts' wire
    dicts; the text streamed into a field since it was last read, as `pieces[(content index,
    or None for the item, field name)]`; the item last built, and the string fields changed
    since (`touched`); the audio kept and counted, and where a part was truncated."""

    __slots__ = (
        *("id", "wire", "parts", "pieces", "touched", "built"),
        *("audio", "heard", "truncated", "said"),
    )

    def __init__(self, item: ConversationItem) -> None:
        self.id: str = item.id  # type: ignore[assignment]  # the mirror holds items with ids
        self.wire = item.to_dict()
        self.parts: Optional[List[Dict[str, Any]]] = self.wire.pop("content", None)
        self.pieces: Dict[Tuple[Optional[int], str], List[str]] = {}
        self.touched: Set[Tuple[Optional[int], str]] = set()
        self.built: Optional[ConversationItem] = item  # None: build it whole when read
        self.audio: Dict[int, bytearray] = {}  # content index: the audio kept (keep_audio)
        self.heard: Dict[int, List[int]] = {}  # content index: [bytes received, bytes a ms]
        self.truncated: Dict[int, int] = {}  # content index: audio_end_ms
        self.said: Dict[int, Tuple[str, Optional[float]]] = {}  # (transcript, audio ms) at a cut

    def holder(self, index: Optional[int]) -> Dict[str, Any]:
        return self.wire if index is None else self.parts[index]  # type: ignore[index]

    def stream(self, index: Optional[int], name: str, text: str) -> None:
        """Text streamed into a string field: kept as a piece until the item is read."""
        key = (index, name)
        pieces = self.pieces.get(key)
        if pieces is None:
            pieces = self.pieces[key] = []
        pieces.append(text)
        if len(pieces) >= 2 * _PIECES:  # join the last _PIECES: O(delta), amortised
            pieces[-_PIECES:] = ["".join(pieces[-_PIECES:])]
        self.touched.add(key)

    def set(self, index: Optional[int], name: str, text: str) -> None:
        """A string field set whole (a `.done` event)."""
        key = (index, name)
        self.pieces.pop(key, None)
        self.holder(index)[name] = text
        self.touched.add(key)

    def put(self, index: Optional[int], name: str, value: Any) -> None:
        """Any field set: the item is built whole when next read."""
        self.pieces.pop((index, name), None)
        self.holder(index)[name] = value
        self.built = None

    def flush(self) -> None:
        """Join what streamed in into the fields it belongs to."""
        for (index, name), pieces in self.pieces.items():
            holder = self.holder(index)
            holder[name] = holder.get(name, "") + "".join(pieces)
        self.pieces.clear()

    def item(self) -> ConversationItem:
        """The item, built when read: whole after a change of shape, and otherwise as a copy of
        the last one with its changed string fields, which keeps it valid and costs what the
        text costs, not what the item holds."""
        built = self.built
        if built is None:
            self.flush()
            wire = self.wire if self.parts is None else {**self.wire, "content": self.parts}
            # Read as a server's item: its fields were checked as they came, and lenient reading
            # keeps a server's longer id (D5).
            self.built = built = _read_item(wire, False)
            self.touched.clear()
        elif self.touched:
            self.built = built = self._with_touched(built)
        return built

    def _with_touched(self, built: ConversationItem) -> ConversationItem:
        # Only stream() and set() touch a field, always a string field (text, transcript,
        # arguments) with a str value, which is last among its part's fields when it is new:
        # the copy is what a whole read would give, as the instance of a reader (see
        # _compile_reader) built without one. What streamed in is joined here, as flush() does.
        values = built.__dict__.copy()
        content = None
        for key in self.touched:
            index, name = key
            holder = self.holder(index)
            streamed = self.pieces.pop(key, None)
            if streamed is not None:
                holder[name] = holder.get(name, "") + "".join(streamed)
            if index is None:
                values[name] = holder[name]
                continue
            if content is None:
                content = list(values["content"])
            part = object.__new__(ContentPart)
            part.__dict__.update(holder)
            content[index] = part
        self.touched.clear()
        if content is not None:
            values["content"] = tuple(content)
        item = object.__new__(ConversationItem)
        item.__dict__.update(values)
        return item

    def news(self, data: Dict[str, Any]) -> Optional[Dict[str, str]]:
        """What `data`, a copy of this item, adds to what is known, where that is at most a
        later status: {} or {"status": ...}. None where it may add more or be invalid: it is
        then read whole. (A copy with the known fields, all equal but a status that is one of
        the three, reads as the known item with that status.)"""
        if self.pieces:
            self.flush()
        known, news, count = self.wire, {}, 0
        for name, value in data.items():
            if value is None:
                continue  # D5: null means absent, and the wire form leaves it out
            count += 1
            if name == "content":
                if value != self.parts and _without_nulls(value) != self.parts:
                    return None
            elif value != known.get(name):
                if name != "status" or name not in known or type(value) is not str:
                    return None
                if value not in _STATUS:
                    return None
                if not (value == "in_progress" and known[name] in _FINISHED):
                    news[name] = value
        if count != len(known) + (self.parts is not None):
            return None  # a field more, or one less: read it whole
        return news

    def shape(self) -> List[Any]:
        """What a copy of this item must agree with (see _check_copy)."""
        part_types = [part["type"] for part in self.parts or ()]
        return [self.wire["type"], self.wire.get("role"), part_types, "is in the conversation"]

    def merge(self, item: ConversationItem) -> None:
        """Merge a later copy of the item into what is known, never losing what is known: a
        field the copy lacks keeps its value, an `arguments` or part value that is the start of
        the known one is stale, a status never goes back to in_progress, and a truncated
        transcript stays deleted."""
        self.flush()
        wire = item.to_dict() if item.tools or item.error else item.__dict__
        known = self.wire
        for name, value in wire.items():
            if name == "content":
                continue
            if name == "status" and value == "in_progress" and known.get(name) in _FINISHED:
                continue
            if name != "arguments" or not _stale(known.get(name), value):
                known[name] = value
        if item.content is not None:
            if self.parts is None:
                self.parts = []
            parts = self.parts
            for index, part in enumerate(item.content):
                if index == len(parts):
                    parts.append(part.__dict__.copy())
                    continue
                held = parts[index]
                for name, value in part.__dict__.items():
                    if self.deleted(index, name):
                        continue
                    if not _stale(held.get(name), value):
                        held[name] = value
        self.built = None

    def deleted(self, index: Optional[int], name: str) -> bool:
        """Whether the server deleted this field: the transcript of a truncated part stays
        deleted whatever a later copy, part event or delta of it says (see truncate)."""
        return name == "transcript" and index in self.truncated

    def truncate(self, index: int, end_ms: int, bytes_per_ms: int) -> None:
        """The server cut the audio of a part at `end_ms` and deleted its transcript; what the
        transcript said, and how much audio had arrived, are kept for heard_transcript."""
        heard = self.heard.get(index)
        if index not in self.said:
            streamed = "".join(self.pieces.get((index, "transcript"), ()))
            said = (self.parts[index].get("transcript") or "") + streamed  # type: ignore[index]
            self.said[index] = (said, None if heard is None else heard[0] / heard[1])
        if heard is not None:
            heard[0] = min(heard[0], end_ms * heard[1])
            bytes_per_ms = heard[1]
        if index in self.audio:
            del self.audio[index][end_ms * bytes_per_ms :]
        self.truncated[index] = end_ms
        self.pieces.pop((index, "transcript"), None)
        self.parts[index].pop("transcript", None)  # type: ignore[index]
        self.built = None


def _check_copy(shape: List[Any], item: ConversationItem, path: str) -> None:
    """Refuse a copy of an item that cannot be the same item as the one `shape` describes (type,
    role, part types, and where it is known), so that merging it keeps the item valid; then add
    its new parts to the shape, for the next copy in the same event."""
    wire = item.__dict__
    for position, name in enumerate(("type", "role")):
        value = wire.get(name)
        if value != shape[position] and value is not None:
            error = f"{shape[position]!r}, as item {item.id!r} {shape[3]}"
            raise _expected(error, value).within(f"{path}.{name}")
    part_types = shape[2]
    for index, part in enumerate(item.content or ()):
        given = part.__dict__["type"]
        if index == len(part_types):
            part_types.append(given)
        elif not _same_part(part_types[index], given):
            error = f"a part like the {part_types[index]!r} part of item {item.id!r}"
            raise _expected(error, given).within(f"{path}.content[{index}].type")


class Conversation:
    """An ordered local mirror of the server's conversation, kept by apply() from the server's
    events; every item in it is a valid ConversationItem, built when it is read.

    With strict=True (the default) an event that is malformed or does not fit the conversation
    raises ValidationError and changes nothing. With strict=False, for live traffic, apply()
    never raises: items are read leniently, what does not fit is applied as well as it can be,
    and each problem is added to `problems` as (event, path, message). keep_audio=True keeps
    the assistant's audio from the audio deltas, decoded a chunk at a time (see kept_audio).
    """

    def __init__(self, *, strict: bool = True, keep_audio: bool = False) -> None:
        self.strict = strict
        self.keep_audio = keep_audio
        self.problems: List[Tuple[Any, str, str]] = []
        self._strict_reading = strict  # how items are read; the checker's mirror sets it apart
        self._strict_sending = True  # how check() reads a client's items: strictly, but there
        self._out_of_band: Dict[str, _Entry] = {}  # the items of out-of-band responses
        self._dialect: Optional[str] = None
        self._usage = _no_usage()
        self._transcription_usage: Dict[str, Dict[str, Any]] = {}  # usage type: the sums
        self._previous: Tuple[ConversationItem, ...] = ()  # the last session's items
        self._begin_session()

    def _begin_session(self) -> None:
        """The state of one session's conversation, empty: at the start, and again when the
        stream shows a new session (session.created), whose server holds no item."""
        self._entries: Dict[str, _Entry] = {}
        # The order, as links: the id of the item after each item, and before it; the key None
        # stands for the ends (after None: the first item; before None: the last).
        self._after: Dict[Optional[str], Optional[str]] = {None: None}
        self._before: Dict[Optional[str], Optional[str]] = {None: None}
        self._responses: Dict[str, Tuple[bool, int]] = {}  # under way: (out of band, bytes a ms)
        self._active: Optional[str] = None  # the response under way in the conversation
        self._ended: Set[str] = set()  # the responses whose response.done arrived
        self._counted: Set[str] = set()  # the responses whose usage is in _usage
        self._transcribed: Set[Tuple[str, int]] = set()  # the parts whose usage is counted
        self._held: Dict[str, List[Dict[str, Any]]] = {}  # transcriptions ahead of their item
        self._deleted: Set[str] = set()
        self._failed: Set[Tuple[str, int]] = set()  # (item id, content index): no transcription
        self._calls: Dict[str, str] = {}  # call_id: the id of its function_call item
        self._items: Optional[Tuple[ConversationItem, ...]] = None  # None again on any change
        self._bytes_per_ms = 48  # the session's output format; PCM until it says otherwise
        self._last_usage: Optional[Dict[str, Any]] = None

    # Reading the mirror.

    @property
    def items(self) -> Tuple[ConversationItem, ...]:
        """The items in conversation order; built when read, and again only after a change."""
        if self._items is None:
            entries = self._entries
            self._items = tuple([entries[item_id].item() for item_id in self._ids()])
        return self._items

    def _ids(self) -> Iterator[str]:
        """The ids of the items, in conversation order."""
        item_id = self._after[None]
        while item_id is not None:
            yield item_id
            item_id = self._after[item_id]

    def get(self, item_id: str) -> Optional[ConversationItem]:
        """The item with this id in the conversation, or None."""
        entry = self._entries.get(item_id)
        return None if entry is None else entry.item()

    def __contains__(self, item_id: object) -> bool:
        return item_id in self._entries

    def __len__(self) -> int:
        return len(self._entries)

    def __iter__(self) -> Iterator[ConversationItem]:
        return iter(self.items)

    def __repr__(self) -> str:
        return f"<Conversation of {len(self)} items, {len(self.problems)} problems>"

    @property
    def out_of_band(self) -> Tuple[ConversationItem, ...]:
        """The items of out-of-band responses (`conversation: "none"`), which are not part of
        the conversation, in the order they arrived."""
        return tuple(entry.item() for entry in self._out_of_band.values())

    @property
    def active_response(self) -> Optional[str]:
        """The id of the response the server is producing in the conversation, from its
        response.created to its response.done, or None: while there is one, the server refuses
        another response.create for the conversation (out-of-band ones may run beside it)."""
        return self._active

    @property
    def previous_session_items(self) -> Tuple[ConversationItem, ...]:
        """The items the conversation held when the stream showed a new session (a
        session.created after items): the new server holds none of them, and
        history_events(previous_session_items) restores them. Empty before any."""
        return self._previous

    @property
    def dialect(self) -> Optional[str]:
        """"ga" or "beta", as the first event that only one dialect's server sends showed (the
        session of session.created has a `type` in GA only); None before one."""
        return self._dialect

    @property
    def usage(self) -> Dict[str, Any]:
        """What the session has used: the `usage` of every `response.done` summed (in and out of
        band, each response once), in the shape the API reports it."""
        return _copy_usage(self._usage)

    @property
    def transcription_usage(self) -> Dict[str, Any]:
        """What the transcription of the user's audio has used, apart from the responses'
        `usage`: the `usage` of every conversation.item.input_audio_transcription.completed
        summed, each part once, by the type the API reports: {"tokens": {"type": "tokens",
        "total_tokens": ..., ...}, "duration": {"type": "duration", "seconds": ...}}, with
        only the types reported; {} before any."""
        return _copy_usage(self._transcription_usage)

    @property
    def last_usage(self) -> Optional[Dict[str, Any]]:
        """The `usage` of the last response of the conversation (out-of-band ones aside) as the
        server sent it, or None before one: its input_tokens are how much context the model was
        given, the number to watch against the model's limit."""
        return None if self._last_usage is None else _copy_usage(self._last_usage)

    def find_call(self, call_id: str) -> Optional[ConversationItem]:
        """The function_call item in the conversation with this call_id, or None."""
        item_id = self._calls.get(call_id)
        return None if item_id is None else self.get(item_id)

    def audio_ms(self, item_id: str, content_index: int = 0) -> Optional[float]:
        """How many milliseconds of audio arrived in audio deltas for this part, as the session's
        output format counts them (cut to `audio_end_ms` once truncated); None if none did."""
        entry = self._entries.get(item_id) or self._out_of_band.get(item_id)
        heard = None if entry is None else entry.heard.get(content_index)
        return None if heard is None else heard[0] / heard[1]

    def kept_audio(self, item_id: str, content_index: int = 0) -> Optional[bytes]:
        """The audio kept from the audio deltas of this part (keep_audio=True), decoded, cut at
        `audio_end_ms` once truncated; None if none was kept. Items do not carry it, so that
        reading an item costs what its text costs."""
        entry = self._entries.get(item_id) or self._out_of_band.get(item_id)
        audio = None if entry is None else entry.audio.get(content_index)
        return None if audio is None else bytes(audio)

    # Applying server events: apply() hands each to its handler, in the order of _HANDLERS.

    def apply(self, event: Any) -> Optional[str]:
        """Apply one server event, a dict (or another mapping, or an event object of the openai
        SDK, read as the dict of its JSON); return the id of the item it added, changed or
        deleted (for `response.done`, the last of its items), or None for an event that touches
        no item. Any other value is a TypeError, in both modes."""
        try:
            if type(event) is not dict:
                event = _event_dict(event)
            kind: Any = event.get("type")
            handler = self._HANDLERS.get(kind) if type(kind) is str else None  # the common case
            if handler is None:
                if type(kind) is str and kind.isascii() and kind not in _CLIENT_EVENTS:
                    return None  # an event that touches no item (or one from the future): at once
                kind = _event_type(event)
                if kind in _CLIENT_EVENTS:
                    raise _expected("a server event", kind).within("type")
                handler = self._HANDLERS.get(kind)
                if handler is None:
                    return None  # an event that touches no item, or one from the future
            changed = handler(self, event, kind)
        except ValidationError as error:
            self._note(event, error)
            return None
        if self._dialect is None:
            self._dialect = _DIALECT_OF.get(kind)
        return changed

    def _on_item(self, event: Dict[str, Any], kind: str) -> Optional[str]:
        """conversation.item.added/.done/.created/.retrieved: a new item goes right after
        `previous_item_id` (null: first; absent, as in `retrieved`: last); a known one is
        merged where it is."""
        data = event.get("item")
        known = self._known_copy(data, self._entries)
        if known is not None:
            return self._take(*known)
        item = self._item_of(data, "item", event)
        entry = self._entries.get(item.id)  # type: ignore[arg-type]
        if entry is not None:
            _check_copy(entry.shape(), item, "item")
            return self._merge(entry, item)
        return self._add(item, self._position_after(event))

    def _on_output_item(self, event: Dict[str, Any], kind: str) -> Optional[str]:
        """response.output_item.added/.done: merged by id; a new item goes last."""
        response = self._response_of(event)
        entries = self._out_of_band if response is not None and response[0] else self._entries
        data = event.get("item")
        known = self._known_copy(data, entries)
        if known is not None:
            return self._take(*known)
        item = self._item_of(data, "item", event)
        entry = entries.get(item.id)  # type: ignore[arg-type]
        if entry is not None:
            _check_copy(entry.shape(), item, "item")
        return self._upsert(item, entries)

    def _on_response(self, event: Dict[str, Any], kind: str) -> Optional[str]:
        """response.created/.done: note whether the response is out of band and its audio
        format; merge every item of its output, each copy checked against the item as it is
        known and as the copies before it in the event left it."""
        response = event.get("response")
        if not isinstance(response, dict):
            self._note(event, _expected("object", response).within("response"))
            if kind == "response.done":  # lenient: a response ended all the same, whichever it was
                self._active = None
            return None
        response_id = response.get("id")
        if response_id is None and kind == "response.created":
            self._note(event, _missing("response.id"))  # lenient: its items still count
        elif response_id is not None:
            try:
                response_id = _checked(_string, "response.id", response_id)
            except ValidationError as error:
                self._note(event, error)
                response_id = None
        output = response.get("output")
        if not isinstance(output, (list, type(None))):
            self._note(event, _expected("array", output).within("response.output"))
            output = None  # lenient: the response still starts or ends, and its usage counts
        out_of_band = "conversation_id" in response and response["conversation_id"] is None
        entries = self._out_of_band if out_of_band else self._entries
        copies: List[Tuple[Optional[ConversationItem], Any]] = []  # read, or known (see _take)
        shapes: Dict[Optional[str], List[Any]] = {}  # item id: what its copies must agree with
        again = set()  # the ids of the copies so far: a second copy in one event is read whole
        for index, data in enumerate(output or ()):
            item_id = data.get("id") if type(data) is dict else None
            known = None if item_id in again else self._known_copy(data, entries)
            if type(item_id) is str:
                again.add(item_id)
            if known is not None:
                copies.append((None, known))
                continue
            path = f"response.output[{index}]"
            try:
                item = self._item_of(data, path, event)
                shape = shapes.get(item.id)
                if shape is None:
                    entry = entries.get(item.id)  # type: ignore[arg-type]
                    if entry is not None:
                        shape = entry.shape()
                    else:
                        wire = item.__dict__
                        shape = [wire["type"], wire.get("role"), [], "is earlier in the event"]
                    shapes[item.id] = shape
                _check_copy(shape, item, path)
            except ValidationError as error:
                self._note(event, error)  # lenient: the other items, and the first copy, count
                continue
            copies.append((item, None))
        repeated = response_id in self._counted
        usage = None
        if kind == "response.done" and response.get("usage") is not None and not repeated:
            try:
                usage = _usage_of(response["usage"], self._usage, 0)
            except ValidationError as error:
                self._note(event, error.within("response.usage"))  # lenient: items still count
        if kind == "response.done":
            if response_id is not None:
                self._responses.pop(response_id, None)
                self._ended.add(response_id)
            if not out_of_band and response_id in (None, self._active):
                self._active = None  # one without an id ends the response under way
        elif response_id is not None:
            self._responses[response_id] = (out_of_band, self._format_of(response))
            if not out_of_band and response_id not in self._ended:  # not a late copy
                self._active = response_id
        if usage is not None:
            _add_usage(self._usage, usage)
            if response_id is not None:
                self._counted.add(response_id)
        if kind == "response.done" and not out_of_band and not repeated:
            self._last_usage = usage  # None where the response reported none that counts
        changed = None
        for read, known in copies:
            changed = (self._upsert(read, entries) if read else self._take(*known)) or changed
        return changed

    def _on_part(self, event: Dict[str, Any], kind: str) -> Optional[str]:
        """response.content_part.added/.done: the part at `content_index` is added (the next
        index), or merged into the part there; `.done` sets its values."""
        index = event.get("content_index")
        if not (type(index) is int and index >= 0):  # the check of _index, inline
            index = _required(event, "content_index", _index)
        part = self._read(_read_part, event.get("part"), "part", event)
        entry = self._entry_or_none(event)
        if entry is None:
            return None
        parts = self._message_parts(entry)
        wire = part.to_dict()
        given = wire["type"]
        if index < len(parts):
            known = parts[index]["type"]
            if not _same_part(known, given):
                raise _expected(f"a part like the {known!r} part there", given).within("part.type")
            wire["type"] = known  # the item events name it; a response may say `audio`
        elif index > len(parts):
            expected = f"at most {len(parts)} (the next part of the item)"
            raise _expected(expected, index).within("content_index")
        elif self._dialect == "ga" and given in _GA_NAME:  # a new part: named as GA items name it
            wire["type"] = _GA_NAME[given]
        role = _ROLE[entry.wire["role"]]
        if given not in _ROLE_CONTENT[role]:
            choices = f"{_choices(_ROLE_CONTENT[role])} (the parts {_a_message(role)} may hold)"
            raise _not_one_of(choices, given).within("part.type")
        if index == len(parts):
            parts.append(wire)
            entry.built = None
        else:
            for name, value in wire.items():
                if kind.endswith(".done") or name not in parts[index]:
                    if not entry.deleted(index, name):
                        entry.put(index, name, value)
        return self._changed(entry)

    def _on_delta(self, event: Dict[str, Any], kind: str) -> Optional[str]:
        """A text or transcript delta of an assistant's part, the most common event, in its
        common case: text for a part of its type in an item of the conversation that has no
        truncated part. Anything else goes the way of _on_stream, which holds every rule."""
        item_id = event.get("item_id")
        entry = self._entries.get(item_id) if type(item_id) is str else None
        value = event.get("delta")
        index = event.get("content_index")
        if entry is not None and type(value) is str and type(index) is int:
            name, _, where = _STREAMS[kind]
            parts = entry.parts
            if parts and 0 <= index < len(parts) and parts[index]["type"] in where:
                if not entry.truncated and (value.isascii() or _SURROGATE(value) is None):
                    entry.stream(index, name, value)
                    self._items = None  # as _changed(entry), inline
                    return entry.id
        return self._on_stream(event, kind)

    def _on_stream(self, event: Dict[str, Any], kind: str) -> Optional[str]:
        """A text, transcript or arguments delta grows its field; `.done` and `.completed` set
        it. An input transcription for an item not yet seen is held until the item arrives."""
        name, sets, where = _STREAMS[kind]
        key = name if sets else "delta"
        value = event.get(key)
        if type(value) is not str or not value.isascii():  # the check of _string, inline
            if value is not None or kind not in _TRANSCRIPT_DONE:  # some servers leave it out
                value = _required(event, key, _string)
        if where is _INPUT_PARTS:
            item_id = event.get("item_id")
            if type(item_id) is not str:
                item_id = _required(event, "item_id", _string)
            if item_id not in self._entries:
                if item_id not in self._deleted:  # a race that valid traffic has: hold it
                    if event.get("content_index") is not None:
                        _checked(_index, "content_index", event["content_index"])
                    if kind == _TRANSCRIBED and event.get("usage") is not None:
                        try:
                            _transcription_usage(event["usage"])
                        except ValidationError as error:  # lenient: held without it
                            self._note(event, error.within("usage"))
                            event = {name: got for name, got in event.items() if name != "usage"}
                    self._held.setdefault(item_id, []).append(event)
                return None
        item_id = event.get("item_id")
        entry = self._entries.get(item_id) if type(item_id) is str else None  # the common case
        if entry is None:
            entry = self._entry_or_none(event)
            if entry is None:
                return None
        if isinstance(where, str):  # the item's own field: arguments
            if entry.wire["type"] != where:
                raise _expected(f"the id of a {where} item", entry.wire["type"]).within("item_id")
            index = None
        else:
            index = event.get("content_index")
            parts = entry.parts
            if index is None and where is _INPUT_PARTS:  # optional there (SDK): the first audio
                first = [i for i, part in enumerate(parts or ()) if part["type"] in where]
                event = {**event, "content_index": first[0] if first else None}
                index = event["content_index"]
            fits = type(index) is int and parts and 0 <= index < len(parts)  # as _part_index
            if not (fits and parts[index]["type"] in where):  # type: ignore[index]
                index = self._part_index(entry, event, where)
            if entry.deleted(index, name):
                return None  # the server deleted this transcript, and so does the mirror
        used = None
        if kind == _TRANSCRIBED and event.get("usage") is not None:
            try:
                used = _transcription_usage(event["usage"])
            except ValidationError as error:
                self._note(event, error.within("usage"))  # lenient: the transcript counts
            if (entry.id, index) in self._transcribed:
                used = None  # counted once a part
        if value is None:
            return None  # a .done that leaves it out: what streamed stays
        if sets:
            entry.set(index, name, value)
        else:
            entry.stream(index, name, value)
        if used is not None:
            totals = self._transcription_usage.setdefault(used["type"], {"type": used["type"]})
            _add_usage(totals, used)
            self._transcribed.add((entry.id, index))  # type: ignore[arg-type]
        self._items = None  # as _changed(entry), inline: this is the most common event
        return entry.id

    def _on_transcription_failed(self, event: Dict[str, Any], kind: str) -> None:
        """conversation.item.input_audio_transcription.failed: the items do not change; the
        transcript() says so."""
        item_id = _required(event, "item_id", _string)
        self._failed.add((item_id, _required(event, "content_index", _index)))
        return None

    def _on_audio(self, event: Dict[str, Any], kind: str) -> Optional[str]:
        """An audio delta: counted for its part, and kept (decoded) with keep_audio. The items
        do not change: they do not carry the audio (see kept_audio)."""
        delta = event.get("delta")
        if type(delta) is not str:
            delta = _required(event, "delta", _string)
        entry = self._entry_or_none(event)
        if entry is None:
            return None
        index = self._part_index(entry, event, _AUDIO_PARTS)
        chunk = None
        if self.keep_audio:
            try:
                chunk = base64.b64decode(delta, validate=True)
            except ValueError:
                raise _expected("base64 text", delta).within("delta") from None
        heard = entry.heard.get(index)
        if heard is None:
            response = self._response_of(event)
            heard = entry.heard[index] = [0, response[1] if response else self._bytes_per_ms]
        heard[0] += len(chunk) if chunk is not None else _audio_length(delta)
        if chunk is not None:
            entry.audio.setdefault(index, bytearray()).extend(chunk)
        return entry.id

    def _on_audio_done(self, event: Dict[str, Any], kind: str) -> None:
        """response.output_audio.done: the audio of a part is complete; nothing to change."""
        entry = self._entry_or_none(event)
        if entry is not None:
            self._part_index(entry, event, _AUDIO_PARTS)
        return None

    def _on_truncated(self, event: Dict[str, Any], kind: str) -> Optional[str]:
        """conversation.item.truncated: the server deleted the transcript of an audio part and
        cut its audio at `audio_end_ms`; the mirror does the same."""
        end_ms = _required(event, "audio_end_ms", _index)
        entry = self._entry_or_none(event)
        if entry is None:
            return None
        entry.truncate(self._part_index(entry, event, _AUDIO_PARTS), end_ms, self._bytes_per_ms)
        return self._changed(entry)

    def _on_deleted(self, event: Dict[str, Any], kind: str) -> Optional[str]:
        """conversation.item.deleted: the item leaves the conversation."""
        entry = self._entry_in_conversation(event)
        del self._entries[entry.id]
        before, after = self._before.pop(entry.id), self._after.pop(entry.id)
        self._after[before], self._before[after] = after, before
        self._held.pop(entry.id, None)
        if self._calls.get(entry.wire.get("call_id")) == entry.id:  # type: ignore[arg-type]
            del self._calls[entry.wire["call_id"]]
        self._deleted.add(entry.id)
        return self._changed(entry)

    def _on_session(self, event: Dict[str, Any], kind: str) -> None:
        """session.created/.updated: the output audio format, which audio_ms counts in, and
        the dialect: a GA session has a `type`, a beta session none. A session.created starts
        a new conversation, empty, as the server's is (the SDK reconnects on the same stream):
        items the mirror held go to previous_session_items, replacing what was there."""
        session = event.get("session")
        if not isinstance(session, dict):  # lenient: a new session all the same
            self._note(event, _expected("object", session).within("session"))
        if kind == "session.created":
            if self._entries:
                self._previous = tuple(self._told())  # an interrupted answer with what was heard
            self._begin_session()
        if isinstance(session, dict):
            if self._dialect is None:
                self._dialect = "beta" if session.get("type") is None else "ga"
            self._bytes_per_ms = self._format_of(session)
        return None

    _HANDLERS: Dict[str, Callable[[Conversation, Dict[str, Any], str], Optional[str]]] = {
        **dict.fromkeys(_ITEM_ADDED, _on_item),
        **dict.fromkeys(_OUTPUT_ITEM, _on_output_item),
        **dict.fromkeys(_RESPONSE, _on_response),
        **dict.fromkeys(_PART_EVENTS, _on_part),
        **dict.fromkeys(_STREAMS, _on_stream),
        **dict.fromkeys(_DELTAS, _on_delta),
        "conversation.item.input_audio_transcription.failed": _on_transcription_failed,
        **dict.fromkeys(_AUDIO_EVENTS, _on_audio),
        **dict.fromkeys(_AUDIO_DONE, _on_audio_done),
        "conversation.item.truncated": _on_truncated,
        "conversation.item.deleted": _on_deleted,
        "session.created": _on_session,
        "session.updated": _on_session,
    }

    # What the handlers share, in the order they first need it.

    def _note(self, event: Any, error: ValidationError) -> None:
        """An event that does not fit: refused in strict mode (before anything changed), recorded
        in lenient mode, where the caller goes on as well as it can."""
        if self.strict:
            raise error
        self._record(event, error)

    def _record(self, event: Any, error: ValidationError) -> None:
        """A problem: kept in `problems`, and logged to the "rtitem" logger at WARNING, which
        Python prints on standard error unless the program configures logging."""
        self.problems.append((event, error.path, error.msg))
        import logging  # here: importing rtitem costs nothing for it, and a live program has it

        kind = event.get("type") if type(event) is dict else None
        if not (type(kind) is str and (kind in self._HANDLERS or kind in _CLIENT_EVENTS)):
            kind = "an event"  # not a name of rtitem's: the path and message say what it is
        logging.getLogger("rtitem").warning("%s: %s", kind, error)

    def _known_copy(
        self, data: object, entries: Dict[str, _Entry]
    ) -> Optional[Tuple[_Entry, Dict[str, str]]]:
        """The entry of the item that `data` copies, and what the copy adds, where that is at
        most a later status (see _Entry.news): a copy that needs no reading. None otherwise."""
        if type(data) is dict:
            item_id = data.get("id")
            entry = entries.get(item_id) if type(item_id) is str else None
            if entry is not None:
                news = entry.news(data)
                if news is not None:
                    return entry, news
        return None

    def _take(self, entry: _Entry, news: Dict[str, str]) -> str:
        """What a known copy adds (a later status); a call's id follows the copy, as in _merge."""
        call_id = entry.wire.get("call_id")
        if entry.wire["type"] == "function_call" and call_id is not None:
            if entry.id in self._entries:
                self._calls[call_id] = entry.id
        for name, value in news.items():
            entry.set(None, name, value)
        return self._changed(entry) if news else entry.id

    def _item_of(self, data: Any, path: str, event: Dict[str, Any]) -> ConversationItem:
        """The item of an event at `path`, which must have an id."""
        item: ConversationItem = self._read(_read_item, data, path, event)
        if item.id is None:
            raise _missing(f"{path}.id")
        return item

    def _read(self, reader: _Check, data: Any, path: str, event: Dict[str, Any]) -> Any:
        """Read an item or a part of an event, as strictly as the conversation reads. One that
        reads strictly but never raises (the checker's) records what strict reading refuses and
        keeps what lenient reading gives, so that it stays in step with the server."""
        try:
            return reader(data, self._strict_reading)
        except ValidationError as refused:
            error = _offering_lenient(refused).within(path)
            if self.strict or not self._strict_reading:
                raise error from None
            try:
                value = reader(data, False)
            except ValidationError:
                raise error from None
            self._record(event, error)
            return value

    def _merge(self, entry: _Entry, item: ConversationItem) -> str:
        """Merge a later copy into its entry (see _Entry.merge); a call's id follows the copy."""
        if item.type is ItemType.FUNCTION_CALL and item.call_id is not None:
            if self._calls.get(entry.wire.get("call_id")) == entry.id:  # type: ignore[arg-type]
                del self._calls[entry.wire["call_id"]]
            if entry.id in self._entries:
                self._calls[item.call_id] = entry.id
        entry.merge(item)
        return self._changed(entry)

    def _position_after(self, event: Dict[str, Any]) -> Optional[str]:
        """The item after which a new item of an item event goes (None: first): right after
        `previous_item_id`; first for null; last where the key is absent, or names an item the
        mirror saw deleted (the server anchors an item on one it deleted a moment before, and
        puts it last: livekit/agents pull request 6964)."""
        last = self._before[None]
        if "previous_item_id" not in event:
            return last
        previous = event["previous_item_id"]
        if previous is None or (isinstance(previous, str) and previous in self._entries):
            return previous
        if not (isinstance(previous, str) and previous in self._deleted):
            self._note(event, self._unknown(_AN_ITEM, previous).within("previous_item_id"))
        return last

    def _add(self, item: ConversationItem, after: Optional[str]) -> str:
        """A new item into the conversation right after the item `after` (None: first), and the
        transcriptions held for it."""
        entry = _Entry(item)
        self._entries[entry.id] = entry
        self._deleted.discard(entry.id)
        following = self._after[after]
        self._after[after], self._after[entry.id] = entry.id, following
        self._before[following], self._before[entry.id] = entry.id, after
        if item.call_id is not None and item.type is ItemType.FUNCTION_CALL:
            self._calls[item.call_id] = entry.id
        for held in self._held.pop(entry.id, ()):
            try:  # a held transcription that does not fit its item is a problem in both modes
                self._on_stream(held, held["type"])
            except ValidationError as error:
                self._record(held, error)
        return self._changed(entry)

    def _upsert(self, item: ConversationItem, entries: Dict[str, _Entry]) -> Optional[str]:
        """A copy of a response's item, checked already: merged into the item it copies, added
        last if new, ignored if the item was deleted while its response went on."""
        item_id: str = item.id  # type: ignore[assignment]
        entry = entries.get(item_id)
        if entry is not None:
            return self._merge(entry, item)
        if item_id in self._deleted:
            return None
        if entries is self._out_of_band:
            self._out_of_band[item_id] = _Entry(item)
            return item_id
        return self._add(item, self._before[None])

    def _entry_or_none(self, event: Dict[str, Any]) -> Optional[_Entry]:
        """The entry an event names by `item_id`, in the conversation or out of band; None for
        an item the mirror saw deleted (its late events are ignored); ValidationError at
        `item_id` for an item never seen."""
        item_id = event.get("item_id")
        entry = self._entries.get(item_id) if type(item_id) is str else None
        if entry is None:
            item_id = _required(event, "item_id", _string)
            entry = self._entries.get(item_id) or self._out_of_band.get(item_id)
            if entry is None and item_id not in self._deleted:
                raise self._unknown(_AN_ITEM, item_id).within("item_id")
        return entry

    def _entry_in_conversation(self, event: Dict[str, Any]) -> _Entry:
        """The entry an event names by `item_id`; ValidationError there for an item that is not
        in the conversation."""
        item_id: str = _required(event, "item_id", _string)
        entry = self._entries.get(item_id)
        if entry is None:
            raise self._unknown(_AN_ITEM, item_id).within("item_id")
        return entry

    def _unknown(self, what: str, value: object) -> ValidationError:
        """The error for a reference to what the conversation does not hold (`what`)."""
        return _expected(what, value)

    def _message_parts(self, entry: _Entry) -> List[Dict[str, Any]]:
        if entry.parts is None:
            raise _expected("the id of a message", entry.wire["type"]).within("item_id")
        return entry.parts

    def _part_index(self, entry: _Entry, event: Dict[str, Any], types: Iterable[str]) -> int:
        """The index of the part an event names by `content_index`, which must be of `types`."""
        index: int = event.get("content_index")  # type: ignore[assignment]  # checked below
        parts = entry.parts
        if type(index) is int and parts is not None and 0 <= index < len(parts):
            if parts[index]["type"] in types:  # the common case, inline
                return index
        index = _required(event, "content_index", _index)
        parts = self._message_parts(entry)
        if index >= len(parts):
            raise _expected(f"the index of a part (the item has {len(parts)})", index).within(
                "content_index"
            )
        if parts[index]["type"] not in types:
            what = f"the index of a part of type {' or '.join(map(repr, types))}"
            raise ValidationError(
                "content_index",
                f"expected {what}, got {index}, a part of type {parts[index]['type']!r}",
            )
        return index

    def _response_of(self, event: Dict[str, Any]) -> Optional[Tuple[bool, int]]:
        """What the mirror knows of the response under way that an event names by response_id."""
        response_id = event.get("response_id")
        return self._responses.get(response_id) if isinstance(response_id, str) else None

    def _format_of(self, config: Dict[str, Any]) -> int:
        """Bytes a millisecond of the output audio format that a session or a response names:
        GA `audio.output.format.type`, beta `output_audio_format`; the session's if neither."""
        name = config.get("output_audio_format")
        audio = config.get("audio")
        if isinstance(audio, dict) and isinstance(audio.get("output"), dict):
            form = audio["output"].get("format")
            if isinstance(form, dict):
                name = form.get("type")
        if not isinstance(name, str):
            return self._bytes_per_ms
        return _BYTES_PER_MS.get(name, self._bytes_per_ms)

    def _changed(self, entry: _Entry) -> str:
        """The conversation changed at this entry: its tuple of items is built again when read."""
        self._items = None
        return entry.id

    # Built from the conversation for the client: checks, interruptions, reconnects.

    def check(self, event: Any) -> None:
        """Check a client event against the conversation as it stands; raise ValidationError,
        with a path from the event, where the server would refuse it. Everything create_event
        and from_event refuse is refused too. The conversation does not change: the server's
        answer changes it, through apply()."""
        kind = _event_type(event)
        if kind not in _CLIENT_EVENTS:
            raise _expected("a client event", kind).within("type")
        if kind == _CREATE:
            (item,) = _items_at(event, kind, self._strict_sending)  # with create_event's refusals
            previous = event.get("previous_item_id")
            if previous is not None and previous != _ROOT and previous not in self._entries:
                raise self._unknown(_AN_ITEM, previous).within("previous_item_id")
            self._check_references(item, "item", self._calls)
        elif kind == "response.create":
            self._check_input(_items_at(event, kind, self._strict_sending))
            response = event.get("response")
            out_of_band = isinstance(response, dict) and response.get("conversation") == "none"
            if self._active is not None and not out_of_band:
                error = "no response in progress in the conversation (wait for its response.done)"
                got = f"got {_show(self._active)} in progress"
                raise ValidationError("", f"expected {error}, {got}")
        elif kind in ("conversation.item.delete", "conversation.item.retrieve"):
            self._entry_in_conversation(event)
        elif kind == "conversation.item.truncate":
            self._check_truncate(event)

    def _check_references(self, item: ConversationItem, path: str, calls: Container[Any]) -> None:
        """What an item names must exist: the call of a function_call_output (in `calls`), the
        request of an mcp_approval_response, the items that references name."""
        if item.type is ItemType.FUNCTION_CALL_OUTPUT and item.call_id not in calls:
            raise self._unknown(_A_CALL, item.call_id).within(f"{path}.call_id")
        if item.type is ItemType.MCP_APPROVAL_RESPONSE:
            request = self._entries.get(item.approval_request_id)  # type: ignore[arg-type]
            if request is None or request.wire["type"] != "mcp_approval_request":
                error = self._unknown(_A_REQUEST, item.approval_request_id)
                raise error.within(f"{path}.approval_request_id")
        if item.type is ItemType.ITEM_REFERENCE and item.id not in self._entries:
            raise self._unknown(_AN_ITEM, item.id).within(f"{path}.id")
        for index, part in enumerate(item.content or ()):
            if part.type is ContentType.ITEM_REFERENCE and part.id not in self._entries:
                raise self._unknown(_AN_ITEM, part.id).within(f"{path}.content[{index}].id")

    def _check_input(self, items: List[ConversationItem]) -> None:
        """The input of response.create is the whole context of that response: a tool's output
        needs its call there, sent along or named by an item_reference."""
        calls = {item.call_id for item in items if item.type is ItemType.FUNCTION_CALL}
        for item in items:
            if item.type is ItemType.ITEM_REFERENCE and item.id in self._entries:
                calls.add(self._entries[item.id].wire.get("call_id"))
        calls.discard(None)
        for index, item in enumerate(items):
            _check_images(item, f"response.input[{index}].")
            self._check_references(item, f"response.input[{index}]", calls)

    def _check_truncate(self, event: Dict[str, Any]) -> None:
        """conversation.item.truncate: an assistant audio part, cut within the audio received."""
        _required(event, "item_id", _string)  # a malformed id, then the milliseconds, then the item
        end_ms = _required(event, "audio_end_ms", _index)
        entry = self._entry_in_conversation(event)
        if entry.wire.get("role") != "assistant":
            raise _expected("the id of an assistant message", entry.id).within("item_id")
        index = self._part_index(entry, event, _AUDIO_PARTS)
        heard = self.audio_ms(entry.id, index)
        if heard is not None and end_ms > heard:
            error = f"at most {heard:g} (the milliseconds of audio received for the part)"
            raise _expected(error, end_ms).within("audio_end_ms")

    def last_spoken(self) -> Optional[ConversationItem]:
        """The latest assistant message in the conversation whose audio arrived in audio deltas
        and is not truncated: the one being played when the user talks over the assistant."""
        item_id = self._before[None]
        while item_id is not None:
            entry = self._entries[item_id]
            item_id = self._before[item_id]
            if entry.wire.get("role") == "assistant" and any(
                index not in entry.truncated for index in entry.heard
            ):
                return entry.item()
        return None

    def interruption_event(
        self,
        played_ms: float,
        item_id: Optional[str] = None,
        *,
        content_index: Optional[int] = None,
        event_id: Optional[str] = None,
    ) -> Dict[str, Any]:
        """The client event for an interruption after `played_ms` of an assistant audio item
        (by default the last spoken one): `conversation.item.truncate` at the milliseconds
        played, cut to the audio received, so that the transcript matches what was heard; or
        `conversation.item.delete` where nothing was heard, since the server refuses to
        truncate at 0. ValidationError where the conversation has no such audio part."""
        if isinstance(played_ms, bool) or not isinstance(played_ms, (int, float)):
            raise _expected("a number of milliseconds", played_ms).within("played_ms")
        if not played_ms >= 0 or played_ms == math.inf:  # NaN is neither
            raise _expected("0 or more milliseconds, finite", played_ms).within("played_ms")
        if item_id is None:
            spoken = self.last_spoken()
            if spoken is None:
                raise ValidationError("item_id", "missing: no assistant audio arrived to interrupt")
            item_id = spoken.id
        target: str = _checked(_string, "item_id", item_id)
        entry = self._entries.get(target)
        if entry is None or entry.wire.get("role") != "assistant":
            raise _expected("the id of an assistant message in the conversation", target).within(
                "item_id"
            )
        if content_index is None:  # the audio part that audio arrived for, else the first one
            audio = [i for i, part in enumerate(entry.parts or ()) if part["type"] in _AUDIO_PARTS]
            heard = [index for index in audio if index in entry.heard]
            content_index = (heard or audio or [0])[0]
        index = self._part_index(entry, {"content_index": content_index}, _AUDIO_PARTS)
        end_ms = int(played_ms)
        received = self.audio_ms(target, index)
        if received is not None:
            end_ms = min(end_ms, int(received))
        event: Dict[str, Any] = {"type": "conversation.item.truncate"}
        if end_ms == 0:
            event["type"] = "conversation.item.delete"
        if event_id is not None:
            event["event_id"] = _checked(_string, "event_id", event_id)
        event["item_id"] = target
        if end_ms:
            event.update(content_index=index, audio_end_ms=end_ms)
        return event

    def pending_calls(self) -> Tuple[ConversationItem, ...]:
        """The function_call items that are done (neither in progress nor incomplete) and have no
        function_call_output in the conversation yet: the calls a program must still answer, as
        before a reconnect."""
        entries = [self._entries[item_id] for item_id in self._ids()]
        outputs = [entry for entry in entries if entry.wire["type"] == "function_call_output"]
        answered = {entry.wire.get("call_id") for entry in outputs}
        return tuple(
            entry.item()
            for entry in entries
            if entry.wire["type"] == "function_call"
            and entry.wire.get("status") not in ("in_progress", "incomplete")
            and entry.wire.get("call_id") not in answered
            and entry.wire.get("call_id") is not None
        )

    def transcript(self) -> str:
        """The conversation as text, a line a message (`user: ...`, `assistant: ...`) and a line
        a call and its result, in conversation order. A user's audio whose transcription is
        still pending or failed is marked so, and an answer cut short by an interruption is
        marked with how much of it was heard (its transcript went with the truncation)."""
        notes = {}
        for item in self.items:
            entry = self._entries[item.id]  # type: ignore[index]
            for index, part in enumerate(item.content or ()):
                key = (item.id, index)
                if index in entry.truncated:
                    heard = self.heard_transcript(item.id, index)  # type: ignore[arg-type]
                    mark = f"(interrupted after {entry.truncated[index] / 1000:g} s)"
                    notes[key] = mark if heard is None else f"{_one_line(heard)} {mark}"
                elif part.type is ContentType.INPUT_AUDIO and part.transcript is None:
                    failed = key in self._failed
                    notes[key] = "(transcription failed)" if failed else "(transcription pending)"
        return "".join(f"{line}\n" for line in _transcript_lines(list(self.items), notes))

    def sync_events(self, items: Iterable[Any]) -> List[Dict[str, Any]]:
        """The client events (`conversation.item.delete`, then `conversation.item.create`
        anchored by `previous_item_id`) after which the server's conversation holds exactly
        `items` (ConversationItem objects or their wire dicts), in that order, when the server
        applies them in order. Items that stay as they are, in an order that can be kept (a
        longest increasing run), are neither deleted nor sent again; a changed item (the same
        id, other content) is deleted and created again; a new item without an id gets one (as
        history_events makes them); audio goes as its transcript, as in history_events. Each
        event passes check() on the conversation as it will stand when the event arrives.
        ValidationError, with the place in `items`: an output whose call is not in the list,
        two items with one id, an item a response is still streaming (named in the list, or
        left out of it), anything conversation.item.create refuses. The conversation does not
        change: the server's answers change it, through apply()."""
        return _sync_events(self.items, items, self._dialect or "ga")

    def replay_events(
        self, *, packed: bool = False, dialect: Optional[str] = None
    ) -> List[Dict[str, Any]]:
        """The client events that rebuild this conversation on a new session: history_events of
        its items, in the dialect the session showed (`dialect`, "ga" when nothing showed it)."""
        if dialect is None:
            dialect = self._dialect or "ga"
        return history_events(self, packed=packed, dialect=dialect)

    def heard_transcript(self, item_id: str, content_index: int = 0) -> Optional[str]:
        """What an interrupted answer said before it was cut, as far as it was heard: the
        transcript the mirror saw before the truncation, cut at the share of the audio that was
        heard (audio_end_ms over the audio that arrived) and back to the end of a word. An
        estimate, since speech and text do not keep one pace. None where nothing was heard,
        nothing was known, or no audio arrived to measure it by (a WebRTC session, where the
        browser plays the audio)."""
        entry = self._entries.get(item_id)
        said = None if entry is None else entry.said.get(content_index)
        text, received_ms = said or (None, None)
        if entry is None or text is None or received_ms is None or not received_ms > 0:
            return None
        end_ms = entry.truncated[content_index]
        cut = len(text) if end_ms >= received_ms else int(len(text) * end_ms / received_ms)
        heard = text[:cut]
        if cut < len(text) and not text[cut].isspace() and heard and not heard[-1].isspace():
            words = heard.rsplit(None, 1)  # a word cut short is not said
            heard = words[0] if len(words) == 2 else ""
        return heard.rstrip() or None

    def _told(self) -> List[ConversationItem]:
        """The items as a history tells them (see _history_of): an interrupted answer's audio
        part carries what was heard of it (heard_transcript), where that is known."""
        told = []
        for item in self.items:
            entry = self._entries[item.id]  # type: ignore[index]
            heard = {index: self.heard_transcript(entry.id, index) for index in entry.truncated}
            if any(text is not None for text in heard.values()):
                parts = [part.to_dict() for part in item.content]  # type: ignore[union-attr]
                for index, text in heard.items():
                    if text is not None:
                        parts[index]["transcript"] = text
                item = _read_item({**item.to_dict(), "content": parts}, False)  # as _Entry.item
            told.append(item)
        return told


# --- The command line ----------------------------------------------------------------------------
# `python -m rtitem FILE...` (also `python rtitem.py` and the `rtitem` script) checks every item
# in recordings of Realtime sessions, both directions. With no FILE it checks _sample().

def main(argv: Optional[List[str]] = None) -> int:
    """Check the items in recordings of Realtime sessions; return the exit status: 0 when all
    is valid, 1 when something is not, 2 for a usage error or a file that cannot be read."""
    import argparse  # here, not at the top: only the command line needs it

    class Parser(argparse.ArgumentParser):
        def error(self, message: str) -> Any:  # one line, not argparse's two
            self.exit(2, f"rtitem: {message} (rtitem --help shows the usage)\n")

    parser = Parser(
        prog="rtitem",
        description="Check every conversation item in recordings of OpenAI Realtime sessions: "
        "JSON Lines of events or items (both directions), a JSON document, or a JSON array. "
        "With no FILE, read standard input if it is a pipe or a file; at a terminal, check a "
        "small built-in sample session.",
    )
    parser.add_argument("files", nargs="*", metavar="FILE", help="a recording; - is standard input")
    parser.add_argument("--lenient", action="store_true", help="drop unknown fields (strict=False)")
    parser.add_argument("--quiet", action="store_true", help="print only the summary")
    parser.add_argument("--json", action="store_true", help="print problems as JSON lines")
    parser.add_argument(
        "--session",
        action="store_true",
        help="check each FILE as one recorded session: items must exist where events name them",
    )
    parser.add_argument(
        "--to",
        choices=("transcript", "chat", "responses"),
        help="print the conversation of each FILE (checked as a session) as a transcript, or as "
        "a JSON array of Chat Completions messages or Responses input; problems and the "
        "summary go to standard error",
    )
    parser.add_argument("--version", action="version", version=f"rtitem {__version__}")
    options = parser.parse_args(argv)
    report = sys.stderr if options.to else sys.stdout  # standard output is the conversation's
    tally = _Tally(report, sys.stderr, quiet=options.quiet, as_json=options.json)
    strict, status = not options.lenient, 0
    session = options.session or options.to is not None
    names = options.files or (["-"] if _stdin_is_data() else [])
    try:
        if not names:
            note = "rtitem: no FILE given, so checking the built-in sample session (rtitem --help)"
            tally.note(note)
            mirror = tally.check("<sample>", _sample().splitlines(keepends=True), strict, True)
            _print_as(options.to, mirror)
        for name in names:
            try:
                if name == "-":
                    mirror = tally.check("<stdin>", sys.stdin.buffer, strict, session)
                else:
                    with open(name, "rb") as stream:
                        mirror = tally.check(name, stream, strict, session)
                _print_as(options.to, mirror)
            except BrokenPipeError:
                raise  # an OSError too, but from the output: handled below
            except OSError as error:
                why = _escaped(str(error.strerror or error))
                tally.note(f"rtitem: cannot read {_escaped(name)}: {why}", always=True)
                status = 2
        tally.summary()
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        # The reader went away (`rtitem big.jsonl | head`): stop quietly with the status of a
        # process that SIGPIPE ended, as grep and jq do, and keep Python from complaining
        # when it flushes standard output at exit.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 141
    return status or (1 if tally.invalid else 0)


def _print_as(form: Optional[str], conversation: Optional[_Session]) -> None:
    """Print a recording's conversation as --to asks: a transcript, or a JSON array."""
    if form is None or conversation is None:
        return
    if form == "transcript":
        sys.stdout.write(conversation.transcript())
    else:
        convert = to_chat_messages if form == "chat" else to_responses_input
        print(json.dumps(convert(conversation.recorded()), ensure_ascii=False, indent=2))
    sys.stdout.flush()


def _stdin_is_data() -> bool:
    """Whether standard input is a pipe, a file or a socket: data to check, rather than a
    person at a terminal, /dev/null, or nothing at all."""
    import stat

    try:
        mode = os.fstat(sys.stdin.fileno()).st_mode
    except (AttributeError, OSError, ValueError):  # closed (None), or not a real file
        return False
    return stat.S_ISFIFO(mode) or stat.S_ISREG(mode) or stat.S_ISSOCK(mode)


class _Tally:
    """Counts what the checker reads and reports each problem as it finds it: on `out`, or as
    JSON lines there with the summary on `err` (as_json)."""

    def __init__(self, out: IO[str], err: IO[str], quiet: bool, as_json: bool) -> None:
        self.out, self.err, self.quiet, self.as_json = out, err, quiet, as_json
        self.events = self.items = self.invalid = 0

    def check(
        self, name: str, lines: Iterable[bytes], strict: bool, session: bool
    ) -> Optional[_Session]:
        """Check a recording; with `session`, return the conversation it holds."""
        progress = _Progress(name, self.err)
        mirror = _Session(strict) if session else None
        for line, value in _records(lines, progress):
            for error in self._problems(value, strict, mirror):
                self.report(name, line, error)
        progress.done()
        return mirror

    def _problems(
        self, value: Any, strict: bool, mirror: Optional[_Session]
    ) -> Iterator[ValidationError]:
        if isinstance(value, ValidationError):  # not JSON
            self.events += 1
            yield value
            return
        kind = value.get("type") if isinstance(value, dict) else None
        if isinstance(kind, str) and kind in _ITEM_SHAPES:  # an item on its own, not an event
            self.items += 1
            try:
                _read_item(value, strict)
            except ValidationError as error:
                yield error
            return
        self.events += 1
        if mirror is not None:
            try:
                kind = _event_type(value)
            except ValidationError as error:
                yield error
                return
            self.items += _item_count(value, kind)
            yield from mirror.report(value, kind)
            return
        try:
            for item in _event_items(value, _event_type(value), strict):
                self.items += 1
                if isinstance(item, ValidationError):
                    yield item
        except ValidationError as error:  # the event around the items is malformed
            yield error

    def report(self, name: str, line: int, error: ValidationError) -> None:
        self.invalid += 1
        error = _offering_lenient(error)  # --lenient drops unknown fields
        if self.quiet:
            return
        if self.as_json:
            problem = {"file": name, "line": line, "path": error.path, "message": error.msg}
            print(json.dumps(problem, ensure_ascii=False), file=self.out)
        else:
            print(f"{_escaped(name)}:{line}: {error}", file=self.out)

    def note(self, text: str, always: bool = False) -> None:
        """A line for the person, not the data: on standard error where standard output is
        JSON, or `always` (an unreadable file)."""
        print(text, file=self.err if always or self.as_json else self.out)

    def summary(self) -> None:
        summary = f"{self.events} events, {self.items} items, {self.invalid} invalid"
        print(summary, file=self.err if self.as_json and not self.quiet else self.out)
        self.out.flush()


class _Session(Conversation):
    """The checker's view of one recorded session (--session): server events go through apply(),
    client events through check(). It reads items as strictly as the checker does, but never
    raises, so that it stays in step with the recording; a problem keeps its error, and a
    reference to what the conversation does not hold is an _Unknown. A recording that starts
    mid-session (no session.created before an event names an item it never showed) is reported
    once, at the first such reference; later ones are not reported."""

    def __init__(self, strict: bool) -> None:
        super().__init__(strict=False)
        self._strict_reading = self._strict_sending = strict
        self.errors: List[ValidationError] = []
        self.started = self.mid_session = False
        self.earlier: List[ConversationItem] = []  # the items of the sessions before this one
        self._earlier_by_id: Dict[Optional[str], List[ConversationItem]] = {}  # the same, by id

    def _record(self, event: Any, error: ValidationError) -> None:
        self.errors.append(error)

    def _unknown(self, what: str, value: object) -> ValidationError:
        return _Unknown("", super()._unknown(what, value).msg)

    def report(self, event: Dict[str, Any], kind: str) -> Iterator[ValidationError]:
        """The problems of one event of the recording."""
        self.started = self.started or kind == "session.created"
        if kind == "session.created":  # the recording goes on in a new session: its items stay
            for item in self.items:
                same_id = self._earlier_by_id.setdefault(item.id, [])
                if item not in same_id:  # an item restored as it was is kept once
                    same_id.append(item)
                    self.earlier.append(item)
        if kind in _CLIENT_EVENTS:
            try:
                self.check(event)
            except ValidationError as error:
                self.errors.append(error)
        else:
            self.apply(event)
        errors, self.errors = self.errors, []
        for problem in errors:
            if self.started or not isinstance(problem, _Unknown):
                yield problem
            elif not self.mid_session:
                self.mid_session = True
                note = " (the recording starts mid-session: such references are not reported again)"
                yield ValidationError(problem.path, problem.msg + note)

    def recorded(self) -> List[ConversationItem]:
        """The items of every session of the recording, in order: an item restored in a later
        session (the same id) is there once."""
        return self._not_restored() + list(self.items)

    def transcript(self) -> str:
        """The transcript of every session of the recording (see recorded): the sessions
        before this one as their items hold them, this one as Conversation.transcript."""
        lines = "".join(f"{line}\n" for line in _transcript_lines(self._not_restored(), {}))
        return lines + super().transcript()

    def _not_restored(self) -> List[ConversationItem]:
        """The items of the sessions before this one that this one holds no item of their id."""
        return [item for item in self.earlier if item.id not in self._entries]


class _Unknown(ValidationError):
    """A reference to an item, a call or a request that the checker's conversation does not hold."""


def _item_count(event: Dict[str, Any], kind: str) -> int:
    """How many items an event carries, without reading them; as many as the checker without
    --session counts, which stops at a malformed event around them."""
    count = 0
    try:
        for _ in _raw_items(event, kind):
            count += 1
    except ValidationError:
        pass
    return count


def _records(lines: Iterable[bytes], progress: _Progress) -> Iterator[Tuple[int, Any]]:
    """(line number, value) for each JSON value of a recording, or a ValidationError for a line
    that is not JSON. JSON Lines stream a line at a time. When the first line is not JSON by
    itself, the input is read whole as one document (or an array, or several documents)."""
    lines = iter(lines)
    first = True
    for number, raw in enumerate(lines, 1):
        progress.add(len(raw))
        if not raw.strip():
            continue
        value = _parse(raw)
        if first and isinstance(value, ValidationError):
            rest = b"".join(lines)
            progress.add(len(rest))
            yield from _document(raw + rest, number)
            return
        first = False
        for element in value if isinstance(value, list) else (value,):
            yield number, element


def _parse(raw: bytes) -> Any:
    try:
        return json.loads(raw.decode("utf-8-sig"))
    except (ValueError, RecursionError) as error:  # UnicodeDecodeError and JSONDecodeError too
        return _not_json(error, with_line=False)


def _document(data: bytes, first_line: int) -> Iterator[Tuple[int, Any]]:
    """The values of an input that is not JSON Lines: each top-level value, and each element of
    a top-level array, with the line it starts on. Where it stops parsing, the error comes last;
    but JSON Lines whose first line is broken are read line by line after all."""
    lines = data.splitlines()
    second = next((raw for raw in lines[1:] if raw.strip()), b"")
    if not isinstance(_parse(second), ValidationError):
        for number, raw in enumerate(lines, first_line):
            if raw.strip():
                yield number, _parse(raw)
        return
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        yield first_line + data.count(b"\n", 0, error.start), _not_json(error)
        return
    decoder = json.JSONDecoder()
    position, line, counted = 0, first_line, 0
    try:
        while True:
            position = _skip_space(text, position)
            if position == len(text):
                return
            in_array = text[position] == "["  # an array: each element with its own line
            position = _skip_space(text, position + 1) if in_array else position
            while not (in_array and text[position : position + 1] == "]"):
                line += text.count("\n", counted, position)
                counted = position
                value, position = decoder.raw_decode(text, position)
                yield line, value
                position = _skip_space(text, position)
                if not in_array:
                    break
                if text[position : position + 1] == ",":
                    position = _skip_space(text, position + 1)
                elif text[position : position + 1] != "]":
                    raise json.JSONDecodeError("Expecting ',' delimiter", text, position)
            position += in_array
    except json.JSONDecodeError as error:
        yield first_line + error.lineno - 1, _not_json(error, with_line=False)
    except (ValueError, RecursionError) as error:
        yield line, _not_json(error)


def _skip_space(text: str, position: int) -> int:
    while position < len(text) and text[position] in " \t\r\n":
        position += 1
    return position


class _Progress:
    """On a terminal, a line on `stream` with the bytes read so far, for inputs that take more
    than a second; `clock` is time.monotonic unless a test gives another."""

    def __init__(self, name: str, stream: IO[str], clock: Callable[[], float] = time.monotonic):
        self.name, self.stream, self.clock = name, stream, clock
        self.read = 0
        self.start = self.last = clock()
        self.shown = False
        self.live = stream.isatty()

    def add(self, count: int) -> None:
        self.read += count
        if self.live:
            now = self.clock()
            if now - self.start > 1 and now - self.last > 0.25:
                self.last, self.shown = now, True
                self.stream.write(f"\rrtitem: {self.name}: {self.read / 1e6:.1f} MB read")
                self.stream.flush()

    def done(self) -> None:
        if self.shown:
            self.stream.write("\r\033[K")
            self.stream.flush()


# The built-in sample: a short GA session with a tool call, as a client would record it, one
# event a line, both directions. The client sends the tool's result three times: first as a JSON
# object, which no item may hold (`output` is a string), then with a mistyped call_id, which only
# the conversation shows to be wrong ("Tool call ID ... not found in conversation"), then right.


def _sample() -> bytes:
    """The sample session as JSON Lines."""
    question = [{"type": "input_text", "text": "What's the weather in Paris?"}]
    user: Dict[str, Any] = {"id": "item_CdR1sUser01", "type": "message", "status": "completed"}
    user.update(role="user", content=question)
    call_id, mistyped = "call_kmnUtkOoDYWLgJHP", "call_kmnUtkOoDYWLgJHp"
    call = {"id": "item_CdR1sCall01", "type": "function_call", "status": "in_progress"}
    call.update(name="get_weather", call_id=call_id, arguments="")
    called = {**call, "status": "completed", "arguments": '{"city":"Paris"}'}
    result = '{"temperature_c":21,"sky":"clear"}'
    output = {"type": "function_call_output", "call_id": call_id, "output": result}
    tool = {"id": "item_CdR1sTool01", **output}
    said = "It's 21 degrees and clear in Paris right now."
    reply: Dict[str, Any] = {"id": "item_CdR1sReply1", "type": "message", "status": "completed"}
    reply.update(role="assistant", content=[{"type": "output_audio", "transcript": said}])
    response = {"object": "realtime.response", "id": "resp_CdR1s01", "status": "in_progress"}
    second = {**response, "id": "resp_CdR1s02"}
    finished = {"status": "completed", "status_details": None}
    at = {"response_id": "resp_CdR1s01", "output_index": 0}
    arguments = {"response_id": "resp_CdR1s01", "item_id": call["id"], "output_index": 0}
    arguments.update(call_id=call_id, name="get_weather", arguments=called["arguments"])
    object_output = {**output, "output": {"temperature_c": 21, "sky": "clear"}}
    bad_type = {"type": "invalid_request_error", "code": "invalid_type"}
    bad_type["message"] = "Invalid type for 'item.output': expected a string, but got an object"
    bad_type["message"] += " instead."
    bad_call = {"type": "invalid_request_error", "code": "invalid_tool_call_id"}
    bad_call["message"] = f"Tool call ID '{mistyped}' not found in conversation."
    events: List[Tuple[str, Dict[str, Any]]] = [
        ("session.created", {"session": {"type": "realtime", "model": "gpt-realtime"}}),
        (_CREATE, {"item": {"type": "message", "role": "user", "content": question}}),
        ("conversation.item.added", {"previous_item_id": None, "item": user}),
        ("conversation.item.done", {"previous_item_id": None, "item": user}),
        ("response.created", {"response": {**response, "output": [],
                                           "conversation_id": "conv_CdR1s"}}),
        ("response.output_item.added", {**at, "item": call}),
        ("response.function_call_arguments.done", arguments),
        ("response.output_item.done", {**at, "item": called}),
        ("response.done", {"response": {**response, **finished, "output": [called],
                                        "conversation_id": "conv_CdR1s"}}),
        (_CREATE, {"item": object_output}),
        ("error", {"error": {**bad_type, "param": "item.output", "event_id": "client_002"}}),
        (_CREATE, {"item": {**output, "call_id": mistyped}}),
        ("error", {"error": {**bad_call, "param": None, "event_id": "client_003"}}),
        (_CREATE, {"item": output}),
        ("conversation.item.added", {"previous_item_id": call["id"], "item": tool}),
        ("conversation.item.done", {"previous_item_id": call["id"], "item": tool}),
        ("response.create", {}),
        ("response.output_item.done", {**at, "response_id": second["id"], "item": reply}),
        ("response.done", {"response": {**second, **finished, "output": [reply],
                                        "conversation_id": "conv_CdR1s"}}),
    ]  # fmt: skip
    lines, client, server = [], 0, 0
    for kind, fields in events:
        if kind in _CLIENT_EVENTS:
            client += 1
            event_id = f"client_{client:03d}"
        else:
            event_id = f"event_CdR1s{server:X}"
            server += 1
        lines.append(_compact_json({"type": kind, "event_id": event_id, **fields}) + "\n")
    return "".join(lines).encode()

if __name__ == "__main__":
    sys.exit(main())
