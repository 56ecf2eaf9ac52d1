"""The typed model says what the files say: the fields load/build.py builds and the values a
record reads from its own document when asked (records.py), for sample records read here with
an independent YAML reader; a record from the query index gives the same values as one from a
plain load, and the index file holds none of the values read when asked."""

from __future__ import annotations

import dataclasses
import shutil
from pathlib import Path
from typing import Any

import pytest
import yaml
from conftest import SAMPLE_REPO

from jushou_cli.load.build import CONCERN_PERSONAL_KEYS
from jushou_cli.load.plain import load
from jushou_cli.load.yamldoc import UNREAD, Document
from jushou_cli.model.contract import KINDS, personal_paths
from jushou_cli.model.raw import Written
from jushou_cli.model.records import (
    ActivityRecord,
    Case,
    Evaluation,
    IntakeAssessment,
    Meeting,
    Person,
    Plan,
    Repository,
    Sourced,
    StrengthsGrid,
)
from jushou_cli.store.index import QueryIndex, load_for_queries


@pytest.fixture(scope="module")
def sample() -> Repository:
    return load(SAMPLE_REPO).repository


def file(path: str) -> Any:
    return yaml.safe_load((SAMPLE_REPO / path).read_text(encoding="utf-8"))


def sheet(case: Case, name: str) -> Any:
    return next(s for s in case.sheets if s.path.endswith(name))


def test_a_case_says_what_its_file_says(sample: Repository) -> None:
    case = sample.case("C2024-0001")
    assert case is not None
    d = file(case.path)
    assert case.chief_complaint == d["chief_complaint"]
    person = case.person
    assert person is not None
    assert (person.name, person.kana, person.address, person.phone) == (
        d["person"]["name"],
        d["person"]["kana"],
        d["person"]["address"],
        d["person"]["phone"],
    )
    assert (
        person.birth_date == d["person"]["birth_date"].isoformat()
        and person.born == d["person"]["birth_date"]
    )
    assert [(h.relation, h.pseudonym, h.birth_year, h.notes, h.name) for h in case.household] == [
        (h["relation"], h["pseudonym"], h.get("birth_year"), h.get("notes"), h.get("name"))
        for h in d["household"]
    ]
    assert case.household[0].base == ("household", 0)
    assert case.closure is not None and case.suspension is None
    assert (case.closure_date, case.closure_reason, case.closure.note) == (
        d["closure"]["date"],
        d["closure"]["reason"],
        d["closure"]["note"],
    )
    suspended = sample.case("C2024-0004")
    assert suspended is not None and suspended.suspension is not None
    s = file(suspended.path)["suspension"]
    assert (suspended.suspension_date, suspended.suspension_reason, suspended.suspension.note) == (
        s["date"],
        s["reason"],
        s.get("note"),
    )


def test_sheets_say_what_their_files_say(sample: Repository) -> None:
    case = sample.case("C2024-0001")
    assert case is not None
    assessment = sheet(case, "intake_assessment.yaml")
    assert isinstance(assessment, IntakeAssessment)
    d = file(assessment.path)
    for key in ("person_situation", "household_situation", "wishes", "assessment", "urgency"):
        assert getattr(assessment, key) == d[key], key
    assert assessment.strengths == tuple(d["strengths"])
    assert assessment.areas == tuple(d["areas"].items())

    plan = case.plan(1)
    assert isinstance(plan, Plan) and plan.policy == file(plan.path)["policy"]

    evaluation = case.evaluations[-1]
    assert isinstance(evaluation, Evaluation)
    d = file(evaluation.path)
    for key in ("situation_change", "overall", "follow_up"):
        assert getattr(evaluation, key) == d[key], key

    grid = sheet(case, "strengths_grid.yaml")
    assert isinstance(grid, StrengthsGrid)
    assert [(c.area, c.text) for c in grid.cells] == [
        (c["area"], c["text"]) for c in file(grid.path)["cells"]
    ]
    assert grid.cells[7].at("text")[0] > grid.cells[0].at("text")[0]  # a cell knows its line


