"""A generated city: a valid case repository shaped like a real one, for benchmarks and tests.

    python -m benchmarks.generate --cases 5000 --years 10 --seed 1 --out /tmp/city [--end-fy 2025]

Cases are spread over the `--years` fiscal years ending at `--end-fy` (default: the fiscal year
before the current one, so nothing lies in the future). Each case is simulated along its life
— intake, consent, assessment, plan, monitoring, re-plans, closure or suspension — and every
mandatory 重層的支援会議 is booked on its area's fortnightly meeting, so the repository passes
`jushou validate` with no error and no warning: each plan version has its meeting within 30 days,
closures and suspensions have theirs on or before the date (suspensions after ≥ 3 failed contacts
in the 90 days before), and a multilayer item names only a consented case with attendees from
organizations in the consent's scope. Cases without consent go to 支援会議 only.

The same seed writes the same bytes (one `random.Random`, no set iteration, no clock). Standard
library and jushou_cli.dates (the fiscal year and its 和暦 name) only; files are written directly
as text (see emit.py).
"""

from __future__ import annotations

import argparse
import bisect
import os
import random
import sys
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path

from benchmarks import programme
from benchmarks import vocabulary as V
from benchmarks.emit import flow, literal, prose, scalar, seq
from benchmarks.writers import Sink
from jushou_cli.model.dates import fiscal_year, wareki_fy

DAY = timedelta(days=1)
PLAN_WITHIN = 30  # jushou.yaml rules: plan_meeting_within_days (the default, written out)
MEETING_EVERY = 14  # each area's 重層的支援会議 is fortnightly: a plan's meeting is ≤ 28 days away
SOLO_PER_CASE = 2.3  # stand-alone records (records/<fy>/) per case taken in that year
OTHER_REFERRALS_PER_CASE = 0.12  # つなぐシート that do not become a case


def md(day: date) -> str:
    return f"{day.month}月{day.day}日"


def workday(day: date) -> date:
    """Saturday and Sunday move to Monday (offices are closed)."""
    wd = day.weekday()
    return day + (7 - wd) * DAY if wd >= 5 else day


def pick(rng: random.Random, weighted: Sequence[tuple[str, int]]) -> str:
    total = sum(w for _, w in weighted)
    x = rng.random() * total
    for value, weight in weighted:
        x -= weight
        if x < 0:
            return value
    return weighted[-1][0]


# --- the city's people and meeting calendar --------------------------------------------------


@dataclass(slots=True)
class Member:
    id: str
    name: str
    organization: str
    role: str
    pledge: date | None


@dataclass(slots=True)
class Consent:
    date: date
    method: str
    scope: list[str]
    expires: date | None
    withdrawn: date | None = None


@dataclass(slots=True)
class Item:
    case: str
    timing: str
    attendees: list[str]
    discussion: str
    decisions: list[str] = field(default_factory=list)
    plan_version: int | None = None
    next_review: date | None = None


@dataclass(slots=True)
class Meeting:
    type: str
    date: date
    status: str
    chair: str
    place: str
    start: str
    attendees: list[str] = field(default_factory=list)  # besides the items' attendees
    items: list[Item] = field(default_factory=list)
    minutes: list[str] = field(default_factory=list)
    resources_review: str | None = None
    next_meeting: date | None = None
    order: int = 0


@dataclass(slots=True)
class Series:
    """A recurring meeting (one area's 重層的支援会議 or 支援会議): dates and their status."""

    type: str
    group: int
    dates: list[date]
    status: list[str]
    chair: str
    place: str
    start: str
    meetings: dict[date, Meeting] = field(default_factory=dict)

    def meeting(self, day: date) -> Meeting:
        if day not in self.meetings:
            i = self.dates.index(day)
            nxt = self.dates[i + 1] if i + 1 < len(self.dates) else None
            self.meetings[day] = Meeting(
                self.type,
                day,
                self.status[i],
                self.chair,
                self.place,
                self.start,
                next_meeting=nxt,
                order=self.group,
            )
        return self.meetings[day]

    def next_after(self, day: date) -> tuple[date | None, date | None]:
        """The first held date after `day` and the cancelled one skipped on the way (if any).
        None when the next one is only planned or beyond the calendar."""
        i = bisect.bisect_right(self.dates, day)
        skipped = None
        while i < len(self.dates):
            status = self.status[i]
            if status == "held":
                return self.dates[i], skipped
            if status == "planned":
                return None, skipped
            skipped = self.dates[i]
            i += 1
        return None, skipped


# --- one case --------------------------------------------------------------------------------


@dataclass(slots=True)
class Record:
    date: date
    type: str
    staff: list[str]
    topic: str
    contact: str
    summary: str
    outreach: bool = False
    resource: str | None = None
    organization: str | None = None
    person: str | None = None


@dataclass(slots=True)
class Case:
    index: int  # order of intake over the whole city (names the pseudonym)
    id: str
    fy: int
    intake: date
    profile: V.Profile
    group: int
    route: str
    intake_from: str | None
    coordinator: str
    received_by: str
    fate: str
    referral: str | None = None
    consents: list[Consent] = field(default_factory=list)
    sheets: list[tuple[date, str, list[str]]] = field(default_factory=list)
    records: list[Record] = field(default_factory=list)
    closure: tuple[date, str, str] | None = None
    suspension: tuple[date, str, str] | None = None
    plans: list[tuple[int, date, list[tuple[str, str]], date]] = field(default_factory=list)
    resource: str | None = None
    quiet: list[tuple[date, date]] = field(default_factory=list)  # no ordinary activity here
    active: list[tuple[date, date]] = field(default_factory=list)

    @property
    def pseudonym(self) -> str:
        return f"{chr(65 + self.index % 26)}{self.index // 26 + 1}さん"

    def consent_on(self, day: date) -> Consent | None:
        given = [c for c in self.consents if c.date <= day]
        return given[-1] if given else None


@dataclass(slots=True)
class Referral:
    date: date
    from_org: str
    staff: str
    pseudonym: str
    complaint: str
    topics: list[str]
    to: list[tuple[str, date, str]]
    consent: str
    case: Case | None = None
    name: tuple[str, str] | None = None
    id: str = ""
    proposal: date | None = None


# --- the generator ---------------------------------------------------------------------------


