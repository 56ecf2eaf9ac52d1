"""The query index (index.py): the repository it gives is the one `load` builds, field for field,
in git and outside it, cold and warm, and after every kind of change to the working tree."""

from __future__ import annotations

import dataclasses
import multiprocessing
import os
import shutil
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from conftest import CASES, SAMPLE_REPO, git, materialize

from jushou_cli.load.plain import load
from jushou_cli.load.yamldoc import UNREAD
from jushou_cli.model.records import Repository, Sourced
from jushou_cli.queries.caseload import caseload
from jushou_cli.queries.due import due_items
from jushou_cli.queries.indicators import compute
from jushou_cli.store.cached import load_cached
from jushou_cli.store.index import QueryIndex, load_for_queries
from jushou_cli.store.index_file import PART


@pytest.fixture(autouse=True)
def own_cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("JUSHOU_CACHE_DIR", str(tmp_path / "cache" / "jushou"))
    monkeypatch.delenv("JUSHOU_NO_CACHE", raising=False)
    return tmp_path / "cache"


def dump(value: Any) -> Any:
    """Every model field, recursively; a model object is named by its class, file and place."""
    if isinstance(value, Sourced):
        fields = [f.name for f in dataclasses.fields(value)][2:]
        return (type(value).__name__, value.path, value.base, *(dump(getattr(value, f)) for f in fields))
    if isinstance(value, list | tuple):
        return [dump(v) for v in value]
    return value


def model_of(repo: Repository) -> Any:
    parts = ("config", "organizations", "members", "resources", "cases", "records", "referrals")
    return (
        [dump(getattr(repo, name)) for name in (*parts, "proposals", "meetings")],
        [(d.path, d.kind) for d in repo.documents],
        sorted(repo.files),
        sorted(repo.registries_present),
    )


def answers(repo: Repository) -> Any:
    """What due, case list and indicators print, as data."""
    on = date(2025, 3, 1)
    return (
        [i.to_json() for i in due_items(repo, on)],
        [r.to_json() for r in caseload(repo, on)],
        [
            [
                i.to_json(explain=True) | {"who": [r.pseudonym for r in i.records]}
                for i in compute(repo, fy).indicators
            ]
            for fy in (2023, 2024, 2025)
        ],
    )


def same_as_load(root: Path) -> None:
    expected = load(root).repository
    for _ in ("cold", "warm"):
        got = load_for_queries(root)
        assert model_of(got) == model_of(expected)
        assert answers(got) == answers(expected)


def git_copy(source: Path, target: Path) -> Path:
    shutil.copytree(source, target)
    git(target, "init", "-q", "-b", "main")
    git(target, "add", "-A")
    git(target, "commit", "-q", "-m", "start")
    return target


def test_sample_repo_in_git_and_outside(tmp_path: Path) -> None:
    same_as_load(git_copy(SAMPLE_REPO, tmp_path / "git"))
    plain = tmp_path / "plain"
    shutil.copytree(SAMPLE_REPO, plain)
    same_as_load(plain)


@pytest.mark.parametrize(
    "name",
    [
        "encoding_cp932",
        "duplicate_key",
        "not_a_mapping",
        "missing_kind",
        "empty_file",
        "two_documents",
        "kind_in_wrong_place",
        "sheet_without_case",
        "duplicate_case_id",
        "file_outside_layout",
        "registry_missing",
        "recursive_alias",
        "unknown_case",
    ],
)
def test_broken_repositories_give_what_load_gives(tmp_path: Path, name: str) -> None:
    root = materialize(CASES / name, tmp_path / "repo")
    same_as_load(root)
    git(root, "init", "-q", "-b", "main")
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", "start")
    same_as_load(root)


