"""The development plan for the personnel file: PDF/A documents and a calendar of follow-ups.

Plans hold personal data: everything is written owner-only (files 0o600, new
folders 0o700), only inside the folder the user chose, and nothing is sent anywhere.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

from ..batch import Layout, render_each
from ..core.errors import Problem, SamtaleError
from ..core.i18n import _
from ..geometry.paper import paper
from ..material import resolve
from ..press import jinja, pdf
from ..press.writer import make_private_folder, write_private
from ..products.base import house_colours, page
from .model import LoadedPlan, danish, slug


@dataclass(frozen=True)
class Document:
    """One plan PDF: the group's (or the only) plan, or one person's individual plan."""

    title: str
    person: Any  # Participant | None
    agreements: tuple  # (number, Agreement) pairs
    signers: tuple  # the participants named and signing: everyone, or the employee and the managers


def documents(loaded: LoadedPlan, warnings: list[str] | None = None) -> list[tuple[str, Document]]:
    """(file stem suffix, document) for the plan and, after a GRUS, one individual plan per employee.

    An employee with no agreement of their own gets no empty plan: a line in `warnings` says so.
    """
    plan, labels = loaded.plan, loaded.settings.labels
    numbered = tuple(enumerate(plan.agreements, 1))
    result = [("", Document(labels.title, None, numbered, tuple(plan.participants)))]
    individuals = loaded.individuals()
    others = tuple(p for p in plan.participants if p not in individuals)
    for person in individuals:
        own = tuple((n, a) for n, a in numbered if not a.concerns or person.name in a.concerns)
        if not own:
            if warnings is not None:
                warnings.append(_("{file}: {name} has no agreement, so no individual plan was made; "
                                "add the name under 'concerns' of an agreement, or leave 'concerns' empty for the whole group").format(file=loaded.path, name=person.name))
            continue
        result.append((f"-{slug(person.name)}", Document(labels.individual_title, person, own, (person, *others))))
    return result


def follow_up_dates(agreements) -> list[tuple[date, list[int]]]:
    """Each follow-up date once, in order, with the numbers of the agreements followed up then."""
    dates: dict[date, list[int]] = {}
    for n, a in agreements:
        dates.setdefault(a.follow_up, []).append(n)
    return sorted(dates.items())


def layout(loaded: LoadedPlan, document: Document, name: str = "plan.pdf") -> Layout:
    """The plan's document as HTML, to be laid out as the PDF `name`."""
    plan = loaded.plan
    material = replace(resolve(loaded.catalogue, plan.type), workplace=plan.workplace)
    context = {
        "m": material,
        "page": page(paper("a4", landscape=True)),
        "house": house_colours("office"),
        "page_bleed": 0.0,
        "logo": "",
        "hyphenation": material.hyphenation,
        "lang": material.lang,
        "title": document.title if document.person is None else f"{document.title} – {document.person.name}",
        "created": f"{loaded.date.isoformat()}T00:00:00+00:00",
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
    html = jinja.render("plan.html.j2", context)
    # PDF/A-2u: an archival PDF (ISO 19005-2) whose text is all Unicode-mapped, so names with æ, ø and å stay
    # searchable in the personnel file; it also declares PDF/UA-1. See the README. Laid out in a worker (`render`),
    # within the time limit.
    return Layout(html, name, variant=pdf.ARCHIVAL)


def calendar(loaded: LoadedPlan) -> bytes:
    """One all-day event per agreement on its follow-up date, each with a reminder before it."""
    from icalendar import Alarm, Calendar, Event  # lazy: only a plan writes a calendar

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
        event.add("dtstamp", datetime(loaded.date.year, loaded.date.month, loaded.date.day))
        follow_up = a.follow_up
        assert follow_up is not None  # check() refuses an agreement without one
        event.add("dtstart", follow_up)
        event.add("dtend", follow_up + timedelta(days=1))
        # The title names the person and the conversation: 20 plans must not give 20 identical entries.
        title = f"{labels.reminder} – {ctype.code}, {_whom(loaded, a)}: {a.what}"
        event.add("summary", title)
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
        alarm.add("description", title)
        alarm.add("trigger", timedelta(days=-settings.reminder_days))
        event.add_component(alarm)
        cal.add_component(event)
    return cal.to_ical()


def _whom(loaded: LoadedPlan, agreement: Any) -> str:
    """Whom an agreement is about: the people it names, else the employee (the manager, after a LUS); after a
    group's conversation, the group's workplace."""
    if agreement.concerns:
        return ", ".join(agreement.concerns)
    keeper = loaded.type.participants[-1].casefold()  # the manager, who keeps the plan, is named last
    people = [p.name for p in loaded.plan.participants if p.role.casefold() != keeper]
    if loaded.individual_role is None and people:
        return ", ".join(people)
    return loaded.plan.workplace


def _labelled(label: str, value: str) -> str:
    """'Mål: X', but 'Hvem har ansvar? X' when the label is a question."""
    return f"{label} {value}" if label.endswith(("?", ":")) else f"{label}: {value}"


def render(loaded: LoadedPlan, out: Path | None = None, *, force: bool = False, timeout: float = 60.0) -> tuple[list[Path], list[str]]:
    """Write the plan PDF/A(s) and the .ics into `out` (default: the plan's folder), owner-only.

    Nothing is written over an existing file unless `force`: every target is checked before the first is
    written, so a refusal leaves no half set. Returns the files written and the warnings to show.
    """
    folder = Path(out) if out is not None else loaded.path.parent
    warnings: list[str] = []
    stem = slug(loaded.path.stem)
    layouts = [layout(loaded, document, f"{stem}{suffix}.pdf") for suffix, document in documents(loaded, warnings)]
    names = [task.name for task in layouts] + [f"{stem}.ics"]
    targets = [folder / name for name in names]
    for target in targets:
        if target.is_symlink():
            raise SamtaleError(Problem(_("a symbolic link is in the way; samtale writes plans only to ordinary files, "
                                       "so remove the link or choose another folder with --out"), file=target))
        if target.exists() and not force:
            raise SamtaleError(Problem(_("the file exists already (nothing was written); add --force to replace the plan's "
                                       "files, or choose another folder with --out"), file=target))
    make_private_folder(folder)
    # All made before any is written, the PDFs one after another in one worker.
    made = [files[task.name] for task, files in zip(layouts, render_each([(task, task.name) for task in layouts], timeout))]
    made.append(calendar(loaded))
    return [write_private(target, data, force=True) for target, data in zip(targets, made)], warnings
