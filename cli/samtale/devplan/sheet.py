"""A development plan as a file to fill in: written from the catalogue's words, or read back from a filled sheet.

`plan new` writes the YAML with every key explained in a comment beside it;
`plan import` reads a sheet filled in on screen (`samtale render --fillable`) into
the same YAML, so the manager only completes what the sheet did not say.
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from ..core.errors import Problem, SamtaleError
from ..core.i18n import _
from ..core.paths import CATALOGUES
from ..press.writer import write_private
from ..products.forms import FIELD_NAMES
from ..source import catalogue as catalogues
from ..source import settings
from ..source.catalogue import Loaded
from ..source.files import read_bytes
from ..source.yamlio import scalar
from .model import DATE_IN_TEXT, individual_rule, is_individual, parse_date


def plan_yaml(loaded: Loaded, type_id: str, values: dict[str, Any] | None = None) -> str:
    """The YAML text of a plan, with the catalogue's words as comments beside each key.

    `values` fills it in (from a filled sheet); without it every value is left to fill in.
    """
    cat = loaded.catalogue
    if cat.plan is None:
        raise SamtaleError(Problem(_("the catalogue has no 'plan:' section with the words of the development plan; add one"), file=loaded.path))
    ctype = loaded.conversation_type(type_id)
    labels = cat.plan.labels
    values = values or {}
    rule = individual_rule(cat.plan, ctype.id)
    individual_role = rule.role if rule else None
    dates = _(" – 2026-03-12 or 12.03.2026")

    def entry(indent: str, key: str, value: Any, comment: str = "") -> list[str]:
        """`key: value  # comment`, with text of several lines as a literal block."""
        note = f"  # {comment}" if comment else ""
        if isinstance(value, date):
            return [f"{indent}{key}: {value.isoformat()}{note}"]
        if isinstance(value, list):
            return [f"{indent}{key}: [{', '.join(scalar(str(v)) for v in value)}]{note}"]
        text = "" if value is None else str(value).strip()
        if "\n" in text:
            return [f"{indent}{key}: |-{note}", *(f"{indent}  {line}".rstrip() for line in text.splitlines())]
        return [f"{indent}{key}: {scalar(text)}{note}"]

    header = [
        f"{labels.title} – {cat.municipality.name}, {ctype.name} ({ctype.code})",
        "",
        _("Personal data: keep this file to yourself and the participants."),
        _("Fill it in, then run: samtale plan render THIS-FILE"),
        _("Every agreement needs 'what', 'responsible' and 'follow_up'."),
    ]
    if individual_role:
        header.append(_("Each participant with the role '{role}' also gets an individual plan.").format(role=individual_role))
    lines = [f"# {line}".rstrip() for line in header]
    lines += entry("", "catalogue", cat.id)
    lines += entry("", "type", ctype.id, f"{ctype.name} ({ctype.code})")
    lines += entry("", "date", values.get("date") or "", f"{labels.date}{dates}")
    lines += entry("", "workplace", values.get("workplace"), labels.workplace)
    lines.append(f"participants:  # {labels.participants}: {labels.name}, {labels.role}")
    given = values.get("participants")
    if not given:
        roles = list(ctype.participants)
        if rule is not None:  # a group: room for two employees to start with, each named in the singular
            roles = [rule.role, rule.role, *(r for r in roles if not is_individual(rule, r))]
        given = [{"name": "", "role": role} for role in roles]
    for p in given:
        lines += entry("  - ", "name", p.get("name"))
        lines += entry("    ", "role", p.get("role", ""))
    lines.append("agreements:  # " + _("{label} – one item per agreement").format(label=labels.agreements))
    for a in values.get("agreements") or [{}]:
        for n, key in enumerate(("what", "aim", "activities", "deadline", "responsible", "follow_up")):
            hint = dates if key in ("deadline", "follow_up") else ""
            lines += entry("  - " if n == 0 else "    ", key, a.get(key), f"{getattr(labels, key)}{hint}")
        if individual_role:
            lines += entry("    ", "concerns", list(a.get("concerns") or []), _("{label} – names; empty: all").format(label=labels.concerns))
        if a.get("notes"):
            lines += entry("    ", "notes", a.get("notes"))
    lines += entry("", "notes", values.get("notes"), labels.notes)
    return "\n".join(lines) + "\n"


def new(path: Path, type_id: str, catalogue: Path | None = None, force: bool = False) -> Path:
    """Write a plan to fill in for a conversation of `type_id`."""
    loaded = catalogues.load(catalogue)
    return write_private(path, plan_yaml(loaded, type_id).encode("utf-8"), force=force)


# --- reading a filled sheet back -----------------------------------------------------------


MAX_PDF_BYTES = 20 * 1024 * 1024  # a filled sheet is about 50 KB
NAMES = re.compile(r"\s*(?:[,;\n&+/]|\bog\b|\band\b)\s*", re.IGNORECASE)


@dataclass(frozen=True)
class Imported:
    """What `plan import` made: the plan file, whom it read, and what is left to complete by hand."""

    path: Path
    people: list[str]
    todo: list[str]


def import_filled(pdf: Path, out: Path | None = None, catalogue: Path | None = None, force: bool = False) -> Imported:
    """Read a filled fillable sheet into a plan YAML beside it (or at `out`)."""
    pdf = Path(pdf)
    fields, keywords = _read_sheet(pdf)
    # The sheet says which type and catalogue it belongs to in its keywords: "MUS, albertslund, 2026.1".
    code, cat_id = (keywords + ["", ""])[:2]
    loaded = _catalogue_of_sheet(pdf, cat_id, catalogue)
    ctype = next((t for t in loaded.catalogue.conversation_types if t.code == code or t.id == code.casefold()), None)
    if ctype is None:
        raise SamtaleError(Problem(_("the sheet is for '{code}', which is not a conversation type of {name}").format(code=code or "?", name=loaded.path.name), file=pdf))

    todo: list[str] = []
    rule = individual_rule(loaded.catalogue.plan, ctype.id)
    values: dict[str, Any] = {"workplace": fields.get("arbejdsplads", ""), "date": _date_or_note(fields.get("dato", ""), _("the date"), todo)}
    participants = []
    for i, role in enumerate(ctype.participants, 1):
        for name in NAMES.split(fields.get(f"deltager_{i}", "")):
            if name.strip():
                person_role = rule.role if rule is not None and is_individual(rule, role) else role
                participants.append({"name": name.strip(), "role": person_role})
    values["participants"] = participants

    agreements = []
    by_part = {v: k for k, v in FIELD_NAMES.items()}
    rows = sorted({int(m.group(1)) for name in fields if (m := re.fullmatch(r"aftale_(\d+)_\w+", name))})
    for r in rows:
        where = _("agreement {n}").format(n=r)
        structured = {by_part[p]: fields.get(f"aftale_{r}_{p}", "") for p in by_part if f"aftale_{r}_{p}" in fields}
        if structured:  # a form with one column per part of an agreement
            agreement = {k: (_date_or_note(v, f"{where}, {k}", todo) if k in ("deadline", "follow_up") else v)
                         for k, v in structured.items()}
        else:  # the note sheet: the first prompt says what is agreed, the last who is responsible and when it is followed up
            prompts = [fields[n] for n in sorted((n for n in fields if re.fullmatch(rf"aftale_{r}_\d+", n)), key=lambda n: int(n.rsplit("_", 1)[1]))]
            what = "\n".join(p for p in prompts[:-1] if p) if len(prompts) > 1 else prompts[0]
            last = prompts[-1] if len(prompts) > 1 else ""
            deadline_dates = _dates_in(what, f"{where}, deadline", todo)
            follow_dates = _dates_in(last, f"{where}, follow_up", todo)
            agreement = {
                "what": what,
                "deadline": deadline_dates[0] if deadline_dates else "",
                "responsible": _without_dates(last),
                "follow_up": follow_dates[-1] if follow_dates else "",
            }
        notes = fields.get(f"noter_{r}", "")
        if notes:
            agreement["notes"] = notes
        if any(v for v in agreement.values()):
            agreements.append(agreement)
    values["agreements"] = agreements or [{}]

    out = Path(out) if out else pdf.with_suffix(".yaml")
    path = write_private(out, plan_yaml(loaded, ctype.id, values).encode("utf-8"), force=force)
    if not participants:
        todo.append("participants")
    if not values["date"]:
        todo.append("date")
    for n, a in enumerate(agreements, 1):
        missing = [k for k in ("what", "responsible", "follow_up") if not a.get(k)]
        if missing:
            todo.append(_("agreement {n}: {keys}").format(n=n, keys=", ".join(missing)))
    return Imported(path, [f"{p['name']} ({p['role']})" for p in participants], todo)


def _read_sheet(pdf: Path) -> tuple[dict[str, str], list[str]]:
    """The sheet's form fields and keywords; a PDF that is not a readable sheet is refused in one line."""
    import logging

    from pypdf import PdfReader  # lazy: only importing a sheet reads PDFs
    from pypdf.errors import PyPdfError

    logging.getLogger("pypdf").setLevel(logging.CRITICAL)  # a bad file gets our one line, not pypdf's log
    data = read_bytes(pdf, MAX_PDF_BYTES, _("a filled sheet (PDF)"))
    if not data.startswith(b"%PDF"):
        raise SamtaleError(Problem(_("this is not a PDF; give the filled sheet made with 'samtale render --fillable'"), file=pdf))
    try:
        reader = PdfReader(io.BytesIO(data))
        if reader.is_encrypted and not reader.decrypt(""):
            raise SamtaleError(Problem(_("the PDF is protected by a password; open it, print it to a new PDF without "
                                       "protection and import that"), file=pdf))
        fields = {str(name): _field_text(field.get("/V")) for name, field in (reader.get_fields() or {}).items()}
        meta: Any = reader.metadata or {}
        keywords = [k.strip() for k in str(meta.get("/Keywords") or "").split(",")]
    except SamtaleError:
        raise
    except (PyPdfError, OSError, ValueError, KeyError, TypeError, AttributeError, RecursionError):
        raise SamtaleError(Problem(_("the PDF is damaged and cannot be read; fill in a new sheet made with "
                                   "'samtale render --fillable'"), file=pdf)) from None
    if not fields:
        raise SamtaleError(Problem(_("the PDF has no form fields; fill in a sheet made with 'samtale render --fillable'"), file=pdf))
    return fields, keywords


