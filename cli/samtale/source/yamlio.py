"""Reading YAML files into typed models, with every problem placed at its line and column.

Catalogues, workplace overlays and development plans all come through here, so they
all report errors the same way: `FILE:LINE:COL: where: what is wrong`.

The file is read with PyYAML's safe loader (the C parser where libyaml is installed).
The data is built from the parser's events in one pass, without recursion, so that
every key and item keeps its position, a key given twice is refused with both lines,
a date that is no date is placed by its line, nesting and the size that aliases
expand to are bounded, and every problem of the file is reported at once. Tags are
refused: a file a person writes by hand needs none, and they are how YAML attacks parsers.
"""

from __future__ import annotations

import difflib
import math
import re
import types
import typing
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

import yaml
from pydantic import BaseModel, ValidationError

from ..core.errors import Problem, SamtaleError
from ..core.i18n import _, n_
from . import files

M = TypeVar("M", bound=BaseModel)
Loc = tuple[str | int, ...]

MAX_BYTES = 5 * 1024 * 1024  # a catalogue is about 60 KB; anything this large is the wrong file
MAX_DEPTH = 32  # the deepest real file (a catalogue's guidance) nests 8 levels
MAX_VALUES = 200_000  # values after expanding aliases; a catalogue has about 2,000 ("billion laughs" has 10^9)

_STR = "tag:yaml.org,2002:str"
_TIMESTAMP = "tag:yaml.org,2002:timestamp"


class _Loader(getattr(yaml, "CSafeLoader", yaml.SafeLoader)):  # type: ignore[misc]  # the base is chosen at run time
    """The safe loader with YAML 1.2's plain scalars: 'yes', 'no', 'on', 'off' and '10:30' stay text."""

    yaml_implicit_resolvers: dict[Any, list[tuple[str, re.Pattern[str]]]] = {}


for _tag, _pattern, _first in (
    ("tag:yaml.org,2002:bool", r"^(?:true|True|TRUE|false|False|FALSE)$", "tTfF"),
    ("tag:yaml.org,2002:int", r"^(?:[-+]?[0-9]+|0o[0-7]+|0x[0-9a-fA-F]+)$", "-+0123456789"),
    ("tag:yaml.org,2002:float",
     r"^(?:[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))$",
     "-+.0123456789"),
    ("tag:yaml.org,2002:null", r"^(?:~|null|Null|NULL|)$", ["~", "n", "N", ""]),
    (_TIMESTAMP,
     r"^(?:[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]|[0-9][0-9][0-9][0-9]-[0-9][0-9]?-[0-9][0-9]?"
     r"(?:[Tt]|[ \t]+)[0-9][0-9]?:[0-9][0-9]:[0-9][0-9](?:\.[0-9]*)?(?:[ \t]*(?:Z|[-+][0-9][0-9]?(?::[0-9][0-9])?))?)$",
     "0123456789"),
):
    _Loader.add_implicit_resolver(_tag, re.compile(_pattern), list(_first))


@dataclass(frozen=True)
class Document:
    """A YAML file as read: its data, the line and column (1-based) of every key and item, and the
    problems found in values while reading (a date that is no date), reported with the model's."""

    path: Path
    data: Any
    marks: Mapping[Loc, tuple[int, int]]
    problems: tuple[Problem, ...] = ()

    def position(self, loc: Loc) -> tuple[int | None, int | None]:
        """Where the deepest part of `loc` that is in the file starts."""
        for n in range(len(loc), -1, -1):
            mark = self.marks.get(loc[:n])
            if mark is not None:
                return mark
        return None, None

    def where(self, loc: Loc) -> str:
        """A readable path to a value: list items are named by their id when they have one."""
        parts: list[str] = []
        node = self.data
        for part in loc:
            if isinstance(part, int):
                item = node[part] if isinstance(node, list) and 0 <= part < len(node) else None
                ident = item.get("id") if isinstance(item, dict) else None
                parts.append(f"'{ident}'" if isinstance(ident, str) else f"#{part + 1}")
                node = item
            else:
                parts.append(str(part))
                node = node.get(part) if isinstance(node, dict) else None
        return " › ".join(parts)

    def problem(self, loc: Loc, message: str) -> Problem:
        """A problem placed at `loc`: the one way any stage points into a file."""
        line, column = self.position(loc)
        return Problem(message, file=self.path, line=line, column=column, where=self.where(loc) or None)


