"""The content-keyed cache: a warm run gives exactly what a cold run gives."""

from __future__ import annotations

import json
import os
import re
import shutil
import sys
import time
from pathlib import Path
from typing import Any

import pytest
from conftest import CASES, SAMPLE_REPO, TODAY, materialize
from typer.testing import CliRunner

from jushou_cli.checks.validate import validate
from jushou_cli.cli.app import app
from jushou_cli.load.plain import load
from jushou_cli.render import diagnostics as show
from jushou_cli.store.cache import DocumentCache
from jushou_cli.store.cached import load_cached
from jushou_cli.store.index import QueryIndex


@pytest.fixture(autouse=True)
def own_cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("JUSHOU_CACHE_DIR", str(tmp_path / "cache" / "jushou"))
    monkeypatch.delenv("JUSHOU_NO_CACHE", raising=False)
    return tmp_path / "cache"


def report(root: Path, cached: bool) -> str:
    result = validate(root, TODAY, loaded=load_cached(root) if cached else load(root))
    return show.as_json(result) + "\n".join(show.text(result, show.line_reader(result)))


def test_warm_equals_cold_on_the_sample_and_on_every_defect(tmp_path: Path, own_cache: Path) -> None:
    roots = [SAMPLE_REPO] + [
        materialize(case, tmp_path / case.name)
        for case in sorted(CASES.iterdir())
        if case.is_dir()
        and case.name
        in (
            "encoding_cp932",
            "duplicate_key",
            "enum_typo_suggests_code",
            "conflict_in_block_scalar",
            "plan_meeting_overdue",
        )
    ]
    for root in roots:
        uncached = report(root, cached=False)
        cold = report(root, cached=True)
        warm = report(root, cached=True)
        assert uncached == cold == warm, root
    assert list(own_cache.glob("jushou/*.sqlite"))


def test_a_changed_file_is_read_again(tmp_path: Path) -> None:
    root = tmp_path / "repo"
    shutil.copytree(SAMPLE_REPO, root)
    assert "J104" not in report(root, cached=True)
    record = next(root.glob("records/2024/*.yaml"))
    text = record.read_text(encoding="utf-8")
    record.write_text(text.replace("type: ", "type: x", 1), encoding="utf-8")
    assert "J104" in report(root, cached=True)
    record.write_text(text, encoding="utf-8")
    assert "J104" not in report(root, cached=True)


def test_a_damaged_cache_is_rebuilt(tmp_path: Path) -> None:
    root = tmp_path / "repo"
    shutil.copytree(SAMPLE_REPO, root)
    expected = report(root, cached=False)
    report(root, cached=True)
    store = DocumentCache(root)
    assert store.shelves is not None
    store.shelves.write("documents", store.toolkit, b"not a pickle")
    assert report(root, cached=True) == expected
    assert DocumentCache(root).entries  # rewritten


def _age(root: Path, seconds: int = 3600) -> None:
    """Files and folders older than the racy window, so that the cache remembers their stat
    signatures (and a warm run takes the kept listing: listing.py)."""
    when = time.time() - seconds
    for path in [*root.rglob("*.yaml"), *(p for p in root.rglob("*") if p.is_dir()), root]:
        os.utime(path, (when, when))


def _outputs(root: Path, fy: int, meeting: str, env: dict[str, str]) -> list[str]:
    runner = CliRunner()
    base = {"JUSHOU_TODAY": f"{fy + 1}-04-10", **env}
    outputs = []
    for args in (
        ["validate", "--format", "json"],
        ["validate"],
        ["indicators", "--fy", str(fy), "--compare", "2", "--format", "json"],
        ["due", "--format", "json"],
        ["case", "list", "--format", "json"],
        ["agenda", meeting],
    ):
        result = runner.invoke(app, [*args, "--repo", str(root)], env=base)
        assert result.exit_code in (0, 1), (args, result.output)
        outputs.append(result.output)
    return outputs


def test_warm_equals_cold_on_a_generated_city(tmp_path: Path, own_cache: Path, listings: list[Path]) -> None:
    """The issue's check: identical output without the cache, cold and warm, for every
    read-only command, on a small generated city; the warm run knows files by stat signature and
    lists no folder again."""
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    from benchmarks.generate import generate

    root = tmp_path / "city"
    generate(root, cases=40, years=3, seed=7, end_fy=2024)
    _age(root)
    meeting = sorted((root / "meetings" / "2024").glob("*.yaml"))[-1].stem
    uncached = _outputs(root, 2024, meeting, {"JUSHOU_NO_CACHE": "1"})
    assert not list(own_cache.glob("jushou/*.sqlite"))
    cold = _outputs(root, 2024, meeting, {})
    # validate leaves the query index, which knows every file by its stat signature
    assert len(QueryIndex(root).signatures) == len(list(root.rglob("*.yaml")))
    listings.clear()  # the cold runs listed; the warm ones take the kept listing
    warm = _outputs(root, 2024, meeting, {})
    assert listings == []
    assert uncached == cold == warm
    assert json.loads(uncached[0])["summary"]["errors"] == 0


