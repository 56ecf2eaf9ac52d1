"""The counting rules of the programme's other pillars (RECORDS.md, Additions: New indicators):
households, participation support (参加支援) and community building (地域づくり), and the
trainings of the people who support. Figures of people at activities and trainings are sums of
the numbers written (`participants`, `attended`), never of names: those records hold none.
"""

from __future__ import annotations

from collections.abc import Iterator

from jushou_cli.model.programme import CommunityActivity, Training
from jushou_cli.model.records import ActivityRecord, Case
from jushou_cli.queries.figures import Counted, Definition, Rows, Year, case_counted, first_date


def _community(year: Year) -> Iterator[CommunityActivity]:
    return (a for a in year.repo.community if year.holds(a.date))


def _trainings(year: Year) -> Iterator[Training]:
    return (t for t in year.repo.trainings if year.holds(t.date))


def _households(year: Year) -> Rows:
    """A case without `household_id` is its own household."""
    members: dict[str, list[tuple[Case, list[ActivityRecord]]]] = {}
    for case, records in year.case_records:
        members.setdefault(case.household_id or case.id, []).append((case, records))
    for household, cases in members.items():
        when = min(first_date(records) or year.end for _, records in cases)
        names = "、".join(c.pseudonym for c, _ in cases if c.pseudonym)
        yield Counted(household, when, names), {}


def _participation(year: Year) -> Iterator[tuple[ActivityRecord, str]]:
    return ((r, who) for r, who in year.records() if r.type == "participation")


def _hosts(year: Year) -> Rows:
    hosts = {r.id for r in year.repo.resources if r.type == "host"}
    first: dict[str, ActivityRecord] = {}
    for record, _ in _participation(year):
        if record.resource in hosts and record.resource not in first:
            first[record.resource] = record
    for resource, record in first.items():
        yield Counted(resource, record.date), {}


def _retained(year: Year) -> Rows:
    for case, records in year.case_records:
        kept = [r for r in records if r.type == "participation" and r.stage == "retention"]
        if kept:
            yield case_counted(case, first_date(kept)), {}


def _activities(year: Year) -> Rows:
    for activity in _community(year):
        yield (
            Counted(activity.id, activity.date),
            {
                "type": [activity.type or "unknown"],
                "area": [activity.area or "unknown"],
            },
        )


def _bases(year: Year) -> Rows:
    first: dict[str, CommunityActivity] = {}
    for activity in _community(year):
        if activity.resource is not None:
            first.setdefault(activity.resource, activity)
    for resource, activity in first.items():
        yield Counted(resource, activity.date), {}


def _participants(year: Year) -> Rows:
    for activity in _community(year):
        yield Counted(activity.id, activity.date, amount=activity.participants or 0), {}


def _organizations(year: Year) -> Rows:
    first: dict[str, CommunityActivity] = {}
    for activity in _community(year):
        for organization in activity.organizations:
            first.setdefault(organization, activity)
    for organization, activity in first.items():
        yield Counted(organization, activity.date), {}


def _training_sessions(year: Year) -> Rows:
    for training in _trainings(year):
        yield Counted(training.id, training.date), {"course": [training.course or "unknown"]}


def _attendance(year: Year) -> Rows:
    for training in _trainings(year):
        counted = Counted(training.id, training.date, amount=training.attended or 0, out_of=training.invited)
        yield counted, {"course": [training.course or "unknown"]}


PROGRAMME_DEFINITIONS: tuple[Definition, ...] = (
    Definition(
        "households",
        "支援世帯数",
        "その年度に支援記録が1件以上あるケースの世帯の数。同じ household_id のケースは1世帯と数え、"
        "household_id のないケースはそれだけで1世帯とする。",
        (),
        _households,
    ),
    Definition(
        "participation_hosts",
        "協力事業者数",
        "その年度の参加支援 (type: participation) の記録が resource に書いた社会資源のうち、"
        "種類が受け入れ先 (type: host) のものの数（同じ受け入れ先は何件記録があっても1か所）。",
        (),
        _hosts,
    ),
    Definition(
        "participation_retained",
        "定着者数",
        "その年度に定着支援の段階 (stage: retention) の参加支援の記録が1件以上あるケースの数。",
        (),
        _retained,
    ),
    Definition(
        "community_activities",
        "地域づくり活動回数",
        "実施日がその年度にある地域づくり活動の記録 (community/<年度>/) の数。種類別・圏域別の内訳つき。",
        ("type", "area"),
        _activities,
    ),
    Definition(
        "community_bases",
        "拠点数",
        "その年度の地域づくり活動の記録が resource に書いた社会資源（拠点）の数"
        "（同じ拠点は何回使っても1か所）。",
        (),
        _bases,
    ),
    Definition(
        "community_participants",
        "地域づくり参加者数（延べ）",
        "その年度の地域づくり活動の記録の参加者数 (participants) の合計。同じ人が2回参加すれば2人と数える。"
        "参加者数を書いていない記録は0人として数える。",
        (),
        _participants,
        summed=True,
    ),
    Definition(
        "community_organizations",
        "参加機関数",
        "その年度の地域づくり活動の記録の参加機関 (organizations) に書かれた機関の数"
        "（同じ機関は何回参加しても1機関）。",
        (),
        _organizations,
    ),
    Definition(
        "trainings",
        "研修回数",
        "実施日がその年度にある研修の記録 (trainings/<年度>/) の数。課程別の内訳つき。",
        ("course",),
        _training_sessions,
    ),
    Definition(
        "training_attendance",
        "研修出席者数（延べ）",
        "その年度の研修の記録の出席者数 (attended) の合計。対象者数 (invited) の合計と並べて"
        "「出席者数 / 対象者数」で示す。",
        ("course",),
        _attendance,
        summed=True,
    ),
)
