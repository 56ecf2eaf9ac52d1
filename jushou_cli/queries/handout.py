"""Meeting handouts (配布資料): what goes on them, for whom, and where they are written.

A handout is the meeting's Agenda (`agenda.meeting_agenda`, built once per meeting and never
rebuilt) with, beside each item, what the members need about the case: a profile, the timeline
(`queries.caseload.timeline`), the current plan's 役割分担, the 9マスシート and the latest
evaluation, all as of the meeting date. Rendering lives in `render/handout.py`.

Redaction: by default only pseudonyms and fields the schemas do not mark `x-personal` appear.
`reveal` adds the personal fields (`schema.personal_paths("case")`: person.* and a household
member's name), and the templates then mark every page.

Who may see which item (`visible_items`): at a 支援会議 (法第106条の6) whoever takes part in the
item; at any other meeting only an organization that the case's consent, in force on the
meeting date, covers (a 重層的支援会議 shares with consent only). `--for ORG` keeps the items ORG
may see; `--per-attendee` makes one numbered copy per attendee with the items that attendee may
see, and a manifest naming recipients, cases and the fields shown (never their values), so
that the people affected by a lost copy can be named.

Output goes only where `-o` says or into the repository's git-ignored `out/handouts/`; never
over a tracked file, never over any file unless asked (`check_targets`).
"""

from __future__ import annotations

import datetime as dt
import re
import subprocess
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from jushou_cli.load.build import entries, mapping, text
from jushou_cli.model.contract import personal_paths, property_schema
from jushou_cli.model.dates import iso_date, wareki
from jushou_cli.model.labels import label
from jushou_cli.model.records import Case, Meeting, Repository, StrengthsGrid
from jushou_cli.model.status import status_label
from jushou_cli.queries.agenda import (
    MULTILAYER,
    SUPPORT,
    Agenda,
    AgendaError,
    Closure,
    EvaluationView,
    NothingToShow,
    PlanCreation,
    PlanView,
    Replan,
    Section,
    UnknownId,
)

# Private helpers of agenda.py, imported rather than copied so that a handout folds prose and
# shows plans and evaluations exactly as the agenda does.
from jushou_cli.queries.agenda import _evaluation_view as evaluation_view
from jushou_cli.queries.agenda import _fold as fold
from jushou_cli.queries.agenda import _plan_view as plan_view
from jushou_cli.queries.caseload import timeline

FORMATS = ("pdf", "html")
HANDOUT_DIR = Path("out") / "handouts"
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


@dataclass(frozen=True, slots=True)
class Skipped:
    member: str
    name: str
    reason: str


@dataclass(frozen=True, slots=True)
class Job:
    """One meeting's files to write; plain data, sent to a worker process as it is."""

    meeting_id: str
    request: Request
    copies: tuple[Copy, ...]
    manifest: Path | None
    skipped: tuple[Skipped, ...] = ()
    unpledged: tuple[str, ...] = ()  # 支援会議: recipients without a 守秘義務 pledge (members.yaml)

    @property
    def targets(self) -> tuple[Path, ...]:
        return tuple(c.path for c in self.copies) + ((self.manifest,) if self.manifest else ())


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
    case: CaseFile


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


