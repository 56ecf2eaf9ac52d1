"""Meeting handouts (配布資料): what goes on them and who may see which item.

A handout is the meeting's Agenda (`agenda.meeting_agenda`, built once per meeting and never
rebuilt) with, beside each item, what the members need about the case: a profile, the timeline
(`queries.caseload.timeline`), the current plan's 役割分担, the 9マスシート and the latest
evaluation, all as of the meeting date. Which files a run writes, where, and their manifest are
`render/handout_files.py`'s; rendering is `render/handout.py`'s.

Redaction: by default only pseudonyms and fields the schemas do not mark `x-personal` appear.
`reveal` adds the personal fields (`schema.personal_paths("case")`: person.* and a household
member's name), and the templates then mark every page.

Who may see which item (`visible_items`): at a 支援会議 (法第106条の6) whoever takes part in the
item; at any other meeting only an organization that the case's consent, in force on the
meeting date, covers (a 重層的支援会議 shares with consent only). `--for ORG` keeps the items ORG
may see; `--per-attendee` makes one numbered copy per attendee with the items that attendee may
see.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, replace
from pathlib import Path

from jushou_cli.model.contract import is_personal, personal_paths, property_schema
from jushou_cli.model.dates import iso_date, wareki
from jushou_cli.model.labels import label
from jushou_cli.model.records import Case, Meeting, Repository, StrengthsGrid
from jushou_cli.model.status import status_label
from jushou_cli.queries.agenda import SUPPORT, concern_values, redacted
from jushou_cli.queries.agenda_content import evaluation_view, organization, plan_view
from jushou_cli.queries.agenda_view import (
    Agenda,
    AgendaError,
    Closure,
    EvaluationView,
    NothingToShow,
    PlanCreation,
    PlanView,
    Replan,
    Section,
)
from jushou_cli.queries.caseload import timeline
from jushou_cli.queries.prose import fold, prose

# 9マスシート: the eight cells go clockwise from the top-left (RECORDS.md), around the centre.
GRID_POSITIONS = ((0, 0), (0, 1), (0, 2), (1, 2), (2, 2), (2, 1), (2, 0), (1, 0))
_ISO_IN_TEXT = re.compile(r"\b(\d{4}-\d{2}-\d{2})\b")
_SHEET_FILE = re.compile(r"/\d{4}-\d{2}-\d{2}-([a-z_]+?)(?:-\d+)?\.yaml$")


class HandoutError(AgendaError):
    """A handout that cannot be written (exit 1): nothing left for a recipient, a target that
    exists or is tracked by git."""


# --- what was asked ------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Request:
    audience: str | None = None  # organization id (--for)
    per_attendee: bool = False
    reveal: bool = False
    fmt: str = "pdf"


@dataclass(frozen=True, slots=True)
class Recipient:
    member: str  # member id
    name: str
    organization: str  # the organization's name
    number: int  # No. k …
    total: int  # … of N copies

    @property
    def label(self) -> str:
        return f"{self.organization} {self.name} No. {self.number}/{self.total}"


@dataclass(frozen=True, slots=True)
class Copy:
    recipient: Recipient | None
    items: tuple[int, ...]  # the agenda's section numbers this copy shows
    path: Path


# --- what a handout shows ------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class PersonalField:
    key: str  # person.name …
    label: str  # 氏名 …
    value: str


@dataclass(frozen=True, slots=True)
class HouseholdMember:
    relation: str
    pseudonym: str
    notes: str | None
    name: str | None  # only when revealed


@dataclass(frozen=True, slots=True)
class TimelineLine:
    date: dt.date
    what: str
    detail: str
    source: str  # what it was read from: case, record, meeting, or the sheet's kind


@dataclass(frozen=True, slots=True)
class GridCell:
    area: str  # 本人 家族 地域 関係機関 (empty for the centre)
    text: str
    center: bool = False


@dataclass(frozen=True, slots=True)
class GridView:
    date: dt.date | None
    rows: tuple[tuple[GridCell, GridCell, GridCell], ...]  # 3 rows of 3, the issue in the middle


@dataclass(frozen=True, slots=True)
class CaseFile:
    """What the handout shows of one case beside its agenda item, as of the meeting date."""

    case_id: str
    pseudonym: str
    status: str
    route: str  # 相談経路 (and the organization it came from)
    intake: dt.date | None
    issues: tuple[str, ...]
    chief_complaint: str | None
    household: tuple[HouseholdMember, ...]
    personal: tuple[PersonalField, ...]  # empty unless revealed
    timeline: tuple[TimelineLine, ...]
    plan: PlanView | None  # the current plan
    plan_in_agenda: bool  # the item's own material shows that plan already
    grid: GridView | None
    evaluation: EvaluationView | None  # the latest evaluation
    evaluation_in_agenda: bool


@dataclass(frozen=True, slots=True)
class Item:
    section: Section
    case: CaseFile | None  # None for a 気になる事案 (no case file: it is not a case)


@dataclass(frozen=True, slots=True)
class Handout:
    agenda: Agenda  # sections: only the items this copy shows
    items: tuple[Item, ...]
    title: str  # PDF metadata: no person's name, ever
    subject: str
    author: str
    running_head: str  # top of every page: town, meeting type, date in 和暦
    resources_number: int  # the number of the 社会資源の検討 item (after the meeting's cases)
    collect_after: bool  # 支援会議: 「会議終了後回収」
    reveal: bool
    audience: str | None  # the organization's name (--for)
    recipient: Recipient | None


# --- who may see what ----------------------------------------------------------------------------


def visible_items(
    repo: Repository, meeting: Meeting, organization: str | None = None, member: str | None = None
) -> tuple[int, ...]:
    """The numbers (1-based) of the items `organization`, or the attendee `member`, may see.

    支援会議: the item is shared with whoever takes part in it (the law binds them by 守秘義務), so
    an organization sees it when one of its members is present for it. Any other meeting: only
    with the case's consent, in force on the meeting date, covering the organization (and, for
    an attendee, only the items they are present for)."""
    if member is not None:
        known = repo.member(member)
        organization = known.organization if known else None
    shown = []
    for number, item in enumerate(meeting.items, start=1):
        present = meeting.present_for(item)
        if member is not None and member not in present:
            continue
        if meeting.type == SUPPORT:
            ok = member is not None or any(
                (m := repo.member(mid)) is not None and m.organization == organization for mid in present
            )
        else:
            case = repo.case(item.case)
            consent = case.consent_on(meeting.date) if case and meeting.date else None
            ok = (
                consent is not None
                and meeting.date is not None
                and consent.in_force_on(meeting.date)
                and organization is not None
                and organization in consent.scope
            )
        if ok:
            shown.append(number)
    return tuple(shown)


# --- building a handout --------------------------------------------------------------------------


def build(
    repo: Repository,
    agenda: Agenda,
    copy: Copy,
    request: Request,
) -> Handout:
    """The handout of `copy`: the agenda cut to its items, and each item's case file."""
    shown = tuple(s for s in agenda.sections if s.number in copy.items)
    cut = replace(agenda, sections=shown)
    h = agenda.header
    items = []
    for section in shown:
        if section.content.kind == "concern":
            items.append(Item(section, None))
            continue
        case = repo.case(section.case_id)
        if case is None:  # meeting_agenda has already refused a meeting whose case is missing
            raise NothingToShow(f"ケース「{section.case_id}」が見つかりません")
        items.append(Item(section, case_file(repo, case, section, h.date, request.reveal)))
    kind = "資料"
    ident = h.meeting_id or ""
    town_office = " ".join(p for p in (h.town, h.office) if p)
    handout = Handout(
        agenda=cut,
        items=tuple(items),
        title=f"{h.type_label} {kind} {ident}".strip(),
        subject=f"{h.town} {h.type_label}（{wareki(h.date)}）の配布資料".strip(),
        author=town_office or "jushou",
        running_head=f"{h.town} {h.type_label} {wareki(h.date)}（{h.weekday}）".strip(),
        resources_number=len(agenda.sections) + 1,
        collect_after=h.meeting_type == SUPPORT,
        reveal=request.reveal,
        audience=organization(repo, request.audience) if request.audience else None,
        recipient=copy.recipient,
    )
    # Free text quoting a personal value is scrubbed like the agenda's; a recipient is a member.
    meeting = repo.meeting(h.meeting_id)
    concerned = concern_values(meeting) if meeting is not None else set()
    return (
        handout
        if request.reveal
        else redacted(repo, handout, (s.case_id for s in agenda.sections), (Recipient,), also=concerned)
    )


