"""Indicators computed from the per-year slices and id indexes (queries/indicators.py `Year`)
give what the plain scans of the repository gave, in the corners a valid town does not reach:
duplicated ids (the first wins, as in Repository's own indexes), a proposal without a
referral, a record without an organization or staff, and records of the same day."""

from __future__ import annotations

import copy
from datetime import date

from conftest import HERE

from jushou_cli.load import load
from jushou_cli.model import Repository
from jushou_cli.queries.indicators import Counted, compute

TOWN = HERE / "fixtures" / "indicators_town"
PROPOSAL = "referrals/2024/R2024-0002-proposal"  # about referral R2024-0002, dated FY2025
PHONE = "cases/C2024-0001/records/2024-04-01-phone"  # FY2024, staff [tanaka] of houkatsu


def town() -> Repository:
    """A fresh load: the tests change the model in place, before its indexes are built."""
    return load(TOWN).repository


def proposal_pseudonym(repo: Repository) -> str:
    [counted] = compute(repo, 2025).get("proposals").records
    assert counted.id == PROPOSAL
    return counted.pseudonym


def test_a_proposal_takes_the_pseudonym_of_the_first_referral_with_its_id() -> None:
    repo = town()
    referral = next(r for r in repo.referrals if r.id == "R2024-0002")
    expected = referral.pseudonym or ""
    later = copy.copy(referral)
    later.pseudonym = "後の重複"
    repo.referrals.append(later)
    assert proposal_pseudonym(repo) == expected != "後の重複"


def test_a_proposal_without_a_referral_concerns_no_one() -> None:
    repo = town()
    next(p for p in repo.proposals if p.id == PROPOSAL).referral = None
    nameless = copy.copy(repo.referrals[0])
    nameless.id = ""  # a referral whose id is missing must not be taken for it
    nameless.pseudonym = "IDなし"
    repo.referrals.append(nameless)
    assert proposal_pseudonym(repo) == ""


def activity_organizations(repo: Repository) -> dict[str, int]:
    return dict(compute(repo, 2024).get("activities").by["organization"])


def test_a_record_without_organization_is_its_first_staff_members_first_entry() -> None:
    repo = town()
    before = activity_organizations(town())
    tanaka = next(m for m in repo.members if m.id == "tanaka")
    second = copy.copy(tanaka)
    second.organization = "shakyo"
    repo.members.append(second)  # a duplicated member id: the first entry wins
    assert activity_organizations(repo) == before


def test_a_record_with_neither_organization_nor_known_staff_is_unknown() -> None:
    repo = town()
    before = activity_organizations(town())
    phone = next(r for c in repo.cases for r in c.records if r.id == PHONE)
    assert phone.organization is None and phone.staff == ["tanaka"]
    next(m for m in repo.members if m.id == "tanaka").organization = None
    after = activity_organizations(repo)
    assert after.pop("unknown") == 1
    before["houkatsu"] -= 1
    assert after == {k: v for k, v in before.items() if v}

    repo = town()
    next(r for c in repo.cases for r in c.records if r.id == PHONE).staff = []
    after = activity_organizations(repo)
    assert after.pop("unknown") == 1
    assert after == {k: v for k, v in before.items() if v}


def test_records_are_listed_by_date_then_id_whatever_order_they_are_found_in() -> None:
    repo = town()
    for case in repo.cases:
        case.records.reverse()
    repo.cases.reverse()
    for year in (2023, 2024, 2025):
        for indicator in compute(repo, year).indicators:
            keys = [(c.date or date.min, c.id) for c in indicator.records]
            assert keys == sorted(keys), indicator.id
            assert all(isinstance(c, Counted) for c in indicator.records)
    assert compute(repo, 2024).get("activities").records == compute(town(), 2024).get("activities").records