def test_every_change_to_the_working_tree_is_seen(tmp_path: Path) -> None:
    root = git_copy(SAMPLE_REPO, tmp_path / "repo")
    same_as_load(root)
    case = sorted((root / "cases").iterdir())[0]
    # an edit of the same size within the second of `git add` (git's "racily clean" check
    # compares the content: its timestamps are whole seconds)
    target = case / "case.yaml"
    text = target.read_text(encoding="utf-8")
    changed = text.replace("Aさん", "Zさん", 1)
    assert changed != text and len(changed.encode()) == len(text.encode())
    git(root, "add", "-A")
    target.write_text(changed, encoding="utf-8")
    same_as_load(root)
    # new untracked files, one of them broken, one in a dot-folder (not read), one .yml
    (case / "records" / "2025-01-06-phone.yaml").write_text(
        "kind: record\ntype: phone\ndate: 2025-01-06\nstaff: [sato]\ncontact: failed\n", encoding="utf-8"
    )
    (case / "records" / "2025-01-07-visit.yaml").write_text("kind: record\n  bad: [\n", encoding="utf-8")
    (case / ".drafts").mkdir()
    (case / ".drafts" / "2025-01-08-visit.yaml").write_text("kind: record\n", encoding="utf-8")
    same_as_load(root)
    # a deleted tracked file, and a staged change edited again
    sheet = next((case / "sheets").iterdir())
    sheet.unlink()
    git(root, "add", "-A")
    (case / "records" / "2025-01-06-phone.yaml").write_text(
        "kind: record\ntype: visit\ndate: 2025-01-06\nstaff: [sato]\n", encoding="utf-8"
    )
    same_as_load(root)
    # an unreadable file (as root, chmod does not stop reading: then it is simply read)
    locked = case / "records" / "2025-01-06-phone.yaml"
    locked.chmod(0)
    try:
        same_as_load(root)
    finally:
        locked.chmod(0o644)


def test_git_flags_it_cannot_trust_fall_back_to_every_file(tmp_path: Path) -> None:
    root = git_copy(SAMPLE_REPO, tmp_path / "repo")
    target = sorted((root / "cases").iterdir())[0] / "case.yaml"
    git(root, "update-index", "--assume-unchanged", str(target.relative_to(root)))
    target.write_text(target.read_text(encoding="utf-8") + "# 追記\nissues: [housing]\n", encoding="utf-8")
    same_as_load(root)  # git would say "unchanged"; the stat signatures see the change
    git(root, "config", "core.ignoreStat", "true")
    same_as_load(root)


def test_outside_git_a_same_size_edit_with_old_times_is_read_when_recent(tmp_path: Path) -> None:
    root = tmp_path / "plain"
    shutil.copytree(SAMPLE_REPO, root)
    same_as_load(root)
    target = sorted((root / "cases").iterdir())[0] / "case.yaml"
    text = target.read_text(encoding="utf-8")
    stat = target.stat()
    target.write_text(text.replace("Aさん", "Zさん", 1), encoding="utf-8")
    os.utime(target, ns=(stat.st_atime_ns, stat.st_mtime_ns))  # only the ctime tells
    same_as_load(root)


def test_documents_from_the_index_read_their_data_only_when_asked(tmp_path: Path) -> None:
    root = git_copy(SAMPLE_REPO, tmp_path / "repo")
    load_for_queries(root)
    warm = load_for_queries(root)
    full = {d.path: d.data for d in load(root).repository.documents}
    records = [d for d in warm.documents if d.kind == "record"]
    assert records and all(d._data is UNREAD for d in records)
    assert all(d.data == full[d.path] for d in warm.documents)


def test_every_object_of_the_sample_is_stored_and_loaded_back_field_for_field() -> None:
    import pickle

    from jushou_cli.load.build import REGISTRY_KINDS, made_from
    from jushou_cli.store.index_file import _dumps

    for doc in load(SAMPLE_REPO).repository.documents:
        made = made_from(doc)
        back_doc, back = pickle.loads(_dumps({"item": (doc, made)}))["item"]
        assert dump(back) == dump(made)
        assert (back_doc.path, back_doc.kind, back_doc.folder) == (doc.path, doc.kind, doc.folder)
        # a record's data is not stored (it is read again if asked); a registry's is
        assert back_doc._data is UNREAD if doc.kind not in REGISTRY_KINDS else back_doc._data == doc.data


