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
from ..core.i18n import _
from ..core.text import slugify
from ..source import catalogue as catalogues
from ..source import settings, yamlio
from ..source.catalogue import Loaded
from ..source.models import ConversationType, Id, IndividualPlans, PlanSettings

PDF_VARIANT = "pdf/a-2u"
DATE_FORMATS = ("%Y-%m-%d", "%d-%m-%Y", "%d.%m.%Y")
DATE_IN_TEXT = re.compile(r"(?<![\d.-])(\d{4}-\d{1,2}-\d{1,2}|\d{1,2}[.-]\d{1,2}[.-]\d{4})(?![\d])")


# --- the plan file -------------------------------------------------------------------------


YEARS = (2000, 2100)  # a development plan is made and followed up within these


def parse_date(value: Any) -> date | None:
    """A date from YAML: ISO dates arrive as dates; Danish dd-mm-yyyy and dd.mm.yyyy arrive as text."""
    if value is None or value == "":
        return None
    if isinstance(value, datetime):
        found = value.date()
    elif isinstance(value, date):
        found = value
    else:
        text = str(value).strip()[:40]
        for fmt in DATE_FORMATS:
            try:
                found = datetime.strptime(text, fmt).date()
                break
            except ValueError:
                continue
        else:
            raise ValueError(_("'{text}' is not a date; write it as 2026-03-12, 12-03-2026 or 12.03.2026").format(text=text))
    if not YEARS[0] <= found.year <= YEARS[1]:
        raise ValueError(_("{date} is not a date a plan can have (between {first} and {last}); check the year").format(date=found.isoformat(), first=YEARS[0], last=YEARS[1]))
    return found


def date_or_none(value: Any) -> date | None:
    """`parse_date`, or None where it finds no date (the model reports that problem itself)."""
    try:
        return parse_date(value)
    except ValueError:
        return None


def _blank_to_none(value: Any) -> Any:
    return None if isinstance(value, str) and not value.strip() else value


PlanDate = Annotated[date | None, BeforeValidator(parse_date)]
# What fits the plan's table: a name or a role on a line, an agreement's parts in a cell.
Name = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=120)]
Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=1500)]
OptionalName = Annotated[Name | None, BeforeValidator(_blank_to_none)]
OptionalText = Annotated[Text | None, BeforeValidator(_blank_to_none)]
Notes = Annotated[Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=4000)] | None,
                  BeforeValidator(_blank_to_none)]


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Participant(_Model):
    name: Name
    role: Name


class Agreement(_Model):
    what: Text
    aim: OptionalText = None
    activities: OptionalText = None
    deadline: PlanDate = None
    responsible: OptionalName = None  # required, but checked in `check` to say so plainly
    follow_up: PlanDate = None  # required, likewise
    concerns: list[Name] = Field(default=[], max_length=100)  # after a GRUS: the employees it is for; empty: the group
    notes: OptionalText = None


class Plan(_Model):
    catalogue: Id
    type: Name
    date: PlanDate = None
    workplace: Name
    participants: list[Participant] = Field(min_length=1, max_length=100)
    agreements: list[Agreement] = Field(min_length=1, max_length=50)
    notes: Notes = None


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
    def individual_rule(self) -> IndividualPlans | None:
        return individual_rule(self.settings, self.plan.type)

    @property
    def individual_role(self) -> str | None:
        rule = self.individual_rule
        return rule.role if rule else None

    def individuals(self) -> list[Participant]:
        rule = self.individual_rule
        return [p for p in self.plan.participants if rule is not None and is_individual(rule, p.role)]


def individual_rule(settings: PlanSettings | None, type_id: str) -> IndividualPlans | None:
    """The catalogue's rule that this conversation type gives each employee an individual plan, if it has one."""
    return next((r for r in settings.individual_plans if r.type == type_id), None) if settings else None


def is_individual(rule: IndividualPlans, role: Any) -> bool:
    """A person with this role gets an individual plan; the group's plural ("Medarbejdere") is read as the singular."""
    return isinstance(role, str) and role.strip().casefold() in {rule.role.casefold(), (rule.group or rule.role).casefold()}


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
                                            _("the plan is for the catalogue '{wanted}', but {name} is '{id}'; give the plan's own catalogue with --catalogue").format(wanted=wanted, name=loaded.path.name, id=loaded.catalogue.id)))
    if loaded.catalogue.plan is None:
        raise SamtaleError(Problem(_("the catalogue has no 'plan:' section with the words of the development plan; add one"),
                                   file=loaded.path))
    return loaded


