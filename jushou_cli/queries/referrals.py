"""Two questions about つなぐシート (RECORDS.md Additions):
- `feedback`: what became of every つなぐシート one organization sent in a fiscal year — each
  つなぎ先's answer, its date and outcome — to be told back to that organization. Pseudonyms
  only: a referral's `person.name`/`contact` never enter it, and the free text it quotes (reason,
  outcome) is scrubbed of every personal value of the repository (model/redaction.py).
- `suggest`: which organizations take consultations on these topics, ranked by the evidence —
  how often past つなぎ on those topics were `connected` there, then whether the organization's
  `field` covers them, then its programmes — with the evidence shown as counts.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from dataclasses import field as dc_field

from jushou_cli.model.dates import fy_bounds, wareki_fy
from jushou_cli.model.labels import label
from jushou_cli.model.records import Organization, Repository
from jushou_cli.model.redaction import Scrubber, values_of

# Which organization fields (organizations.yaml `field`) take a consultation topic. A cross
# organization (分野横断) takes every topic but is ranked by its record, not by this table.
TOPIC_FIELDS: dict[str, tuple[str, ...]] = {
    "care": ("elderly",),
    "prevention": ("elderly", "community"),
    "medical": ("health",),
    "dementia": ("elderly", "health"),
    "rights": ("elderly", "disability", "community"),
    "caregiver_leave": ("elderly", "employment"),
    "finances": ("poverty",),
    "housing": ("housing", "poverty"),
    "employment": ("employment", "poverty"),
    "child": ("child", "education"),
    "disability": ("disability",),
    "health": ("health",),
    "family": ("child", "elderly"),
    "neighbour": ("community",),
    "other": (),
}


# --- feedback ------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class FeedbackRow:
    referral: str
    date: dt.date | None  # the sheet's date
    pseudonym: str
    topics: tuple[str, ...]  # Japanese labels
    to: str  # the receiving organization's name
    sent: dt.date | None
    result: str  # code
    result_label: str
    answered: dt.date | None
    reason: str
    outcome: str
    case: str | None

    def to_json(self) -> dict[str, object]:
        return {
            "referral": self.referral,
            "date": self.date.isoformat() if self.date else None,
            "pseudonym": self.pseudonym,
            "topics": list(self.topics),
            "to": self.to,
            "sent": self.sent.isoformat() if self.sent else None,
            "result": self.result,
            "result_label": self.result_label,
            "answered": self.answered.isoformat() if self.answered else None,
            "reason": self.reason,
            "outcome": self.outcome,
            "case": self.case,
        }


@dataclass(frozen=True, slots=True)
class Feedback:
    """`referral feedback`'s answer: one row per つなぎ先 of every sheet `organization` sent."""

    organization: str  # id
    organization_name: str
    fiscal_year: int
    town: str
    office: str
    made_on: dt.date
    rows: tuple[FeedbackRow, ...]

    @property
    def label(self) -> str:
        return wareki_fy(self.fiscal_year)

    @property
    def sheets(self) -> int:
        return len({r.referral for r in self.rows})

    @property
    def results(self) -> list[tuple[str, int]]:
        """(result label, entries) in the schema's order of the codes."""
        counts = Counter(r.result for r in self.rows)
        order = ("connected", "proposal", "declined", "pending")
        codes = [c for c in order if c in counts] + sorted(c for c in counts if c not in order)
        return [(label("referral_result", c), counts[c]) for c in codes]