class City:
    def __init__(self, sink: Sink, cases: int, years: int, seed: int, end_fy: int) -> None:
        if cases < 1 or years < 1:
            raise ValueError("--cases and --years must be at least 1")
        self.sink = sink
        self.rng = random.Random(seed)
        self.n_cases = cases
        self.first_fy = end_fy - years + 1
        self.fys = list(range(self.first_fy, end_fy + 1))
        self.start = date(self.first_fy, 4, 1)
        self.cutoff = date(end_fy + 1, 3, 31)
        self.counts: dict[str, int] = {}
        self.groups = max(1, min(len(V.AREAS), round(cases / years / 70)))
        self.solo_index = 0
        self._members()
        self._calendar()
        self.other_meetings: list[Meeting] = []
        self.referrals: list[Referral] = []

    # -- writing

    def write(self, rel: str, kind: str, lines: list[str]) -> None:
        self.sink.put(rel, "\n".join(lines) + "\n")
        self.counts[kind] = self.counts.get(kind, 0) + 1

    # -- registries

    def _members(self) -> None:
        rng = self.rng
        self.members: list[Member] = []
        surnames = list(V.STAFF_SURNAMES)
        for org, role, n in V.STAFFING:
            for _ in range(n):
                sid, surname = surnames[len(self.members)]
                name = f"{surname} {rng.choice(V.STAFF_GIVEN)}"
                self.members.append(Member(sid, name, org, role, self.start))
        # A few joined later (pledged later), a few never handed in the pledge: those never sit
        # on a 支援会議 (rule 3), but may attend 重層的支援会議 and case conferences.
        no_pledge = {"zeimu": 1, "kokusai": 0, "byoin": 1}
        for org, k in no_pledge.items():
            self.by_org(org)[k].pledge = None
        for m in rng.sample([m for m in self.members if m.organization not in ("marugoto", *no_pledge)], 6):
            fy = rng.choice(self.fys)
            m.pledge = date(fy, 4, 1) + rng.randint(0, 90) * DAY
        marugoto = self.by_org("marugoto")
        self.chief = marugoto[0]
        self.coordinators = [m for m in marugoto if m.role.startswith("総合相談支援員")]
        self.outreach_staff = [m for m in marugoto if m.role == "アウトリーチ支援員"]
        self.member_by_id = {m.id: m for m in self.members}

    def by_org(self, org: str) -> list[Member]:
        return [m for m in self.members if m.organization == org]

    def registries(self) -> None:
        self.write(
            "jushou.yaml",
            "config",
            [
                f"# {V.TOWN} 重層的支援体制整備事業 ケース記録リポジトリ(生成した架空の市・ベンチマーク用)",
                "kind: config",
                f"town: {V.TOWN}",
                f"office: {V.OFFICE}",
                "rules:",
                f"  plan_meeting_within_days: {PLAN_WITHIN}",
                "  monitoring_grace_days: 14",
                "  suspension_min_attempts: 3",
                "  suspension_window_days: 90",
                "  consent_warning_days: 30",
                "retention_years: 5",
            ],
        )
        out = ["# 支援関係機関", "kind: organizations", "organizations:"]
        for oid, name, short, fld, programs in V.ORGANIZATIONS:
            out += [
                f"  - id: {oid}",
                f"    name: {scalar(name)}",
                f"    short_name: {scalar(short)}",
                f"    field: {fld}",
                f"    programs: {flow(programs)}",
            ]
        self.write("organizations.yaml", "organizations", out)
        out = [
            "# 職員・構成員名簿。守秘義務の誓約書を受け取ったら pledge_date を入れる",
            "kind: members",
            "members:",
        ]
        for m in self.members:
            out += [
                f"  - id: {m.id}",
                f"    name: {m.name}",
                f"    organization: {m.organization}",
                f"    role: {scalar(m.role)}",
            ]
            if m.pledge:
                out.append(f"    pledge_date: {m.pledge.isoformat()}")
        self.write("members.yaml", "members", out)
        out = ["# 社会資源(参加支援・地域づくり)", "kind: resources", "resources:"]
        for rid, name, rtype, area, org in V.RESOURCES:
            out += [f"  - id: {rid}", f"    name: {scalar(name)}", f"    type: {rtype}"]
            if programme.area_id(area):  # areas.yaml's id; the whole city (全域) is no area
                out.append(f"    area: {programme.area_id(area)}")
            if org:
                out.append(f"    organization: {org}")
        self.write("resources.yaml", "resources", out)

    # -- the meeting calendar

    def _calendar(self) -> None:
        rng = self.rng
        self.multilayer: list[Series] = []
        self.support: list[Series] = []
        planned_from = self.cutoff - 14 * DAY
        for g in range(self.groups):
            weekday = (1, 3, 2, 4, 0, 1, 3, 2)[g]
            day = self.start + ((weekday - self.start.weekday()) % 7 + 7 * (g % 2)) * DAY
            dates = []
            while day <= self.cutoff:
                shifted = day
                if (day.month == 12 and day.day >= 28) or (day.month == 1 and day.day <= 4):
                    shifted = date(day.year + (day.month == 12), 1, 6)
                if not dates or shifted > dates[-1]:
                    dates.append(shifted)
                day += MEETING_EVERY * DAY
            self.multilayer.append(
                Series(
                    "multilayer_meeting",
                    g,
                    dates,
                    self._statuses(dates, planned_from, 0.02),
                    self.coordinators[g % len(self.coordinators)].id,
                    V.PLACES[g % len(V.PLACES)],
                    rng.choice(("13:30", "14:00")),
                )
            )
            monthly = []
            for fy in self.fys:
                for month in (4, 5, 6, 7, 8, 9, 10, 11, 12, 1, 2, 3):
                    year = fy if month >= 4 else fy + 1
                    first = date(year, month, 1)
                    third = first + ((weekday - first.weekday()) % 7 + 14) * DAY
                    if third <= self.cutoff:
                        monthly.append(third)
            self.support.append(
                Series(
                    "support_meeting",
                    g,
                    monthly,
                    self._statuses(monthly, planned_from, 0.03),
                    self.chief.id,
                    V.PLACES[(g + 3) % len(V.PLACES)],
                    "15:30",
                )
            )

    def _statuses(self, dates: list[date], planned_from: date, cancel: float) -> list[str]:
        out: list[str] = []
        for day in dates:
            if day > planned_from:
                out.append("planned")
            elif out and out[-1] == "cancelled":
                out.append("held")  # never two in a row: a plan's meeting stays within 30 days
            else:
                out.append("cancelled" if self.rng.random() < cancel else "held")
        return out

    # -- intake: who comes when, and by which referral

    def intakes(self) -> list[Case]:
        rng = self.rng
        years = len(self.fys)
        weights = [0.8 + 0.4 * i / max(1, years - 1) for i in range(years)]
        total = sum(weights)
        shares = [self.n_cases * w / total for w in weights]
        per_fy = [int(s) for s in shares]
        for i in sorted(range(years), key=lambda i: per_fy[i] - shares[i])[: self.n_cases - sum(per_fy)]:
            per_fy[i] += 1
        if max(per_fy) > 9999:
            raise ValueError("more than 9999 cases in one fiscal year: ids have 4 digits")
        cases: list[Case] = []
        profiles = [(str(i), p.weight) for i, p in enumerate(V.PROFILES)]
        for fy, n in zip(self.fys, per_fy, strict=True):
            start = date(fy, 4, 1)
            span = (min(date(fy + 1, 3, 31), self.cutoff) - start).days
            days = sorted(workday(start + rng.randint(0, span) * DAY) for _ in range(n))
            for serial, day in enumerate(days, start=1):
                if day > date(fy + 1, 3, 31):  # a Saturday March 30 moved into the next year
                    day -= 3 * DAY
                profile = V.PROFILES[int(pick(rng, profiles))]
                route = pick(rng, profile.routes or V.ROUTES)
                orgs = [o for o in profile.orgs if o != "marugoto"]
                intake_from = (
                    orgs[min(int(rng.expovariate(1.0)), len(orgs) - 1)] if route == "agency" else None
                )
                fate = pick(
                    rng,
                    (
                        ("normal", 70),
                        ("suspend", 7),
                        ("withdraw", 3),
                        ("close_no_plan", 7),
                        ("no_consent", 8),
                        ("late_consent", 5),
                    ),
                )
                if profile.key == "hoarding" and rng.random() < 0.5:
                    fate = "no_consent"
                case = Case(
                    len(cases),
                    f"C{fy}-{serial:04d}",
                    fy,
                    day,
                    profile,
                    rng.randrange(self.groups),
                    route,
                    intake_from,
                    rng.choice(self.coordinators).id,
                    rng.choice(self.coordinators).id,
                    fate,
                )
                cases.append(case)
        # The first cases of the city follow each path once, so that a small city has them all.
        for case, fate in zip(
            cases, ("normal", "suspend", "no_consent", "withdraw", "close_no_plan"), strict=False
        ):
            case.fate = fate
        for case in cases:
            if case.route == "agency" and case.intake_from and rng.random() < 0.7:
                day = workday(case.intake - rng.randint(0, 10) * DAY)
                if day >= self.start and day <= case.intake:
                    self._case_referral(case, day)
        return cases

    def _case_referral(self, case: Case, day: date) -> None:
        rng = self.rng
        assert case.intake_from
        to = [("marugoto", case.intake, "connected")]
        if rng.random() < 0.25:
            other = rng.choice([o for o in case.profile.orgs if o not in ("marugoto", case.intake_from)])
            to.append((other, case.intake, rng.choice(("connected", "connected", "pending"))))
        ref = Referral(
            day,
            case.intake_from,
            rng.choice(self.by_org(case.intake_from)).id,
            case.pseudonym,
            rng.choice(case.profile.complaints),
            self._topics(case.profile, 2),
            to,
            pick(rng, (("signed", 70), ("verbal", 20), ("none", 10))),
            case,
        )
        self.referrals.append(ref)

    def _topics(self, profile: V.Profile, n: int) -> list[str]:
        found: list[str] = []
        for _ in range(n * 3):
            topic = pick(self.rng, profile.topics)
            if topic not in found:
                found.append(topic)
            if len(found) == n:
                break
        return found

    def other_referrals(self) -> None:
        """つなぐシート that did not become a case: proposals, declined, pending, or connected elsewhere."""
        rng = self.rng
        senders = [o for o, *_ in V.ORGANIZATIONS if o not in ("marugoto", "minsei", "chiiki")]
        for fy in self.fys:
            end = min(date(fy + 1, 3, 31), self.cutoff)
            n = max(1, round(OTHER_REFERRALS_PER_CASE * self.n_cases / len(self.fys)))
            for k in range(n):
                day = workday(date(fy, 4, 1) + rng.randint(0, (end - date(fy, 4, 1)).days) * DAY)
                if day > end:
                    continue
                profile = V.PROFILES[rng.randrange(len(V.PROFILES))]
                sender = rng.choice(senders)
                # The first two of each year: a proposal and a declined one (a small city has both).
                result = (
                    ("proposal", "declined")[k]
                    if k < 2
                    else pick(rng, (("proposal", 35), ("declined", 15), ("pending", 15), ("connected", 35)))
                )
                if result == "pending" and (self.cutoff - day).days > 60:
                    result = "connected"
                answer = min(workday(day + rng.randint(1, 5) * DAY), self.cutoff)
                target = "marugoto"
                if result == "connected":
                    target = rng.choice([o for o in profile.orgs if o != sender] or ["jiritsu"])
                ref = Referral(
                    day,
                    sender,
                    rng.choice(self.by_org(sender)).id,
                    self._solo_pseudonym(),
                    rng.choice(profile.complaints),
                    self._topics(profile, 2),
                    [(target, answer, result)],
                    pick(rng, (("signed", 60), ("verbal", 30), ("none", 10))),
                )
                if result == "proposal":
                    ref.proposal = workday(day + rng.randint(7, 21) * DAY)
                    if ref.proposal > self.cutoff:
                        ref.proposal = None
                        ref.to = [(target, answer, "pending")]
                self.referrals.append(ref)
        by_fy: dict[int, list[Referral]] = {}
        for ref in self.referrals:
            by_fy.setdefault(fiscal_year(ref.date), []).append(ref)
        for fy, refs in sorted(by_fy.items()):
            refs.sort(key=lambda r: (r.date, r.from_org, r.pseudonym))
            for serial, ref in enumerate(refs, start=1):
                ref.id = f"R{fy}-{serial:04d}"
                if ref.case:
                    ref.case.referral = ref.id

    def _solo_pseudonym(self) -> str:
        self.solo_index += 1
        return f"{chr(65 + (self.solo_index * 7) % 26)}{self.solo_index // 26 + 1001}さん"

    # -- one case's life

    def simulate(self, case: Case) -> None:
        rng = self.rng
        d0 = case.intake
        cut = self.cutoff
        self._record(case, d0, self._first_type(case), outreach=case.route == "outreach")
        assessed = None
        if rng.random() < 0.93:
            day = workday(d0 + rng.randint(3, 30) * DAY)
            if day <= cut:
                assessed = day
                self._assessment(case, day)
        if case.fate == "no_consent":
            last = self._support_phase(case, d0, rng.randint(1, 4))
            case.active.append((d0, min(cut, (last or d0) + 60 * DAY)))
            return
        given = workday(d0 + rng.randint(0, 21) * DAY)
        if case.fate == "late_consent":
            last = self._support_phase(case, d0, rng.randint(1, 3)) or d0
            given = workday(last + rng.randint(14, 90) * DAY)
        if given > cut:
            case.active.append((d0, cut))
            return
        scope = ["marugoto"]
        for org in case.profile.orgs:
            if org not in scope and (org == case.intake_from or rng.random() < 0.55 or len(scope) < 3):
                scope.append(org)
        method = "signed" if rng.random() < 0.75 else "verbal"
        expires = given + (364 if method == "signed" else 182) * DAY
        if method == "signed" and rng.random() < 0.4:
            expires = None
        case.consents.append(Consent(given, method, scope, expires))
        begin = max(given, assessed or d0)
        if assessed and rng.random() < 0.3:
            day = workday(assessed + rng.randint(0, 10) * DAY)
            if day <= cut:
                self._grid(case, day)
                begin = max(begin, day)
        if case.fate == "close_no_plan":
            end = self._close(case, workday(begin + rng.randint(14, 60) * DAY), None)
            case.active.append((d0, end or cut))
            return
        plan_day = workday(begin + rng.randint(5, 25) * DAY)
        if not self._plan(case, plan_day, 1):
            case.active.append((d0, cut))
            return
        replans = pick(rng, (("0", 58), ("1", 28), ("2", 11), ("3", 3)))
        end = self._cycles(case, int(replans))
        case.active.append((d0, end))

    def _cycles(self, case: Case, replans: int) -> date:
        """Monitoring, evaluations and re-plans after plan v1; returns the end of activity."""
        rng = self.rng
        cut = self.cutoff
        version, _, goals, monitoring = case.plans[-1]
        while True:
            for _ in range(rng.choice((0, 0, 1, 1, 2))):
                if monitoring > cut:
                    return cut
                self._monitor(case, monitoring, version, goals, "continue")
                monitoring = workday(monitoring + rng.choice((90, 120, 180)) * DAY)
            if monitoring > cut:
                return cut
            if replans > 0:
                evaluated = self._monitor(case, monitoring, version, goals, "replan")
                if evaluated is None:
                    return cut
                if not self._plan(case, workday(evaluated + rng.randint(1, 14) * DAY), version + 1):
                    return cut
                replans -= 1
                version, _, goals, monitoring = case.plans[-1]
                continue
            if case.fate == "suspend":
                return self._suspend(case, monitoring, version, goals)
            if case.fate == "withdraw":
                return self._withdraw(case, monitoring, version, goals)
            evaluated = self._monitor(case, monitoring, version, goals, "close")
            if evaluated is None:
                return cut
            return self._close(case, evaluated, version) or cut

    def _monitoring_day(self, plan_day: date) -> date:
        return workday(plan_day + self.rng.choice((90, 90, 120, 180)) * DAY)

    def _monitor(
        self, case: Case, day: date, version: int, goals: list[tuple[str, str]], next_: str
    ) -> date | None:
        """The monitoring visit, and an evaluation (always before a re-plan or closure)."""
        rng = self.rng
        if day > self.cutoff:
            return None
        self._record(case, day, "monitoring")
        if next_ == "continue" and rng.random() < 0.5:
            if rng.random() < 0.4:
                self._progress(case, day)
            return day
        evaluated = workday(day + rng.randint(0, 10) * DAY)
        if evaluated > self.cutoff:
            return None
        self._evaluation(case, evaluated, version, goals, next_)
        if next_ == "continue" and rng.random() < 0.5:
            self._progress(case, evaluated)
        return evaluated

    # -- consent

    def _ensure_consent(self, case: Case, day: date, renew_by: date | None = None) -> list[str] | None:
        """The scope of the consent in force on `day`, renewing an expiring consent (a new signed
        entry before it lapses, and not after `renew_by`); None when it was withdrawn."""
        rng = self.rng
        last = case.consents[-1]
        if last.withdrawn is not None:
            return None
        while last.expires is not None and last.expires < day:
            renewed = min(workday(last.expires - rng.randint(0, 20) * DAY), day, renew_by or day)
            if renewed <= last.date:
                renewed = last.date + DAY
            scope = list(last.scope)
            extra = [o for o in case.profile.orgs if o not in scope]
            if extra and rng.random() < 0.2:
                scope.append(extra[0])
            expires = None if rng.random() < 0.4 else renewed + 364 * DAY
            last = Consent(renewed, "signed", scope, expires)
            case.consents.append(last)
            self._record(
                case,
                renewed,
                "consultation",
                topic="other",
                summary=f"{case.pseudonym}と面談し、本人同意書を更新した(同じ範囲で1年)。",
            )
        in_force = case.consent_on(day)
        return in_force.scope if in_force else None

    def _attendees(self, case: Case, chair: str, scope: list[str]) -> list[str]:
        rng = self.rng
        people = [chair]
        if case.coordinator not in people:
            people.append(case.coordinator)
        others = [o for o in scope if o != "marugoto"]
        for org in rng.sample(others, min(len(others), rng.randint(1, 3))):
            staff = self.by_org(org)
            if staff:
                people.append(rng.choice(staff).id)
        return people

    # -- meetings a case goes to

    def _book(
        self,
        case: Case,
        after: date,
        timing: str,
        text: str,
        decisions: list[str],
        version: int | None = None,
        review: date | None = None,
    ) -> date | None:
        """An item on the first held 重層的支援会議 of the case's area after `after` (also on the
        cancelled one skipped on the way), when consent covers it; returns the meeting's date."""
        series = self.multilayer[case.group]
        day, skipped = series.next_after(after)
        if day is None:
            return None
        scope = self._ensure_consent(case, day)
        if scope is None:
            return None
        people = self._attendees(case, series.chair, scope)
        if skipped is not None and case.consent_on(skipped) is not None:
            series.meeting(skipped).items.append(
                Item(
                    case.id,
                    timing,
                    people,
                    "(中止)台風の接近により会議を中止。次回に持ち越す。",
                    plan_version=version,
                )
            )
        series.meeting(day).items.append(Item(case.id, timing, people, text, decisions, version, review))
        return day

    def _progress(self, case: Case, after: date) -> None:
        rng = self.rng
        text = rng.choice(
            (
                f"{case.pseudonym}のモニタリングの結果を共有。目標はおおむね順調でプランを継続する。",
                f"{case.pseudonym}の近況を確認。通院と家計は安定している。次のモニタリングで評価する。",
                f"{case.pseudonym}の参加の場への定着を確認。役割分担は変えずに継続する。",
            )
        )
        self._book(case, after, "progress", text, ["プランを継続"])

    def _support_phase(
        self, case: Case, start: date, n: int, first: str = "information_sharing"
    ) -> date | None:
        """Without consent (or after its withdrawal) the case is shared at 支援会議 only."""
        rng = self.rng
        series = self.support[case.group]
        last = None
        day = workday(start + rng.randint(7, 40) * DAY)
        for k in range(n):
            held, _ = series.next_after(day)
            if held is None:
                break
            timing = first if k == 0 else ("emergency" if rng.random() < 0.1 else "watching")
            text = {
                "information_sharing": f"{case.pseudonym}について近隣・関係機関からの情報を共有。本人の同意は"
                "得られていない。各機関が把握している状況を持ち寄った。",
                "watching": f"{case.pseudonym}の見守りの状況を共有。大きな変化はない。声かけを続ける。",
                "emergency": f"{case.pseudonym}の急な状況の変化(体調の悪化)を受け、対応を協議した。",
            }[timing]
            series.meeting(held).items.append(
                Item(case.id, timing, [], text, ["声かけと見守りを続ける", "変化があれば相談室に連絡する"])
            )
            if rng.random() < 0.7:
                self._record(case, workday(held + rng.randint(3, 20) * DAY), "visit", outreach=True)
            last = held
            day = held + rng.randint(60, 180) * DAY
        return last

    def _plan(self, case: Case, day: date, version: int) -> bool:
        rng = self.rng
        if day > self.cutoff:
            return False
        scope = case.consents[-1].scope
        candidates = [g for g in case.profile.goals if g[2] in scope] or list(case.profile.goals)
        chosen = rng.sample(candidates, min(len(candidates), rng.randint(2, 3)))
        goals = [(f"g{i}", text) for i, (text, _, _) in enumerate(chosen, start=1)]
        monitoring = self._monitoring_day(day)
        what = "プラン(第1版)" if version == 1 else f"再プラン(第{version}版)"
        if version == 1:
            text = (
                f"インテーク・アセスメントをもとに、{case.pseudonym}の本人目標{len(goals)}つと役割分担を確認。"
                f"{case.profile.policy[0]}"
            )
        else:
            text = (
                f"第{version - 1}版の評価をふまえ、{case.pseudonym}の状況の変化を確認し目標を見直した。"
                "役割分担を一部変更する。"
            )
        met = self._book(
            case,
            day,
            "plan_creation" if version == 1 else "replan",
            text,
            [f"{what}を了承", f"主担当は{self.member_by_id[case.coordinator].name}"],
            version,
            monitoring,
        )
        if met is None:
            return False
        case.plans.append((version, day, goals, monitoring))
        out = ["kind: plan", f"version: {version}", f"date: {day}", f"author: {case.coordinator}", "goals:"]
        for (gid, _), (text_, term, _) in zip(goals, chosen, strict=True):
            out += [f"  - id: {gid}", f"    text: {scalar(text_)}", f"    term: {term}"]
        prose(out, "policy", rng.choice(case.profile.policy))
        out.append("actions:")
        for (gid, _), (_, _, org) in zip(goals, chosen, strict=True):
            actor = org if org in scope else "marugoto"
            out += [
                f"  - goal: {gid}",
                f"    organization: {actor}",
                f"    task: {scalar(self._task(actor))}",
                f"    frequency: {rng.choice(('月1回', '2週に1回', '週1回', '随時'))}",
            ]
        out.append(f"monitoring: {monitoring}")
        case.sheets.append((day, "plan", out))
        if version == 1 and case.profile.participation and rng.random() < 0.5:
            case.resource = rng.choice(V.RESOURCES)[0]
        return True

    def _task(self, org: str) -> str:
        return {
            "marugoto": "訪問・電話で本人の様子を確認し、全体を調整",
            "shakyo": "参加の場の調整と初回の同行",
            "hoken": "健康相談と受診の勧奨",
            "shuro": "就労体験先の紹介と面談",
            "jiritsu": "家計の見直しと住居確保給付金の申請支援",
            "kodomo": "子どもと保護者との面談、学校との連絡",
            "kikan": "障害福祉サービスの利用調整",
            "zeimu": "分納の相談",
            "minsei": "週1回の声かけと見守り",
        }.get(org, "担当分野の支援と、相談室への状況の報告")

    def _close(self, case: Case, after: date, version: int | None) -> date | None:
        rng = self.rng
        reason = pick(rng, V.CLOSURE_REASONS)
        text = (
            f"{case.pseudonym}の目標の達成状況と支援者の状況を確認し、終結の評価を行った。"
            "フォローアップの要否と方法を確認した。"
        )
        if version is None:
            text = f"{case.pseudonym}は多機関での支援に至らず、他の支援に引き継ぐことを確認した。"
        met = self._book(
            case, after, "closure", text, ["終結とする", "フォローアップは3か月後に相談室から電話"]
        )
        if met is None:
            return None
        day = min(workday(met + rng.randint(0, 14) * DAY), self.cutoff)
        case.closure = (day, reason, rng.choice(V.CLOSURE_NOTES[reason]))
        if rng.random() < 0.3:
            follow = workday(day + rng.randint(60, 120) * DAY)
            if follow <= self.cutoff:
                self._record(
                    case,
                    follow,
                    "phone",
                    topic="other",
                    summary=f"終結後のフォローアップ。{case.pseudonym}に電話し、近況を確認した。変わりなし。",
                )
        return day

    def _suspend(self, case: Case, lost: date, version: int, goals: list[tuple[str, str]]) -> date:
        """Contact is lost: failed attempts, an evaluation, the suspension meeting, the suspension."""
        rng = self.rng
        cut = self.cutoff
        # Consent is renewed while the person can still be reached, not during the silence.
        self._ensure_consent(case, lost + 130 * DAY, renew_by=lost - DAY)
        days = sorted(workday(lost + d * DAY) for d in rng.sample(range(0, 60), rng.randint(3, 5)))
        days = [d for d in days if d <= cut]
        for d in days:
            self._failed(case, d)
        if len(days) < 3:
            case.quiet.append((lost, cut))
            return cut
        evaluated = workday(days[-1] + rng.randint(1, 7) * DAY)
        if evaluated > cut:
            case.quiet.append((lost, cut))
            return cut
        self._evaluation(case, evaluated, version, goals, "suspend")
        text = (
            f"{case.pseudonym}は{len(days)}回の連絡(訪問・電話・手紙)に応答がなく、関係者からも所在が"
            "分からない。中断を決定した。"
        )
        met = self._book(
            case, evaluated, "suspension", text, ["中断とする", "本人から連絡があればいつでも再開する"]
        )
        if met is None:
            case.quiet.append((lost, cut))
            return cut
        window = [d for d in days if met - 90 * DAY <= d <= met]
        while len(window) < 3:  # the meeting slipped: one more attempt just before it
            extra = met - rng.randint(1, 20) * DAY
            self._failed(case, extra)
            window.append(extra)
        day = min(workday(met + rng.randint(0, 10) * DAY), cut)
        reason = pick(rng, V.SUSPENSION_REASONS)
        case.suspension = (day, reason, rng.choice(V.SUSPENSION_NOTES[reason]))
        case.quiet.append((lost, day))
        return day

    def _failed(self, case: Case, day: date) -> None:
        kind = self.rng.choice(("visit", "phone", "phone", "letter", "mail"))
        self._record(
            case,
            day,
            kind,
            contact="failed",
            outreach=kind == "visit",
            summary=self.rng.choice(V.FAILED_LINES[kind]),
        )

    def _withdraw(self, case: Case, day: date, version: int, goals: list[tuple[str, str]]) -> date:
        rng = self.rng
        self._record(case, day, "monitoring")
        withdrawn = workday(day + rng.randint(1, 30) * DAY)
        if withdrawn > self.cutoff or self._ensure_consent(case, withdrawn) is None:
            return self.cutoff
        case.consents[-1].withdrawn = withdrawn
        self._record(
            case,
            withdrawn,
            "phone",
            topic="other",
            summary=(
                f"{case.pseudonym}から電話で同意の撤回の申出。相談室の担当とだけ話したいとのこと。"
                "以後は重層的支援会議には出さず、支援会議で見守りを共有する。"
            ),
        )
        last = self._support_phase(case, withdrawn, rng.randint(1, 3), "watching") or withdrawn
        return min(self.cutoff, last + 90 * DAY)

    # -- sheets

    def _assessment(self, case: Case, day: date) -> None:
        rng = self.rng
        p = case.profile
        age = rng.randint(*p.age)
        out = ["kind: intake_assessment", f"date: {day}", f"author: {case.coordinator}"]
        prose(out, "person_situation", rng.choice(p.situation).format(age=age))
        prose(out, "household_situation", rng.choice(p.household_situation))
        out.append("areas:")
        for area, texts in p.areas.items():
            out.append(f"  {area}: {scalar(rng.choice(texts))}")
        prose(out, "wishes", rng.choice(p.wishes))
        out.append(f"strengths: {flow(rng.sample(p.strengths, 3))}")
        out.append(f"urgency: {pick(rng, (('low', 25), ('medium', 55), ('high', 20)))}")
        prose(out, "assessment", rng.choice(p.assessment))
        case.sheets.append((day, "intake_assessment", out))

    def _grid(self, case: Case, day: date) -> None:
        rng = self.rng
        cells: list[tuple[str, str]] = []
        for area, texts in case.profile.cells.items():
            cells += [(area, t) for t in texts]
        generic = [
            ("person", "自分の気持ちを言葉にできる"),
            ("community", "近くに相談できる店がある"),
            ("agency", "相談室に気軽に電話できる"),
            ("family", "親戚が年に数回訪ねてくる"),
            ("person", "朝は決まった時間に起きている"),
            ("community", "自治会の回覧板が届く"),
        ]
        while len(cells) < 8:
            cells.append(generic[len(cells) % len(generic)])
        out = [
            "kind: strengths_grid",
            f"date: {day}",
            f"author: {case.coordinator}",
            f"center: {scalar(rng.choice(case.profile.center))}",
            "cells:",
        ]
        for area, text in cells[:8]:
            out += [f"  - area: {area}", f"    text: {scalar(text)}"]
        case.sheets.append((day, "strengths_grid", out))

    def _evaluation(
        self, case: Case, day: date, version: int, goals: list[tuple[str, str]], next_: str
    ) -> None:
        rng = self.rng
        results = {
            "continue": (("achieved", 30), ("partial", 60), ("not_achieved", 10)),
            "replan": (("achieved", 15), ("partial", 50), ("not_achieved", 35)),
            "close": (("achieved", 70), ("partial", 25), ("not_achieved", 5)),
            "suspend": (("achieved", 5), ("partial", 35), ("not_achieved", 60)),
        }[next_]
        comments = {
            "achieved": "目標を達成した",
            "partial": "一部できている。もう少し時間が必要",
            "not_achieved": "取り組めていない。方法を見直す",
        }
        out = [
            "kind: evaluation",
            f"date: {day}",
            f"author: {case.coordinator}",
            f"plan_version: {version}",
            "goals:",
        ]
        for gid, _ in goals:
            result = pick(rng, results)
            out += [f"  - goal: {gid}", f"    result: {result}", f"    comment: {comments[result]}"]
        prose(
            out,
            "situation_change",
            rng.choice(
                (
                    "表情が明るくなり、自分から近況を話すようになった。",
                    "体調に波があるが、通院は続いている。",
                    "家族との関係が少し改善した。",
                    "大きな変化はない。生活は落ち着いている。",
                )
            ),
        )
        prose(
            out,
            "overall",
            {
                "continue": "目標に向けて取組は進んでいる。プランを継続する。",
                "replan": "状況が変わり、目標と役割分担を見直す必要がある。再プランを提案する。",
                "close": "目標をおおむね達成し、多機関での見守りは不要と判断した。終結を提案する。",
                "suspend": "連絡が完全に途絶えており、支援を続けられない。中断を提案する。",
            }[next_],
        )
        out.append(f"next: {next_}")
        if next_ == "close":
            prose(
                out,
                "follow_up",
                "3か月後に相談室から電話で状況を確認する。変化があれば関係機関から相談室へ連絡してもらう。",
            )
        case.sheets.append((day, "evaluation", out))

    # -- activity records

    def _first_type(self, case: Case) -> str:
        return {
            "outreach": "visit",
            "neighbour": "visit",
            "welfare_commissioner": "visit",
            "family": "consultation",
            "self": "consultation",
        }.get(case.route, "consultation")

    def _record(
        self,
        case: Case,
        day: date,
        rtype: str,
        *,
        topic: str | None = None,
        contact: str = "made",
        outreach: bool = False,
        summary: str | None = None,
    ) -> None:
        rng = self.rng
        staff = [case.coordinator]
        organization = None
        resource = None
        if rtype == "participation":
            resource = case.resource or rng.choice(V.RESOURCES)[0]
            org = next(r[4] for r in V.RESOURCES if r[0] == resource) or "shakyo"
            staff = [rng.choice(self.by_org(org)).id]
            organization = org
        elif outreach and rng.random() < 0.4:
            staff = [rng.choice(self.outreach_staff).id]
        elif rng.random() < 0.2:
            scope = case.consents[-1].scope if case.consents else ["marugoto"]
            others = [o for o in scope if o != "marugoto"]
            if others:
                staff.append(rng.choice(self.by_org(rng.choice(others))).id)
        topic = topic or pick(rng, case.profile.topics)
        if summary is None:
            summary = self._summary(case.pseudonym, rtype, topic, resource)
        case.records.append(
            Record(day, rtype, staff, topic, contact, summary, outreach, resource, organization)
        )

    def _summary(self, who: str, rtype: str, topic: str, resource: str | None) -> str:
        rng = self.rng
        opener = rng.choice(V.TYPE_OPENERS[rtype]).format(
            p=who,
            place=rng.choice(V.ACCOMPANY_PLACES),
            resource=next((r[1] for r in V.RESOURCES if r[0] == resource), ""),
        )
        return opener + rng.choice(V.TOPIC_LINES[topic]) + rng.choice(V.CLOSING_LINES)

    def _fill(self, case: Case) -> None:
        """Ordinary activity (≈ every five weeks) while the case is active, none while contact is lost."""
        rng = self.rng
        plan1 = case.plans[0][1] if case.plans else None
        for start, end in case.active:
            end = min(end, self.cutoff)
            span = (end - start).days
            if span <= 0:
                continue
            n = min(24, int(span / rng.uniform(30, 48)))
            for _ in range(n):
                day = workday(start + rng.randint(1, span) * DAY)
                if day > end or any(a <= day <= b for a, b in case.quiet):
                    continue
                rtype = pick(rng, V.RECORD_TYPES)
                if rtype == "participation" and not (case.resource and plan1 and day > plan1):
                    rtype = "phone"
                outreach = (rtype == "visit" and rng.random() < 0.6) or (
                    rtype == "accompaniment" and rng.random() < 0.4
                )
                if case.fate == "no_consent" and rtype in ("consultation", "mail"):
                    rtype, outreach = "visit", True
                contact = "failed" if rtype in ("visit", "phone") and rng.random() < 0.05 else "made"
                summary = rng.choice(V.FAILED_LINES[rtype]) if contact == "failed" else None
                self._record(case, day, rtype, contact=contact, outreach=outreach, summary=summary)

    # -- writing a case

    def write_case(self, case: Case) -> None:
        rng = self.rng
        p = case.profile
        base = f"cases/{case.id}"
        names = {}
        for day, kind, lines in sorted(case.sheets, key=lambda s: (s[0], s[1])):
            stem = f"{day}-{kind}"
            names[stem] = names.get(stem, 0) + 1
            suffix = f"-{names[stem]}" if names[stem] > 1 else ""
            self.write(f"{base}/sheets/{stem}{suffix}.yaml", kind, lines)
        names = {}
        outreach = participation = False
        for r in sorted(case.records, key=lambda r: (r.date, r.type)):
            stem = f"{r.date}-{r.type}"
            names[stem] = names.get(stem, 0) + 1
            suffix = f"-{names[stem]}" if names[stem] > 1 else ""
            self.write(f"{base}/records/{stem}{suffix}.yaml", "record", self._record_lines(r))
            outreach = outreach or r.outreach
            participation = participation or r.type == "participation"
        surname, skana = rng.choice(V.PERSON_SURNAMES)
        given, gkana = rng.choice(V.PERSON_GIVEN)
        age = rng.randint(*p.age)
        born = date(case.intake.year - age, rng.randint(1, 12), rng.randint(1, 28))
        area = V.AREAS[case.group % len(V.AREAS)]
        out = [
            f"# {p.label}。{V.ROUTE_JA[case.route]}",
            "kind: case",
            f"id: {case.id}",
            f"pseudonym: {case.pseudonym}",
            "person:",
            f"  name: {surname} {given}",
            f"  kana: {skana} {gkana}",
            f"  birth_date: {born}",
            f"  address: {V.TOWN}{area}町{rng.randint(1, 5)}-{rng.randint(1, 20)}-{rng.randint(1, 30)}",
            f"  phone: 090-0000-{case.index % 10000:04d}",
        ]
        if p.household:
            out.append("household:")
            for relation, lo, hi, notes in p.household:
                if rng.random() < 0.8:
                    out += [
                        f"  - relation: {relation}",
                        f"    pseudonym: {case.pseudonym}の{relation}",
                        f"    birth_year: {born.year - rng.randint(lo, hi)}",
                        f"    notes: {scalar(rng.choice(notes))}",
                    ]
            if out[-1] == "household:":
                out[-1] = "household: []"
        else:
            out.append("household: []                 # 独居")
        out += ["intake:", f"  date: {case.intake}", f"  route: {case.route}"]
        if case.intake_from:
            out.append(f"  from: {case.intake_from}")
        if case.referral:
            out.append(f"  referral: {case.referral}")
        out.append(f"  received_by: {case.received_by}")
        out.append(f"chief_complaint: {scalar(rng.choice(p.complaints))}")
        extra = [i for i in p.extra_issues if rng.random() < 0.4]
        out.append(f"issues: {flow(list(p.issues) + extra)}")
        programs = []
        if case.plans or case.consents:
            programs.append("multi_agency")
        if outreach:
            programs.append("outreach")
        if participation:
            programs.append("participation_support")
        out.append(f"programs: {flow(programs or ['comprehensive_consultation'])}")
        out.append(f"coordinator: {case.coordinator}")
        if case.consents:
            out.append("consent:")
            for c in case.consents:
                out += [f"  - date: {c.date}", f"    method: {c.method}", f"    scope: {flow(c.scope)}"]
                if c.expires:
                    out.append(f"    expires: {c.expires}")
                if c.withdrawn:
                    out.append(f"    withdrawn: {c.withdrawn}")
        else:
            out.append("# consent: なし(訪問のたびに説明しているが、同意は得られていない)")
        for key, ended in (("closure", case.closure), ("suspension", case.suspension)):
            if ended:
                out += [f"{key}:", f"  date: {ended[0]}", f"  reason: {ended[1]}"]
                prose(out, "note", ended[2], "  ")
        self.write(f"{base}/case.yaml", "case", out)

    def _record_lines(self, r: Record) -> list[str]:
        out = ["kind: record", f"type: {r.type}", f"date: {r.date}", f"staff: {flow(r.staff)}"]
        if r.organization:
            out.append(f"organization: {r.organization}")
        if r.person:
            out.append(f"person: {r.person}")
        out += [f"topic: {r.topic}", f"contact: {r.contact}"]
        if r.outreach:
            out.append("outreach: true")
        if r.resource:
            out.append(f"resource: {r.resource}")
        prose(out, "summary", r.summary)
        return out

    # -- what is not tied to one case

    def solo_records(self, per_fy: dict[int, int]) -> None:
        rng = self.rng
        orgs = (
            ("marugoto", 35),
            ("jiritsu", 15),
            ("houkatsu_e", 10),
            ("houkatsu_w", 10),
            ("kodomo", 8),
            ("zeimu", 7),
            ("shakyo", 10),
            ("hoken", 5),
        )
        topics_by_org = {
            "marugoto": "other",
            "jiritsu": "finances",
            "houkatsu_e": "care",
            "houkatsu_w": "care",
            "kodomo": "child",
            "zeimu": "finances",
            "shakyo": "prevention",
            "hoken": "health",
        }
        for fy in self.fys:
            end = min(date(fy + 1, 3, 31), self.cutoff)
            span = (end - date(fy, 4, 1)).days
            records: list[Record] = []
            for _ in range(round(SOLO_PER_CASE * per_fy.get(fy, 0))):
                day = workday(date(fy, 4, 1) + rng.randint(0, span) * DAY)
                if day > end:
                    day = end - 2 * DAY
                org = pick(rng, orgs)
                rtype = pick(rng, (("consultation", 55), ("phone", 30), ("visit", 8), ("mail", 7)))
                topic = topics_by_org[org] if rng.random() < 0.6 else rng.choice(list(V.TOPIC_LINES))
                who = self._solo_pseudonym() if rng.random() < 0.7 else None
                text = self._summary(who or "相談者", rtype, topic, None) + rng.choice(
                    (
                        "関係機関の窓口を案内した。",
                        "つなぐシートで相談室につないだ。",
                        "一度の相談で解決した。",
                    )
                )
                records.append(
                    Record(
                        day,
                        rtype,
                        [rng.choice(self.by_org(org)).id],
                        topic,
                        "made",
                        text,
                        rtype == "visit" and rng.random() < 0.5,
                        None,
                        org,
                        who,
                    )
                )
            names: dict[str, int] = {}
            for r in sorted(records, key=lambda r: (r.date, r.type, r.organization or "")):
                stem = f"{r.date}-{r.type}"
                names[stem] = names.get(stem, 0) + 1
                suffix = f"-{names[stem]}" if names[stem] > 1 else ""
                self.write(f"records/{fy}/{stem}{suffix}.yaml", "record", self._record_lines(r))

    def write_referrals(self) -> None:
        rng = self.rng
        for ref in self.referrals:
            fy = ref.id[1:5]
            out = [
                "kind: referral",
                f"id: {ref.id}",
                f"date: {ref.date}",
                "from:",
                f"  organization: {ref.from_org}",
                f"  staff: {ref.staff}",
                "person:",
                f"  pseudonym: {ref.pseudonym}",
            ]
            if rng.random() < 0.5:
                surname, _ = rng.choice(V.PERSON_SURNAMES)
                given, _ = rng.choice(V.PERSON_GIVEN)
                out.append(f"  name: {surname} {given}")
            if rng.random() < 0.3:
                out.append(f"  contact: 090-0000-{rng.randint(0, 9999):04d}")
            out += [
                f"consent: {ref.consent}",
                f"chief_complaint: {scalar(ref.complaint)}",
                f"topics: {flow(ref.topics)}",
                "to:",
            ]
            for org, day, result in ref.to:
                out += [f"  - organization: {org}", f"    date: {day}", f"    result: {result}"]
                # answered the day it was sent on (the day the case opened), a proposal the day
                # its sheet went back; no draw of the generator, so the rest stays as it was
                if result != "pending":
                    out.append(
                        f"    answered: {ref.proposal if result == 'proposal' and ref.proposal else day}"
                    )
                if result == "declined":
                    out.append("    reason: 本人が多機関の支援を希望しなかった")
            if ref.case:
                out.append(f"case: {ref.case.id}")
            self.write(f"referrals/{fy}/{ref.id}.yaml", "referral", out)
            if ref.proposal:
                out = [
                    "kind: proposal",
                    f"referral: {ref.id}",
                    f"date: {ref.proposal}",
                    f"to: {ref.from_org}",
                    f"author: {rng.choice(self.coordinators).id}",
                ]
                prose(
                    out,
                    "summary",
                    "ご本人は関係機関とつながり始めており、現時点では多機関協働のケースとはせず、"
                    "次の点を提案します。状況が変わった場合はいつでも再度つないでください。",
                )
                seq(
                    out,
                    "proposals",
                    rng.sample(
                        [
                            "地域の居場所(サロン・地域食堂)を紹介し、家の外の時間をつくる",
                            "訪問の際に、睡眠・食事の様子をさりげなく確認してもらう",
                            "就労支援センターの面談に、本人の同意があれば相談室も同席する",
                            "3か月後に相談室と状況を確認する",
                            "家計相談会(出張)の日程を本人に伝える",
                        ],
                        3,
                    ),
                )
                self.write(f"referrals/{fy}/{ref.id}-proposal.yaml", "proposal", out)

    def fixed_meetings(self) -> None:
        """サブマネージャーミーティング (3 a year), 庁内支援体制調整会議 (2), a training (other)."""
        rng = self.rng
        pledged = [
            m
            for m in self.members
            if m.organization in ("houkatsu_e", "houkatsu_w", "kikan", "kodomo", "jiritsu", "shakyo")
        ]
        for fy in self.fys:
            for mtype, months in (
                ("submanager_meeting", (5, 10, 2)),
                ("coordination_meeting", (7, 1)),
                ("other", (11,)),
            ):
                for month in months:
                    year = fy if month >= 4 else fy + 1
                    first = date(year, month, 1)
                    day = first + ((1 - first.weekday()) % 7 + 14) * DAY
                    if day > self.cutoff:
                        continue
                    status = "cancelled" if rng.random() < 0.04 else "held"
                    attendees = [self.chief.id, *[c.id for c in self.coordinators[:2]]]
                    attendees += [m.id for m in pledged if rng.random() < 0.4]
                    meeting = Meeting(
                        mtype,
                        day,
                        status,
                        self.chief.id,
                        V.PLACES[0],
                        "10:00",
                        attendees=attendees,
                        minutes=list(V.MEETING_MINUTES[mtype]),
                        order=50,
                    )
                    self.other_meetings.append(meeting)

    def case_conference(self, case: Case) -> None:
        rng = self.rng
        if not case.plans or (case.index > 0 and rng.random() > 0.08):
            return
        start = case.plans[0][1] + 20 * DAY
        end = min(case.active[-1][1] if case.active else self.cutoff, self.cutoff)
        if end <= start:
            return
        day = workday(start + rng.randint(0, (end - start).days) * DAY)
        if day > end:
            return
        scope = case.consents[-1].scope
        people = self._attendees(case, case.coordinator, scope)
        status = "cancelled" if rng.random() < 0.03 else "held"
        meeting = Meeting(
            "case_conference",
            day,
            status,
            case.coordinator,
            rng.choice(V.PLACES),
            "10:00",
            attendees=people,
            minutes=list(V.MEETING_MINUTES["case_conference"]),
            order=40,
        )
        meeting.items.append(
            Item(
                case.id,
                "progress",
                [],
                f"{case.pseudonym}について各機関の取組と役割を確認した。",
                ["役割分担を再確認", "次回のモニタリングで評価する"],
            )
        )
        self.other_meetings.append(meeting)

    def planned_items(self, open_cases: list[Case]) -> None:
        """The last meetings of the final year are only planned: progress items for open cases."""
        rng = self.rng
        for case in open_cases:
            if rng.random() > 0.3:
                continue
            if case.plans:
                series = self.multilayer[case.group]
                day = next(
                    (d for d, s in zip(series.dates, series.status, strict=True) if s == "planned"), None
                )
                consent = case.consent_on(day) if day else None
                if (
                    day is None
                    or consent is None
                    or consent.withdrawn
                    or (consent.expires is not None and consent.expires < day)
                ):
                    continue
                series.meeting(day).items.append(
                    Item(
                        case.id,
                        "progress",
                        self._attendees(case, series.chair, consent.scope),
                        f"{case.pseudonym}のモニタリングの結果を報告する(予定)。",
                    )
                )
            elif not case.consents:
                series = self.support[case.group]
                day = next(
                    (d for d, s in zip(series.dates, series.status, strict=True) if s == "planned"), None
                )
                if day is not None:
                    series.meeting(day).items.append(
                        Item(case.id, "watching", [], f"{case.pseudonym}の見守りの状況を共有する(予定)。")
                    )

    def write_meetings(self) -> None:
        rng = self.rng
        # Every area's planned meetings exist even with nothing on them yet.
        for s in self.multilayer:
            for day, status in zip(s.dates, s.status, strict=True):
                if status == "planned":
                    s.meeting(day)
        meetings = [m for s in (*self.multilayer, *self.support) for m in s.meetings.values()]
        meetings += self.other_meetings
        meetings.sort(key=lambda m: (m.date, m.order, m.type))
        serials: dict[int, int] = {}
        for m in meetings:
            fy = fiscal_year(m.date)
            serials[fy] = serials.get(fy, 0) + 1
            mid = f"M{fy}-{serials[fy]:04d}"
            self.write(f"meetings/{fy}/{mid}.yaml", "meeting", self._meeting_lines(mid, m, rng))

    def _meeting_lines(self, mid: str, m: Meeting, rng: random.Random) -> list[str]:
        attendees = list(m.attendees) or [m.chair]
        if m.type == "support_meeting":
            core = [m.chair, *[s.id for s in self.outreach_staff]]
            core += [
                x.id for x in self.members if x.organization in ("houkatsu_e", "minsei", "hoken", "shakyo")
            ][::2]
            attendees = [a for a in core if (p := self.member_by_id[a].pledge) is not None and p <= m.date]
        for item in m.items:
            for who in item.attendees:
                if who not in attendees:
                    attendees.append(who)
        minutes_ = 30 + 10 * len(m.items)
        hour, minute = map(int, m.start.split(":"))
        end_total = min(hour * 60 + minute + minutes_, 17 * 60 + 30)
        labels = {
            "multilayer_meeting": "重層的支援会議",
            "support_meeting": "支援会議(法第106条の6)",
            "case_conference": "ケース会議",
            "submanager_meeting": "サブマネージャーミーティング",
            "coordination_meeting": "庁内支援体制調整会議",
            "other": "研修会",
        }
        note = {"cancelled": "(中止)", "planned": "(予定)"}.get(m.status, "")
        out = [
            f"# {wareki_fy(fiscal_year(m.date))} {labels[m.type]}{note}",
            "kind: meeting",
            f"id: {mid}",
            f"type: {m.type}",
            f"date: {m.date}",
            f'start: "{m.start}"',
            f'end: "{end_total // 60:02d}:{end_total % 60:02d}"',
            f"place: {scalar(m.place)}",
            f"status: {m.status}",
            f"chair: {m.chair}",
            f"attendees: {flow(attendees)}",
        ]
        if m.items:
            out.append("items:")
        for item in m.items:
            out += [f"  - case: {item.case}", f"    timing: {item.timing}"]
            if item.plan_version is not None:
                out.append(f"    plan_version: {item.plan_version}")
            if item.attendees and item.attendees != attendees:
                out.append(f"    attendees: {flow(item.attendees)}")
            prose(out, "discussion", item.discussion, "    ")
            if item.decisions:
                seq(out, "decisions", item.decisions, "    ")
            if item.next_review:
                out.append(f"    next_review: {item.next_review}")
        if m.type == "multilayer_meeting" and m.status == "held" and rng.random() < 0.1:
            prose(out, "resources_review", rng.choice(V.RESOURCE_REVIEWS))
        if m.status == "cancelled":
            literal(out, "minutes", ["台風の接近により中止。議題は次回に持ち越す。"])
        elif m.status == "held":
            lines = [line.format(start=m.start) for line in (m.minutes or V.MEETING_MINUTES[m.type])]
            if m.items:
                lines.append(f"{len(m.items)}件の議題について協議した。")
            literal(out, "minutes", lines)
        if m.next_meeting:
            out.append(f"next_meeting: {m.next_meeting}")
        return out

    # -- everything

    def run(self) -> dict[str, int]:
        self.registries()
        cases = self.intakes()
        self.other_referrals()
        per_fy: dict[int, int] = {}
        open_cases = []
        for case in cases:
            per_fy[case.fy] = per_fy.get(case.fy, 0) + 1
            self.simulate(case)
            self._fill(case)
            self.case_conference(case)
            self.write_case(case)
            if case.closure is None and case.suspension is None:
                open_cases.append(case)
            case.sheets.clear()
            case.records.clear()
        self.planned_items(open_cases)
        self.solo_records(per_fy)
        self.write_referrals()
        self.fixed_meetings()
        self.write_meetings()
        programme.areas(self.write)
        programme.community_and_trainings(
            self.write,
            self.rng,
            self.fys,
            self.cutoff,
            [m.id for m in self.by_org("shakyo")] or [self.chief.id],
        )
        return dict(sorted(self.counts.items()))