# --- reading ------------------------------------------------------------------------------


def read_text(path: Path) -> str:
    """A text file's content, refused with one line when it cannot be a file a person wrote."""
    raw = files.read_bytes(path, MAX_BYTES, _("a YAML file: a catalogue, workplace or plan file"))
    try:
        return raw.decode("utf-8-sig")  # Windows editors may write a byte-order mark
    except UnicodeDecodeError as err:
        line = raw[: err.start].count(b"\n") + 1
        raise SamtaleError(Problem(_("the file is not UTF-8 text; open it in your editor and save it again as UTF-8"), file=Path(path), line=line)) from None


def read(path: Path) -> Document:
    """Parse a YAML file, keeping line and column of every key and item."""
    path = Path(path)
    return parse(read_text(path), path)


def parse(text: str, path: Path) -> Document:
    """Parse YAML text (as if it were the file `path`); every problem in it at once, placed."""
    builder = _Builder(path)
    loader = _Loader(text)
    try:
        while loader.check_event():
            builder.event(loader, loader.get_event())
    except yaml.MarkedYAMLError as err:
        mark = err.problem_mark or err.context_mark
        what = " ".join(part for part in (err.context, err.problem) if part)  # PyYAML's words: English only
        builder.problems.append(Problem(
            (_("the file cannot be read as YAML ({reason}); check the indentation, colons and quotes here").format(reason=what)
             if what else _("the file cannot be read as YAML; check the indentation, colons and quotes here")), file=path,
            line=mark.line + 1 if mark else None, column=mark.column + 1 if mark else None,
        ))
    except yaml.YAMLError as err:
        builder.problems.append(Problem(_("the file cannot be read as YAML ({reason}); check the indentation, colons and quotes").format(reason=err), file=path))
    except _TooDeep as err:
        builder.problems.append(Problem(
            _("the file is nested more than {depth} levels deep; no catalogue, workplace or plan file is, "
              "so check the indentation").format(depth=MAX_DEPTH), file=path, line=err.line, column=err.column,
        ))
    except _TooBig as err:
        builder.problems.append(Problem(
            _("the aliases ('*') in the file expand to more than {count} values; write the values out instead").format(
                count=f"{MAX_VALUES:,}"),
            file=path, line=err.line, column=err.column,
        ))
    finally:
        loader.dispose()
    if builder.problems:
        raise SamtaleError(sorted(builder.problems + builder.values, key=lambda p: (p.line or 0, p.column or 0)))
    return Document(path, builder.root, builder.marks, tuple(builder.values))


class _TooDeep(Exception):
    def __init__(self, line: int, column: int):
        self.line, self.column = line, column


class _TooBig(Exception):
    def __init__(self, line: int, column: int):
        self.line, self.column = line, column


_NO_KEY = object()


def _position(event: Any) -> tuple[int, int]:
    """Where an event starts, 1-based."""
    mark = event.start_mark
    return (mark.line + 1, mark.column + 1) if mark is not None else (0, 0)


class _Frame:
    """A mapping or sequence being built: where it is, and the key waiting for its value."""

    __slots__ = ("value", "loc", "anchor", "count", "key", "key_mark", "keys")

    def __init__(self, value: dict[Any, Any] | list[Any], loc: Loc, anchor: str | None):
        self.value = value
        self.loc = loc
        self.anchor = anchor
        self.count = 1  # values inside, aliases expanded
        self.key: Any = _NO_KEY
        self.key_mark: tuple[int, int] = (0, 0)
        self.keys: dict[Any, int] = {}  # key → the line it was first given on


