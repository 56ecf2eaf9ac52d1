"""`validate` after an edit, from the query index (store/index.py, load_for_validation): it gives
byte for byte what a run without any cache gives, re-makes only the files that changed, and
falls back to the plain load where the index cannot answer."""

from __future__ import annotations

import pickle
from collections.abc import Callable
from pathlib import Path

import pytest
from conftest import CASES, SAMPLE_REPO, TODAY, git
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from test_index import git_copy
from typer.testing import CliRunner

from jushou_cli import checks
from jushou_cli.cli.app import app
from jushou_cli.load import build
from jushou_cli.load.plain import load as load_plain
from jushou_cli.model.diagnostics import Diagnostic
from jushou_cli.model.records import Case
from jushou_cli.store import index, kept_rules, memo
from jushou_cli.store.shelves import open_shelves
from jushou_cli.store.sight import code_key

runner = CliRunner()


@pytest.fixture(autouse=True)
def today(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("JUSHOU_TODAY", TODAY.isoformat())
    monkeypatch.delenv("JUSHOU_NO_CACHE", raising=False)


def _validate(root: Path, fmt: str, cached: bool, monkeypatch: pytest.MonkeyPatch) -> tuple[int, str]:
    with monkeypatch.context() as m:
        if not cached:
            m.setenv("JUSHOU_NO_CACHE", "1")
        done = runner.invoke(app, ["validate", "--repo", str(root), "--format", fmt])
    return done.exit_code, done.output


class Spy:
    """How often validate took the index's path, and how many files it made records of."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.answered = 0
        self.made = 0
        real_load, real_made = memo.load_for_validation, build.made_from

        def load(root: Path, state: index.State) -> object:
            loaded = real_load(root, state)
            self.answered += loaded is not None
            return loaded

        def made(doc: object) -> object:
            self.made += 1
            return real_made(doc)  # type: ignore[arg-type]

        monkeypatch.setattr(memo, "load_for_validation", load)
        monkeypatch.setattr(build, "made_from", made)

    def reset(self) -> None:
        self.answered = self.made = 0


def _same_as_without_cache(root: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    for fmt in ("json", "text"):
        assert _validate(root, fmt, True, monkeypatch) == _validate(root, fmt, False, monkeypatch), fmt


def _git_copy(tmp_path: Path) -> Path:
    return git_copy(SAMPLE_REPO, tmp_path / "repo")


def _indexed(tmp_path: Path) -> Path:
    """The sample town in git, with the query index made (by a `due`)."""
    root = _git_copy(tmp_path)
    assert runner.invoke(app, ["due", "--repo", str(root)]).exit_code == 0
    return root


def _replace(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, (path, old)
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def _case_file(root: Path, case: str = "C2024-0001") -> Path:
    return root / "cases" / case / "case.yaml"


def _record(root: Path) -> Path:
    return root / "cases" / "C2024-0001" / "records" / "2024-05-22-visit.yaml"


# Edits a coordinator makes, good and bad: each is one change to one file (or one file more or
# less) of the sample town, each to a file of its own (any of them may follow any other).
EDITS: dict[str, Callable[[Path], None]] = {
    "a schema error in a case": lambda r: _replace(_case_file(r), "route:", "route: nowhere\n  was:"),
    "a date that is not the file's": lambda r: _replace(_record(r), "date: 2024-05-22", "date: 2024-05-23"),
    "a broken new file": lambda r: (
        r / "cases" / "C2024-0001" / "records" / "2025-01-07-visit.yaml"
    ).write_text("kind: record\n  bad: [\n", encoding="utf-8"),
    "a new good record": lambda r: (
        r / "cases" / "C2024-0002" / "records" / "2025-01-06-phone.yaml"
    ).write_text("kind: record\ntype: phone\ndate: 2025-01-06\nstaff: [sato]\n", encoding="utf-8"),
    "a case deleted": lambda r: _case_file(r, "C2024-0003").unlink(),
    # a value a message would quote: another case's person's name (scrubbed: validate.py)
    "a name where a code belongs": lambda r: _replace(
        _case_file(r, "C2024-0002"), "route: self", "route: 野原 一樹"
    ),
    "a member removed": lambda r: _replace(r / "members.yaml", "  - id: ito\n", "  - id: ito_gone\n"),
    "a case's id changed": lambda r: _replace(
        _case_file(r, "C2024-0004"), "id: C2024-0004", "id: C2024-0009"
    ),
    # what one case's rules read outside its folder (checks/kept.py): the meetings about it, the
    # referrals' ids, the configuration
    "a plan meeting now about another case": lambda r: _replace(
        _meeting(r, "M2024-0004"),
        "  - case: C2024-0002\n    timing: plan_creation",
        "  - case: C2025-0001\n    timing: plan_creation",
    ),
    "a held meeting cancelled": lambda r: _replace(
        _meeting(r, "M2024-0002"), "status: held", "status: cancelled"
    ),
    "a referral's id changed": lambda r: _replace(
        r / "referrals" / "2024" / "R2024-0001.yaml", "id: R2024-0001", "id: R2024-0011"
    ),
    "a rule of the town": lambda r: _replace(
        r / "jushou.yaml", "plan_meeting_within_days: 30", "plan_meeting_within_days: 3"
    ),
}


def _meeting(root: Path, meeting: str) -> Path:
    return root / "meetings" / meeting[1:5] / f"{meeting}.yaml"


def test_after_each_edit_the_index_answers_as_a_run_without_cache(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = _indexed(tmp_path)
    spy = Spy(monkeypatch)
    files = len(index.QueryIndex(root).keys)
    assert files > 50
    for name, edit in EDITS.items():
        edit(root)
        spy.reset()
        code, json_out = _validate(root, "json", True, monkeypatch)
        assert spy.answered == 1, name
        # only the changed file is made again (a deleted one: none)
        assert spy.made <= 1, (name, spy.made)
        assert (code, json_out) == _validate(root, "json", False, monkeypatch), name
        _same_as_without_cache(root, monkeypatch)
    # and back to the committed files: what a run without cache says of them
    git(root, "checkout", "-q", "--", ".")
    git(root, "clean", "-q", "-fd")
    _same_as_without_cache(root, monkeypatch)


def test_a_first_run_makes_the_index_in_workers(
    tmp_path: Path, made_in_workers: list[list[str]], monkeypatch: pytest.MonkeyPatch
) -> None:
    """No index yet (a first run, the toolkit changed): every file is made in worker processes
    and kept as the index; the answer is a run's without any cache."""
    root = _git_copy(tmp_path)
    spy = Spy(monkeypatch)
    EDITS["a schema error in a case"](root)
    code, out = _validate(root, "json", True, monkeypatch)
    assert spy.answered == 1 and code == 1 and made_in_workers
    assert (code, out) == _validate(root, "json", False, monkeypatch)
    assert len(index.QueryIndex(root).keys) == len(load_plain(root).repository.files)


def test_an_unreadable_file_is_reported_as_the_plain_load_reports_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = _indexed(tmp_path)
    spy = Spy(monkeypatch)
    # a record file over the size limit is not read (layout.MAX_RECORD_BYTES)
    big = root / "cases" / "C2024-0001" / "records" / "2025-01-08-visit.yaml"
    big.write_text("kind: record\n#" + "x" * (3 * 1024 * 1024) + "\n", encoding="utf-8")
    code, out = _validate(root, "json", True, monkeypatch)
    assert (code, out) == _validate(root, "json", False, monkeypatch)
    assert spy.answered == 1 and code == 1 and "J0" in out


@settings(max_examples=8, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(st.sampled_from(sorted(EDITS)), min_size=1, max_size=4, unique=True))
def test_any_sequence_of_edits(tmp_path_factory: pytest.TempPathFactory, edits: list[str]) -> None:
    with pytest.MonkeyPatch.context() as monkeypatch:
        root = _indexed(tmp_path_factory.mktemp("seq"))
        for name in edits:
            EDITS[name](root)
            _same_as_without_cache(root, monkeypatch)


def test_a_name_a_message_would_quote_is_scrubbed_from_the_index_too(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = _indexed(tmp_path)
    EDITS["a name where a code belongs"](root)
    spy = Spy(monkeypatch)
    code, out = _validate(root, "json", True, monkeypatch)
    assert spy.answered == 1 and code == 1
    assert "C2024-0002" in out and "野原" not in out and "一樹" not in out
    assert (code, out) == _validate(root, "json", False, monkeypatch)


def test_a_first_run_leaves_the_index_for_the_next(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    root = _git_copy(tmp_path)
    spy = Spy(monkeypatch)
    _validate(root, "json", True, monkeypatch)  # a first run: every file made, kept as the index
    assert spy.answered == 1 and spy.made > 0 and index.QueryIndex(root).keys
    spy.reset()
    EDITS["a schema error in a case"](root)
    EDITS["a date that is not the file's"](root)
    kept = _validate(root, "json", True, monkeypatch)
    assert spy.answered == 1 and spy.made == 2  # the two edited files
    assert kept == _validate(root, "json", False, monkeypatch)
    spy.reset()
    EDITS["a broken new file"](root)
    _validate(root, "json", True, monkeypatch)
    assert spy.answered == 1 and spy.made == 0  # the new file is broken: it makes nothing
    _same_as_without_cache(root, monkeypatch)


class CaseSpy:
    """Which cases the rules over one case were run for (checks.Run.case), by case.yaml's path."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.checked: list[str] = []
        real = checks.Run.case

        def case(run: checks.Run, case: Case) -> list[Diagnostic]:
            self.checked.append(case.path)
            return real(run, case)

        monkeypatch.setattr(checks.Run, "case", case)

    def after(self, root: Path, monkeypatch: pytest.MonkeyPatch) -> set[str]:
        """The cases a cached validate checks again, its output being a run without cache's."""
        self.checked.clear()
        cached = _validate(root, "json", True, monkeypatch)
        checked = set(self.checked)
        assert len(checked) == len(self.checked)  # none twice
        assert cached == _validate(root, "json", False, monkeypatch)
        return checked


def _named(path: Path) -> set[str]:
    """The cases a meeting file's items name, as case.yaml paths."""
    return {
        f"cases/{line.split(':')[1].strip()}/case.yaml"
        for line in path.read_text().splitlines()
        if line.startswith("  - case:")
    }


def test_an_edit_checks_again_only_the_cases_it_can_affect(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = _indexed(tmp_path)
    spy = CaseSpy(monkeypatch)
    every = {p.relative_to(root).as_posix() for p in root.glob("cases/*/case.yaml")}
    assert spy.after(root, monkeypatch) == every  # the first validate: every case, kept
    assert spy.after(root, monkeypatch) == set()  # nothing changed: the remembered answer
    # a record of one case: that case alone
    EDITS["a date that is not the file's"](root)
    assert spy.after(root, monkeypatch) == {"cases/C2024-0001/case.yaml"}
    EDITS["a new good record"](root)
    assert spy.after(root, monkeypatch) == {"cases/C2024-0002/case.yaml"}
    # a meeting: the cases it named before and names now
    meeting = _meeting(root, "M2024-0004")
    before = _named(meeting)
    EDITS["a plan meeting now about another case"](root)
    assert spy.after(root, monkeypatch) == before | _named(meeting) != before
    # a referral's id, the registries, the configuration, the day: every case
    EDITS["a referral's id changed"](root)
    assert spy.after(root, monkeypatch) == every
    EDITS["a member removed"](root)
    assert spy.after(root, monkeypatch) == every
    assert spy.after(root, monkeypatch) == set()
    monkeypatch.setenv("JUSHOU_TODAY", "2026-01-05")
    assert spy.after(root, monkeypatch) == every
    # a case's own id: that case alone (the meetings about it are found by its new id)
    EDITS["a case's id changed"](root)
    assert spy.after(root, monkeypatch) == {"cases/C2024-0004/case.yaml"}


def test_run_all_is_every_rule_familys_whole_check() -> None:
    """The rules split case by case (checks.Run) find what each family's whole check finds."""
    for root in [
        SAMPLE_REPO,
        *sorted(p for p in CASES.iterdir() if p.is_dir() and not p.name.startswith("_")),
    ]:
        repo = load_plain(root).repository
        whole = [d for check in checks.ALL for d in check(repo, TODAY)]
        assert sorted(set(checks.run_all(repo, TODAY)), key=Diagnostic.sort_key) == sorted(
            set(whole), key=Diagnostic.sort_key
        ), root.name


def test_kept_findings_that_cannot_be_read_are_made_again(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = _indexed(tmp_path)
    spy = CaseSpy(monkeypatch)
    spy.after(root, monkeypatch)  # the first validate keeps every case's findings
    shelves = open_shelves(root)
    assert shelves is not None and shelves.read(kept_rules.SHELF, code_key().hex()) is not None
    not_a_dict = pickle.dumps(("context", ["not", "a", "dict"]))
    for damaged, edit in ((b"not a pickle", "a new good record"), (not_a_dict, "a case deleted")):
        shelves.write(kept_rules.SHELF, code_key().hex(), damaged)
        EDITS[edit](root)
        every = {p.relative_to(root).as_posix() for p in root.glob("cases/*/case.yaml")}
        assert spy.after(root, monkeypatch) == every, edit


def test_validate_as_a_library_takes_the_placement_from_the_index(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The writing commands check what they wrote with checks.validate.validate: the working
    tree from the index, with every file's placement findings kept there — no file parsed again
    to place it — and the same findings as the plain load with every rule."""
    from jushou_cli.checks.validate import validate
    from jushou_cli.load import yamldoc

    root = _git_copy(tmp_path)
    EDITS["a date that is not the file's"](root)
    expected = validate(root, TODAY, loaded=load_plain(root))
    assert any(d.code.startswith("J30") for d in expected.diagnostics)
    assert validate(root, TODAY).diagnostics == expected.diagnostics  # the index made
    parsed: list[str] = []
    real = yamldoc.parse

    def parse(path: str, *args: object, **kwargs: object) -> object:
        parsed.append(path)
        return real(path, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(yamldoc, "parse", parse)
    assert validate(root, TODAY).diagnostics == expected.diagnostics
    assert len(parsed) < 10, parsed  # not every file (the sample holds 159)
