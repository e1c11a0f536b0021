"""The documented development plan: its YAML file, its checks, and its PDF/A and calendar outputs.

A plan is what was agreed in one conversation: the type, date, workplace,
participants and the agreements (what, aim, activities, deadline, who is
responsible, when it is followed up). It is written as YAML (`plan new`, or read
from a filled fillable sheet by `plan import`) and rendered as a PDF/A for the
personnel file plus an .ics file with one follow-up event per agreement.

Plans hold personal data: everything is written owner-only (files 0o600, new
folders 0o700), only inside the folder the user chose, and nothing is sent
anywhere. Every Danish word printed comes from the catalogue's `plan:` section.
"""

from __future__ import annotations

import hashlib
import os
import re
from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Annotated, Any

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, StringConstraints

from . import yamlio
from .catalogue import Loaded
from .errors import Problem, SamtaleError

# PDF/A-2u: an archival PDF (ISO 19005-2) whose text is all Unicode-mapped, so names with
# æ, ø and å stay searchable and copyable in the personnel file. See the README.
PDF_VARIANT = "pdf/a-2u"
DATE_FORMATS = ("%Y-%m-%d", "%d-%m-%Y", "%d.%m.%Y")
DATE_IN_TEXT = re.compile(r"(?<![\d.-])(\d{4}-\d{1,2}-\d{1,2}|\d{1,2}[.-]\d{1,2}[.-]\d{4})(?![\d])")


# --- the plan file -------------------------------------------------------------------------


def parse_date(value: Any) -> date | None:
    """A date from YAML: ruamel gives ISO dates as dates; Danish dd-mm-yyyy and dd.mm.yyyy arrive as text."""
    if value is None or value == "":
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    text = str(value).strip()
    for fmt in DATE_FORMATS:
        try:
            return datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    raise ValueError(f"'{text}' is not a date; write it as 2026-03-12, 12-03-2026 or 12.03.2026")


def _blank_to_none(value: Any) -> Any:
    return None if isinstance(value, str) and not value.strip() else value


PlanDate = Annotated[date | None, BeforeValidator(parse_date)]
Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1)]
OptionalText = Annotated[Text | None, BeforeValidator(_blank_to_none)]


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Participant(_Model):
    name: Text
    role: Text


class Agreement(_Model):
    what: Text
    aim: OptionalText = None
    activities: OptionalText = None
    deadline: PlanDate = None
    responsible: OptionalText = None  # required, but checked in `check` to say so plainly
    follow_up: PlanDate = None  # required, likewise
    concerns: list[Text] = []  # after a GRUS: the employees this agreement is for; empty: the whole group
    notes: OptionalText = None


class Plan(_Model):
    catalogue: Annotated[str, StringConstraints(pattern=r"^[a-z0-9][a-z0-9-]*$")]
    type: Text
    date: PlanDate = None
    workplace: Text
    participants: list[Participant] = Field(min_length=1)
    agreements: list[Agreement] = Field(min_length=1)
    notes: OptionalText = None


@dataclass(frozen=True)
class LoadedPlan:
    plan: Plan
    path: Path
    data: Any
    catalogue: Loaded

    @property
    def settings(self):
        return self.catalogue.catalogue.plan

    @property
    def type(self):
        return next(t for t in self.catalogue.catalogue.conversation_types if t.id == self.plan.type)

    @property
    def individual_role(self) -> str | None:
        for rule in self.settings.individual_plans:
            if rule.type == self.plan.type:
                return rule.role
        return None

    def individuals(self) -> list[Participant]:
        role = self.individual_role
        if role is None:
            return []
        return [p for p in self.plan.participants if p.role.casefold() == role.casefold()]


def problem_at(data: Any, path: Path, loc: yamlio.Loc, message: str) -> Problem:
    line, col = yamlio.position(data, loc)
    return Problem(message, file=path, line=line, column=col, where=yamlio.where(data, loc) or None)