class _Builder:
    """Builds plain data (dict, list, str, int, float, bool, None, date) from parser events."""

    def __init__(self, path: Path):
        self.path = path
        self.root: Any = None
        self.marks: dict[Loc, tuple[int, int]] = {}
        self.problems: list[Problem] = []  # the file cannot be read on
        self.values: list[Problem] = []  # a value is wrong, the rest can still be checked
        self.stack: list[_Frame] = []
        self.anchors: dict[str, tuple[Any, int]] = {}  # anchor → value and how many values it holds
        self.documents = 0

    def _problem(self, event: Any, message: str) -> None:
        line, column = _position(event)
        self.problems.append(Problem(message, file=self.path, line=line, column=column))

    def event(self, loader: Any, event: Any) -> None:
        if isinstance(event, yaml.DocumentStartEvent):
            self.documents += 1
            if self.documents == 2:
                self._problem(event, _("the file holds a second YAML document ('---'); keep one document per file"))
            return
        if isinstance(event, (yaml.StreamStartEvent, yaml.StreamEndEvent, yaml.DocumentEndEvent)):
            return
        if isinstance(event, yaml.AliasEvent):
            name = event.anchor or ""
            if name not in self.anchors:
                self._problem(event, _("'*{name}' names no anchor given before it ('&{name}'); check the name").format(name=name))
            value, count = self.anchors.get(name, (None, 1))
            self._add(event, value)  # the same object: an alias costs no memory, only its count
            self._count(event, count)
            return
        if isinstance(event, (yaml.MappingStartEvent, yaml.SequenceStartEvent)):
            self._tag(event, "tag:yaml.org,2002:map" if isinstance(event, yaml.MappingStartEvent) else "tag:yaml.org,2002:seq")
            if len(self.stack) >= MAX_DEPTH:
                raise _TooDeep(*_position(event))
            container: dict[Any, Any] | list[Any] = {} if isinstance(event, yaml.MappingStartEvent) else []
            loc = self._add(event, container)
            self.stack.append(_Frame(container, loc, event.anchor))
        elif isinstance(event, (yaml.MappingEndEvent, yaml.SequenceEndEvent)):
            frame = self.stack.pop()
            if frame.anchor:
                self.anchors[frame.anchor] = (frame.value, frame.count)
            if self.stack:
                self.stack[-1].count += frame.count
        elif isinstance(event, yaml.ScalarEvent):
            value = self._scalar(loader, event)
            if event.anchor:
                self.anchors[event.anchor] = (value, 1)
            self._add(event, value)
            self._count(event, 1)

    def _count(self, event: Any, count: int) -> None:
        if self.stack:
            self.stack[-1].count += count
            if sum(f.count for f in self.stack) > MAX_VALUES:
                raise _TooBig(*_position(event))

    def _tag(self, event: Any, expected: str) -> None:
        if event.tag not in (None, "!", expected):
            self._problem(event, _("the tag '{tag}' is not allowed here; remove it").format(tag=event.tag))

    def _scalar(self, loader: Any, event: Any) -> Any:
        value: str = event.value
        tag = event.tag
        if tag in (None, "!"):
            tag = _STR if tag == "!" else loader.resolve(yaml.ScalarNode, value, event.implicit)
        if tag == _STR:
            return value
        if tag == "tag:yaml.org,2002:null":
            return None
        if tag == "tag:yaml.org,2002:bool":
            return value.lower() == "true"
        if tag == "tag:yaml.org,2002:int":
            text = value.replace("_", "")
            return int(text, 0) if text.lstrip("+-")[:2] in ("0o", "0x") else int(text, 10)
        if tag == "tag:yaml.org,2002:float":
            lowered = value.lower()
            if lowered.endswith((".inf", ".nan")):
                return math.nan if lowered == ".nan" else (-math.inf if lowered.startswith("-") else math.inf)
            return float(value)
        if tag == _TIMESTAMP:
            try:
                return loader.construct_yaml_timestamp(yaml.ScalarNode(tag, value, event.start_mark, event.end_mark))
            except ValueError:
                line, column = _position(event)
                self.values.append(Problem(_("'{value}' is not a real date; check the day and the month").format(value=value),
                                           file=self.path, line=line, column=column))
                return value
        self._problem(event, _("the tag '{tag}' is not allowed here; remove it").format(tag=event.tag))
        return value

    def _add(self, event: Any, value: Any) -> Loc:
        """Put `value` where it belongs; returns its place in the data."""
        mark = _position(event)
        if not self.stack:
            if self.documents <= 1:
                self.root = value
                self.marks[()] = mark
            return ()
        frame = self.stack[-1]
        if isinstance(frame.value, list):
            loc = (*frame.loc, len(frame.value))
            frame.value.append(value)
            self.marks[loc] = mark
            return loc
        if frame.key is _NO_KEY:  # this value is a key
            if isinstance(value, (dict, list)) or value is None:
                self._problem(event, _("a key must be a word followed by a colon; check the indentation"))
                value = f"?{mark}"
            elif value in frame.keys:
                self._problem(event, _("the key '{key}' is given twice (also on line {line}); keep one").format(key=value, line=frame.keys[value]))
            else:
                frame.keys[value] = mark[0]
            frame.key, frame.key_mark = value, mark
            return frame.loc
        loc = (*frame.loc, frame.key)
        frame.value[frame.key] = value
        self.marks[loc] = frame.key_mark
        frame.key = _NO_KEY
        return loc