def case_file(repo: Repository, case: Case, section: Section, on: dt.date, reveal: bool) -> CaseFile:
    plans = [p for p in case.plans if p.date is not None and p.date <= on]
    plan = plans[-1] if plans else None
    evaluations = [e for e in case.evaluations if e.date is not None and e.date <= on]
    evaluation = evaluations[-1] if evaluations else None
    grids = [s for s in case.sheets if isinstance(s, StrengthsGrid) and s.date is not None and s.date <= on]
    content = section.content
    shown_plan = content.plan if isinstance(content, PlanCreation | Replan) else None
    shown_eval = content.evaluation if isinstance(content, Replan | Closure) else None
    return CaseFile(
        case_id=case.id,
        pseudonym=case.pseudonym or case.id,
        status=status_label(case, on),
        route=_route(repo, case),
        intake=case.intake_date,
        issues=tuple(label("issue", code) for code in case.issues),
        chief_complaint=prose(case.chief_complaint),
        household=_household(case, reveal),
        personal=personal_fields(case, on) if reveal else (),
        timeline=tuple(
            TimelineLine(e.when, e.what, _wareki_in(e.detail), _source(e.ref))
            for e in timeline(repo, case)
            if e.when <= on
        ),
        plan=plan_view(repo, plan) if plan else None,
        plan_in_agenda=plan is not None and shown_plan is not None and shown_plan.version == plan.version,
        grid=_grid(grids[-1]) if grids else None,
        evaluation=evaluation_view(evaluation, case.plan(evaluation.plan_version or 0))
        if evaluation
        else None,
        evaluation_in_agenda=evaluation is not None
        and shown_eval is not None
        and (shown_eval.date, shown_eval.plan_version) == (evaluation.date, evaluation.plan_version),
    )