def catalogue_for(plan_data: Any, path: Path, catalogue: Path | None) -> Loaded:
    """The catalogue the plan names, or the one given; they must agree."""
    from .catalogue import load
    from .paths import CATALOGUES

    wanted = plan_data.get("catalogue") if isinstance(plan_data, dict) else None
    if catalogue is None:
        if not isinstance(wanted, str) or not re.fullmatch(r"[a-z0-9][a-z0-9-]*", wanted):
            return load(None)  # yamlio.validate reports the bad or missing key itself
        catalogue = CATALOGUES / f"{wanted}.yaml"
        if not catalogue.is_file():
            known = ", ".join(sorted(p.stem for p in CATALOGUES.glob("*.yaml")))
            raise SamtaleError(problem_at(plan_data, path, ("catalogue",),
                                          f"no built-in catalogue '{wanted}' (built in: {known}); give yours with --catalogue FILE"))
    loaded = load(catalogue)
    if isinstance(wanted, str) and wanted != loaded.catalogue.id:
        raise SamtaleError(problem_at(plan_data, path, ("catalogue",),
                                      f"the plan is for the catalogue '{wanted}', but {loaded.path.name} is '{loaded.catalogue.id}'"))
    if loaded.catalogue.plan is None:
        raise SamtaleError(Problem("the catalogue has no 'plan:' section with the words of the development plan; add one",
                                   file=loaded.path))
    return loaded


def load(path: Path, catalogue: Path | None = None) -> LoadedPlan:
    """Read, validate and check a plan; raise one SamtaleError listing every problem at its line."""
    path = Path(path)
    data = yamlio.read(path)
    if data is None:
        raise SamtaleError(Problem("the file is empty", file=path))
    loaded_catalogue = catalogue_for(data, path, catalogue)
    plan = yamlio.validate(Plan, data, path)
    loaded = LoadedPlan(plan, path, data, loaded_catalogue)
    problems = check(loaded)
    if problems:
        raise SamtaleError(problems)
    return loaded


def check(loaded: LoadedPlan) -> list[Problem]:
    """Rules across values: a known type, dates in order, someone responsible, known names."""
    plan, data = loaded.plan, loaded.data
    found: list[tuple[yamlio.Loc, str]] = []
    types = [t.id for t in loaded.catalogue.catalogue.conversation_types]
    if plan.type not in types:
        import difflib

        close = difflib.get_close_matches(plan.type.casefold(), types, n=1)
        hint = f"did you mean '{close[0]}'? " if close else ""
        found.append((("type",), f"'{plan.type}' is not a conversation type of the catalogue '{plan.catalogue}'; {hint}use one of: {', '.join(types)}"))
    if plan.date is None:
        found.append((("date",), "the date of the conversation is missing; write it as 2026-03-12, 12-03-2026 or 12.03.2026"))

    names = [p.name for p in plan.participants]
    slugs: dict[str, int] = {}
    for i, p in enumerate(plan.participants):
        if slug(p.name) in slugs:
            found.append((("participants", i, "name"), f"'{p.name}' is listed twice; each participant once"))
        slugs[slug(p.name)] = i

    individual_names: set[str] = set()
    if plan.type in types:
        role = loaded.individual_role
        if role is not None:
            individual_names = {p.name for p in loaded.individuals()}
            if not individual_names:
                found.append((("participants",), f"after a {loaded.type.code} every participant with the role '{role}' gets an individual plan; "
                                                  f"give the employees the role '{role}'"))

    for i, a in enumerate(plan.agreements):
        at = ("agreements", i)
        if a.responsible is None:
            key = "responsible" if isinstance(data["agreements"][i], dict) and "responsible" in data["agreements"][i] else None
            found.append(((*at, key) if key else at, "the agreement has no responsible person; write who is responsible under 'responsible:'"))
        if a.follow_up is None:
            key = "follow_up" if isinstance(data["agreements"][i], dict) and "follow_up" in data["agreements"][i] else None
            found.append(((*at, key) if key else at, "the agreement has no follow-up date; write when it is followed up under 'follow_up:'"))
        if plan.date is not None:
            if a.follow_up is not None and a.follow_up < plan.date:
                found.append(((*at, "follow_up"), f"the follow-up ({danish(a.follow_up)}) is before the conversation ({danish(plan.date)}); follow up after it"))
            if a.deadline is not None and a.deadline < plan.date:
                found.append(((*at, "deadline"), f"the deadline ({danish(a.deadline)}) is before the conversation ({danish(plan.date)})"))
        for j, name in enumerate(a.concerns):
            if name not in names:
                found.append(((*at, "concerns", j), f"'{name}' is not among the participants; use one of: {', '.join(names)}"))
            elif individual_names and name not in individual_names:
                found.append(((*at, "concerns", j), f"'{name}' does not get an individual plan; list only participants with the role '{loaded.individual_role}'"))
    return [problem_at(data, loaded.path, loc, message) for loc, message in found]