# --- writing -------------------------------------------------------------------------------


def scalar(text: str) -> str:
    """A one-line YAML string, quoted only when plain YAML would read it as something else."""
    dumped: str = yaml.safe_dump(text, allow_unicode=True, width=1 << 20, default_flow_style=True)
    return dumped.removesuffix("\n").removesuffix("\n...").removesuffix("\n")


# --- typed models --------------------------------------------------------------------------


def validate(model: type[M], doc: Document, *, context: dict[str, Any] | None = None) -> M:
    """Build `model` from a read file or raise one SamtaleError listing every problem in place."""
    if doc.data is None:
        raise SamtaleError(Problem(_(
            "the file is empty; write its content into it, or start from a new one "
            "('samtale init', 'samtale workplace new' or 'samtale plan new' make one to fill in)"), file=doc.path))
    problems = list(doc.problems)
    try:
        built = model.model_validate(doc.data, context=context)
    except ValidationError as err:
        lines = {p.line for p in problems}  # a value already refused is not refused again by the model
        problems += [p for p in problems_from(err, model, doc) if p.line not in lines]
    if problems:
        raise SamtaleError(sorted(problems, key=lambda p: (p.line or 0, p.column or 0)))
    return built


def problems_from(err: ValidationError, model: type[BaseModel], doc: Document) -> list[Problem]:
    """Turn pydantic's errors into placed, plain-language problems."""
    errors = err.errors(include_url=False)
    unknown = [e for e in errors if e["type"] == "extra_forbidden"]
    suggested: set[Loc] = set()
    problems = []
    for e in unknown:
        loc = tuple(e["loc"])
        known = sorted(_fields_at(model, loc[:-1]))
        match = difflib.get_close_matches(str(loc[-1]), known, n=1, cutoff=0.6)
        if match:
            suggested.add((*loc[:-1], match[0]))
            said = _("the key '{key}' is unknown; did you mean '{known}'?").format(key=loc[-1], known=match[0])
        elif known:
            said = _("the key '{key}' is unknown; the keys allowed here are: {keys}").format(key=loc[-1], keys=", ".join(known))
        else:
            said = _("the key '{key}' is unknown here; remove it").format(key=loc[-1])
        problems.append(doc.problem(_in_data(doc.data, loc), said))
    for e in errors:
        loc = tuple(e["loc"])
        if e["type"] == "extra_forbidden" or loc in suggested:
            continue
        problems.append(doc.problem(_in_data(doc.data, loc), _plain(e)))
    return sorted(problems, key=lambda p: (p.line or 0, p.column or 0))


