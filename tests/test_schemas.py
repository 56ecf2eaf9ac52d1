"""The JSON Schemas of schemas/: well-formed, documented in Japanese, closed, and their relative
$refs resolve when each file is registered under its bare file name (as jushou_cli.schema does)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from jsonschema import Draft202012Validator
from referencing import Registry, Resource

SCHEMAS = Path(__file__).resolve().parent.parent / "schemas"
KINDS = (
    "config",
    "organizations",
    "members",
    "resources",
    "case",
    "intake_assessment",
    "plan",
    "evaluation",
    "strengths_grid",
    "record",
    "referral",
    "proposal",
    "meeting",
    "areas",
    "community",
    "training",
)
FILES = {p.name: json.loads(p.read_text(encoding="utf-8")) for p in SCHEMAS.glob("*.schema.json")}
REGISTRY: Registry[Any] = Registry().with_resources(
    (name, Resource.from_contents(contents)) for name, contents in FILES.items()
)


def walk(node: Any, path: str = "") -> Iterator[tuple[str, dict[str, Any]]]:
    """Every subschema, with where it is; `if` conditions are tests, not documentation."""
    if isinstance(node, dict):
        yield path, node
        for key, value in node.items():
            if key != "if":
                yield from walk(value, f"{path}/{key}")
    elif isinstance(node, list):
        for i, value in enumerate(node):
            yield from walk(value, f"{path}/{i}")


def validator(name: str) -> Draft202012Validator:
    return Draft202012Validator(
        FILES[name], registry=REGISTRY, format_checker=Draft202012Validator.FORMAT_CHECKER
    )


def test_every_file_is_there() -> None:
    expected = {f"{k}.schema.json" for k in KINDS} | {"defs.schema.json", "jushou.schema.json"}
    assert set(FILES) == expected


@pytest.mark.parametrize("name", sorted(FILES))
def test_schema_is_valid_2020_12_without_id(name: str) -> None:
    schema = FILES[name]
    Draft202012Validator.check_schema(schema)
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    assert all("$id" not in sub for _, sub in walk(schema))
    assert schema.get("title") and schema.get("description")


@pytest.mark.parametrize("name", sorted(FILES))
def test_properties_documented_closed_and_enums_labelled(name: str) -> None:
    for where, sub in walk(FILES[name]):
        for key, prop in sub.get("properties", {}).items():
            assert prop.get("title") and prop.get("description"), f"{name}{where}/{key}"
        # the dispatcher leaves closing to the kind's schema; `then` only narrows
        if "properties" in sub and "/then" not in where and name != "jushou.schema.json":
            assert sub.get("additionalProperties") is False, f"{name}{where}"
        if "enum" in sub:
            labels = sub.get("enumDescriptions")
            assert isinstance(labels, list) and len(labels) == len(sub["enum"]), f"{name}{where}"
            assert all(isinstance(label, str) and label for label in labels), f"{name}{where}"


@pytest.mark.parametrize("name", sorted(FILES))
def test_every_ref_resolves(name: str) -> None:
    resolver = REGISTRY.resolver(base_uri=name)
    for where, sub in walk(FILES[name]):
        if "$ref" in sub:
            assert not sub["$ref"].startswith(("http:", "https:", "/")), f"{name}{where}"
            resolver.lookup(sub["$ref"])  # raises when the file or the pointer is missing


def test_personal_fields_are_marked() -> None:
    case = FILES["case.schema.json"]["properties"]
    assert case["person"]["x-personal"] is True
    assert all(p.get("x-personal") for p in case["person"]["properties"].values())
    assert case["household"]["items"]["properties"]["name"]["x-personal"] is True
    person = FILES["referral.schema.json"]["properties"]["person"]["properties"]
    assert person["name"]["x-personal"] and person["contact"]["x-personal"]
    assert "x-personal" not in person["pseudonym"]


CASE = {
    "kind": "case",
    "id": "C2024-0001",
    "pseudonym": "Aさん",
    "intake": {"date": "2024-05-15", "route": "agency"},
}
GRID = {
    "kind": "strengths_grid",
    "date": "2024-06-01",
    "author": "sato",
    "center": "両立",
    "cells": [{"area": "person", "text": "料理が得意"}] * 8,
}
MEETING = {
    "kind": "meeting",
    "id": "M2024-KOM-0003",
    "type": "multilayer_meeting",
    "date": "2024-06-10",
    "start": "14:00",
    "status": "held",
    "attendees": ["sato"],
    "items": [{"case": "C2024-0001", "timing": "plan_creation", "plan_version": 1}],
}
RECORD = {
    "kind": "record",
    "type": "visit",
    "date": "2024-05-22",
    "staff": ["sato"],
    "topic": None,
    "summary": None,
}
VALID = [
    CASE,
    {
        **CASE,
        "person": {"name": "山田 花子", "birth_date": "1975-03-02"},
        "closure": None,
        "consent": [{"date": "2024-05-20", "method": "signed", "scope": ["marugoto"], "withdrawn": None}],
    },
    GRID,
    MEETING,
    {**MEETING, "type": "support_meeting", "items": [{"case": "C2024-0002", "timing": "watching"}]},
    {**MEETING, "type": "other", "items": []},
    RECORD,
    {"kind": "config", "town": "みどり町", "rules": {"plan_meeting_within_days": 30}},
    {
        "kind": "referral",
        "id": "R2024-0003",
        "date": "2024-05-10",
        "from": {"organization": "zeimu"},
        "to": [{"organization": "marugoto", "result": "pending"}],
    },
]
INVALID = [
    {**CASE, "pseudonim": "Aさん"},  # unknown key
    {**CASE, "intake": {"date": "2024-05-15", "route": "関係機関"}},  # label, not code
    {**CASE, "intake": {"date": "2024-02-30", "route": "self"}},  # no such date
    {**CASE, "intake": {"date": "令和6年5月15日", "route": "self"}},  # era date
    {**CASE, "intake": {"date": None, "route": "self"}},  # required is not null
    {**CASE, "intake": {"date": "2024-05-15"}},  # missing route
    {**CASE, "id": "C24-1"},
    {**CASE, "person": {"nmae": "山田"}},
    {**GRID, "cells": GRID["cells"][:7]},
    {**MEETING, "items": [{"case": "C2024-0001", "timing": "watching"}]},
    {**MEETING, "type": "support_meeting"},  # plan_creation
    {**MEETING, "start": "25:00"},
    {**RECORD, "staff": []},
    {
        "kind": "plan",
        "version": 0,
        "date": "2024-06-03",
        "author": "sato",
        "goals": [{"id": "g1", "text": "t"}],
    },
]


@pytest.mark.parametrize("instance", VALID)
def test_valid_instances(instance: dict[str, Any]) -> None:
    for name in (f"{instance['kind']}.schema.json", "jushou.schema.json"):
        errors = [e.message for e in validator(name).iter_errors(instance)]
        assert not errors, (name, errors)


@pytest.mark.parametrize("instance", INVALID)
def test_invalid_instances(instance: dict[str, Any]) -> None:
    for name in (f"{instance['kind']}.schema.json", "jushou.schema.json"):
        assert not validator(name).is_valid(instance), name


def test_unknown_kind_is_rejected_by_the_dispatcher() -> None:
    errors = list(validator("jushou.schema.json").iter_errors({"kind": "casee"}))
    assert [e.validator for e in errors] == ["enum"]
