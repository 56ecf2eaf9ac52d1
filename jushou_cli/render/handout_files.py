"""The files a handout run writes: which copies for whom (`plan_job`), where they may go
(`check_targets`), and the manifest that lists them (`manifest`).

`--per-attendee` makes one numbered copy per attendee with the items that attendee may see
(`queries.handout.visible_items`), and a manifest naming recipients, cases and the fields shown
(never their values), so that the people affected by a lost copy can be named.

Output goes only where `-o` says or into the repository's git-ignored `out/handouts/`; never
over a tracked file, never over any file unless asked (`check_targets`).
"""

from __future__ import annotations

import datetime as dt
import re
import subprocess
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from jushou_cli.model.contract import valid_id
from jushou_cli.model.labels import label
from jushou_cli.model.records import Meeting, Repository
from jushou_cli.queries.agenda import MULTILAYER, SUPPORT, AgendaError, UnknownId
from jushou_cli.queries.agenda_content import organization
from jushou_cli.queries.agenda_view import ConcernView, Section
from jushou_cli.queries.handout import Copy, Handout, Item, Recipient, Request, visible_items
from jushou_cli.system.gitcall import command

FORMATS = ("pdf", "html")
HANDOUT_DIR = Path("out") / "handouts"


class HandoutError(AgendaError):
    """A handout that cannot be written (exit 1): nothing left for a recipient, a target that
    exists or is tracked by git."""


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


# --- which copies, for whom ----------------------------------------------------------------------


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
    if not valid_id("meeting", meeting.id):
        # The id names the output file: a file saying `id: ../../x` must not write elsewhere.
        raise HandoutError(
            f"{meeting.path}: 会議の id「{meeting.id}」が M2024-0001 の形ではないため、資料を作りません",
            "jushou validate で会議ファイルの id を確かめ、ファイル名と同じ ID に直してください",
        )
    suffix = f".{request.fmt}"
    stem = (
        meeting.id
        + (f"-{_safe(request.audience)}" if request.audience else "")
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
        org_name = organization(repo, member.organization if member else None)
        mine = tuple(n for n in visible_items(repo, meeting, member=mid) if n in allowed)
        if not mine and meeting.items:
            skipped.append(Skipped(mid, name, "見られる議題がないため配布しません"))
            continue
        chosen.append((mid, name, org_name, mine))
    if not chosen:
        who = f"{organization(repo, request.audience)}の" if request.audience else ""
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


def _safe(name: str) -> str:
    """A member id as part of a file name."""
    return re.sub(r"[^0-9A-Za-z._-]+", "_", name) or "member"


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
    meeting = ["meeting.items.discussion"] if s.discussion else []
    meeting += ["meeting.items.decisions"] if s.decisions else []
    meeting += ["meeting.items.next_review"] if s.next_review else []
    if c is None:  # a 気になる事案: what the item itself says, nothing of a case
        return ["meeting.items.concern.pseudonym", "meeting.items.concern.from", *_summary(s), *meeting]
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
    return list(dict.fromkeys(names + meeting))


def _summary(section: Section) -> list[str]:
    content = section.content
    return ["meeting.items.concern.summary"] if isinstance(content, ConcernView) and content.summary else []


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
                "cases": [i.case.case_id for i in handout.items if i.case is not None],
            }
        )
        for item in handout.items:
            if item.case is None:
                continue  # a 気になる事案: pseudonym and summary only, no case file
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
                    command(here, "ls-files", "--error-unmatch", "--", str(f)),
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
            command(root, "check-ignore", "-q", "--", str(target.absolute())),
            capture_output=True,
            check=False,
        )
    except OSError:
        return True
    return done.returncode != 1  # 0 ignored, 1 not ignored, 128 not a repository
