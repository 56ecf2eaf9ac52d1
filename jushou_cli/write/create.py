"""Building new records: the next id, the right path, and a commented file rendered from
`templates/new/<kind>.yaml.j2` (a case repository may override it under its own `templates/`).

What can be derived is filled in: the plan version, a re-plan's goals and actions, the plan an
evaluation evaluates, a case's pseudonym and referrer from its つなぐシート, a record's
organization from its staff. Everything typed on the command line is checked against the
repository first. Nothing here prints; the command writes with `newfile.write` and then validates.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence
from datetime import date
from pathlib import Path
from typing import Any

from jushou_cli.load.build import SHEET_KINDS
from jushou_cli.model import labels
from jushou_cli.model.dates import fiscal_year, wareki
from jushou_cli.model.records import Case, Meeting, Repository
from jushou_cli.write import create_programme, ids, referrals
from jushou_cli.write.edit import REFERRAL_ORDER, Edit
from jushou_cli.write.ids import BadValue, Refused
from jushou_cli.write.meeting_edit import CONCERN_ITEM_ORDER
from jushou_cli.write.newfile import NewFile, codes, render
from jushou_cli.write.yamledit import SetKey

STRENGTH_CELLS = (
    ("person", "左上"),
    ("person", "上"),
    ("family", "右上"),
    ("family", "右"),
    ("community", "右下"),
    ("community", "下"),
    ("agency", "左下"),
    ("agency", "左"),
)


# --- what every new record checks ----------------------------------------------------------------


def _case(repo: Repository, case_id: str) -> Case:
    ids.require_case(repo, case_id)
    case = repo.case(case_id)
    assert case is not None
    return case


def _author(repo: Repository, case: Case | None, author: str | None, option: str = "--author") -> str:
    chosen = author or (case.coordinator if case else None)
    if chosen is None:
        raise BadValue(
            f"{option} を指定してください（職員の id）", "ケースに coordinator があればそれが使われます"
        )
    ids.require_members(repo, option, [chosen])
    return chosen


def _base(case: Case | None) -> dict[str, Any]:
    return {"case_id": case.id if case else None, "pseudonym": case.pseudonym if case else None}


# --- the kinds ---------------------------------------------------------------------------------


def new_case(
    repo: Repository,
    root: Path,
    when: date,
    *,
    pseudonym: str | None = None,
    route: str | None = None,
    origin: str | None = None,
    referral: str | None = None,
    coordinator: str | None = None,
    received_by: str | None = None,
    chief_complaint: str | None = None,
    issues: Sequence[str] = (),
    programs: Sequence[str] = (),
    office: str | None = None,
    person: dict[str, str] | None = None,
    concern: str | None = None,
) -> NewFile:
    """cases/<id>/case.yaml. A つなぐシート (`--referral`) gives the pseudonym, the referrer and
    the chief complaint, and learns the new case's id. `person`: the person's values as asked
    (new case --person), encrypted when the repository encrypts (write/sealing.py)."""
    also: list[Edit] = []
    if referral is not None:
        found = repo.referral(referral)
        if found is None:
            raise ids.UnknownId(
                "つなぐシート",
                "--referral",
                referral,
                (r.id for r in repo.referrals),
                "jushou new referral で作ってください",
            )
        if found.case is not None:
            raise Refused(f"つなぐシート {referral} はすでにケース {found.case} になっています")
        pseudonym = pseudonym or found.pseudonym
        origin = origin or found.from_organization
        route = route or "agency"
        chief_complaint = chief_complaint or (
            found.data.get("chief_complaint") if isinstance(found.data.get("chief_complaint"), str) else None
        )
    raised: tuple[Meeting, int] | None = None
    if concern is not None:
        if referral is not None:
            raise BadValue(
                "--concern と --referral は一緒に指定できません", "どちらから開いたケースか、一方を指定します"
            )
        raised = _concern_item(repo, concern)
        item = raised[0].items[raised[1]]
        assert item.concern is not None
        pseudonym = pseudonym or item.concern.pseudonym
        origin = origin or item.concern.from_organization
    route = route or ("agency" if origin else None)
    if route is None:
        raise BadValue("--route（相談経路）を指定してください", "使える値: " + codes("route"))
    if not pseudonym:
        raise BadValue(
            "--pseudonym（仮名。例 Aさん）を指定してください", "共有する資料ではこの名前で呼びます"
        )
    ids.require_code(route, "--route", labels.enum("route"))
    for issue in issues:
        ids.require_code(issue, "--issue", labels.enum("issue"))
    for program in programs:
        ids.require_code(program, "--program", labels.enum("program"))
    ids.require_organizations(repo, "--from", [origin])
    ids.require_members(repo, "--coordinator", [coordinator])
    received_by = received_by or coordinator
    ids.require_members(repo, "--received-by", [received_by])
    case_id = ids.next_id(repo, root, "C", when, office)
    if referral is not None:
        also.append(
            Edit(
                next(r.path for r in repo.referrals if r.id == referral),
                [SetKey((), "case", case_id, REFERRAL_ORDER)],
                f"つなぐシート {referral} に case: {case_id} を書きました",
            )
        )
        assert found is not None
        opener = _organizations_of(repo, [received_by, coordinator])
        answer = referrals.answered_by(repo, found, opener, "connected", when)
        if answer is not None:  # the same file: both edits go in one change of it
            first = also[-1]
            summary = f"{first.summary}。{answer.summary}"
            also[-1] = Edit(first.path, [*first.changes, *answer.changes], summary)
    if raised is not None:
        meeting, index = raised
        also.append(
            Edit(
                meeting.path,
                [SetKey(("items", index), "case", case_id, CONCERN_ITEM_ORDER)],
                f"会議 {meeting.id} の議題{index + 1}（気になる事案）に case: {case_id} を書きました",
            )
        )
    context = {
        "id": case_id,
        "pseudonym": pseudonym,
        "concern": concern,
        "date": when.isoformat(),
        "route": route,
        "origin": origin,
        "referral": referral,
        "received_by": received_by,
        "chief_complaint": chief_complaint,
        "issues": list(dict.fromkeys(issues)),
        "programs": list(dict.fromkeys(programs)) or ["multi_agency"],
        "coordinator": coordinator,
        "fiscal_year": fiscal_year(when),
    }
    path = ids.case_path(case_id)
    text = render(root, "case.yaml", context)
    if person:
        from jushou_cli.write.sealing import with_person

        text = with_person(root, repo, path, text, person)
    return NewFile(path, text, case_id, also, all_or_nothing=raised is not None)


def _concern_item(repo: Repository, ref: str) -> tuple[Meeting, int]:
    """`M2026-0010#1`: the meeting and the index of its concern item, not yet a case."""
    meeting_id, _, number = ref.partition("#")
    meeting = repo.meeting(meeting_id)
    if meeting is None or not number.isdigit():
        raise BadValue(
            f"--concern: 「{ref}」は気になる事案の議題を指していません",
            "会議ID#議題番号（1から）で書きます（例 --concern M2026-0010#1）。"
            "jushou agenda 会議ID で番号が分かります",
        )
    index = int(number) - 1
    if not 0 <= index < len(meeting.items) or meeting.items[index].concern is None:
        raise BadValue(
            f"--concern: 会議 {meeting.id} の{number}番目の議題は気になる事案ではありません",
            "jushou agenda 会議ID で議題の番号を確かめてください",
        )
    if meeting.status == "cancelled":
        raise Refused(f"会議 {meeting.id} は中止 (cancelled) です。その議題からケースは開けません")
    item = meeting.items[index]
    if item.case is not None:
        raise Refused(f"気になる事案 {ref} からはすでにケース {item.case} が開かれています")
    return meeting, index


def new_sheet(
    repo: Repository,
    root: Path,
    kind: str,
    case_id: str,
    when: date,
    *,
    author: str | None = None,
    plan_version: int | None = None,
    center: str | None = None,
) -> NewFile:
    """cases/<id>/sheets/<date>-<kind>.yaml."""
    if kind not in SHEET_KINDS:
        raise BadValue(
            f"KIND: 「{kind}」というシートはありません",
            "使える値: " + " / ".join(f"{k} {labels.label('kind', k)}" for k in SHEET_KINDS),
        )
    case = _case(repo, case_id)
    context = {**_base(case), "date": when.isoformat(), "author": _author(repo, case, author)}
    if kind == "plan":
        context.update(_plan_context(repo, case))
    elif kind == "evaluation":
        context.update(_evaluation_context(case, plan_version))
    elif kind == "strengths_grid":
        complaint = case.data.get("chief_complaint")
        context["center"] = (
            center if center is not None else (complaint if isinstance(complaint, str) else "")
        )
        context["cells"] = STRENGTH_CELLS
    return NewFile(
        ids.sheet_path(root, case.dir or case.id, when, kind), render(root, f"{kind}.yaml", context)
    )


def _plan_context(repo: Repository, case: Case) -> dict[str, Any]:
    """Version = previous + 1; a re-plan starts from the previous plan's goals and actions."""
    previous = case.plans[-1] if case.plans else None
    version = (previous.version or 0) + 1 if previous else 1
    goals: list[dict[str, Any]] = [{"id": "g1", "text": "", "term": None}]
    actions: list[dict[str, Any]] = [
        {"goal": "g1", "organization": None, "task": None, "frequency": None, "until": None}
    ]
    if previous is not None:
        keys = {
            "goals": ("id", "text", "term"),
            "actions": ("goal", "organization", "task", "frequency", "until"),
        }
        carried = {
            name: [
                {k: item.get(k) for k in wanted}
                for item in previous.data.get(name) or []
                if isinstance(item, dict)
            ]
            for name, wanted in keys.items()
        }
        goals = carried["goals"] or goals
        actions = carried["actions"]
    return {
        "version": version,
        "previous": previous.path if previous else None,
        "goals": goals,
        "actions": actions,
        "within": repo.rules.plan_meeting_within_days,
    }