def personal_fields(case: Case, on: dt.date) -> tuple[PersonalField, ...]:
    """The case's person.* values (the schema's `x-personal` fields, in its order and with its
    titles), as people read them."""
    person = case.person
    if person is None:
        return ()
    found = []
    for path in personal_paths("case"):
        if len(path) != 2 or path[0] != "person":
            continue
        # Person has an attribute for every key of the schema's `person` (tests/test_model.py)
        shown: str | None = getattr(person, path[1], None)
        if shown is None:
            continue
        title = str(property_schema("case", path).get("title") or path[1])
        born = person.born if path[1] == "birth_date" else None
        if born is not None:
            age = on.year - born.year - ((on.month, on.day) < (born.month, born.day))
            shown = f"{wareki(born)}（{age}歳）"
        found.append(PersonalField(".".join(path), title, shown))
    return tuple(found)


def _household(case: Case, reveal: bool) -> tuple[HouseholdMember, ...]:
    """A household member as a handout shows them: what the schema marks personal (the name,
    the free-text notes) only when revealed."""
    shown = {key: reveal or not is_personal("case", ("household", 0, key)) for key in ("name", "notes")}
    return tuple(
        HouseholdMember(
            relation=h.relation or "",
            pseudonym=h.pseudonym or "",
            notes=prose(h.notes) if shown["notes"] else None,
            name=(h.name or None) if shown["name"] else None,
        )
        for h in case.household
    )


def _route(repo: Repository, case: Case) -> str:
    route = label("route", case.route)
    source = organization(repo, case.intake_from) if case.intake_from else ""
    return f"{route}（{source}から）" if source else route


def _grid(sheet: StrengthsGrid) -> GridView:
    board = [[GridCell("", "") for _ in range(3)] for _ in range(3)]
    board[1][1] = GridCell("", fold(sheet.center or ""), center=True)
    for cell, (row, col) in zip(sheet.cells, GRID_POSITIONS, strict=False):  # 8 at most
        board[row][col] = GridCell(area=label("strengths_area", cell.area), text=fold(cell.text or ""))
    rows = tuple((r[0], r[1], r[2]) for r in board)
    return GridView(date=sheet.date, rows=rows)


def _source(ref: str) -> str:
    """The kind of record a timeline event was read from, by its path (RECORDS.md layout)."""
    if ref.startswith("meetings/"):
        return "meeting"
    if "/records/" in ref:
        return "record"
    sheet = _SHEET_FILE.search(ref) if "/sheets/" in ref else None
    return sheet.group(1) if sheet else "case"


def _wareki_in(detail: str) -> str:
    """An ISO date inside a timeline line (consent 期限 …) as 和暦, as every handout date is."""

    def sub(match: re.Match[str]) -> str:
        day = iso_date(match.group(1))
        return wareki(day) if day else match.group(1)

    return _ISO_IN_TEXT.sub(sub, detail)


def needed_by(repo: Repository, meetings: list[Meeting]) -> Repository:
    """What the handouts of these meetings read of `repo`: the configuration, the registries,
    every meeting and the meetings' cases — what store/partial.py loads from disk for one meeting
    —, so that a batch of handouts does not hold ten years of records while WeasyPrint lays out
    each one (on the million-file city the whole repository is 1.3 GB)."""
    wanted = {item.case for m in meetings for item in m.items if isinstance(item.case, str)}
    cases = tuple(c for c in repo.cases if c.id in wanted)
    folders = tuple(f"cases/{c.dir}/" for c in cases if c.dir)

    def kept(path: str) -> bool:
        return "/" not in path or path.startswith(("meetings/", *folders))

    return replace(
        repo,
        cases=cases,
        records=(),
        referrals=(),
        proposals=(),
        community=(),
        trainings=(),
        documents=tuple(d for d in repo.documents if kept(d.path)),
        files=frozenset(p for p in repo.files if kept(p)),
    )
