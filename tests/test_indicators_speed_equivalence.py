"""Indicators computed from the per-year slices and id indexes (queries/indicators.py `Year`)
give what the plain scans of the repository gave, in the corners a valid town does not reach:
duplicated ids (the first wins, as in Repository's own indexes), a proposal without a
referral, a record without an organization or staff, and records of the same day."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from typing import TypeVar

from conftest import HERE

from jushou_cli.load.plain import load
from jushou_cli.model.records import Repository
from jushou_cli.queries.indicators import Counted, compute

TOWN = HERE / "fixtures" / "indicators_town"
PROPOSAL = "referrals/2024/R2024-0002-proposal"  # about referral R2024-0002, dated FY2025
T = TypeVar("T")
PHONE = "cases/C2024-0001/records/2024-04-01-phone"  # FY2024, staff [tanaka] of houkatsu


def town() -> Repository:
    return load(TOWN).repository


def changed(repo: Repository, **fields: object) -> Repository:
    """The repository with some of its collections replaced (records are values: a test makes
    a new repository rather than changing one)."""
    return replace(repo, **fields)  # type: ignore[arg-type]


def swapped(items: tuple[T, ...], old: T, new: T) -> tuple[T, ...]:
    return tuple(new if item is old else item for item in items)


def proposal_pseudonym(repo: Repository) -> str:
    [counted] = compute(repo, 2025).get("proposals").records
    assert counted.id == PROPOSAL
    return counted.pseudonym


def test_a_proposal_takes_the_pseudonym_of_the_first_referral_with_its_id() -> None:
    repo = town()
    referral = next(r for r in repo.referrals if r.id == "R2024-0002")
    expected = referral.pseudonym or ""
    later = replace(referral, pseudonym="後の重複")
    repo = changed(repo, referrals=(*repo.referrals, later))
    assert proposal_pseudonym(repo) == expected != "後の重複"


def test_a_proposal_without_a_referral_concerns_no_one() -> None:
    repo = town()
    proposal = next(p for p in repo.proposals if p.id == PROPOSAL)
    # a referral whose id is missing must not be taken for it
    nameless = replace(repo.referrals[0], id="", pseudonym="IDなし")
    repo = changed(
        repo,
        proposals=swapped(repo.proposals, proposal, replace(proposal, referral=None)),
        referrals=(*repo.referrals, nameless),
    )
    assert proposal_pseudonym(repo) == ""


def activity_organizations(repo: Repository) -> dict[str, int]:
    return dict(compute(repo, 2024).get("activities").by["organization"])


def test_a_record_without_organization_is_its_first_staff_members_first_entry() -> None:
    repo = town()
    before = activity_organizations(town())
    tanaka = next(m for m in repo.members if m.id == "tanaka")
    second = replace(tanaka, organization="shakyo")
    repo = changed(repo, members=(*repo.members, second))  # a duplicated member id: the first wins
    assert activity_organizations(repo) == before


def test_a_record_with_neither_organization_nor_known_staff_is_unknown() -> None:
    repo = town()
    before = activity_organizations(town())
    phone = next(r for c in repo.cases for r in c.records if r.id == PHONE)
    assert phone.organization is None and phone.staff == ("tanaka",)
    tanaka = next(m for m in repo.members if m.id == "tanaka")
    repo = changed(repo, members=swapped(repo.members, tanaka, replace(tanaka, organization=None)))
    after = activity_organizations(repo)
    assert after.pop("unknown") == 1
    before["houkatsu"] -= 1
    assert after == {k: v for k, v in before.items() if v}

    repo = town()
    case = next(c for c in repo.cases if any(r.id == PHONE for r in c.records))
    records = tuple(replace(r, staff=()) if r.id == PHONE else r for r in case.records)
    repo = changed(repo, cases=swapped(repo.cases, case, replace(case, records=records)))
    after = activity_organizations(repo)
    assert after.pop("unknown") == 1
    assert after == {k: v for k, v in before.items() if v}


def test_records_are_listed_by_date_then_id_whatever_order_they_are_found_in() -> None:
    repo = town()
    cases = tuple(replace(case, records=case.records[::-1]) for case in repo.cases)
    repo = changed(repo, cases=cases[::-1])
    for year in (2023, 2024, 2025):
        for indicator in compute(repo, year).indicators:
            keys = [(c.date or date.min, c.id) for c in indicator.records]
            assert keys == sorted(keys), indicator.id
            assert all(isinstance(c, Counted) for c in indicator.records)
    assert compute(repo, 2024).get("activities").records == compute(town(), 2024).get("activities").records
