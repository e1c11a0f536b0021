"""A workplace's overlay as the browser edits it: a draft of plain values, the YAML file written from it, its check.

What `samtale serve` saves is the overlay an administrator could write by hand: the comment
header, the catalogue and name, only the questions that are reworded (a wording shared by
several conversation types written once, under 'mus, grus' or 'all'), the keywords, pictures
and logo; keys the page does not edit (own questions, templates) are kept as the file has
them. A draft is checked by the very code `samtale workplace validate` runs, on the text it
would save, so the page shows the same problems with the same words.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from ..core.errors import Problem, SamtaleError
from ..core.i18n import _
from ..core.paths import refuse_built_in
from ..core.text import slugify
from ..press import jinja
from ..press.writer import write_atomic, write_new
from ..products import check
from ..source import overlay, yamlio
from ..source.catalogue import Loaded
from ..source.overlay import ALL, SCHEMA_FILE, STANDARD, Workplace
from .folder import schema

KEPT_AS_WRITTEN = ("add_questions", "templates")  # keys the page shows but does not edit


@dataclass
class Draft:
    """What the page holds for one workplace: plain strings and lists, nothing else."""

    name: str
    reword: dict[str, dict[str, str]] = field(default_factory=dict)  # question id → type id → text
    leave_out: list[str] = field(default_factory=list)
    add_keywords: dict[str, list[str]] = field(default_factory=dict)  # perspective id → keywords
    pictures: dict[str, dict[str, str]] = field(default_factory=dict)  # picture id → {"image", "caption"}
    logo: str = ""
    kept: dict[str, Any] = field(default_factory=dict)  # KEPT_AS_WRITTEN, as the file has them


def digest(text: str | bytes) -> str:
    """The fingerprint of a file's content: the page saves only over the file it was shown."""
    return hashlib.sha256(text.encode() if isinstance(text, str) else text).hexdigest()[:16]


def draft_of(wp: Workplace) -> Draft:
    """The draft of a valid overlay: every wording per conversation type, as the page shows it."""
    o = wp.overlay
    data = wp.document.data if isinstance(wp.document.data, dict) else {}
    return Draft(
        name=o.name,
        reword={q: {t: w.text for t, w in types.items()} for q, types in wp.reworded.items()},
        leave_out=list(wp.left_out),
        add_keywords={p: list(words) for p, words in wp.added_keywords.items()},
        pictures={p: {"image": r.image, "caption": r.caption or ""} for p, r in (o.pictures or {}).items()},
        logo=o.logo or "",
        kept={key: data[key] for key in KEPT_AS_WRITTEN if key in data},
    )


def one_line(text: str) -> str:
    """A wording as one paragraph: line breaks typed in a text field become spaces."""
    return " ".join(text.split())


def draft_from_form(loaded: Loaded, form: Mapping[str, Any], kept: dict[str, Any]) -> Draft:
    """The draft a submitted page describes. Field names: name, q.<question>.<type>, keep.<perspective> (the
    keywords still printed), add.<perspective> (own keywords, comma-separated), picture.<id>.image/.caption, logo."""
    cat = loaded.catalogue

    def value(key: str) -> str:
        got = form.get(key)
        return got if isinstance(got, str) else ""

    def values(key: str) -> list[str]:
        getlist = getattr(form, "getlist", None)
        items = getlist(key) if getlist else ([form[key]] if key in form else [])
        return [i for i in items if isinstance(i, str)]

    reword: dict[str, dict[str, str]] = {}
    for q in cat.questions:
        for t in cat.conversation_types:
            text = one_line(value(f"q.{q.id}.{t.id}"))
            if text and text != q.wording.get(t.id):
                reword.setdefault(q.id, {})[t.id] = text
    leave_out, add = [], {}
    for p in cat.perspectives:
        if f"shown.{p.id}" in form:  # the page sent this perspective's keywords: unticked ones are left out
            kept_words = set(values(f"keep.{p.id}"))
            leave_out += [k for k in p.keywords if k not in kept_words]
        words = [one_line(w) for w in value(f"add.{p.id}").split(",")]
        if any(words):
            add[p.id] = [w for w in words if w]
    pictures = {}
    for picture in cat.pictures:
        image = value(f"picture.{picture.id}.image").strip()
        if image:
            pictures[picture.id] = {"image": image, "caption": one_line(value(f"picture.{picture.id}.caption"))}
    return Draft(
        name=one_line(value("name")), reword=reword, leave_out=leave_out, add_keywords=add,
        pictures=pictures, logo=value("logo").strip(), kept=kept,
    )


# --- the file ------------------------------------------------------------------------------


def _grouped(wordings: dict[str, str], type_ids: Sequence[str]) -> list[tuple[str, str]]:
    """(key, text): one key per distinct text; 'all' when every type has the same one."""
    groups: dict[str, list[str]] = {}
    for t in type_ids:
        if t in wordings:
            groups.setdefault(wordings[t], []).append(t)
    if len(groups) == 1 and len(next(iter(groups.values()))) == len(type_ids) > 1:
        return [(ALL, next(iter(groups)))]
    return [(", ".join(types), text) for text, types in groups.items()]


def _block(key: str, value: Any) -> list[str]:
    """A key the page keeps as written, in YAML's block style."""
    dumped = yaml.safe_dump({key: value}, allow_unicode=True, sort_keys=False, width=1 << 16, default_flow_style=False)
    return dumped.rstrip("\n").split("\n")


