"""The shared listing (listing.py): `validate` and the query commands list the repository's files
again only when a folder changed, and then see exactly what a fresh listing sees."""

from __future__ import annotations

import os
import shutil
import time
from pathlib import Path
from typing import Any

import pytest
from conftest import SAMPLE_REPO

from jushou_cli.load.layout import discover
from jushou_cli.store import seam
from jushou_cli.store.cached import load_cached
from jushou_cli.store.listing import Listing
from jushou_cli.store.shelves import close, database, open_shelves


@pytest.fixture(autouse=True)
def own_cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("JUSHOU_CACHE_DIR", str(tmp_path / "cache" / "jushou"))
    monkeypatch.delenv("JUSHOU_NO_CACHE", raising=False)
    return tmp_path / "cache"


def age_folders(root: Path) -> None:
    """Folders untouched for an hour: a listing of them is trusted."""
    past = time.time() - 3600
    for folder in [root, *(p for p in root.rglob("*") if p.is_dir())]:
        os.utime(folder, (past, past))


def fresh(root: Path) -> Any:
    files, problems = discover(root)
    return files, [p.to_json() for p in problems]


def stored(root: Path) -> Any:
    files, problems = Listing(root).current()
    return files, [p.to_json() for p in problems]


def test_validate_lists_again_only_when_a_folder_changed(tmp_path: Path, listings: list[Path]) -> None:
    root = tmp_path / "repo"
    shutil.copytree(SAMPLE_REPO, root)
    (root / "records" / "2025" / "2025-06-01-phone.yml").write_text("kind: record\n", encoding="utf-8")
    age_folders(root)
    first = load_cached(root)
    assert len(listings) == 1
    second = load_cached(root)
    assert len(listings) == 1  # the stored listing, and with it the .yml warning (J306)
    assert [d.to_json() for d in second.diagnostics] == [d.to_json() for d in first.diagnostics]
    assert any(d.code == "J306" for d in second.diagnostics)
    assert second.repository.files == first.repository.files

    added = root / "cases" / "C2024-0001" / "records" / "2025-06-02-visit.yaml"
    assert added.parent.is_dir()
    added.write_text("kind: record\ntype: visit\ndate: 2025-06-02\nstaff: [sato]\n", encoding="utf-8")
    third = load_cached(root)
    assert len(listings) == 2 and "cases/C2024-0001/records/2025-06-02-visit.yaml" in third.repository.files
    assert stored(root) == fresh(root)

    age_folders(root)
    load_cached(root)
    added.unlink()  # a removal changes the folder too
    assert "cases/C2024-0001/records/2025-06-02-visit.yaml" not in load_cached(root).repository.files
    assert stored(root) == fresh(root)


def test_a_folder_changed_in_the_last_seconds_is_listed_every_time(
    tmp_path: Path, listings: list[Path]
) -> None:
    root = tmp_path / "repo"
    shutil.copytree(SAMPLE_REPO, root)
    for folder in [root, *(p for p in root.rglob("*") if p.is_dir())]:
        os.utime(folder)  # every folder changed just now
    for _ in range(3):
        load_cached(root)
    assert len(listings) == 3


def test_without_the_cache_every_run_lists(
    tmp_path: Path, listings: list[Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    root = tmp_path / "repo"
    shutil.copytree(SAMPLE_REPO, root)
    age_folders(root)
    monkeypatch.setenv("JUSHOU_NO_CACHE", "1")
    seam.load(root)
    seam.load(root)
    assert len(listings) == 2
    assert not (tmp_path / "cache" / "jushou").exists() or not list((tmp_path / "cache").rglob("*listing*"))


def test_a_damaged_or_foreign_listing_is_made_again(tmp_path: Path, listings: list[Path]) -> None:
    import pickle

    root = tmp_path / "repo"
    shutil.copytree(SAMPLE_REPO, root)
    age_folders(root)
    listing = Listing(root)
    listing.current()
    kept = open_shelves(root)
    assert kept is not None
    other = pickle.loads(kept.read("listing", listing.code) or b"")
    other["files"] = []
    kept.write("listing", "other code", pickle.dumps(other))  # what other code could have kept
    assert stored(root) == fresh(root)
    kept.write("listing", listing.code, b"not a pickle")
    assert stored(root) == fresh(root)
    assert len(listings) == 3
    # The whole database damaged (by another process): deleted and made afresh.
    close(database(root))
    database(root).write_bytes(b"not a database" * 100)
    assert stored(root) == fresh(root)
    assert len(listings) == 4