def plan_job(
    repo: Repository,
    root: Path,
    meeting_id: str,
    request: Request,
    output: Path | None = None,
    out_dir: Path | None = None,
) -> Job:
    """The files to write for one meeting. `output` is -o: a file (with per_attendee the copies
    and the manifest are named after it; without an extension, the format's is added);
    otherwise `out_dir` or <root>/out/handouts/."""
    meeting = repo.meeting(meeting_id)
    if meeting is None:
        raise UnknownId(
            f"会議「{meeting_id}」が見つかりません",
            "会議の ID（M2024-0001 の形式）を確かめてください（ファイルの誤りは jushou validate で）",
        )
    suffix = f".{request.fmt}"
    stem = (
        meeting.id
        + (f"-{request.audience}" if request.audience else "")
        + ("-reveal" if request.reveal else "")
    )
    folder = out_dir if out_dir is not None else root / HANDOUT_DIR
    base = output if output is not None else folder / f"{stem}{suffix}"
    if not base.suffix:  # `-o copies` means copies.pdf (copies-01-….pdf with --per-attendee)
        base = base.with_name(base.name + suffix)
    everything = tuple(range(1, len(meeting.items) + 1))
    if request.audience is not None:
        org = repo.organization(request.audience)
        name = org.name if org else request.audience
        allowed = visible_items(repo, meeting, organization=request.audience)
        if not allowed:
            raise HandoutError(
                f"{meeting.id}（{label('meeting_type', meeting.type)}）には"
                f"{name}に見せられる議題がありません",
                _refusal_hint(meeting),
            )
    else:
        allowed = everything
    if not request.per_attendee:
        return Job(meeting.id, request, (Copy(None, allowed, base),), None)

    chosen: list[tuple[str, str, str, tuple[int, ...]]] = []
    skipped = []
    for mid in dict.fromkeys(meeting.attendees):
        member = repo.member(mid)
        name = member.name if member and member.name else mid
        if request.audience is not None and (member is None or member.organization != request.audience):
            continue
        org_name = _org_name(repo, member.organization if member else None)
        mine = tuple(n for n in visible_items(repo, meeting, member=mid) if n in allowed)
        if not mine and meeting.items:
            skipped.append(Skipped(mid, name, "見られる議題がないため配布しません"))
            continue
        chosen.append((mid, name, org_name, mine))
    if not chosen:
        who = f"{_org_name(repo, request.audience)}の" if request.audience else ""
        raise HandoutError(
            f"{meeting.id}: 資料を配れる{who}出席者がいません",
            "会議ファイルの出席者（attendees）と、各ケースの本人同意の範囲を確かめてください",
        )
    total = len(chosen)
    width = max(2, len(str(total)))
    copies = tuple(
        Copy(
            Recipient(mid, name, org_name, k, total),
            mine,
            base.with_name(f"{base.stem}-{k:0{width}d}-{_safe(mid)}{base.suffix}"),
        )
        for k, (mid, name, org_name, mine) in enumerate(chosen, start=1)
    )
    manifest = base.with_name(f"{base.stem}-manifest.json")
    unpledged: tuple[str, ...] = ()
    if meeting.type == SUPPORT:
        unpledged = tuple(
            f"{name}（{org_name}）"
            for mid, name, org_name, _ in chosen
            if (member := repo.member(mid)) is None or member.pledge_date is None
        )
    return Job(meeting.id, request, copies, manifest, tuple(skipped), unpledged)


def _refusal_hint(meeting: Meeting) -> str:
    if meeting.type == SUPPORT:
        return (
            "支援会議の議題は、その議題に出席した機関だけに配ります"
            "（会議ファイルの attendees を確かめてください）"
        )
    scope = "本人同意の範囲（case.yaml の consent.scope）に入っている機関だけに配ります"
    return f"{'重層的支援会議' if meeting.type == MULTILAYER else 'この会議'}の議題は、{scope}"


def _org_name(repo: Repository, org_id: str | None) -> str:
    org = repo.organization(org_id)
    return org.name if org and org.name else (org_id or "")


