"""Rule 1: every reference resolves and every id is unique (codes J201–J210)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from datetime import date

from jushou_cli.model.diagnostics import Diagnostic, error, warning
from jushou_cli.model.records import Case, Repository, Sourced

_WHAT = {
    "J201": ("ケース", "cases/ にそのケースがあるか、ID の書き間違いがないか確かめてください"),
    "J202": ("職員・構成員", "members.yaml の id を書くか、members.yaml に追加してください"),
    "J203": ("機関", "organizations.yaml の id を書くか、organizations.yaml に追加してください"),
    "J204": ("社会資源", "resources.yaml の id を書くか、resources.yaml に追加してください"),
    "J205": ("つなぐシート", "referrals/<年度>/ にそのつなぐシートがあるか確かめてください"),
}


class _Refs:
    def __init__(self, repo: Repository) -> None:
        self.repo = repo
        self.found: list[Diagnostic] = []
        self.known = {
            # A case whose case.yaml failed to parse is known by its folder: no cascade.
            "J201": {c.id for c in repo.cases}
            | {f.split("/")[1] for f in repo.files if f.startswith("cases/") and f.endswith("/case.yaml")},
            "J202": {m.id for m in repo.members},
            "J203": {o.id for o in repo.organizations},
            "J204": {r.id for r in repo.resources},
            "J205": {r.id for r in repo.referrals}
            | {
                f.rsplit("/", 1)[-1].removesuffix(".yaml")
                for f in repo.files
                if f.startswith("referrals/") and not f.endswith("-proposal.yaml")
            },
        }
        # A registry that is missing (J307) or failed to load (its own diagnostics) would turn
        # every reference to it into an error: say it once instead.
        self.skip = set()
        for code, kind in (("J202", "members"), ("J203", "organizations"), ("J204", "resources")):
            required = kind != "resources"
            if kind not in repo.registries_present and (required or f"{kind}.yaml" in repo.files):
                self.skip.add(code)

    def ref(self, code: str, owner: Sourced, value: str | None, *path: str | int) -> None:
        if value is None or code in self.skip or value in self.known[code]:
            return
        what, hint = _WHAT[code]
        line, col = owner.at(*path)
        self.found.append(
            error(code, owner.path, line, col, f"{what}「{value}」が見つかりません (unknown reference)", hint)
        )

    def refs(self, code: str, owner: Sourced, values: Sequence[str], *path: str | int) -> None:
        for i, value in enumerate(values):
            self.ref(code, owner, value, *path, i)


def _duplicates(items: Iterable[Sourced], label: str) -> list[Diagnostic]:
    by_id: dict[str, list[Sourced]] = defaultdict(list)
    for item in items:
        ident = getattr(item, "id", "")
        if ident:
            by_id[ident].append(item)
    found = []
    for ident, group in by_id.items():
        for dup in group[1:]:
            first = group[0]
            line, col = dup.at("id")
            where = first.path if first.path != dup.path else f"{first.at('id')[0]}行目"
            found.append(
                error(
                    "J208",
                    dup.path,
                    line,
                    col,
                    f"{label}の id「{ident}」が {where} と重複しています (duplicate id)",
                    "片方の id を変えてください（jushou renumber 旧ID 新ID で参照ごと直せます）",
                )
            )
    return found


def _case_internal(case: Case, refs: _Refs) -> list[Diagnostic]:
    found: list[Diagnostic] = []
    versions: dict[int, str] = {}
    for plan in case.plans:
        assert plan.version is not None
        if plan.version in versions:
            line, col = plan.at("version")
            found.append(
                error(
                    "J208",
                    plan.path,
                    line,
                    col,
                    f"プランの版 {plan.version} が {versions[plan.version]} と重複しています "
                    "(duplicate plan version)",
                    "再プランなら version を次の番号にしてください",
                )
            )
        versions.setdefault(plan.version, plan.path)
        goal_ids: dict[str, int] = {}
        for goal in plan.goals:
            if goal.id is None:
                continue
            if goal.id in goal_ids:
                line, col = goal.at("id")
                found.append(
                    error(
                        "J208",
                        plan.path,
                        line,
                        col,
                        f"目標の id「{goal.id}」が重複しています (duplicate goal id)",
                        "目標ごとに g1, g2 … と別の id を付けてください",
                    )
                )
            goal_ids.setdefault(goal.id, 0)
        for action in plan.actions:
            refs.ref("J203", action, action.organization, "organization")
            if action.goal is not None and action.goal not in goal_ids:
                line, col = action.at("goal")
                found.append(
                    error(
                        "J206",
                        plan.path,
                        line,
                        col,
                        f"目標「{action.goal}」がこのプランにありません (unknown goal)",
                        "goals: の id（g1 など）を書いてください",
                    )
                )
    for evaluation in case.evaluations:
        if evaluation.plan_version is None:
            continue
        evaluated = case.plan(evaluation.plan_version)
        if evaluated is None:
            line, col = evaluation.at("plan_version")
            found.append(
                error(
                    "J207",
                    evaluation.path,
                    line,
                    col,
                    f"このケースにプラン第{evaluation.plan_version}版がありません (unknown plan version)",
                    "評価したプランの version を書いてください",
                )
            )
            continue
        ids = {g.id for g in evaluated.goals}
        for result in evaluation.goals:
            if result.goal is not None and result.goal not in ids:
                line, col = result.at("goal")
                found.append(
                    error(
                        "J206",
                        evaluation.path,
                        line,
                        col,
                        f"目標「{result.goal}」がプラン第{evaluated.version}版にありません (unknown goal)",
                        f"プランの目標: {', '.join(i for i in ids if i)}",
                    )
                )
    for sheet in case.sheets:
        refs.ref("J202", sheet, sheet.author, "author")
    for record in case.records:
        refs.refs("J202", record, record.staff, "staff")
        refs.ref("J203", record, record.organization, "organization")
        refs.ref("J204", record, record.resource, "resource")
    refs.ref("J202", case, case.received_by, "intake", "received_by")
    refs.ref("J202", case, case.coordinator, "coordinator")
    refs.ref("J203", case, case.intake_from, "intake", "from")
    refs.ref("J205", case, case.referral, "intake", "referral")
    for consent in case.consents:
        refs.refs("J203", consent, consent.scope, "scope")
    return found


def check(repo: Repository, today: date) -> list[Diagnostic]:
    refs = _Refs(repo)
    found: list[Diagnostic] = []
    found += _duplicates(repo.cases, "ケース")
    found += _duplicates(repo.referrals, "つなぐシート")
    found += _duplicates(repo.meetings, "会議")
    found += _duplicates(repo.organizations, "機関")
    found += _duplicates(repo.members, "職員")
    found += _duplicates(repo.resources, "社会資源")
    for member in repo.members:
        refs.ref("J203", member, member.organization, "organization")
    for resource in repo.resources:
        refs.ref("J203", resource, resource.organization, "organization")
    for case in repo.cases:
        found += _case_internal(case, refs)
    for record in repo.records:
        refs.refs("J202", record, record.staff, "staff")
        refs.ref("J203", record, record.organization, "organization")
        refs.ref("J204", record, record.resource, "resource")
    for referral in repo.referrals:
        refs.ref("J203", referral, referral.from_organization, "from", "organization")
        refs.ref("J202", referral, referral.from_staff, "from", "staff")
        refs.ref("J201", referral, referral.case, "case")
        for target in referral.to:
            refs.ref("J203", target, target.organization, "organization")
    for proposal in repo.proposals:
        refs.ref("J205", proposal, proposal.referral, "referral")
        refs.ref("J203", proposal, proposal.to, "to")
        refs.ref("J202", proposal, proposal.author, "author")
    for meeting in repo.meetings:
        refs.ref("J202", meeting, meeting.chair, "chair")
        refs.refs("J202", meeting, meeting.attendees, "attendees")
        for item in meeting.items:
            refs.ref("J201", item, item.case, "case")
            if item.attendees is not None:
                refs.refs("J202", item, item.attendees, "attendees")
                for i, who in enumerate(item.attendees):
                    if who not in meeting.attendees and who in refs.known["J202"]:
                        line, col = item.at("attendees", i)
                        found.append(
                            warning(
                                "J210",
                                item.path,
                                line,
                                col,
                                f"「{who}」は会議の attendees にいません (item attendee not at the meeting)",
                                "会議全体の attendees にも加えてください",
                            )
                        )
            discussed = repo.case(item.case)
            if (
                discussed is not None
                and item.plan_version is not None
                and discussed.plan(item.plan_version) is None
            ):
                line, col = item.at("plan_version")
                found.append(
                    error(
                        "J207",
                        item.path,
                        line,
                        col,
                        f"{discussed.id} にプラン第{item.plan_version}版がありません (unknown plan version)",
                        "検討したプランの version を書いてください",
                    )
                )
    return found + refs.found