def danish(d: date | None) -> str:
    """A date as Danish readers write it: 12.03.2026."""
    return d.strftime("%d.%m.%Y") if d else ""


def slug(name: str) -> str:
    """A file-name part from a person's name: ASCII, lower case, hyphens; never a path."""
    table = str.maketrans({"æ": "ae", "ø": "oe", "å": "aa", "ä": "ae", "ö": "oe", "ü": "ue", "é": "e"})
    text = name.casefold().translate(table)
    return re.sub(r"[^a-z0-9]+", "-", text).strip("-") or "deltager"


# --- writing a plan to fill in -------------------------------------------------------------


def plan_yaml(loaded: Loaded, type_id: str, values: dict | None = None) -> str:
    """The YAML text of a plan, with the catalogue's words as comments beside each key.

    `values` fills it in (from a filled sheet); without it every value is left to fill in.
    """
    import io

    from ruamel.yaml import YAML
    from ruamel.yaml.comments import CommentedMap, CommentedSeq
    from ruamel.yaml.scalarstring import LiteralScalarString

    from .resolve import conversation_type

    cat = loaded.catalogue
    if cat.plan is None:
        raise SamtaleError(Problem("the catalogue has no 'plan:' section with the words of the development plan; add one", file=loaded.path))
    ctype = conversation_type(loaded, type_id)
    labels = cat.plan.labels
    values = values or {}
    individual_role = next((r.role for r in cat.plan.individual_plans if r.type == ctype.id), None)

    def text(value: Any) -> Any:
        if isinstance(value, str) and "\n" in value.strip():
            return LiteralScalarString(value.strip() + "\n")
        return value if value is not None else ""

    doc = CommentedMap()
    doc["catalogue"] = cat.id
    doc["type"] = ctype.id
    doc["date"] = values.get("date") or ""
    doc["workplace"] = text(values.get("workplace"))
    participants = CommentedSeq()
    given = values.get("participants")
    if not given:
        roles = list(ctype.participants)
        if individual_role:  # a group: room for two employees to start with
            roles = [individual_role, *roles]
        given = [{"name": "", "role": role} for role in roles]
    for p in given:
        participants.append(CommentedMap([("name", text(p.get("name"))), ("role", p.get("role", ""))]))
    doc["participants"] = participants
    agreements = CommentedSeq()
    for a in values.get("agreements") or [{}]:
        item = CommentedMap()
        for key in ("what", "aim", "activities", "deadline", "responsible", "follow_up"):
            item[key] = text(a.get(key))
            hint = " – 2026-03-12 or 12.03.2026" if key in ("deadline", "follow_up") else ""
            item.yaml_add_eol_comment(f"{getattr(labels, key)}{hint}", key)
        if individual_role:
            item["concerns"] = CommentedSeq(a.get("concerns") or [])
            item.yaml_add_eol_comment(f"{labels.concerns} – names; empty: all", "concerns")
        if a.get("notes"):
            item["notes"] = text(a.get("notes"))
        agreements.append(item)
    doc["agreements"] = agreements
    doc["notes"] = text(values.get("notes"))

    doc.yaml_add_eol_comment(f"{ctype.name} ({ctype.code})", "type")
    doc.yaml_add_eol_comment(f"{labels.date} – 2026-03-12 or 12.03.2026", "date")
    doc.yaml_add_eol_comment(labels.workplace, "workplace")
    doc.yaml_add_eol_comment(f"{labels.participants}: {labels.name}, {labels.role}", "participants")
    doc.yaml_add_eol_comment(f"{labels.agreements} – one item per agreement", "agreements")
    doc.yaml_add_eol_comment(labels.notes, "notes")
    header = [
        f"{labels.title} – {cat.municipality.name}, {ctype.name} ({ctype.code})",
        "",
        "Personal data: keep this file to yourself and the participants.",
        "Fill it in, then run: samtale plan render THIS-FILE",
        "Every agreement needs 'what', 'responsible' and 'follow_up'.",
    ]
    if individual_role:
        header.append(f"Each participant with the role '{individual_role}' also gets an individual plan.")
    doc.yaml_set_start_comment("\n".join(header))

    yaml = YAML(typ="rt")
    yaml.width = 100
    yaml.allow_unicode = True
    yaml.indent(mapping=2, sequence=4, offset=2)
    buffer = io.StringIO()
    yaml.dump(doc, buffer)
    return buffer.getvalue()


