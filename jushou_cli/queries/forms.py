"""What a paper form holds (`jushou form KIND [CASE]`): the labels and choices of the national
自立相談支援機関使用標準様式 as jushou's records name them, blank, or filled in with one case's
non-personal fields. Personal fields (氏名, 住所 …) are filled only when `reveal` is asked; free
text is scrubbed of the case's personal values as in every other output (model/redaction.py)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from jushou_cli.model import labels
from jushou_cli.model.contract import schema_files
from jushou_cli.model.dates import wareki
from jushou_cli.model.records import Case, Plan, Repository
from jushou_cli.model.redaction import scrub, values_of

KINDS = {
    "referral": "つなぐシート",
    "intake": "インテーク・アセスメントシート",
    "plan": "プラン",
    "evaluation": "評価シート",
}
ALIASES = {"つなぐシート": "referral", "インテーク": "intake", "プラン": "plan", "評価": "evaluation"}


def _areas() -> tuple[tuple[str, str], ...]:
    """The intake sheet's 領域 (areas), in the schema's order with its titles."""
    schema = schema_files()["intake_assessment.schema.json"]
    areas = schema["properties"]["areas"].get("properties", {})
    return tuple((key, str(value.get("title", key))) for key, value in areas.items())


CASE_KEYS = ("id", "pseudonym", "intake_date", "coordinator", "from", "chief_complaint", "made_on")
PERSON_KEYS = ("name", "kana", "birth_date", "gender", "address", "phone")


def _blank(keys: tuple[str, ...]) -> dict[str, str]:
    """Every key a template reads, empty (a template's undefined value is an error)."""
    return dict.fromkeys(keys, "")


@dataclass(frozen=True, slots=True)
class Choice:
    label: str
    checked: bool = False


@dataclass(frozen=True, slots=True)
class GoalLine:
    id: str
    text: str
    term: str


@dataclass(frozen=True, slots=True)
class FormContent:
    kind: str
    title: str
    town: str
    office: str
    reveal: bool
    case: dict[str, str] = field(default_factory=lambda: _blank(CASE_KEYS))  # non-personal, shown
    person: dict[str, str] = field(default_factory=lambda: _blank(PERSON_KEYS))  # empty unless reveal
    routes: tuple[Choice, ...] = ()
    issues: tuple[Choice, ...] = ()
    areas: tuple[tuple[str, str], ...] = ()
    urgency: tuple[Choice, ...] = ()
    results: tuple[str, ...] = ()
    next_steps: tuple[Choice, ...] = ()
    goals: tuple[GoalLine, ...] = ()  # the plan evaluated (evaluation), or the plan replaced
    plan_version: int | None = None


def kind_of(given: str) -> str | None:
    return given if given in KINDS else ALIASES.get(given)


def _choices(enum: str, chosen: tuple[str, ...] | list[str] = ()) -> tuple[Choice, ...]:
    return tuple(Choice(label, code in chosen) for code, label in labels.enum(enum).items())


def _plans(case: Case) -> list[Plan]:
    return sorted((s for s in case.sheets if isinstance(s, Plan)), key=lambda p: p.version or 0)


def build(repo: Repository, kind: str, case: Case | None, reveal: bool, today: date) -> FormContent:
    town = repo.config.town if repo.config else ""
    office = repo.config.office if repo.config else ""
    if case is None:
        return FormContent(
            kind,
            KINDS[kind],
            town,
            office,
            reveal,
            routes=_choices("route"),
            issues=_choices("issue"),
            areas=_areas(),
            urgency=_choices("urgency"),
            results=tuple(labels.enum("evaluation_result").values()),
            next_steps=_choices("evaluation_next"),
        )
    personal = set() if reveal else values_of([case])
    coordinator = repo.member(case.coordinator)
    origin = repo.organization(case.intake_from)
    shown = {
        "id": case.id,
        "pseudonym": case.pseudonym or "",
        "intake_date": wareki(case.intake_date) if case.intake_date else "",
        "coordinator": coordinator.name if coordinator else (case.coordinator or ""),
        "from": origin.name if origin else "",
        "chief_complaint": scrub(case.chief_complaint or "", personal),
        "made_on": wareki(today),
    }
    person = _blank(PERSON_KEYS)
    if reveal and case.person is not None:
        p = case.person
        person = {
            "name": p.name or "",
            "kana": p.kana or "",
            "birth_date": wareki(p.born) if p.born else (p.birth_date or ""),
            "gender": p.gender or "",
            "address": p.address or "",
            "phone": p.phone or "",
        }
    plans = _plans(case)
    goals: tuple[GoalLine, ...] = ()
    version: int | None = None
    if kind == "evaluation" and plans:
        latest = plans[-1]
        version = latest.version
        goals = tuple(GoalLine(g.id or "", scrub(g.text or "", personal), g.term or "") for g in latest.goals)
    elif kind == "plan":
        version = (plans[-1].version or len(plans)) + 1 if plans else 1
    return FormContent(
        kind,
        KINDS[kind],
        town,
        office,
        reveal,
        case=shown,
        person=person,
        routes=_choices("route", [case.route] if case.route else []),
        issues=_choices("issue", list(case.issues)),
        areas=_areas(),
        urgency=_choices("urgency"),
        results=tuple(labels.enum("evaluation_result").values()),
        next_steps=_choices("evaluation_next"),
        goals=goals,
        plan_version=version,
    )