def _evaluation_context(case: Case, plan_version: int | None) -> dict[str, Any]:
    if not case.plans:
        raise Refused(
            f"{case.id} にはまだプランがありません（評価するプランがない）",
            f"jushou new sheet plan {case.id}",
        )
    plan = case.plan(plan_version) if plan_version is not None else case.plans[-1]
    if plan is None:
        versions = ", ".join(str(p.version) for p in case.plans)
        raise BadValue(
            f"--plan-version: {case.id} にプラン第{plan_version}版はありません", f"ある版: {versions}"
        )
    return {
        "plan_version": plan.version,
        "plan_path": plan.path,
        "goals": [{"id": g.id, "text": g.text} for g in plan.goals if g.id],
    }


def new_record(
    repo: Repository,
    root: Path,
    record_type: str,
    case_id: str | None,
    when: date,
    *,
    staff: Sequence[str] = (),
    organization: str | None = None,
    topic: str | None = None,
    contact: str | None = None,
    outreach: bool = False,
    resource: str | None = None,
    person: str | None = None,
    summary: str | None = None,
    stage: str | None = None,
) -> NewFile:
    """cases/<id>/records/<date>-<type>.yaml, or records/<fy>/… without a case (then the
    organization is required: by default the first staff member's)."""
    create_programme.require_record(record_type, stage)  # TYPE, and --stage on participation only
    case = _case(repo, case_id) if case_id is not None else None
    chosen = list(dict.fromkeys(staff)) or ([case.coordinator] if case and case.coordinator else [])
    if not chosen:
        raise BadValue(
            "--staff（対応した職員の id）を指定してください",
            "ケースの記録なら担当 (coordinator) が使われます",
        )
    ids.require_members(repo, "--staff", chosen)
    ids.require_organizations(repo, "--organization", [organization])
    ids.require_code(topic, "--topic", labels.enum("topic"))
    ids.require_code(contact, "--contact", labels.enum("contact"))
    ids.require_resource(repo, "--resource", resource)
    if case is None and organization is None:
        first = repo.member(chosen[0])
        organization = first.organization if first else None
    if case is not None and person is not None:
        raise BadValue(
            "--person はケースに属さない記録（CASE を省いたとき）だけに使います",
            f"ケースの仮名は {case.pseudonym}",
        )
    context = {
        **_base(case),
        "type": record_type,
        "date": when.isoformat(),
        "staff": chosen,
        "organization": organization,
        "topic": topic,
        "contact": contact,
        "outreach": outreach,
        "resource": resource,
        "person": person,
        "summary": summary,
        "stage": stage,
        "standalone": case is None,
    }
    path = ids.record_path(root, (case.dir or case.id) if case else None, when, record_type)
    return NewFile(path, render(root, "record.yaml", context))


