"""The compiled schema validator (jsonschema-rs) answers "valid?" exactly as jsonschema does, so
that skipping jsonschema for the documents it calls valid changes no diagnostic (load/schema.py).

Differential: over every YAML file of the tests' fixtures, the sample town and a generated city,
and over documents mutated the ways coordinators break records (a key dropped, renamed or added,
a value of another type, a date that does not exist or is written otherwise, a code that is not
in the list). "Compiled says valid" must imply "jsonschema finds no error" without exception;
the converse holds too except where Python's `$` matches before a final newline (a block scalar),
which jsonschema accepts and the compiled validator does not: such a document only takes the
slower path, and its diagnostics are jsonschema's.
"""

from __future__ import annotations

import copy
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from jushou_cli.load import schema
from jushou_cli.load.reading import read_document
from jushou_cli.load.yamldoc import Document

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent


def _jsonschema_valid(data: Any, kind: str) -> bool:
    return next(iter(schema._validator(kind).iter_errors(data)), None) is None


def _documents(top: Path) -> Iterator[Document]:
    for path in sorted(top.rglob("*.yaml")):
        if path.is_symlink() or not path.is_file():
            continue
        doc, _ = read_document(path.relative_to(top).as_posix(), path.read_bytes(), check_schema=False)
        if doc is not None and doc.kind is not None:
            yield doc


def _ends_in_newline(data: Any) -> bool:
    if isinstance(data, dict):
        return any(_ends_in_newline(v) for v in data.values())
    if isinstance(data, list):
        return any(_ends_in_newline(v) for v in data)
    return isinstance(data, str) and data.endswith("\n")


def _agree(data: Any, kind: str) -> None:
    compiled = schema.surely_valid(data, kind)
    reference = _jsonschema_valid(data, kind)
    if compiled:
        assert reference, (kind, data)
    elif reference:
        assert _ends_in_newline(data), (kind, data)


@pytest.fixture(scope="module")
def city(tmp_path_factory: pytest.TempPathFactory) -> Path:
    sys.path.insert(0, str(ROOT))
    from benchmarks.generate import generate

    root = tmp_path_factory.mktemp("city") / "repo"
    generate(root, cases=60, years=2, seed=3, end_fy=2024)
    return root


def test_the_compiled_validator_is_in_use() -> None:
    assert all(schema._compiled(kind) is not None for kind in ("case", "record", "meeting", "config"))


@pytest.mark.parametrize("top", ["tests", "sample_repo"])
def test_fixtures_and_the_sample_town_agree(top: str) -> None:
    seen = {"valid": 0, "invalid": 0}
    for doc in _documents(ROOT / top):
        _agree(doc.data, str(doc.kind))
        seen["valid" if schema.surely_valid(doc.data, str(doc.kind)) else "invalid"] += 1
    assert seen["valid"] > 50
    if top == "tests":
        assert seen["invalid"] > 20  # the cases hold documents broken on purpose


def test_a_generated_city_agrees(city: Path) -> None:
    kinds: set[str] = set()
    for doc in _documents(city):
        kinds.add(str(doc.kind))
        _agree(doc.data, str(doc.kind))
    assert len(kinds) >= 8


def test_what_rust_and_python_read_differently_follows_jsonschema() -> None:
    """The year 0000 is a date to Rust's date format and not to Python's calendar (jsonschema):
    the compiled validator is given jsonschema's rule. A value ending in a newline passes
    Python's `$` but not Rust's: jsonschema decides, and finds it valid."""
    doc = next(d for d in _documents(ROOT / "sample_repo") if d.kind == "record")
    data = copy.deepcopy(doc.data)
    data["date"] = "0000-01-01"
    assert not schema.surely_valid(data, "record")
    assert not _jsonschema_valid(data, "record")
    doc = next(d for d in _documents(ROOT / "sample_repo") if d.kind == "case")
    data = copy.deepcopy(doc.data)
    data["id"] = data["id"] + "\n"
    assert not schema.surely_valid(data, "case")
    assert _jsonschema_valid(data, "case")
    assert schema.check(Document("c.yaml", "", data, "case"), "case") == []


# One valid document per kind to mutate: the sample town's, with the kinds it lacks from the
# fixtures.
def _originals() -> dict[str, Any]:
    chosen: dict[str, Any] = {}
    for top in ("sample_repo", "tests"):
        for doc in _documents(ROOT / top):
            if doc.kind not in chosen and _jsonschema_valid(doc.data, str(doc.kind)):
                chosen[str(doc.kind)] = doc.data
    return chosen


ORIGINALS = _originals()
HOSTILE = st.sampled_from(
    [
        "2024-02-30",
        "2023-02-29",
        "2024-02-29",
        "0000-01-01",
        "2024-13-01",
        "２０２４-05-15",
        "R6.5.15",
        "令和6年5月15日",
        "2024/05/15",
        "2024-5-15",
        " 2024-05-15",
        "2024-05-15\n",
        "C2024-0001",
        "C2024-ABC-0001",
        "M2024-0001#2",
        "visit",
        "agency",
        "訪問",
        "closed",
        "2024",
        "",
        "ｘ",
        1,
        0,
        -1,
        1.0,
        2.5,
        10**29,
        -(10**29),
        True,
        False,
        None,
        [],
        {},
        ["x"],
        {"a": 1},
    ]
)
VALUE = HOSTILE | st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False, allow_infinity=False) | st.text(),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner, max_size=3),
    max_leaves=6,
)


def _paths(data: Any, path: tuple[Any, ...] = ()) -> Iterator[tuple[Any, ...]]:
    yield path
    if isinstance(data, dict):
        for key, value in data.items():
            yield from _paths(value, (*path, key))
    elif isinstance(data, list):
        for i, value in enumerate(data):
            yield from _paths(value, (*path, i))


def _mutate(data: Any, path: tuple[Any, ...], how: str, value: Any, name: str) -> Any:
    """`data` with one change at `path` (the whole document for the empty path)."""
    data = copy.deepcopy(data)
    if not path:
        if how == "extra" and isinstance(data, dict):
            data[name] = value
        return data
    parent = data
    for part in path[:-1]:
        parent = parent[part]
    last = path[-1]
    if how == "drop":
        del parent[last]
    elif how == "rename" and isinstance(parent, dict):
        parent[name or f"{last}_"] = parent.pop(last)
    elif how == "extra" and isinstance(parent[last], dict):
        parent[last][name] = value
    elif how == "near" and isinstance(parent[last], str):
        parent[last] = parent[last][:-1] if len(parent[last]) > 1 else parent[last] + "x"
    else:
        parent[last] = value
    return data


@settings(max_examples=1500, suppress_health_check=[HealthCheck.too_slow], deadline=None)
@given(
    kind=st.sampled_from(sorted(ORIGINALS)),
    pick=st.integers(min_value=0),
    how=st.sampled_from(["drop", "rename", "retype", "extra", "near"]),
    value=VALUE,
    name=st.sampled_from(["", "note", "名前", "name", "phone", "kind", "id", "date"]) | st.text(max_size=6),
    twice=st.booleans(),
)
def test_mutated_documents_agree(kind: str, pick: int, how: str, value: Any, name: str, twice: bool) -> None:
    data = ORIGINALS[kind]
    for _ in range(2 if twice else 1):
        paths = list(_paths(data))
        data = _mutate(data, paths[pick % len(paths)], how, value, name)
        pick //= 7
    _agree(data, kind)