def text_of(loaded: Loaded, draft: Draft, slug: str) -> str:
    """The overlay file for a draft: readable, commented, and as an administrator would write it."""
    cat = loaded.catalogue
    quote = yamlio.scalar
    type_ids = [t.id for t in cat.conversation_types]
    lines = [
        *overlay.header(loaded, slug, _(
            "Workplace overlay on the catalogue '{id}' ({municipality}, version {version}).\n"
            "Saved by 'samtale serve'; you may edit it by hand as well. Under a question, a key names one\n"
            "conversation type ({types}), several ('{several}') or all of them ('all')."
        )),
        f"name: {quote(draft.name)}" if draft.name else "name:",
    ]
    if draft.reword:
        lines += ["", "reword:"]
        names = {p.id: p.name for p in cat.perspectives}
        for q in cat.questions:  # in the catalogue's order, whatever order they were typed in
            if q.id in draft.reword:
                lines.append(f"  {q.id}:  # {names.get(q.perspective, q.perspective)}")
                lines += [f"    {key}: {quote(text)}" for key, text in _grouped(draft.reword[q.id], type_ids)]
    if "add_questions" in draft.kept:
        lines += ["", *_block("add_questions", draft.kept["add_questions"])]
    if draft.leave_out or draft.add_keywords:
        lines += ["", "keywords:"]
        if draft.leave_out:
            lines.append(f"  leave_out: [{', '.join(quote(k) for k in draft.leave_out)}]")
        if draft.add_keywords:
            lines.append("  add:")
            lines += [f"    {p}: [{', '.join(quote(k) for k in words)}]" for p, words in draft.add_keywords.items()]
    if draft.pictures:
        lines += ["", "pictures:"]
        for pid, picture in draft.pictures.items():
            lines += [f"  {pid}:", f"    image: {quote(picture['image'])}"]
            if picture.get("caption"):
                lines.append(f"    caption: {quote(picture['caption'])}")
    if draft.logo:
        lines += ["", f"logo: {quote(draft.logo)}"]
    if "templates" in draft.kept:
        lines += ["", *_block("templates", draft.kept["templates"])]
    return "\n".join(lines) + "\n"


# --- checking --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Checked:
    """A draft's text, the workplace it makes (None when the text has structural problems) and every problem."""

    text: str
    workplace: Workplace | None
    problems: tuple[Problem, ...]


def check_text(loaded: Loaded, path: Path, text: str) -> Checked:
    """What `samtale workplace validate` would say of this text, were it the file at `path` (as `press.validate.workplace`
    checks: the overlay, the products' rules and fit, the workplace's own templates)."""
    try:
        wp = overlay.load(loaded, path, text=text)
    except SamtaleError as err:
        return Checked(text, None, tuple(err.problems))
    return Checked(text, wp, (*check(loaded, wp), *jinja.check(wp.template_dirs)))


def fields_of(problem: Problem, type_ids: Sequence[str]) -> list[str]:
    """The page's fields a problem is about, from where in the file it was found ('reword › trivsel › mus, grus')."""
    parts = [p.strip() for p in (problem.where or "").split("›")]
    if len(parts) >= 3 and parts[0] == "reword":
        key = parts[2]
        types = list(type_ids) if key.lower() == ALL else [t for t in re.split(r"[,\s]+", key) if t]
        return [f"q.{parts[1]}.{t}" for t in types]
    if len(parts) >= 3 and parts[:2] == ["keywords", "add"]:
        return [f"add.{parts[2]}"]
    if len(parts) >= 2 and parts[0] == "pictures":
        return [f"picture.{parts[1]}.image"]
    if parts[0] in ("name", "logo"):
        return [parts[0]]
    return []


# --- creating and saving ---------------------------------------------------------------------


def create(loaded: Loaded, name: str) -> Path:
    """A new workplace's file, with every question's wording commented out, ready to edit; never over another."""
    name = one_line(name)
    slug = slugify(name)
    if not slug or slug == STANDARD:
        raise SamtaleError(_("'{name}' gives no usable file name; use a name with letters or digits").format(name=name))
    target = overlay.folder(loaded) / f"{slug}.yaml"
    refuse_built_in(target)  # the built-in catalogue's folder is samtale's own: lost on upgrade, often not writable
    if target.exists():
        raise SamtaleError(Problem(_("a workplace file with this name exists already; edit it, or choose another name (nothing was overwritten)"), file=target))
    text = overlay.new_file_text(loaded, name)  # made whole before anything is written
    schema_path = target.parent / SCHEMA_FILE
    try:
        same = schema_path.read_bytes() == schema()
    except OSError:  # missing, or something else in its place: write it afresh
        same = False
    if not same:
        write_atomic(schema_path, schema())
    write_new(target, text.encode("utf-8"))  # never overwrites, even in a race
    return target


class Conflict(SamtaleError):
    """The file changed on disk since the page read it: saving would lose someone's edit."""


def save(path: Path, text: str, base: str) -> str:
    """Write `text` over the file whole, if the file is still the one (by digest) the page was shown; returns the new digest."""
    current = digest(path.read_bytes()) if path.exists() else ""
    if current != base:
        raise Conflict(Problem(_("the file was changed by someone else since you opened it; nothing was saved"), file=path))
    write_atomic(path, text.encode("utf-8"))
    return digest(text)