def feedback(repo: Repository, organization: str, fy: int, made_on: dt.date) -> Feedback:
    start, end = fy_bounds(fy)
    scrubber = Scrubber(values_of(repo.cases, repo.referrals, notes=False))
    rows = []
    sent = [
        r for r in repo.referrals if r.from_organization == organization and r.date and start <= r.date <= end
    ]
    for referral in sorted(sent, key=lambda r: (r.date or start, r.id)):
        topics = tuple(label("topic", t) for t in referral.topics)
        for target in referral.to:
            receiver = repo.organization(target.organization)
            rows.append(
                FeedbackRow(
                    referral.id,
                    referral.date,
                    scrubber.text(referral.pseudonym or ""),
                    topics,
                    receiver.name if receiver else target.organization or "—",
                    target.date or referral.date,
                    target.result or "",
                    label("referral_result", target.result) if target.result else "—",
                    target.answered,
                    scrubber.text(target.reason or ""),
                    scrubber.text(target.outcome or ""),
                    referral.case,
                )
            )
    own = repo.organization(organization)
    config = repo.config
    return Feedback(
        organization,
        own.name if own else organization,
        fy,
        config.town if config else "",
        config.office if config else "",
        made_on,
        tuple(rows),
    )


# --- suggestions ---------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Suggestion:
    organization: str
    name: str
    field: str | None
    connected: Counter[str] = dc_field(default_factory=Counter)  # topic → past つなぎ connected
    declined: int = 0  # past つなぎ on these topics it declined
    field_topics: tuple[str, ...] = ()  # the topics asked that its field takes
    multi_agency: bool = False  # runs 多機関協働 and more than one topic was asked

    @property
    def rank_key(self) -> tuple[int, int, int]:
        return (-sum(self.connected.values()), -len(self.field_topics), -int(self.multi_agency))

    def evidence(self) -> list[str]:
        said = []
        if self.connected:
            parts = "、".join(f"{label('topic', t)} {n}" for t, n in sorted(self.connected.items()))
            said.append(f"同じ相談内容のつなぎで「つながった」{sum(self.connected.values())}件（{parts}）")
        if self.declined:
            said.append(f"辞退 {self.declined}件")
        if self.field_topics:
            topics = "・".join(label("topic", t) for t in self.field_topics)
            said.append(f"分野 {label('field', self.field)} が{topics}を扱う")
        if self.multi_agency:
            said.append("多機関協働事業（複数の相談内容）")
        return said

    def to_json(self) -> dict[str, object]:
        return {
            "organization": self.organization,
            "name": self.name,
            "field": self.field,
            "connected": sum(self.connected.values()),
            "connected_by_topic": dict(sorted(self.connected.items())),
            "declined": self.declined,
            "field_topics": list(self.field_topics),
            "multi_agency": self.multi_agency,
            "evidence": self.evidence(),
        }


@dataclass(frozen=True, slots=True)
class Suggestions:
    """`referral suggest`'s answer: the topics asked and the organizations, best first."""

    topics: tuple[str, ...]
    found: tuple[Suggestion, ...]


def suggest(repo: Repository, topics: Sequence[str], exclude: Sequence[str] = ()) -> list[Suggestion]:
    """Organizations for a consultation on `topics`, best first; `exclude`: the referring one."""
    asked = list(dict.fromkeys(topics))
    connected: dict[str, Counter[str]] = {}
    declined: Counter[str] = Counter()
    for referral in repo.referrals:
        shared = [t for t in referral.topics if t in asked]
        if not shared:
            continue
        for target in referral.to:
            if target.organization is None:
                continue
            if target.result == "connected":
                connected.setdefault(target.organization, Counter()).update(shared)
            elif target.result == "declined":
                declined[target.organization] += 1
    found = []
    for org in repo.organizations:
        if org.id in exclude:
            continue
        made = _suggestion(org, asked, connected.get(org.id, Counter()), declined[org.id])
        if made.connected or made.field_topics or made.multi_agency:
            found.append(made)
    order = {o.id: i for i, o in enumerate(repo.organizations)}
    return sorted(found, key=lambda s: (*s.rank_key, order[s.organization]))


def _suggestion(org: Organization, asked: list[str], connected: Counter[str], declined: int) -> Suggestion:
    takes = tuple(t for t in asked if org.field in TOPIC_FIELDS.get(t, ()))
    return Suggestion(
        org.id,
        org.name,
        org.field,
        connected,
        declined,
        takes,
        "multi_agency" in org.programs and len(asked) > 1,
    )