def write_private(path: Path, data: bytes, *, force: bool = False) -> Path:
    """Write a file only its owner can read; never over an existing file unless asked, never through a link."""
    from .render import write_atomic

    path = Path(path)
    if path.is_symlink():
        raise SamtaleError(f"{path} is a symbolic link; samtale writes plans only to ordinary files")
    if path.exists() and not force:
        raise SamtaleError(f"{path} exists already; choose another name or add --force to replace it")
    if path.exists() and path.is_dir():
        raise SamtaleError(f"{path} is a folder; give a file name")
    make_private_folder(path.parent)
    write_atomic(path, data, mode=0o600)
    return path


def make_private_folder(folder: Path) -> None:
    """Create `folder` (and missing parents) readable by its owner only; existing folders are left as they are."""
    missing = []
    current = Path(folder)
    while not current.exists():
        missing.append(current)
        current = current.parent
    for f in reversed(missing):
        f.mkdir(mode=0o700)
        os.chmod(f, 0o700)  # mkdir's mode is reduced by the umask
    if not Path(folder).is_dir():
        raise SamtaleError(f"{folder} is not a folder; choose a folder for the plan's files")


def new(path: Path, type_id: str, catalogue: Path | None = None, force: bool = False) -> Path:
    """Write a plan to fill in for a conversation of `type_id`."""
    from .catalogue import load as load_catalogue

    loaded = load_catalogue(catalogue)
    return write_private(path, plan_yaml(loaded, type_id).encode("utf-8"), force=force)


# --- reading a filled sheet back -----------------------------------------------------------