def test_records_meetings_and_referrals_say_what_their_files_say(sample: Repository) -> None:
    records: list[ActivityRecord] = [r for c in sample.cases for r in c.records] + list(sample.records)
    assert any(r.summary for r in records)
    for record in records:
        assert record.summary == file(record.path).get("summary"), record.path

    discussed = 0
    for meeting in sample.meetings:
        d = file(meeting.path)
        for key in ("start", "end", "place", "next_meeting", "resources_review", "minutes"):
            assert getattr(meeting, key) == d.get(key), (meeting.path, key)
        for item, written in zip(meeting.items, d.get("items") or [], strict=True):
            assert item.discussion == written.get("discussion")
            assert item.decisions == tuple(written.get("decisions") or ())
            assert item.next_review == written.get("next_review")
            discussed += bool(item.discussion and item.decisions and item.next_review)
    assert discussed and any(m.resources_review for m in sample.meetings)

    named = [r for r in sample.referrals if r.person_name]
    assert named
    for referral in sample.referrals:
        person = file(referral.path).get("person") or {}
        assert (referral.person_name, referral.person_contact) == (person.get("name"), person.get("contact"))


def test_the_model_has_every_personal_value_the_schemas_mark() -> None:
    """Redaction (model/redaction.personal_values) and the handout's --reveal read personal values
    through the model: a personal key the schemas gain must be added to it."""
    person = {("person", f.name) for f in dataclasses.fields(Person)[2:]}
    # The sealed form (docs/privacy.md) is personal as a whole block: model/sealed.py reads it and
    # store/opened.py puts the values back, so the model reads what it held.
    held = {("person", "key"), ("person", "encrypted")}
    read: dict[str, set[tuple[str, ...]]] = {
        "case": {("person",), *person, *held, ("household", "*", "name"), ("household", "*", "notes")},
        "referral": {("person", "name"), ("person", "contact"), ("person", "encrypted")},
        # A concern may not hold personal keys (J407); what is written there anyway is read by
        # Concern.personal, so that agendas and handouts scrub it.
        "meeting": {("items", "*", "concern", k) for k in CONCERN_PERSONAL_KEYS},
    }
    for kind in KINDS:
        assert set(personal_paths(kind)) == read.get(kind, set()), kind


# --- the query index ----------------------------------------------------------------------------


def on_demand(repo: Repository) -> list[Any]:
    """Every value the model reads when asked, of every record of the repository."""

    def values(obj: Sourced) -> list[Any]:
        names = [n for c in type(obj).__mro__ for n, a in vars(c).items() if isinstance(a, Written)]
        found: list[Any] = [(obj.path, obj.base)] + [(n, getattr(obj, n)) for n in sorted(names)]
        if isinstance(obj, Case):
            found += [dataclasses.astuple(m)[2:] for m in obj.household]
            found += [dataclasses.astuple(obj.person)[2:] if obj.person else None]
            found += [values(e) for e in (obj.closure, obj.suspension) if e is not None]
            found += [values(s) for s in obj.sheets] + [values(r) for r in obj.records]
        if isinstance(obj, IntakeAssessment):
            found.append(obj.areas)
        if isinstance(obj, StrengthsGrid):
            found += [(c.area, c.text, c.base) for c in obj.cells]
        if isinstance(obj, Meeting):
            found += [values(i) for i in obj.items]
        return found

    every: list[Sourced] = [*repo.cases, *repo.records, *repo.referrals, *repo.meetings]
    return [values(obj) for obj in every]


def test_a_record_from_the_index_reads_the_same_values_as_a_plain_load(tmp_path: Path) -> None:
    root = tmp_path / "repo"
    shutil.copytree(SAMPLE_REPO, root)
    expected = on_demand(load(root).repository)
    load_for_queries(root)  # cold: builds the index
    warm = load_for_queries(root)
    case = warm.case("C2024-0001")
    assert case is not None and isinstance(case.doc, Document) and case.doc._data is UNREAD
    assert on_demand(warm) == expected


def test_the_index_holds_no_prose_and_no_personal_value(tmp_path: Path) -> None:
    root = tmp_path / "repo"
    shutil.copytree(SAMPLE_REPO, root)
    load_for_queries(root)
    index = QueryIndex(root)
    assert index.shelves is not None
    stored = index.shelves.read("index", index.toolkit) or b""
    assert stored
    case = load(root).repository.case("C2024-0001")
    assert case is not None and case.person is not None and case.person.name and case.chief_complaint
    for value in (case.person.name, case.person.phone, case.chief_complaint, case.records[0].summary):
        assert value and value.encode() not in stored, value