def test_an_edit_that_keeps_size_and_mtime_is_still_seen(tmp_path: Path) -> None:
    """The signature holds ctime too: a same-size edit with the old mtime put back is read."""
    root = tmp_path / "repo"
    shutil.copytree(SAMPLE_REPO, root)
    _age(root)
    assert "J104" not in report(root, cached=True)
    record = next(root.glob("records/2024/*.yaml"))
    before = record.stat()
    text = record.read_text(encoding="utf-8")
    changed = re.sub(r"^type: \w", "type: x", text, count=1, flags=re.M)
    assert len(changed.encode()) == len(text.encode()) and changed != text
    record.write_text(changed, encoding="utf-8")
    os.utime(record, ns=(before.st_atime_ns, before.st_mtime_ns))
    assert "J104" in report(root, cached=True)


def test_a_file_just_written_is_not_trusted_by_signature(tmp_path: Path) -> None:
    """Racily new files (younger than the racy window) are read and hashed every time."""
    root = tmp_path / "repo"
    shutil.copytree(SAMPLE_REPO, root)
    _age(root)
    fresh = next(root.glob("records/2024/*.yaml"))
    fresh.write_text(fresh.read_text(encoding="utf-8"), encoding="utf-8")
    report(root, cached=True)
    signatures = DocumentCache(root).signatures
    rel = fresh.relative_to(root).as_posix()
    assert rel not in signatures
    assert len(signatures) == len(list(root.rglob("*.yaml"))) - 1


def test_a_partial_run_keeps_the_rest_of_the_cache(tmp_path: Path) -> None:
    """An agenda reads a few folders (scope.py) through its own, smaller cache; the whole
    repository's cache is left as it was, so the next whole run is still warm."""
    from jushou_cli.store import partial as scope

    root = tmp_path / "repo"
    shutil.copytree(SAMPLE_REPO, root)
    _age(root)
    report(root, cached=True)
    before = DocumentCache(root)
    assert scope.for_meeting(root, "M2025-0007") is not None
    after = DocumentCache(root)
    assert after.entries.keys() == before.entries.keys()
    assert after.signatures == before.signatures
    part = DocumentCache(root, part=True)
    assert part.shelf != after.shelf and 0 < len(part.entries) < len(after.entries)
    assert scope.for_meeting(root, "M2024-0004") is not None  # another part adds to it
    assert set(DocumentCache(root, part=True).entries) > set(part.entries)


# --- the memo (store/memo.py): answers remembered by the state they were made from -----------------

MEMO_COMMANDS = (
    ["validate", "--format", "json"],
    ["validate", "--format", "github"],
    ["indicators", "--fy", "2024", "--format", "json"],
    ["indicators", "--fy", "2023"],
    ["due", "--format", "json"],
    ["due", "--within", "30", "--format", "csv"],
    ["case", "list", "--format", "json"],
    ["case", "list", "--status", "active"],
)