def test_the_index_keeps_only_the_files_of_the_last_run(tmp_path: Path) -> None:
    root = git_copy(SAMPLE_REPO, tmp_path / "repo")
    load_for_queries(root)
    count = len(QueryIndex(root).keys)
    record = next(p for p in (root / "cases").rglob("records/*.yaml"))
    for n in range(3):
        record.write_text(record.read_text(encoding="utf-8") + f"# {n}\n", encoding="utf-8")
        load_for_queries(root)
    assert len(QueryIndex(root).keys) == count


def test_many_new_files_are_made_in_workers_a_part_at_a_time(
    tmp_path: Path, made_in_workers: list[list[str]], monkeypatch: pytest.MonkeyPatch
) -> None:
    """The first run after the toolkit changed, or a checkout: the files are made in worker
    processes, a group of the index at a time; the repository is the plain load's, its documents
    hold no data (as a warm run's), and the parts the workers pickled are the index's own."""
    from jushou_cli.load.build import REGISTRY_KINDS
    from jushou_cli.store import cold, index_file

    root = git_copy(SAMPLE_REPO, tmp_path / "repo")
    expected = model_of(load(root).repository)
    repo = load_for_queries(root)
    assert model_of(repo) == expected
    assert sorted(p for group in made_in_workers for p in group) == sorted(repo.files)
    assert all(len({index_file.group_of(p.encode()) for p in group}) == 1 for group in made_in_workers)
    assert all(d._data is UNREAD for d in repo.documents if d.kind not in REGISTRY_KINDS)
    pickled = 0
    real_dumps = index_file._dumps

    def dumps(stored: Any) -> bytes:
        nonlocal pickled
        pickled += 1
        return real_dumps(stored)

    monkeypatch.setattr(index_file, "_dumps", dumps)
    monkeypatch.setattr(cold, "made_parts", None)  # nothing is made again
    assert model_of(load_for_queries(root)) == expected and pickled == 0


def _dying(paths: list[str]) -> Any:
    """A worker killed mid-run (the pool breaks) when it is given the meetings."""
    from jushou_cli.store import cold, index_file

    if any(p.startswith("meetings/") for p in paths):
        os._exit(1)
    return index_file.made_part(cold._root, cold._base, cold._width, paths)


@pytest.mark.skipif("fork" not in multiprocessing.get_all_start_methods(), reason="a forked worker dies")
def test_workers_that_die_leave_the_rest_to_the_process(
    tmp_path: Path, made_in_workers: list[list[str]], monkeypatch: pytest.MonkeyPatch
) -> None:
    from jushou_cli.store import cold
    from jushou_cli.system import platform

    monkeypatch.setattr(platform, "is_windows", lambda: False)
    root = git_copy(SAMPLE_REPO, tmp_path / "repo")
    expected = model_of(load(root).repository)
    monkeypatch.setattr(cold, "_made_part", _dying)
    assert model_of(load_for_queries(root)) == expected
    assert any(p.startswith("meetings/") for group in made_in_workers for p in group)


def test_the_listing_is_reused_until_a_folder_changes(tmp_path: Path, listings: list[Path]) -> None:
    root = git_copy(SAMPLE_REPO, tmp_path / "repo")
    past = os.stat(root).st_mtime - 3600
    for folder in [root, *(p for p in root.rglob("*") if p.is_dir() and ".git" not in p.parts)]:
        os.utime(folder, (past, past))  # folders untouched for an hour: their listing is trusted
    same_as_load(root)
    count = len(listings)
    load_for_queries(root)
    assert len(listings) == count  # nothing listed again
    tracked = sorted((root / "cases").iterdir())[1] / "case.yaml"
    tracked.write_text(tracked.read_text(encoding="utf-8") + "issues: [housing]\n", encoding="utf-8")
    untracked = root / "records" / "2025" / "2025-05-01-phone.yaml"
    same_as_load(root)  # an edit in place: same folders, git's diff-files tells
    untracked.write_text("kind: record\ntype: phone\ndate: 2025-05-01\nperson: Xさん\n", encoding="utf-8")
    same_as_load(root)
    untracked.write_text("kind: record\ntype: visit\ndate: 2025-05-01\nperson: Wさん\n", encoding="utf-8")
    same_as_load(root)  # an untracked file edited: its stat signature tells
    new_case = root / "cases" / "C2026-0099"
    new_case.mkdir()
    (new_case / "case.yaml").write_text(
        "kind: case\nid: C2026-0099\npseudonym: Yさん\nintake:\n  date: 2026-04-01\n  route: visit\n",
        encoding="utf-8",
    )
    same_as_load(root)  # the new folder changed its parent's signature
    assert len(listings) > count + 1
    record = sorted((root / "cases").iterdir())[0] / "records" / "2025-02-03-phone.yaml"
    record.write_text("kind: record\ntype: phone\ndate: 2025-02-03\nstaff: [sato]\n", encoding="utf-8")
    same_as_load(root)