def _safe(name: str) -> str:
    """A member id as part of a file name."""
    return re.sub(r"[^0-9A-Za-z._-]+", "_", name) or "member"


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
        case = repo.case(section.case_id)
        if case is None:  # meeting_agenda has already refused a meeting whose case is missing
            raise NothingToShow(f"ケース「{section.case_id}」が見つかりません")
        items.append(Item(section, case_file(repo, case, section, h.date, request.reveal)))
    kind = "資料"
    ident = h.meeting_id or ""
    town_office = " ".join(p for p in (h.town, h.office) if p)
    return Handout(
        agenda=cut,
        items=tuple(items),
        title=f"{h.type_label} {kind} {ident}".strip(),
        subject=f"{h.town} {h.type_label}（{wareki(h.date)}）の配布資料".strip(),
        author=town_office or "jushou",
        running_head=f"{h.town} {h.type_label} {wareki(h.date)}（{h.weekday}）".strip(),
        resources_number=len(agenda.sections) + 1,
        collect_after=h.meeting_type == SUPPORT,
        reveal=request.reveal,
        audience=_org_name(repo, request.audience) if request.audience else None,
        recipient=copy.recipient,
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
        chief_complaint=_prose(case.data, "chief_complaint"),
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
    """The case's person.* values (the schema's `x-personal` fields), as people read them."""
    person = mapping(case.data, "person")
    found = []
    for path in personal_paths("case"):
        if len(path) != 2 or path[0] != "person":
            continue
        value = person.get(path[1])
        if value is None or value == "":
            continue
        title = str(property_schema("case", path).get("title") or path[1])
        shown = str(value)
        born = iso_date(shown) if path[1] == "birth_date" else None
        if born is not None:
            age = on.year - born.year - ((on.month, on.day) < (born.month, born.day))
            shown = f"{wareki(born)}（{age}歳）"
        found.append(PersonalField(".".join(path), title, shown))
    return tuple(found)


def _household(case: Case, reveal: bool) -> tuple[HouseholdMember, ...]:
    return tuple(
        HouseholdMember(
            relation=text(h, "relation") or "",
            pseudonym=text(h, "pseudonym") or "",
            notes=_prose(h, "notes"),
            name=(text(h, "name") or None) if reveal else None,
        )
        for _, h in entries(case.data, "household")
    )


def _route(repo: Repository, case: Case) -> str:
    route = label("route", case.route)
    source = _org_name(repo, case.intake_from) if case.intake_from else ""
    return f"{route}（{source}から）" if source else route


def _grid(sheet: StrengthsGrid) -> GridView:
    cells = [
        GridCell(area=label("strengths_area", text(c, "area")), text=fold(text(c, "text") or ""))
        for _, c in entries(sheet.data, "cells")
    ][: len(GRID_POSITIONS)]
    board = [[GridCell("", "") for _ in range(3)] for _ in range(3)]
    board[1][1] = GridCell("", fold(sheet.center or ""), center=True)
    for cell, (row, col) in zip(cells, GRID_POSITIONS, strict=False):
        board[row][col] = cell
    rows = tuple((r[0], r[1], r[2]) for r in board)
    return GridView(date=sheet.date, rows=rows)


def _prose(data: Any, key: str) -> str | None:
    value = text(data, key)
    return fold(value) if value else None


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


# --- the manifest --------------------------------------------------------------------------------


# What each part of a handout reads, by field name (RECORDS.md keys), for the manifest.
_CASE_EVENTS = {
    "受付": ("case.intake.date", "case.intake.route", "case.intake.from"),
    "本人同意": ("case.consent.date", "case.consent.method", "case.consent.scope", "case.consent.expires"),
    "同意撤回": ("case.consent.withdrawn",),
    "終結": ("case.closure.date", "case.closure.reason"),
    "中断": ("case.suspension.date", "case.suspension.reason"),
}
_SOURCE_FIELDS = {
    "record": ("record.date", "record.type", "record.topic", "record.contact", "record.outreach"),
    "meeting": ("meeting.id", "meeting.type", "meeting.date", "meeting.status", "meeting.items.timing"),
    "plan": ("plan.date", "plan.version", "plan.goals.text"),
    "evaluation": (
        "evaluation.date",
        "evaluation.plan_version",
        "evaluation.goals.result",
        "evaluation.next",
    ),
}
_CONTENT_FIELDS = {
    "plan_creation": ("intake_assessment", "plan"),
    "replan": ("evaluation", "plan"),
    "closure": (
        "plan.goals",
        "evaluation",
        "plan.actions.organization",
        "plan.actions.task",
        "record.staff",
        "case.closure",
    ),
    "suspension": (
        "record.date",
        "record.type",
        "record.staff",
        "record.contact",
        "record.summary",
        "case.suspension",
    ),
    "profile": (),
}
_PLAN = ("plan.goals", "plan.policy", "plan.actions", "plan.monitoring")
_EVALUATION = ("evaluation.goals", "evaluation.situation_change", "evaluation.overall", "evaluation.next")


def fields_shown(item: Item) -> list[str]:
    """The names (never the values) of what a handout shows about one case: a whole sheet kind
    (`intake_assessment`) where an item shows all of it, else its fields."""
    c = item.case
    s = item.section
    names = ["case.id", "case.pseudonym", "case.intake.date", "case.intake.route"]
    names += ["case.issues"] if c.issues else []
    names += ["case.chief_complaint"] if c.chief_complaint else []
    if c.household:
        names += ["case.household.relation", "case.household.pseudonym"]
        names += ["case.household.notes"] if any(h.notes for h in c.household) else []
        names += ["case.household.name"] if any(h.name for h in c.household) else []
    names += ["case." + f.key for f in c.personal]
    if s.consent:
        names += ["case.consent.date", "case.consent.method", "case.consent.scope", "case.consent.expires"]
    for line in c.timeline:
        if line.source == "case":
            names += _CASE_EVENTS.get(line.what, ())
        else:
            names += _SOURCE_FIELDS.get(line.source, (f"{line.source}.date",))
    names += _CONTENT_FIELDS.get(s.content.kind, ())
    names += _PLAN if c.plan else []
    names += ["strengths_grid.center", "strengths_grid.cells"] if c.grid else []
    names += _EVALUATION if c.evaluation else []
    names += ["evaluation.follow_up"] if c.evaluation and c.evaluation.follow_up else []
    names += ["meeting.items.discussion"] if s.discussion else []
    names += ["meeting.items.decisions"] if s.decisions else []
    names += ["meeting.items.next_review"] if s.next_review else []
    return list(dict.fromkeys(names))


def manifest(
    job: Job,
    handouts: Sequence[tuple[Copy, Handout, str]],
    made_on: dt.date,
    meeting: Meeting,
) -> dict[str, Any]:
    """The numbered copies of one meeting: who got which, with which cases and fields (names of
    fields only). `handouts` holds each copy, its handout and the sha256 of the file written."""
    request = job.request
    cases: dict[str, dict[str, Any]] = {}
    copies = []
    for copy, handout, digest in handouts:
        r = copy.recipient
        copies.append(
            {
                "number": r.number if r else None,
                "of": r.total if r else None,
                "file": copy.path.name,
                "sha256": digest,
                "recipient": {"member": r.member, "name": r.name, "organization": r.organization}
                if r
                else None,
                "cases": [i.case.case_id for i in handout.items],
            }
        )
        for item in handout.items:
            entry = cases.setdefault(
                item.case.case_id, {"case": item.case.case_id, "items": [], "fields": []}
            )
            if item.section.number not in entry["items"]:
                entry["items"].append(item.section.number)
            entry["fields"] = list(dict.fromkeys([*entry["fields"], *fields_shown(item)]))
    personal = sorted({f for c in cases.values() for f in c["fields"] if _is_personal_field(f)})
    return {
        "meeting": meeting.id,
        "type": meeting.type,
        "type_label": label("meeting_type", meeting.type),
        "date": meeting.date.isoformat() if meeting.date else None,
        "made_on": made_on.isoformat(),
        "for": request.audience,
        "revealed": request.reveal,
        "personal_fields": personal,
        "format": request.fmt,
        "copies": copies,
        "not_given": [{"member": s.member, "name": s.name, "reason": s.reason} for s in job.skipped],
        "without_pledge": list(job.unpledged),
        "cases": sorted(cases.values(), key=lambda c: c["case"]),
    }


def _is_personal_field(name: str) -> bool:
    parts = name.split(".")
    return parts[0] == "case" and (parts[1] == "person" or parts[-1] == "name")


# --- where files may go --------------------------------------------------------------------------


def check_targets(root: Path, job_targets: Iterable[Path], overwrite: bool, default_place: bool) -> None:
    """Refuses (HandoutError) a target that git tracks, one that exists (unless `overwrite`),
    and, for the default place, an out/ folder that git does not ignore."""
    targets = list(job_targets)
    tracked = tracked_files(targets)
    if tracked:
        raise HandoutError(
            f"{tracked[0]} は git で管理されているファイルです。配布資料で上書きしません",
            "-o で git の管理外（例: out/handouts/）の場所を指定してください",
        )
    if default_place and targets and not _ignored_by_git(root, targets[0]):
        raise HandoutError(
            f"{root / 'out'} が .gitignore に入っていません。個人の情報を含む資料をコミットしないよう、"
            "書き出しません",
            "リポジトリの .gitignore に「out/」の行を足すか、-o で書き出す先を指定してください",
        )
    existing = [p for p in targets if p.exists()]
    if existing and not overwrite:
        more = f" ほか{len(existing) - 1}件" if len(existing) > 1 else ""
        raise HandoutError(
            f"{existing[0]}{more} はすでにあります。上書きしません（何も書いていません）",
            "上書きするなら --force を付けます",
        )


def tracked_files(paths: Sequence[Path]) -> list[Path]:
    """The paths git tracks (`git ls-files --error-unmatch`), one call per folder; none when
    git is missing or a folder is not in a work tree."""
    by_dir: dict[Path, list[Path]] = {}
    for p in paths:
        by_dir.setdefault(p.absolute().parent, []).append(p.absolute())
    found = []
    for folder, files in by_dir.items():
        here = folder
        while not here.is_dir() and here != here.parent:
            here = here.parent
        for f in files:
            try:
                done = subprocess.run(
                    ["git", "-C", str(here), "ls-files", "--error-unmatch", "--", str(f)],
                    capture_output=True,
                    check=False,
                )
            except OSError:
                return []
            if done.returncode == 0:
                found.append(f)
            elif b"not a git repository" in done.stderr:
                break  # the rest of this folder is not in git either
    return found


def _ignored_by_git(root: Path, target: Path) -> bool:
    """True when git ignores `target`, or when `root` is not a git work tree at all."""
    try:
        done = subprocess.run(
            ["git", "-C", str(root), "check-ignore", "-q", "--", str(target.absolute())],
            capture_output=True,
            check=False,
        )
    except OSError:
        return True
    return done.returncode != 1  # 0 ignored, 1 not ignored, 128 not a repository
