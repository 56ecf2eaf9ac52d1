"""Rule 1: every reference resolves and every id is unique (codes J201–J210)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from datetime import date

from jushou_cli.model.catalogue import repository as problems
from jushou_cli.model.diagnostics import Diagnostic, Problem
from jushou_cli.model.records import Case, Repository, Sourced

# What a reference that resolves nowhere reports, by what it names; also the key of the ids known.
_CASE, _MEMBER, _ORGANIZATION = problems.UNKNOWN_CASE, problems.UNKNOWN_MEMBER, problems.UNKNOWN_ORGANIZATION
_RESOURCE, _REFERRAL = problems.UNKNOWN_RESOURCE, problems.UNKNOWN_REFERRAL


class Refs:
    """The ids a reference may name, and the findings of references that name none."""

    def __init__(self, repo: Repository) -> None:
        self.repo = repo
        self.found: list[Diagnostic] = []
        self.known: dict[Problem, set[str]] = {
            # A case whose case.yaml failed to parse is known by its folder: no cascade.
            _CASE: {c.id for c in repo.cases}
            | {f.split("/")[1] for f in repo.files if f.startswith("cases/") and f.endswith("/case.yaml")},
            _MEMBER: {m.id for m in repo.members},
            _ORGANIZATION: {o.id for o in repo.organizations},
            _RESOURCE: {r.id for r in repo.resources},
            _REFERRAL: {r.id for r in repo.referrals}
            | {
                f.rsplit("/", 1)[-1].removesuffix(".yaml")
                for f in repo.files
                if f.startswith("referrals/") and not f.endswith("-proposal.yaml")
            },
        }
        # A registry that is missing (J307) or failed to load (its own diagnostics) would turn
        # every reference to it into an error: say it once instead.
        self.skip: set[Problem] = set()
        for unknown, kind in (
            (_MEMBER, "members"),
            (_ORGANIZATION, "organizations"),
            (_RESOURCE, "resources"),
        ):
            required = kind != "resources"
            if kind not in repo.registries_present and (required or f"{kind}.yaml" in repo.files):
                self.skip.add(unknown)

    def take(self) -> list[Diagnostic]:
        """The findings of references made since the last take."""
        found, self.found = self.found, []
        return found

    def ref(self, unknown: Problem, owner: Sourced, value: str | None, *path: str | int) -> None:
        if value is None or unknown in self.skip or value in self.known[unknown]:
            return
        self.found.append(unknown.at(owner, *path, id=value))

    def refs(self, unknown: Problem, owner: Sourced, values: Sequence[str], *path: str | int) -> None:
        for i, value in enumerate(values):
            self.ref(unknown, owner, value, *path, i)


def _duplicates(items: Iterable[Sourced], label: str) -> list[Diagnostic]:
    by_id: dict[str, list[Sourced]] = defaultdict(list)
    for item in items:
        ident = getattr(item, "id", "")
        if ident:
            by_id[ident].append(item)
    found = []
    for ident, group in by_id.items():
        first = group[0]
        for dup in group[1:]:
            if first.path != dup.path:
                found.append(problems.DUPLICATE_ID.at(dup, "id", label=label, id=ident, file=first.path))
            else:
                first_line = first.at("id")[0]
                found.append(
                    problems.DUPLICATE_ID_IN_FILE.at(dup, "id", label=label, id=ident, first_line=first_line)
                )
    return found


def _case_internal(case: Case, refs: Refs) -> list[Diagnostic]:
    found: list[Diagnostic] = []
    versions: dict[int, str] = {}
    for plan in case.plans:
        assert plan.version is not None
        if plan.version in versions:
            found.append(
                problems.DUPLICATE_PLAN_VERSION.at(
                    plan, "version", version=plan.version, file=versions[plan.version]
                )
            )
        versions.setdefault(plan.version, plan.path)
        goal_ids: dict[str, int] = {}
        for goal in plan.goals:
            if goal.id is None:
                continue
            if goal.id in goal_ids:
                found.append(problems.DUPLICATE_GOAL_ID.at(goal, "id", goal=goal.id))
            goal_ids.setdefault(goal.id, 0)
        for action in plan.actions:
            refs.ref(_ORGANIZATION, action, action.organization, "organization")
            if action.goal is not None and action.goal not in goal_ids:
                found.append(problems.UNKNOWN_GOAL.at(action, "goal", goal=action.goal))
    for evaluation in case.evaluations:
        if evaluation.plan_version is None:
            continue
        evaluated = case.plan(evaluation.plan_version)
        if evaluated is None:
            found.append(
                problems.UNKNOWN_PLAN_VERSION_EVALUATED.at(
                    evaluation, "plan_version", version=evaluation.plan_version
                )
            )
            continue
        ids = {g.id for g in evaluated.goals}
        for result in evaluation.goals:
            if result.goal is not None and result.goal not in ids:
                found.append(
                    problems.UNKNOWN_GOAL_EVALUATED.at(
                        result,
                        "goal",
                        goal=result.goal,
                        version=evaluated.version,
                        goals=", ".join(dict.fromkeys(g.id for g in evaluated.goals if g.id)),
                    )
                )
    for sheet in case.sheets:
        refs.ref(_MEMBER, sheet, sheet.author, "author")
    for record in case.records:
        refs.refs(_MEMBER, record, record.staff, "staff")
        refs.ref(_ORGANIZATION, record, record.organization, "organization")
        refs.ref(_RESOURCE, record, record.resource, "resource")
    refs.ref(_MEMBER, case, case.received_by, "intake", "received_by")
    refs.ref(_MEMBER, case, case.coordinator, "coordinator")
    refs.ref(_ORGANIZATION, case, case.intake_from, "intake", "from")
    refs.ref(_REFERRAL, case, case.referral, "intake", "referral")
    if case.intake_concern is not None:
        found += _intake_concern(refs.repo, case)
    for consent in case.consents:
        refs.refs(_ORGANIZATION, consent, consent.scope, "scope")
    return found


def _intake_concern(repo: Repository, case: Case) -> list[Diagnostic]:
    """`intake.concern: M…#N` names a concern item, whose `case` is this case."""
    ref = case.intake_concern or ""
    meeting_id, _, number = ref.partition("#")
    meeting = repo.meeting(meeting_id)
    index = int(number) - 1 if number.isdigit() else -1
    if meeting is None or not 0 <= index < len(meeting.items) or meeting.items[index].concern is None:
        return [problems.UNKNOWN_CONCERN.at(case, "intake", "concern", ref=ref)]
    item = meeting.items[index]
    where = {"ref": ref, "case": case.id, "meeting": meeting.id, "number": index + 1}
    if item.case is None:
        return [problems.CONCERN_WITHOUT_CASE.at(case, "intake", "concern", **where)]
    if item.case != case.id:
        return [problems.CONCERN_CASE_DISAGREES.at(case, "intake", "concern", item_case=item.case, **where)]
    return []


def check(repo: Repository, today: date) -> list[Diagnostic]:
    refs = Refs(repo)
    found = check_rest(repo, refs)
    for case in repo.cases:
        found += check_case(case, refs)
    return found


def check_case(case: Case, refs: Refs) -> list[Diagnostic]:
    """Rule 1 within one case: what its files name (checks/__init__.py runs it case by case)."""
    return _case_internal(case, refs) + refs.take()


def check_rest(repo: Repository, refs: Refs) -> list[Diagnostic]:
    """Rule 1 over everything but the cases' own files: unique ids, and what the registries,
    top-level records, community activities, referrals, proposals and meetings name."""
    found: list[Diagnostic] = []
    found += _duplicates(repo.cases, "ケース")
    found += _duplicates(repo.referrals, "つなぐシート")
    found += _duplicates(repo.meetings, "会議")
    found += _duplicates(repo.organizations, "機関")
    found += _duplicates(repo.members, "職員")
    found += _duplicates(repo.resources, "社会資源")
    for member in repo.members:
        refs.ref(_ORGANIZATION, member, member.organization, "organization")
    for resource in repo.resources:
        refs.ref(_ORGANIZATION, resource, resource.organization, "organization")
    for record in repo.records:
        refs.refs(_MEMBER, record, record.staff, "staff")
        refs.ref(_ORGANIZATION, record, record.organization, "organization")
        refs.ref(_RESOURCE, record, record.resource, "resource")
    for activity in repo.community:
        refs.ref(_RESOURCE, activity, activity.resource, "resource")
        refs.refs(_ORGANIZATION, activity, activity.organizations, "organizations")
        refs.refs(_MEMBER, activity, activity.staff, "staff")
    for referral in repo.referrals:
        refs.ref(_ORGANIZATION, referral, referral.from_organization, "from", "organization")
        refs.ref(_MEMBER, referral, referral.from_staff, "from", "staff")
        refs.ref(_CASE, referral, referral.case, "case")
        for target in referral.to:
            refs.ref(_ORGANIZATION, target, target.organization, "organization")
    for proposal in repo.proposals:
        refs.ref(_REFERRAL, proposal, proposal.referral, "referral")
        refs.ref(_ORGANIZATION, proposal, proposal.to, "to")
        refs.ref(_MEMBER, proposal, proposal.author, "author")
    for meeting in repo.meetings:
        refs.ref(_MEMBER, meeting, meeting.chair, "chair")
        refs.refs(_MEMBER, meeting, meeting.attendees, "attendees")
        for item in meeting.items:
            refs.ref(_CASE, item, item.case, "case")
            if item.concern is not None:
                refs.ref(_ORGANIZATION, item.concern, item.concern.from_organization, "from")
            if item.attendees is not None:
                refs.refs(_MEMBER, item, item.attendees, "attendees")
                for i, who in enumerate(item.attendees):
                    if who not in meeting.attendees and who in refs.known[_MEMBER]:
                        found.append(problems.ITEM_ATTENDEE_ABSENT.at(item, "attendees", i, member=who))
            discussed = repo.case(item.case)
            if (
                discussed is not None
                and item.plan_version is not None
                and discussed.plan(item.plan_version) is None
            ):
                found.append(
                    problems.UNKNOWN_PLAN_VERSION_DISCUSSED.at(
                        item, "plan_version", case=discussed.id, version=item.plan_version
                    )
                )
    return found + refs.take()
