"""社会資源の検討: what the year's meetings recorded under `resources_review` about missing social
resources, quoted in the annual report. It is free text written by people, so every value the
schemas mark personal (names, addresses, phone numbers…) is scrubbed from it before it is quoted.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from jushou_cli.model import labels
from jushou_cli.model.dates import fy_bounds
from jushou_cli.model.records import Repository

REDACTED = "〔個人情報〕"


@dataclass(frozen=True, slots=True)
class ResourceReview:
    """A meeting's 社会資源の検討 (`resources_review`): which resources were found missing."""

    meeting: str
    date: date
    meeting_type: str
    text: str


def personal_values(repo: Repository) -> set[str]:
    """Every value the schemas mark personal (a case's person.* and its household members'
    names, a referral's person.name and person.contact; tests/test_model.py holds this list to
    the schemas), and family and given names apart, so that a free-text field quoted in the
    report can be scrubbed of them."""
    names: list[str | None] = []
    others: list[str | None] = []
    for case in repo.cases:
        person = case.person
        if person is not None:
            names += [person.name, person.kana]
            others += [person.birth_date, person.address, person.phone]
        names += [member.name for member in case.household]
    for referral in repo.referrals:
        names.append(referral.person_name)
        others.append(referral.person_contact)
    found = {v.strip() for v in names + others if v}
    found.update(part for name in names if name for part in name.split())  # 山田 花子 → 山田, 花子
    return {v for v in found if len(v) >= 2}


def scrub(text: str, personal: set[str]) -> str:
    for value in sorted(personal, key=len, reverse=True):
        text = text.replace(value, REDACTED)
    return text


# YAML folds a long line (`>-`) by joining its lines with a space, which Japanese text does not
# have between its characters.
_FOLDED_SPACE = re.compile(
    r"(?<=[\u3000-\u30ff\u4e00-\u9fff\uff01-\uff60]) (?=[\u3000-\u30ff\u4e00-\u9fff\uff01-\uff60])"
)


def resource_reviews(repo: Repository, fy: int) -> list[ResourceReview]:
    start, end = fy_bounds(fy)
    personal = personal_values(repo)
    found = []
    for meeting in repo.meetings:
        text = meeting.resources_review
        if not (text and text.strip()):
            continue
        if meeting.held and meeting.date and start <= meeting.date <= end:
            kind = labels.label("meeting_type", meeting.type) or "会議"
            text = _FOLDED_SPACE.sub("", text.strip())
            found.append(ResourceReview(meeting.id, meeting.date, kind, scrub(text, personal)))
    return sorted(found, key=lambda r: (r.date, r.meeting))