def import_filled(pdf: Path, out: Path | None = None, catalogue: Path | None = None, force: bool = False) -> tuple[Path, list[str]]:
    """Read a filled fillable sheet into a plan YAML beside it (or at `out`); returns the path and what to complete."""
    from pypdf import PdfReader
    from pypdf.errors import PdfReadError

    from .catalogue import load as load_catalogue
    from .forms import FIELD_NAMES
    from .paths import CATALOGUES

    import logging

    logging.getLogger("pypdf").setLevel(logging.CRITICAL)  # a bad file gets our one line, not pypdf's log
    pdf = Path(pdf)
    try:
        reader = PdfReader(pdf)
        fields = {name: _field_text(field.get("/V")) for name, field in (reader.get_fields() or {}).items()}
        meta = reader.metadata or {}
    except FileNotFoundError:
        raise SamtaleError(Problem("the file does not exist; check the path", file=pdf)) from None
    except (PdfReadError, OSError, ValueError) as err:
        raise SamtaleError(Problem(f"cannot read this PDF ({err}); give the filled sheet made by samtale --fillable", file=pdf)) from None
    if not fields:
        raise SamtaleError(Problem("the PDF has no form fields; fill in a sheet made with 'samtale render --fillable'", file=pdf))

    # The sheet says which catalogue and type it belongs to in its keywords: "MUS, albertslund, 2026.1".
    keywords = [k.strip() for k in str(meta.get("/Keywords") or "").split(",")]
    code, cat_id = (keywords + ["", ""])[:2]
    if catalogue is None:
        candidate = CATALOGUES / f"{cat_id}.yaml"
        if not cat_id or not candidate.is_file():
            raise SamtaleError(Problem(f"the sheet is from the catalogue '{cat_id or '?'}', which is not built in; give it with --catalogue FILE", file=pdf))
        catalogue = candidate
    loaded = load_catalogue(catalogue)
    ctype = next((t for t in loaded.catalogue.conversation_types if t.code == code or t.id == code.casefold()), None)
    if ctype is None:
        raise SamtaleError(Problem(f"the sheet is for '{code or '?'}', which is not a conversation type of {loaded.path.name}", file=pdf))

    values: dict[str, Any] = {"workplace": fields.get("arbejdsplads", ""), "date": _date_or_text(fields.get("dato", ""))}
    participants = []
    for i, role in enumerate(ctype.participants, 1):
        for name in re.split(r"[,;\n]+", fields.get(f"deltager_{i}", "")):
            if name.strip():
                participants.append({"name": name.strip(), "role": role})
    values["participants"] = participants

    agreements = []
    by_part = {v: k for k, v in FIELD_NAMES.items()}
    rows = sorted({int(m.group(1)) for name in fields if (m := re.fullmatch(r"aftale_(\d+)_\w+", name))})
    for r in rows:
        structured = {by_part[p]: fields.get(f"aftale_{r}_{p}", "") for p in by_part if f"aftale_{r}_{p}" in fields}
        if structured:  # a form with one column per part of an agreement
            agreement = {k: (_date_or_text(v) if k in ("deadline", "follow_up") else v) for k, v in structured.items()}
        else:  # the note sheet: the first prompt says what is agreed, the last who is responsible and when it is followed up
            prompts = [fields[n] for n in sorted((n for n in fields if re.fullmatch(rf"aftale_{r}_\d+", n)), key=lambda n: int(n.rsplit("_", 1)[1]))]
            what = "\n".join(p for p in prompts[:-1] if p) if len(prompts) > 1 else prompts[0]
            last = prompts[-1] if len(prompts) > 1 else ""
            deadline_dates = _dates_in(what)
            follow_dates = _dates_in(last)
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
    todo = []
    if not participants:
        todo.append("participants")
    if not values["date"]:
        todo.append("date")
    for n, a in enumerate(agreements, 1):
        missing = [k for k in ("what", "responsible", "follow_up") if not a.get(k)]
        if missing:
            todo.append(f"agreement {n}: {', '.join(missing)}")
    return path, todo


def _field_text(value: Any) -> str:
    return str(value).replace("\r\n", "\n").replace("\r", "\n").strip() if value is not None else ""


def _date_or_text(text: str) -> Any:
    try:
        return parse_date(text) or ""
    except ValueError:
        return text  # left as written; `plan render` points at it


def _dates_in(text: str) -> list[date]:
    found = []
    for match in DATE_IN_TEXT.finditer(text or ""):
        try:
            found.append(parse_date(match.group(1)))
        except ValueError:
            pass
    return found


def _without_dates(text: str) -> str:
    return re.sub(r"[\s,;.–-]+$", "", DATE_IN_TEXT.sub("", text or "")).strip(" ,;")


# --- rendering the plan --------------------------------------------------------------------


@dataclass(frozen=True)
class Document:
    """One plan PDF: the group's (or the only) plan, or one person's individual plan."""

    title: str
    person: Any  # Participant | None
    agreements: tuple  # (number, Agreement) pairs
    signers: tuple  # the participants named and signing: everyone, or the employee and the managers


def documents(loaded: LoadedPlan) -> list[tuple[str, Document]]:
    """(file stem suffix, document) for the plan and, after a GRUS, one individual plan per employee."""
    plan, labels = loaded.plan, loaded.settings.labels
    numbered = tuple(enumerate(plan.agreements, 1))
    result = [("", Document(labels.title, None, numbered, tuple(plan.participants)))]
    individuals = loaded.individuals()
    others = tuple(p for p in plan.participants if p not in individuals)
    for person in individuals:
        own = tuple((n, a) for n, a in numbered if not a.concerns or person.name in a.concerns)
        result.append((f"-{slug(person.name)}", Document(labels.individual_title, person, own, (person, *others))))
    return result


def follow_up_dates(agreements) -> list[tuple[date, list[int]]]:
    """Each follow-up date once, in order, with the numbers of the agreements followed up then."""
    dates: dict[date, list[int]] = {}
    for n, a in agreements:
        dates.setdefault(a.follow_up, []).append(n)
    return sorted(dates.items())