def load(path: Path, catalogue: Path | None = None) -> LoadedPlan:
    """Read, validate and check a plan; raise one SamtaleError listing every problem of the file at its line."""
    document = yamlio.read(Path(path))
    if document.data is None:
        raise SamtaleError(Problem(_("the file is empty; write the plan with 'samtale plan new FILE' and fill it in"), file=document.path))
    if not isinstance(document.data, dict):
        raise SamtaleError(document.problem((), _("a plan is a set of keys (catalogue, type, date, workplace, participants, "
                                                "agreements); write it with 'samtale plan new FILE'")))
    loaded_catalogue = catalogue_for(document, catalogue)
    problems = check(document, loaded_catalogue)
    try:
        plan = yamlio.validate(Plan, document)
    except SamtaleError as err:
        problems = err.problems + [p for p in problems if p not in err.problems]
    if problems:
        raise SamtaleError(sorted(problems, key=lambda p: (p.line or 0, p.column or 0)))
    return LoadedPlan(plan, document, loaded_catalogue)


def check(document: yamlio.Document, loaded: Loaded) -> list[Problem]:
    """Rules across values, read from the file as written (so they are found together with the model's):
    a known type, dates in order, someone responsible, known names."""
    data = document.data
    found: list[tuple[yamlio.Loc, str]] = []
    types = [t.id for t in loaded.catalogue.conversation_types]
    type_id = data.get("type")
    if isinstance(type_id, str) and type_id.strip() not in types:
        close = difflib.get_close_matches(type_id.casefold(), types, n=1)
        hint = _("did you mean '{suggestion}'? ").format(suggestion=close[0]) if close else ""
        found.append((("type",), _("'{type}' is not a conversation type of the catalogue '{id}'; {hint}use one of: {types}").format(type=type_id, id=loaded.catalogue.id, hint=hint, types=", ".join(types))))
    raw_date = data.get("date")
    when = date_or_none(raw_date)
    if raw_date in (None, ""):
        found.append((("date",), _("the date of the conversation is missing; write it as 2026-03-12, 12-03-2026 or 12.03.2026")))

    people = [p for p in _items(data.get("participants")) if isinstance(p.get("name"), str) and p["name"].strip()]
    names = [p["name"].strip() for p in people]
    seen: dict[str, int] = {}
    for i, p in enumerate(_items(data.get("participants"))):
        name = p.get("name")
        if isinstance(name, str) and name.strip():
            if slug(name) in seen:
                found.append((("participants", i, "name"), _("'{name}' is listed twice; each participant once").format(name=name)))
            seen[slug(name)] = i

    rule = individual_rule(loaded.catalogue.plan, type_id) if isinstance(type_id, str) else None
    individual_names = {p["name"].strip() for p in people if rule is not None and is_individual(rule, p.get("role"))}
    if rule is not None and people and not individual_names:
        found.append((("participants",), _("after this conversation every employee gets an individual plan; "
                                         "give each employee the role '{role}'").format(role=rule.role)))

    for i, a in enumerate(_items(data.get("agreements"))):
        at = ("agreements", i)
        for key, missing in (("responsible", _("the agreement has no responsible person; write who is responsible under 'responsible:'")),
                             ("follow_up", _("the agreement has no follow-up date; write when it is followed up under 'follow_up:'"))):
            if a.get(key) in (None, "") or (isinstance(a.get(key), str) and not a[key].strip()):
                found.append(((*at, key) if key in a else at, missing))
        follow_up, deadline = date_or_none(a.get("follow_up")), date_or_none(a.get("deadline"))
        if when is not None:
            if follow_up is not None and follow_up < when:
                found.append(((*at, "follow_up"), _("the follow-up ({follow_up}) is before the conversation ({date}); follow up after it").format(follow_up=danish(follow_up), date=danish(when))))
            if deadline is not None and deadline < when:
                found.append(((*at, "deadline"), _("the deadline ({deadline}) is before the conversation ({date}); give a later deadline").format(deadline=danish(deadline), date=danish(when))))
        concerns = a.get("concerns")
        for j, name in enumerate(concerns if isinstance(concerns, list) else []):
            if not isinstance(name, str):
                continue
            if name.strip() not in names:
                found.append(((*at, "concerns", j), _("'{name}' is not among the participants; use one of: {names}").format(name=name, names=", ".join(names))))
            elif individual_names and name.strip() not in individual_names and rule is not None:
                found.append(((*at, "concerns", j), _("'{name}' does not get an individual plan; list only participants with the role '{role}'").format(name=name, role=rule.role)))
    return [document.problem(loc, message) for loc, message in found]


def _items(value: Any) -> list[dict[str, Any]]:
    """The mappings of a list as written (anything else is the model's to report)."""
    return [item if isinstance(item, dict) else {} for item in value] if isinstance(value, list) else []


def danish(d: date | None) -> str:
    """A date as Danish readers write it: 12.03.2026."""
    return d.strftime("%d.%m.%Y") if d else ""


def slug(name: str) -> str:
    """A file-name part from a person's name: ASCII, lower case, hyphens; never a path."""
    return slugify(name) or "deltager"