def _catalogue_of_sheet(pdf: Path, cat_id: str, catalogue: Path | None) -> Loaded:
    """The catalogue the sheet was made from: the one given (it must be the sheet's), or a built-in one of its id."""
    if catalogue is not None:
        loaded = catalogues.load(catalogue)
        if cat_id and cat_id != loaded.catalogue.id:
            raise SamtaleError(Problem(_("the sheet was made from the catalogue '{cat_id}', but {name} is the "
                                       "catalogue '{id}'; give the sheet's own catalogue with --catalogue").format(cat_id=cat_id, name=loaded.path.name, id=loaded.catalogue.id), file=pdf))
        return loaded
    # Chosen by id among the catalogues samtale knows, the working folder's before the built-in ones;
    # the sheet's words never name a file.
    known = {p.stem: p for p in CATALOGUES.glob("*.yaml")}
    config = settings.find()
    if config is not None:
        known.update({p.stem: p for p in config.root.glob("*.yaml")})
    if cat_id not in known:
        raise SamtaleError(Problem(_("the sheet was made from the catalogue '{value}', which is not built in "
                                   "and not in this working folder (known: {known}); give it with --catalogue FILE").format(value=cat_id[:40] or "?", known=", ".join(sorted(known))), file=pdf))
    loaded = catalogues.load(known[cat_id])
    if loaded.catalogue.id != cat_id:
        raise SamtaleError(Problem(_("the sheet was made from the catalogue '{cat_id}', which is not built in "
                                   "and not in this working folder; give it with --catalogue FILE").format(cat_id=cat_id), file=pdf))
    return loaded


def _field_text(value: Any) -> str:
    return str(value).replace("\r\n", "\n").replace("\r", "\n").strip() if value is not None else ""


def _date_or_note(text: str, where: str, todo: list[str]) -> Any:
    """The date in a field, or the text as written with a note to correct it: never silently dropped."""
    try:
        return parse_date(text) or ""
    except ValueError as err:
        todo.append(f"{where}: {err}")
        return text  # left as written, so `plan render` points at it too


def _dates_in(text: str, where: str, todo: list[str]) -> list[date]:
    """The dates written in a free text; one that is no date is named in `todo`."""
    found = []
    for match in DATE_IN_TEXT.finditer(text or ""):
        try:
            day = parse_date(match.group(1))
        except ValueError as err:
            todo.append(f"{where}: {err}")
            continue
        if day is not None:
            found.append(day)
    return found


def _without_dates(text: str) -> str:
    return re.sub(r"[\s,;.–-]+$", "", DATE_IN_TEXT.sub("", text or "")).strip(" ,;")
