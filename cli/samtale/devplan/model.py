"""The documented development plan's file: its typed shape, and the rules a filled-in plan must keep.

A plan is what was agreed in one conversation: the type, date, workplace,
participants and the agreements (what, aim, activities, deadline, who is
responsible, when it is followed up). Every Danish word printed about it comes
from the catalogue's `plan:` section.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Annotated, Any

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, StringConstraints

from ..core.errors import Problem, SamtaleError
from ..core.text import slugify
from ..source import catalogue as catalogues
from ..source import settings, yamlio
from ..source.catalogue import Loaded
from ..source.models import ConversationType, Id, PlanSettings

PDF_VARIANT = "pdf/a-2u"
DATE_FORMATS = ("%Y-%m-%d", "%d-%m-%Y", "%d.%m.%Y")
DATE_IN_TEXT = re.compile(r"(?<![\d.-])(\d{4}-\d{1,2}-\d{1,2}|\d{1,2}[.-]\d{1,2}[.-]\d{4})(?![\d])")


# --- the plan file -------------------------------------------------------------------------


def parse_date(value: Any) -> date | None:
    """A date from YAML: ISO dates arrive as dates; Danish dd-mm-yyyy and dd.mm.yyyy arrive as text."""
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
    catalogue: Id
    type: Text
    date: PlanDate = None
    workplace: Text
    participants: list[Participant] = Field(min_length=1)
    agreements: list[Agreement] = Field(min_length=1)
    notes: OptionalText = None


@dataclass(frozen=True)
class LoadedPlan:
    plan: Plan
    document: yamlio.Document
    catalogue: Loaded

    @property
    def path(self) -> Path:
        return self.document.path

    @property
    def date(self) -> date:
        """The conversation's date (a plan without one is refused by `check`)."""
        assert self.plan.date is not None
        return self.plan.date

    @property
    def settings(self) -> PlanSettings:
        assert self.catalogue.catalogue.plan is not None  # checked by catalogue_for
        return self.catalogue.catalogue.plan

    @property
    def type(self) -> ConversationType:
        return self.catalogue.conversation_type(self.plan.type)

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


def catalogue_for(document: yamlio.Document, catalogue: Path | None) -> Loaded:
    """The catalogue the plan names, or the one given; they must agree."""
    data = document.data
    wanted = data.get("catalogue") if isinstance(data, dict) else None
    if catalogue is None:
        if not isinstance(wanted, str) or not re.fullmatch(r"[a-z0-9][a-z0-9-]*", wanted):
            return catalogues.load(None)  # yamlio.validate reports the bad or missing key itself
        try:  # the working folder's catalogue of that id, or the built-in one
            catalogue = settings.locate(wanted)
        except SamtaleError as err:
            raise SamtaleError(document.problem(("catalogue",), err.problems[0].message)) from None
    loaded = catalogues.load(catalogue)
    if isinstance(wanted, str) and wanted != loaded.catalogue.id:
        raise SamtaleError(document.problem(("catalogue",),
                                            f"the plan is for the catalogue '{wanted}', but {loaded.path.name} is '{loaded.catalogue.id}'"))
    if loaded.catalogue.plan is None:
        raise SamtaleError(Problem("the catalogue has no 'plan:' section with the words of the development plan; add one",
                                   file=loaded.path))
    return loaded


def load(path: Path, catalogue: Path | None = None) -> LoadedPlan:
    """Read, validate and check a plan; raise one SamtaleError listing every problem at its line."""
    document = yamlio.read(Path(path))
    if document.data is None:
        raise SamtaleError(Problem("the file is empty; write the plan with 'samtale plan new FILE' and fill it in", file=document.path))
    loaded_catalogue = catalogue_for(document, catalogue)
    plan = yamlio.validate(Plan, document)
    loaded = LoadedPlan(plan, document, loaded_catalogue)
    problems = check(loaded)
    if problems:
        raise SamtaleError(problems)
    return loaded


def check(loaded: LoadedPlan) -> list[Problem]:
    """Rules across values: a known type, dates in order, someone responsible, known names."""
    plan, data = loaded.plan, loaded.document.data
    found: list[tuple[yamlio.Loc, str]] = []
    types = [t.id for t in loaded.catalogue.catalogue.conversation_types]
    if plan.type not in types:
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
    return [loaded.document.problem(loc, message) for loc, message in found]


def danish(d: date | None) -> str:
    """A date as Danish readers write it: 12.03.2026."""
    return d.strftime("%d.%m.%Y") if d else ""


def slug(name: str) -> str:
    """A file-name part from a person's name: ASCII, lower case, hyphens; never a path."""
    return slugify(name) or "deltager"