def _in_data(data: Any, loc: Loc) -> Loc:
    """Drop the parts pydantic adds for union members ('str', 'BulletList'): they are not in the file."""
    kept: list[str | int] = []
    node = data
    for part in loc:
        if isinstance(node, list) and not isinstance(part, int):
            continue
        kept.append(part)
        if isinstance(node, dict):
            node = node.get(part)
        elif isinstance(node, list) and isinstance(part, int) and 0 <= part < len(node):
            node = node[part]
        else:
            node = None
    return tuple(kept)


def _plain(e: Any) -> str:
    kind, ctx = e["type"], e.get("ctx") or {}
    if kind == "missing":
        return _("the key '{key}' is missing; add it").format(key=e["loc"][-1])
    if kind == "string_pattern_mismatch":
        value = e.get("input")
        if "#" in ctx.get("pattern", ""):
            return _("'{value}' is not a colour; write it as #RRGGBB, for example #6B3FA0").format(value=value)
        if "http" in ctx.get("pattern", ""):
            return _("'{value}' is not a web address; it must start with https://").format(value=value)
        return _("'{value}' cannot be an id; use lower-case letters, digits and hyphens, e.g. 'min-arbejdsplads'").format(value=value)
    if kind == "string_too_short":
        return _("is empty; write the text")
    if kind == "string_too_long":
        length = len(e.get("input") or "")
        return _("is {length} characters long, more than the {limit} that fit here; shorten it").format(
            length=f"{length:,}", limit=f"{ctx.get('max_length'):,}")
    if kind in ("too_long", "list_too_long"):
        return _("has more entries than fit here (at most {limit}); shorten the list").format(limit=ctx.get("max_length"))
    if kind in ("too_short", "list_too_short", "dict_too_short"):
        least = int(ctx.get("min_length", 1))
        return n_("is empty; add at least {n} entry", "has too few entries; add entries until there are at least {n}", least).format(n=least)
    if kind == "literal_error":
        return _("'{value}' is not possible here; write one of {allowed}").format(value=e.get("input"), allowed=ctx.get("expected"))
    if kind in ("string_type", "str_type"):
        return _("must be text")
    if kind == "list_type":
        return _("must be a list (lines starting with '- ')")
    if kind in ("dict_type", "model_type", "model_attributes_type"):
        return _("must be keys with their values (lines like 'name: value')")
    if kind in ("int_type", "int_parsing"):
        return _("must be a whole number")
    if kind == "value_error":
        return str(ctx.get("error", e["msg"]))  # samtale's own check, said in samtale's language
    return _("is not possible here ({reason}); check the value").format(reason=e["msg"])  # pydantic's words: English only


def _fields_at(model: Any, loc: Loc) -> set[str]:
    """The keys a model allows at `loc`, found by walking the type annotations."""
    tp: Any = model
    for part in loc:
        tp = _step(tp, part)
        if tp is None:
            return set()
    if isinstance(tp, type) and issubclass(tp, BaseModel):
        return set(tp.model_fields)
    return set()


def _step(tp: Any, part: str | int) -> Any:
    tp = _unwrap(tp)
    if isinstance(tp, type) and issubclass(tp, BaseModel):
        field = tp.model_fields.get(str(part))
        return field.annotation if field else None
    origin = typing.get_origin(tp)
    args = typing.get_args(tp)
    if origin in (list, tuple) and args:
        return args[0]
    if origin is dict and len(args) == 2:
        return args[1]
    return None


def _unwrap(tp: Any) -> Any:
    while True:
        origin = typing.get_origin(tp)
        if origin is typing.Annotated:
            tp = typing.get_args(tp)[0]
        elif origin in (typing.Union, types.UnionType):
            models = [a for a in typing.get_args(tp) if isinstance(a, type) and issubclass(a, BaseModel)]
            others = [a for a in typing.get_args(tp) if a is not type(None)]
            tp = models[0] if models else (others[0] if others else tp)
            if not models and len(others) != 1:
                return tp
        else:
            return tp