def render_pdf(loaded: LoadedPlan, document: Document) -> bytes:
    from .render import pdf_bytes, render_html
    from .resolve import resolve

    plan = loaded.plan
    material = replace(resolve(loaded.catalogue, plan.type), workplace=plan.workplace)
    context = {
        "m": material,
        "title": document.title if document.person is None else f"{document.title} – {document.person.name}",
        "created": f"{plan.date.isoformat()}T00:00:00+00:00",
        "labels": loaded.settings.labels,
        "plan": plan,
        "date": danish(plan.date),
        "document": document,
        "rows": [
            {"number": n, "a": a, "deadline": danish(a.deadline), "follow_up": danish(a.follow_up), "concerns": ", ".join(a.concerns)}
            for n, a in document.agreements
        ],
        "follow_ups": [(danish(d), ", ".join(map(str, ns))) for d, ns in follow_up_dates(document.agreements)],
        "show_concerns": loaded.individual_role is not None and document.person is None,
    }
    html = render_html("plan.html.j2", context)
    return pdf_bytes(html, roots=[loaded.catalogue.folder], base=loaded.catalogue.folder, variant=PDF_VARIANT)


def calendar(loaded: LoadedPlan) -> bytes:
    """One all-day event per agreement on its follow-up date, each with a reminder before it."""
    from icalendar import Alarm, Calendar, Event

    plan, labels, settings = loaded.plan, loaded.settings.labels, loaded.settings
    ctype = loaded.type
    cal = Calendar()
    cal.add("prodid", "-//samtale//udviklingsplan//DA")
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", "PUBLISH")
    identity = f"{plan.catalogue}|{plan.type}|{plan.date}|{plan.workplace}|{'|'.join(p.name for p in plan.participants)}"
    for n, a in enumerate(plan.agreements, 1):
        event = Event()
        uid = hashlib.sha256(f"{identity}|{n}|{a.what}".encode()).hexdigest()[:24]
        event.add("uid", f"{uid}@samtale")
        # Fixed to the conversation's date, so the same plan gives the same file.
        event.add("dtstamp", datetime(plan.date.year, plan.date.month, plan.date.day))
        event.add("dtstart", a.follow_up)
        event.add("dtend", a.follow_up + timedelta(days=1))
        event.add("summary", f"{labels.reminder}: {a.what}")
        details = [
            f"{ctype.name} ({ctype.code}), {danish(plan.date)} – {plan.workplace}",
            *(_labelled(getattr(labels, key), value) for key, value in (
                ("aim", a.aim), ("activities", a.activities), ("deadline", danish(a.deadline)),
                ("responsible", a.responsible), ("concerns", ", ".join(a.concerns)),
            ) if value),
        ]
        event.add("description", "\n".join(details))
        event.add("categories", [ctype.code])
        event.add("transp", "TRANSPARENT")
        alarm = Alarm()
        alarm.add("action", "DISPLAY")
        alarm.add("description", f"{labels.reminder}: {a.what}")
        alarm.add("trigger", timedelta(days=-settings.reminder_days))
        event.add_component(alarm)
        cal.add_component(event)
    return cal.to_ical()


def _labelled(label: str, value: str) -> str:
    """'Mål: X', but 'Hvem har ansvar? X' when the label is a question."""
    return f"{label} {value}" if label.endswith(("?", ":")) else f"{label}: {value}"


def render(loaded: LoadedPlan, out: Path | None = None) -> list[Path]:
    """Write the plan PDF/A(s) and the .ics into `out` (default: the plan's folder), owner-only."""
    folder = Path(out) if out is not None else loaded.path.parent
    make_private_folder(folder)
    root = folder.resolve()
    stem = slug(loaded.path.stem)
    written = []
    outputs = [(f"{stem}{suffix}.pdf", lambda d=document: render_pdf(loaded, d)) for suffix, document in documents(loaded)]
    outputs.append((f"{stem}.ics", lambda: calendar(loaded)))
    for name, make in outputs:
        target = folder / name
        if target.resolve().parent != root:  # names are slugs; this guards the rule, whatever changes
            raise SamtaleError(f"refusing to write {target}: it lies outside {folder}")
        written.append(write_private(target, make(), force=True))
    return written