def new_referral(
    repo: Repository,
    root: Path,
    when: date,
    *,
    origin: str | None,
    to: Sequence[str],
    staff: str | None = None,
    pseudonym: str | None = None,
    consent: str | None = None,
    topics: Sequence[str] = (),
    chief_complaint: str | None = None,
    case: str | None = None,
    office: str | None = None,
) -> NewFile:
    """referrals/<fy>/<id>.yaml, every つなぎ先 `pending` until it answers."""
    if origin is None:
        raise BadValue("--from（相談を受けた機関の id）を指定してください")
    if not to:
        raise BadValue("--to（つなぎ先の機関の id）を1つ以上指定してください")
    ids.require_organizations(repo, "--from", [origin])
    ids.require_organizations(repo, "--to", to)
    ids.require_members(repo, "--staff", [staff])
    ids.require_code(consent, "--consent", labels.enum("referral_consent"))
    for topic in topics:
        ids.require_code(topic, "--topic", labels.enum("topic"))
    if case is not None:
        ids.require_case(repo, case, "--case")
    referral_id = ids.next_id(repo, root, "R", when, office)
    context = {
        "id": referral_id,
        "date": when.isoformat(),
        "origin": origin,
        "staff": staff,
        "pseudonym": pseudonym,
        "consent": consent,
        "topics": list(dict.fromkeys(topics)),
        "chief_complaint": chief_complaint,
        "to": list(dict.fromkeys(to)),
        "case": case,
    }
    return NewFile(ids.referral_path(referral_id, when), render(root, "referral.yaml", context), referral_id)