@pytest.fixture
def loads(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Every repository a command loaded (a remembered answer loads none)."""
    from jushou_cli.store import memo, seam

    made: list[str] = []
    real_query, real_load, real_validation = memo.load_for_queries, seam.load, memo.load_for_validation

    def validation(*args: Any, **kwargs: Any) -> Any:
        loaded = real_validation(*args, **kwargs)
        if loaded is not None:  # else the plain load follows
            made.append("validation")
        return loaded

    def query(*args: Any, **kwargs: Any) -> Any:
        made.append("query")
        return real_query(*args, **kwargs)

    def whole(*args: Any, **kwargs: Any) -> Any:
        made.append("load")
        return real_load(*args, **kwargs)

    monkeypatch.setattr(memo, "load_for_queries", query)
    monkeypatch.setattr(memo, "load_for_validation", validation)
    monkeypatch.setattr(seam, "load", whole)
    return made


def _memo_outputs(root: Path, env: dict[str, str]) -> list[str]:
    runner = CliRunner()
    outputs = []
    for args in MEMO_COMMANDS:
        result = runner.invoke(app, [*args, "--repo", str(root)], env={"JUSHOU_TODAY": "2025-04-10", **env})
        assert result.exit_code in (0, 1), (args, result.output)
        outputs.append(f"{result.exit_code}\n{result.output}")
    return outputs


def _memo_shelves(root: Path) -> dict[str, bytes]:
    from jushou_cli.store.shelves import open_shelves

    kept = open_shelves(root)
    assert kept is not None
    rows = kept.connection.execute("SELECT name FROM shelves WHERE name LIKE 'memo/%'").fetchall()
    return {name: kept.read(name, "memo") or b"" for (name,) in rows}


def _git_city(tmp_path: Path) -> Path:
    from conftest import git

    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    from benchmarks.generate import generate

    root = tmp_path / "city"
    generate(root, cases=15, years=2, seed=3, end_fy=2024)
    git(root, "init", "-q", "-b", "main")
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", "start")
    _age(root)
    git(root, "status", "--short")  # git's index learns the files' new times, as after any git command
    return root


def test_remembered_answers_are_the_fresh_ones_through_every_change(tmp_path: Path, loads: list[str]) -> None:
    """No cache, first run, remembered run: the same output after every kind of change, and
    the remembered run loads no repository."""
    from conftest import git

    root = _git_city(tmp_path)

    def same(label: str, env: dict[str, str] | None = None) -> None:
        fresh = _memo_outputs(root, {"JUSHOU_NO_CACHE": "1", **(env or {})})
        first = _memo_outputs(root, env or {})
        loads.clear()
        again = _memo_outputs(root, env or {})
        assert fresh == first == again, label
        assert loads == [], label  # every answer remembered

    same("clean")
    case = sorted((root / "cases").iterdir())[2] / "case.yaml"
    text = case.read_text(encoding="utf-8")
    edited = text.replace("pseudonym: ", "pseudonym: 新", 1).replace("issues: [", "issues: [housing, ", 1)
    assert edited.count("新") == text.count("新") + 1 and "[housing, " in edited
    case.write_text(edited, encoding="utf-8")
    same("edited, not staged")
    git(root, "add", "-A")
    same("staged")
    git(root, "commit", "-q", "-m", "edit")
    same("committed")  # indicators name the new commit
    record = next((root / "cases").rglob("records/*.yaml"))
    record.unlink()
    shutil.copy(case, case.with_name("extra.yaml"))
    same("a file deleted, another added")
    same("another day", {"JUSHOU_TODAY": "2025-09-01"})
    assert len(_memo_shelves(root)) > len(MEMO_COMMANDS)


def test_the_memo_holds_rendered_answers_and_a_damaged_one_is_ignored(tmp_path: Path) -> None:
    import pickle

    root = _git_city(tmp_path)
    expected = _memo_outputs(root, {"JUSHOU_NO_CACHE": "1"})
    assert _memo_outputs(root, {}) == expected
    kept = _memo_shelves(root)
    assert len(kept) == len(MEMO_COMMANDS)
    for payload in kept.values():
        assert b"jushou_cli.model" not in payload and b"jushou_cli.load" not in payload  # no records
        pickle.loads(payload)
    from jushou_cli.store.shelves import open_shelves

    shelves = open_shelves(root)
    assert shelves is not None
    for name in kept:
        shelves.write(name, "memo", b"not a pickle")
    assert _memo_outputs(root, {}) == expected


def test_nothing_is_remembered_where_records_may_be_encrypted(tmp_path: Path, loads: list[str]) -> None:
    """A repository that names recipients may hold sealed records: its answers are made afresh
    every time (every opening is logged; no decrypted value may land in a cache)."""
    root = _git_city(tmp_path)
    (root / ".jushou").mkdir(exist_ok=True)
    (root / ".jushou" / "recipients.yaml").write_text("{}\n", encoding="utf-8")
    expected = _memo_outputs(root, {"JUSHOU_NO_CACHE": "1"})
    assert _memo_outputs(root, {}) == expected
    loads.clear()
    assert _memo_outputs(root, {}) == expected
    assert len(loads) == len(MEMO_COMMANDS) and not _memo_shelves(root)


def test_an_encrypted_record_is_never_remembered_even_without_recipients(
    tmp_path: Path, loads: list[str]
) -> None:
    """Sealed records found in the files themselves (recipients.yaml removed): the query
    index marks them, validate sees them, and no answer is kept."""
    from test_privacy import encrypted

    root, _ = encrypted(tmp_path)
    (root / ".jushou" / "recipients.yaml").unlink()
    expected = _memo_outputs(root, {"JUSHOU_NO_CACHE": "1"})
    assert _memo_outputs(root, {}) == expected
    loads.clear()
    assert _memo_outputs(root, {}) == expected
    assert len(loads) == len(MEMO_COMMANDS) and not _memo_shelves(root)


def test_a_save_keeps_every_whole_part_as_its_bytes(tmp_path: Path) -> None:
    """The document cache is stored as pickled parts (a cold run's are the workers' own bytes):
    a part all of whose entries are kept is written again as it was, the rest in one new part;
    what is read back is the same entries either way."""
    import pickle

    root = materialize(CASES / "valid_minimal", tmp_path / "repo")
    store = DocumentCache(root)
    first = {b"a1": ({"x": 1}, "case", ()), b"a2": ({"x": 2}, "case", ())}
    second = {b"b1": ({"y": 1}, "plan", ()), b"b2": (None, None, ())}
    for entries in (first, second):
        store.adopt(pickle.dumps(entries), entries)
    store.used.discard(b"b2")  # b2's file is gone: its part is not whole any more
    store.save()
    again = DocumentCache(root)
    assert again.entries == {**first, b"b1": second[b"b1"]}
    assert [keys for _, keys in again.parts] == [frozenset(first), frozenset({b"b1"})]
    assert again.parts[0][0] == pickle.dumps(first)  # the same bytes, not pickled again