def generate(
    out: Path, cases: int, years: int, seed: int, end_fy: int | None = None, workers: int = 0
) -> dict[str, int]:
    """Writes the city into `out` (which must be empty or absent); returns files written per kind.
    `workers` writer processes write the files (0: this process); the bytes are the same."""
    if end_fy is None:
        end_fy = fiscal_year(date.today()) - 1
    if workers < 0:
        raise ValueError("--workers must be 0 or more")
    out.mkdir(parents=True, exist_ok=True)
    if any(out.iterdir()):
        raise FileExistsError(f"{out} is not empty")
    sink = Sink(out, workers)
    try:
        counts = City(sink, cases, years, seed, end_fy).run()
    finally:
        sink.close()
    return counts


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.generate", description=__doc__.split("\n")[0])
    parser.add_argument("--cases", type=int, required=True, help="cases over the whole period")
    parser.add_argument("--years", type=int, required=True, help="fiscal years")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--out", type=Path, required=True, help="an empty or new folder")
    parser.add_argument(
        "--end-fy",
        type=int,
        default=None,
        help="the last fiscal year (default: the one before the current one)",
    )
    parser.add_argument(
        "--workers",
        type=int,
        default=os.cpu_count() or 1,
        help="processes that write the files while the city is simulated (0: none; default: the cores)",
    )
    args = parser.parse_args(argv)
    started = time.perf_counter()
    try:
        counts = generate(args.out, args.cases, args.years, args.seed, args.end_fy, args.workers)
    except (ValueError, FileExistsError) as exc:
        print(f"generate: {exc}", file=sys.stderr)
        return 2
    elapsed = time.perf_counter() - started
    total = sum(counts.values())
    detail = ", ".join(f"{k} {v}" for k, v in counts.items())
    print(f"{total} files in {elapsed:.1f} s → {args.out} ({detail})", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