def new_proposal(
    repo: Repository,
    root: Path,
    referral_id: str,
    when: date,
    *,
    to: str | None = None,
    author: str | None = None,
) -> NewFile:
    """referrals/<fy>/<id>-proposal.yaml beside the referral; it goes back to the referrer."""
    referral = repo.referral(referral_id)
    if referral is None:
        raise ids.UnknownId(
            "つなぐシート",
            "REFERRAL",
            referral_id,
            (r.id for r in repo.referrals),
            "jushou new referral で作ってください",
        )
    path = ids.proposal_path(referral.path)
    if (root / path).exists():
        raise Refused(
            f"つなぐシート {referral_id} の提案用シートはもうあります: {path}", "そのファイルを直してください"
        )
    to = to or referral.from_organization
    if to is None:
        raise BadValue("--to（提案を返す機関の id）を指定してください")
    ids.require_organizations(repo, "--to", [to])
    ids.require_members(repo, "--author", [author])
    context = {
        "referral": referral_id,
        "date": when.isoformat(),
        "to": to,
        "author": author,
        "pseudonym": referral.pseudonym,
        "referral_date": wareki(referral.date) if referral.date else "",
    }
    answer = referrals.answered_by(repo, referral, _organizations_of(repo, [author]), "proposal", when)
    return NewFile(path, render(root, "proposal.yaml", context), also=[answer] if answer else [])


def _organizations_of(repo: Repository, members: Sequence[str | None]) -> list[str | None]:
    """The organizations of these members (who opens a case or writes a proposal answers for
    their organization's つなぎ)."""
    found = [repo.member(m) for m in members]
    return [m.organization for m in found if m is not None]


def new_meeting(
    repo: Repository,
    root: Path,
    meeting_type: str,
    when: date,
    today: date,
    *,
    status: str | None = None,
    chair: str | None = None,
    attendees: Sequence[str] = (),
    start: str | None = None,
    end: str | None = None,
    place: str | None = None,
    office: str | None = None,
) -> NewFile:
    """meetings/<fy>/<id>.yaml; `planned` when its date is still ahead, else `held`."""
    ids.require_code(meeting_type, "TYPE", labels.enum("meeting_type"))
    ids.require_code(status, "--status", labels.enum("meeting_status"))
    status = status or ("planned" if when > today else "held")
    if status == "held" and when > today:
        raise BadValue(
            f"--status held: {wareki(when)} はまだ来ていません", "これからの会議は planned にします"
        )
    ids.require_members(repo, "--chair", [chair])
    ids.require_members(repo, "--attendee", attendees)
    for option, value in (("--start", start), ("--end", end)):
        if value is not None and not _is_time(value):
            raise BadValue(
                f"{option}: 「{value}」は時刻として読めません", "24時間制の HH:MM で書きます（例 14:00）"
            )
    present = list(dict.fromkeys([*([chair] if chair else []), *attendees]))
    meeting_id = ids.next_id(repo, root, "M", when, office)
    context = {
        "id": meeting_id,
        "type": meeting_type,
        "type_label": labels.label("meeting_type", meeting_type),
        "date": when.isoformat(),
        "status": status,
        "chair": chair,
        "attendees": present,
        "start": _hhmm(start),
        "end": _hhmm(end),
        "place": place,
    }
    return NewFile(ids.meeting_path(meeting_id, when), render(root, "meeting.yaml", context), meeting_id)


def _is_time(value: str) -> bool:
    hh, _, mm = unicodedata.normalize("NFKC", value).partition(":")
    return hh.isdigit() and mm.isdigit() and len(mm) == 2 and int(hh) < 24 and int(mm) < 60


def _hhmm(value: str | None) -> str | None:
    if value is None:
        return None
    hh, _, mm = unicodedata.normalize("NFKC", value).partition(":")
    return f"{int(hh):02d}:{mm}"
