"""The content-keyed cache: a warm run gives exactly what a cold run gives."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from conftest import CASES, SAMPLE_REPO, TODAY, materialize

from jushou_cli.cache import DocumentCache
from jushou_cli.load import load
from jushou_cli.render import diagnostics as show
from jushou_cli.validate import validate


@pytest.fixture(autouse=True)
def own_cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    monkeypatch.delenv("JUSHOU_NO_CACHE", raising=False)
    return tmp_path / "cache"


def report(root: Path, cached: bool) -> str:
    result = validate(root, TODAY, loaded=load(root, cached=cached))
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
    assert list(own_cache.glob("jushou/*.pickle"))


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
    store.path.write_bytes(b"not a pickle")
    assert report(root, cached=True) == expected
    assert DocumentCache(root).entries  # rewritten