def test_cache_files_are_readable_by_their_owner_only(
    tmp_path: Path, own_cache: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from jushou_cli.store import shelves

    monkeypatch.setattr(shelves, "_SPILL", 1000)  # the sample's index in a file of its own too
    # The document cache holds every record's data, personal fields included (a shared PC).
    root = git_copy(SAMPLE_REPO, tmp_path / "repo")
    load_cached(root)
    load_for_queries(root)
    folder = own_cache / "jushou"
    assert folder.stat().st_mode & 0o777 == 0o700
    found = list(folder.rglob("*"))
    # one database (the document cache, the listing and the index), the large shelves' files
    assert {f.suffix for f in found} >= {".sqlite", ".blobs"}
    for f in found:
        assert f.stat().st_mode & 0o777 == (0o700 if f.is_dir() else 0o600), f


def test_an_index_from_other_code_or_damaged_is_rebuilt(tmp_path: Path) -> None:
    import pickle

    root = git_copy(SAMPLE_REPO, tmp_path / "repo")
    expected = model_of(load(root).repository)
    load_for_queries(root)
    index = QueryIndex(root)
    assert index.shelves is not None
    head = pickle.loads(index.shelves.read("index", index.toolkit) or b"")
    name = head[_group_of(root, "cases/C2024-0001/case.yaml")]
    part = pickle.loads(index.shelves.read(name, index.toolkit) or b"")
    # what other code could have stored: items that no longer match the files
    part["items"] = [None if item is None else (item[0], None) for item in part["items"]]
    index.shelves.write(name, "other code", pickle.dumps(part))
    assert model_of(load_for_queries(root)) == expected
    # a damaged list of parts, a damaged part, a part removed (by a newer run, meanwhile)
    index.shelves.write("index", index.toolkit, b"not a pickle")
    assert model_of(load_for_queries(root)) == expected
    head = pickle.loads(index.shelves.read("index", index.toolkit) or b"")
    index.shelves.write(next(iter(head.values())), index.toolkit, b"not a pickle")
    assert model_of(load_for_queries(root)) == expected
    index.shelves.keep_only(PART, set())
    assert model_of(load_for_queries(root)) == expected


def _group_of(root: Path, path: str) -> bytes:
    from jushou_cli.store.index_file import _group

    assert (root / path).exists()
    return _group(b"0000 0\t" + path.encode())


def test_an_edit_writes_only_the_part_that_holds_the_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The index is kept in parts: after an edit only the part holding the file is written
    again (and the list of parts); the others keep their shelves."""
    import pickle

    from jushou_cli.store.shelves import Shelves

    written: list[str] = []
    real_write = Shelves.write

    def write(self: Shelves, shelf: str, toolkit: str, value: bytes) -> None:
        written.append(shelf)
        real_write(self, shelf, toolkit, value)

    monkeypatch.setattr(Shelves, "write", write)
    root = git_copy(SAMPLE_REPO, tmp_path / "repo")
    load_for_queries(root)
    index = QueryIndex(root)
    assert index.shelves is not None
    before = pickle.loads(index.shelves.read("index", index.toolkit) or b"")
    assert len(before) > 5
    target = root / "cases" / "C2024-0001" / "case.yaml"
    target.write_text(target.read_text(encoding="utf-8") + "# 追記\n", encoding="utf-8")
    written.clear()
    load_for_queries(root)
    assert len([w for w in written if w.startswith(PART)]) == 1
    same_as_load(root)
    after = pickle.loads(index.shelves.read("index", index.toolkit) or b"")
    changed = {group for group in before if before[group] != after.get(group)}
    assert changed == {_group_of(root, "cases/C2024-0001/case.yaml")} and set(after) == set(before)
    rows = index.shelves.connection.execute("SELECT name FROM shelves WHERE name LIKE 'index-part/%'")
    assert {name for (name,) in rows} == set(after.values())  # the old part is gone


def test_the_same_repository_named_by_another_path_reads_its_own_files(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The index is per folder (resolved); a document's file is found from the name given now.
    root = git_copy(SAMPLE_REPO, tmp_path / "repo")
    full = {d.path: d.data for d in load(root).repository.documents}
    load_for_queries(root)
    monkeypatch.chdir(tmp_path)
    relative = load_for_queries(Path("repo"))
    assert relative.root == "repo"
    assert {d.path: d.data for d in relative.documents} == full
    # Read again from the folder itself, whatever name it was given: the stored documents are
    # never rewritten.
    assert all(d.folder == os.path.join(root.resolve(), "") for d in relative.documents)


def test_an_unchanged_run_returns_the_stored_repository_without_reading_a_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import builtins

    root = git_copy(SAMPLE_REPO, tmp_path / "repo")
    expected = model_of(load(root).repository)
    load_for_queries(root)
    real_open = builtins.open

    def no_record_files(file: Any, *args: Any, **kwargs: Any) -> Any:
        assert not str(file).endswith(".yaml"), f"read {file}"
        return real_open(file, *args, **kwargs)

    monkeypatch.setattr(builtins, "open", no_record_files)
    assert model_of(load_for_queries(root)) == expected


def test_a_large_shelf_lives_in_a_file_named_by_its_content(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from jushou_cli.store import shelves

    monkeypatch.setattr(shelves, "_SPILL", 10)
    kept = shelves.open_shelves(tmp_path)
    assert kept is not None
    kept.write("index", "code", b"first value, long enough")
    first = sorted(kept.blobs.iterdir())
    kept.write("index", "code", b"second value, long enough")
    assert kept.read("index", "code") == b"second value, long enough"
    second = sorted(kept.blobs.iterdir())
    assert len(first) == len(second) == 1 and first != second  # the replaced file is gone
    kept.write("small", "code", b"tiny")
    assert kept.read("small", "code") == b"tiny" and len(list(kept.blobs.iterdir())) == 1
    second[0].unlink()  # lost (another process, a cleaner): made again, never an error
    assert kept.read("index", "code") is None


def test_the_whole_tree_with_its_findings_is_the_plain_loads(tmp_path: Path) -> None:
    """index.load_whole (the report, handout --all, the writers) gives what the plain load gives:
    the repository and the per-file layers' findings in the listing's order — a file's placement
    findings, which the index keeps beside them, left out; a file that cannot be read reported
    as the plain load reports it."""
    from jushou_cli.store.index import load_whole

    root = git_copy(SAMPLE_REPO, tmp_path / "repo")
    record = sorted(root.glob("cases/*/records/*.yaml"))[0]
    folder = record.parent
    # a schema finding and a placement one (a date that is not the file name's) in one file
    text = record.read_text(encoding="utf-8")
    record.write_text(text.replace("kind: record", "kind: record\ncolour: red"), encoding="utf-8")
    moved = folder / "2023-01-01-visit.yaml"
    moved.write_text(text, encoding="utf-8")
    (folder / "2024-01-01-broken.yaml").write_text("kind: record\ndate: [2024\n", encoding="utf-8")
    (folder / "2024-01-03-link.yaml").symlink_to("/etc/hostname")
    plain = load(root)
    for _ in range(2):  # no index yet, then from the index
        whole = load_whole(root)
        assert whole is not None
        assert whole.diagnostics == plain.diagnostics
        assert model_of(whole.repository) == model_of(plain.repository)
    codes = {d.code for d in plain.diagnostics}
    assert {"J003", "J020"} <= codes and "J303" not in codes  # placement's is validate's alone
    assert any(found.placed for found in QueryIndex(root).findings.values())
