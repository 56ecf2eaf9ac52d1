"""The generated city (benchmarks/generate.py) is a valid repository shaped like a real one: no
error and no warning, the same bytes for the same seed, every kind of file, and figures that are
not zero."""

from __future__ import annotations

import hashlib
import sys
from datetime import date
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks import writers  # noqa: E402
from benchmarks.generate import generate  # noqa: E402
from jushou_cli.checks.validate import validate  # noqa: E402
from jushou_cli.load.plain import load  # noqa: E402
from jushou_cli.model.contract import KINDS  # noqa: E402
from jushou_cli.queries.indicators import compute  # noqa: E402

END_FY = 2024
TODAY = date(END_FY + 1, 4, 1)  # the day after the city's last fiscal year


@pytest.fixture(scope="module")
def city(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, int]]:
    out = tmp_path_factory.mktemp("city") / "repo"
    counts = generate(out, cases=60, years=3, seed=1, end_fy=END_FY)
    return out, counts


def _digest(root: Path) -> str:
    h = hashlib.sha256()
    for path in sorted(root.rglob("*.yaml")):
        h.update(path.relative_to(root).as_posix().encode())
        h.update(path.read_bytes())
    return h.hexdigest()


def test_valid_without_errors_or_warnings(city: tuple[Path, dict[str, int]]) -> None:
    """On the day before the meetings the city leaves `planned` (its last two weeks): standing
    after them, each is a meeting not yet recorded (J608), as a real office would be told."""
    root, counts = city
    result = validate(root, date(END_FY + 1, 3, 17))
    shown = "\n".join(f"{d.path}:{d.line}: {d.code} {d.message}" for d in result.diagnostics[:20])
    assert (result.errors, result.warnings) == (0, 0), shown
    assert result.files == sum(counts.values())
    after = validate(root, TODAY).diagnostics
    assert after and {d.code for d in after} == {"J608"}


def test_same_seed_same_bytes(city: tuple[Path, dict[str, int]], tmp_path: Path) -> None:
    root, _ = city
    again = tmp_path / "again"
    generate(again, cases=60, years=3, seed=1, end_fy=END_FY)
    assert _digest(again) == _digest(root)
    other = tmp_path / "other"
    generate(other, cases=60, years=3, seed=2, end_fy=END_FY)
    assert _digest(other) != _digest(root)


def test_writer_processes_write_the_same_tree(
    city: tuple[Path, dict[str, int]], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The files handed to writer processes (in batches, written in any order) make the same tree,
    byte for byte, as the sequential generator's: same paths, same bytes, no file more."""
    root, counts = city
    monkeypatch.setattr(writers, "BATCH", 50)  # many batches over both writers, as in a big city
    parallel = tmp_path / "parallel"
    assert generate(parallel, cases=60, years=3, seed=1, end_fy=END_FY, workers=2) == counts
    files = sorted(p.relative_to(parallel).as_posix() for p in parallel.rglob("*") if p.is_file())
    assert files == sorted(p.relative_to(root).as_posix() for p in root.rglob("*") if p.is_file())
    assert len(files) == sum(counts.values()) > 10 * writers.BATCH
    assert _digest(parallel) == _digest(root)


def test_every_kind_and_shape_appears(city: tuple[Path, dict[str, int]]) -> None:
    root, counts = city
    assert sorted(counts) == sorted(KINDS)
    assert (root / "records" / str(END_FY)).is_dir()  # stand-alone records
    repo = load(root).repository
    assert {m.type for m in repo.meetings} == {
        "support_meeting",
        "multilayer_meeting",
        "case_conference",
        "submanager_meeting",
        "coordination_meeting",
        "other",
    }
    assert {m.status for m in repo.meetings} == {"held", "cancelled", "planned"}
    assert all(m.date and m.date.year >= END_FY for m in repo.meetings if m.status == "planned")
    assert {t.result for r in repo.referrals for t in r.to} == {
        "connected",
        "declined",
        "pending",
        "proposal",
    }
    assert {p.version for c in repo.cases for p in c.plans} >= {1, 2, 3}
    assert any(c.closure_date for c in repo.cases) and any(c.suspension_date for c in repo.cases)
    assert any(not c.consents for c in repo.cases)  # discussed at 支援会議 only
    assert any(c.withdrawn for case in repo.cases for c in case.consents)
    records = [r for c in repo.cases for r in c.records]
    assert any(r.outreach for r in records) and any(r.contact == "failed" for r in records)
    assert any(r.type == "participation" and r.resource for r in records)
    assert 8 <= len(records) / len(repo.cases) <= 16  # ≈ 12 activities per case
    members = yaml.safe_load((root / "members.yaml").read_text(encoding="utf-8"))["members"]
    assert len(members) == 60 and sum(1 for m in members if m.get("pledge_date")) >= 55
    assert all(c.intake_date and c.intake_date <= date(END_FY + 1, 3, 31) for c in repo.cases)


def test_personal_data_is_fictional(city: tuple[Path, dict[str, int]]) -> None:
    root, _ = city
    for path in sorted((root / "cases").glob("*/case.yaml"))[:20]:
        person = yaml.safe_load(path.read_text(encoding="utf-8"))["person"]
        assert person["name"].startswith("仮")
        assert person["phone"].startswith("090-0000-")


def test_indicators_are_not_zero(city: tuple[Path, dict[str, int]]) -> None:
    root, _ = city
    figures = {i.id: i.value for i in compute(load(root).repository, END_FY - 1).indicators}
    for key in (
        "new_cases",
        "continuing_cases",
        "closed_cases",
        "activities",
        "persons_supported",
        "outreach",
        "plans_created",
        "replans",
        "support_meetings",
        "multilayer_meetings",
        "meetings",
        "cases_discussed",
        "referrals",
    ):
        assert figures[key] > 0, key
