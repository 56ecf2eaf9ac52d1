"""The catalogue of problems (jushou_cli/model/catalogue/): every diagnostic is made from one of
its entries, every entry is documented and used, and a diagnostic keeps the record it is about
without that record showing anywhere or travelling into a cache."""

from __future__ import annotations

import pickle
import re
import string
from pathlib import Path

import pytest
from conftest import CASES, case_today, materialize

from jushou_cli import checks
from jushou_cli.checks.validate import validate
from jushou_cli.load.plain import load
from jushou_cli.model.catalogue import BY_NAME, ENTRIES
from jushou_cli.model.catalogue.rules import CONSENT_WITHDRAWN, NO_CONSENT
from jushou_cli.model.codes import CODES
from jushou_cli.model.diagnostics import Diagnostic, Problem, Severity
from jushou_cli.model.records import MeetingItem, Sourced

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "jushou_cli"
CATALOGUE = PACKAGE / "model" / "catalogue"


def _sites() -> dict[Path, str]:
    """The package's modules outside the catalogue and the code table."""
    return {
        path: path.read_text(encoding="utf-8")
        for path in PACKAGE.rglob("*.py")
        if CATALOGUE not in path.parents and path != PACKAGE / "model" / "codes.py"
    }


def test_every_code_has_an_entry_and_every_entry_a_documented_code() -> None:
    assert {p.code for p in ENTRIES} == set(CODES)
    docs = (ROOT / "docs" / "errors.md").read_text(encoding="utf-8")
    for name, problem in BY_NAME.items():
        assert f"### {problem.code} — {problem.summary}" in docs, name
        assert f"`{problem.message}`" in docs, name


def test_every_entry_is_reported_somewhere() -> None:
    text = "\n".join(_sites().values())
    unused = [name for name in BY_NAME if not re.search(rf"\b{name.split('.')[1]}\b", text)]
    assert unused == []


def test_no_diagnostic_is_made_outside_the_catalogue() -> None:
    for path, text in _sites().items():
        assert not re.search(r'"J\d{3}"', text), f"{path}: a code outside the catalogue"
        if path.name != "diagnostics.py" or path.parent.name != "model":
            assert "Diagnostic(" not in text, f"{path}: a diagnostic not made from an entry"


def test_each_wording_is_one_entry() -> None:
    wordings = [(p.code, p.severity, p.message, p.hint) for p in ENTRIES]
    assert len(wordings) == len(set(wordings))


def test_placeholders_are_plain_names() -> None:
    for name, problem in BY_NAME.items():
        for template in (problem.message, problem.hint):
            for _, field, spec, conversion in string.Formatter().parse(template):
                if field is not None:
                    assert field.isidentifier() and not spec and not conversion, (name, field)


def test_an_entry_takes_exactly_its_placeholders() -> None:
    made = NO_CONSENT.in_file("a.yaml", 3, 5, case="C2024-0001", date="令和6年4月1日")
    assert made == Diagnostic(
        "J401",
        Severity.ERROR,
        "a.yaml",
        3,
        5,
        "C2024-0001 には 令和6年4月1日 時点で本人同意がありません (no consent)",
        NO_CONSENT.hint,
    )
    with pytest.raises(TypeError):
        NO_CONSENT.in_file("a.yaml", case="C2024-0001")
    with pytest.raises(TypeError):
        NO_CONSENT.in_file("a.yaml", case="C2024-0001", date="x", extra="y")
    with pytest.raises(ValueError):
        Problem("J999", "not a catalogued code")


def _withdrawn(tmp_path: Path) -> Diagnostic:
    case_dir = CASES / "consent_withdrawn"
    result = validate(materialize(case_dir, tmp_path / "repo"), case_today(case_dir))
    (found,) = result.diagnostics
    return found


def test_a_finding_keeps_its_record_and_only_that(tmp_path: Path) -> None:
    found = _withdrawn(tmp_path)
    assert found.code == "J402" and isinstance(found.record, MeetingItem)
    assert found.record.path == found.path and found.record.case == "C2024-0001"
    # The record is not part of the value: not compared, hashed, shown or written.
    alone = Diagnostic(
        found.code, found.severity, found.path, found.line, found.column, found.message, found.hint
    )
    assert alone == found and hash(alone) == hash(found) and repr(alone) == repr(found)
    assert "record" not in found.to_json()


def test_pickling_leaves_the_record_behind(tmp_path: Path) -> None:
    found = _withdrawn(tmp_path)
    again = pickle.loads(pickle.dumps(found, protocol=pickle.HIGHEST_PROTOCOL))
    assert again == found and again.record is None
    stored = pickle.dumps(found)
    assert b"MeetingItem" not in stored and b"Document" not in stored
    # A cache written before records were kept holds the fields as a list: still readable.
    old = Diagnostic.__new__(Diagnostic)
    old.__setstate__(["J402", Severity.ERROR, "a.yaml", 1, 2, "m", "h"])
    assert old == Diagnostic("J402", Severity.ERROR, "a.yaml", 1, 2, "m", "h") and old.record is None


def test_positions_are_looked_up_only_for_findings(tmp_path: Path) -> None:
    case_dir = CASES / "consent_withdrawn"
    loaded = load(materialize(case_dir, tmp_path / "repo"))
    found = checks.run_all(loaded.repository, case_today(case_dir))
    assert [d.code for d in found] == ["J402"]
    positioned = {d.path for d in loaded.repository.documents if getattr(d, "_positions", None) is not None}
    assert positioned == {found[0].path}


def test_an_entry_reports_at_a_record(tmp_path: Path) -> None:
    found = _withdrawn(tmp_path)
    assert isinstance(found.record, Sourced)
    again = CONSENT_WITHDRAWN.at(found.record, "case", case="C2024-0001", date="令和6年6月1日")
    assert again == found and again.record is found.record
