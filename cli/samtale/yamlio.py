"""Reading YAML files into typed models, with every problem placed at its line and column.

Catalogues, workplace overlays and development plans all come through here, so
they all report errors the same way: `FILE:LINE:COL: where: what is wrong`.
"""

from __future__ import annotations

import difflib
import types
import typing
from pathlib import Path
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

from .errors import Problem, SamtaleError

M = TypeVar("M", bound=BaseModel)
Loc = tuple[str | int, ...]


def read(path: Path) -> Any:
    """Parse a YAML file, keeping line and column of every key and item."""
    from ruamel.yaml import YAML
    from ruamel.yaml.error import MarkedYAMLError, YAMLError

    try:
        text = Path(path).read_text(encoding="utf-8")
    except FileNotFoundError:
        raise SamtaleError(Problem("the file does not exist; check the path", file=path)) from None
    except UnicodeDecodeError:
        raise SamtaleError(Problem("the file is not UTF-8 text; save it as UTF-8", file=path)) from None
    except OSError as err:
        raise SamtaleError(Problem(f"cannot read the file ({err.strerror})", file=path)) from None
    try:
        return YAML(typ="rt").load(text)
    except MarkedYAMLError as err:
        mark = err.problem_mark or err.context_mark
        what = " ".join(part for part in (err.context, err.problem) if part) or "not valid YAML"
        raise SamtaleError(
            Problem(
                f"{what}; check the indentation, colons and quotes here",
                file=path,
                line=mark.line + 1 if mark else None,
                column=mark.column + 1 if mark else None,
            )
        ) from None
    except YAMLError as err:
        raise SamtaleError(Problem(f"not valid YAML: {err}", file=path)) from None
    except ValueError as err:  # ruamel builds dates as it reads: 2026-02-30 fails here, unplaced
        line, col, value = _impossible_date(text)
        raise SamtaleError(Problem(
            f"'{value}' is not a real date ({err}); check the day and the month" if value else f"a value could not be read: {err}",
            file=path, line=line, column=col,
        )) from None


def _impossible_date(text: str) -> tuple[int | None, int | None, str | None]:
    """Find the date-looking value that is no real date, with its position."""
    import datetime

    from ruamel.yaml import YAML
    from ruamel.yaml.nodes import MappingNode, ScalarNode, SequenceNode

    def walk(node):
        if isinstance(node, ScalarNode):
            if node.tag.endswith(":timestamp"):
                try:
                    datetime.date.fromisoformat(node.value[:10])
                except ValueError:
                    return node
        elif isinstance(node, SequenceNode):
            for child in node.value:
                if (found := walk(child)) is not None:
                    return found
        elif isinstance(node, MappingNode):
            for key, value in node.value:
                if (found := walk(key)) is not None or (found := walk(value)) is not None:
                    return found
        return None

    bad = walk(YAML(typ="rt").compose(text))
    if bad is None:
        return None, None, None
    return bad.start_mark.line + 1, bad.start_mark.column + 1, bad.value


def position(root: Any, loc: Loc) -> tuple[int | None, int | None]:
    """The 1-based line and column of the deepest part of `loc` found in the parsed YAML."""
    node, line, col = root, None, None
    if hasattr(root, "lc"):
        line, col = root.lc.line + 1, root.lc.col + 1
    for part in loc:
        try:
            if isinstance(node, dict) and part in node:
                line, col = (n + 1 for n in node.lc.key(part))
                node = node[part]
            elif isinstance(node, list) and isinstance(part, int) and 0 <= part < len(node):
                line, col = (n + 1 for n in node.lc.item(part))
                node = node[part]
            else:
                break
        except (AttributeError, KeyError, TypeError):
            break
    return line, col


def where(root: Any, loc: Loc) -> str:
    """A readable path to a value: list items are named by their id when they have one."""
    parts: list[str] = []
    node = root
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


def validate(model: type[M], data: Any, path: Path, *, context: dict | None = None) -> M:
    """Build `model` from parsed YAML or raise one SamtaleError listing every problem in place."""
    if data is None:
        raise SamtaleError(Problem("the file is empty", file=path))
    try:
        return model.model_validate(data, context=context)
    except ValidationError as err:
        raise SamtaleError(problems_from(err, model, data, path)) from None


def problems_from(err: ValidationError, model: type[BaseModel], data: Any, path: Path) -> list[Problem]:
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
            suggested.add(loc[:-1] + (match[0],))
            hint = f"did you mean '{match[0]}'?"
        else:
            hint = f"allowed keys here: {', '.join(known)}" if known else "remove it"
        problems.append(_placed(data, path, loc, f"unknown key '{loc[-1]}': {hint}"))
    for e in errors:
        loc = tuple(e["loc"])
        if e["type"] == "extra_forbidden" or loc in suggested:
            continue
        problems.append(_placed(data, path, loc, _plain(e)))
    return sorted(problems, key=lambda p: (p.line or 0, p.column or 0))


def _placed(data: Any, path: Path, loc: Loc, message: str) -> Problem:
    loc = _in_data(data, loc)
    line, col = position(data, loc)
    return Problem(message, file=path, line=line, column=col, where=where(data, loc) or None)


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
        elif isinstance(node, list) and 0 <= part < len(node):
            node = node[part]
        else:
            node = None
    return tuple(kept)


def _plain(e: dict) -> str:
    kind, ctx = e["type"], e.get("ctx") or {}
    if kind == "missing":
        return f"the key '{e['loc'][-1]}' is missing; add it"
    if kind == "string_pattern_mismatch":
        value = e.get("input")
        if "#" in ctx.get("pattern", ""):
            return f"'{value}' is not a colour; write it as #RRGGBB, for example #6B3FA0"
        if "http" in ctx.get("pattern", ""):
            return f"'{value}' is not a web address; it must start with https://"
        return f"'{value}' is not a valid id; use lower-case letters, digits and hyphens, e.g. 'min-arbejdsplads'"
    if kind == "string_too_short":
        return "is empty; write the text"
    if kind in ("too_short", "list_too_short", "dict_too_short"):
        return f"needs at least {ctx.get('min_length', 1)} entries"
    if kind == "literal_error":
        return f"'{e.get('input')}' is not one of {ctx.get('expected')}"
    if kind in ("string_type", "str_type"):
        return "must be text"
    if kind == "list_type":
        return "must be a list (lines starting with '- ')"
    if kind in ("dict_type", "model_type", "model_attributes_type"):
        return "must be a mapping of keys and values"
    if kind in ("int_type", "int_parsing"):
        return "must be a whole number"
    if kind == "value_error":
        return str(ctx.get("error", e["msg"]))
    return e["msg"]


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
