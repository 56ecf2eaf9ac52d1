"""Outside tools use the schemas as they are: check-jsonschema accepts every file of sample_repo
with the schema of its kind, and the dispatching jushou.schema.json."""

from __future__ import annotations

import subprocess
import sys
from collections import defaultdict
from pathlib import Path

import yaml
from conftest import SAMPLE_REPO

from jushou_cli.model.contract import KINDS

SCHEMAS = Path(__file__).resolve().parent.parent / "schemas"
CHECK = Path(sys.prefix, "bin", "check-jsonschema")


def sample_files_by_kind() -> dict[str, list[str]]:
    found: dict[str, list[str]] = defaultdict(list)
    for path in sorted(SAMPLE_REPO.rglob("*.yaml")):
        kind = yaml.safe_load(path.read_text(encoding="utf-8"))["kind"]
        found[kind].append(str(path))
    return found


def test_check_jsonschema_accepts_sample_repo_kind_by_kind() -> None:
    by_kind = sample_files_by_kind()
    assert sorted(by_kind) == sorted(KINDS), sorted(by_kind)  # the sample covers every kind
    for kind, files in by_kind.items():
        proc = subprocess.run(
            [str(CHECK), "--schemafile", str(SCHEMAS / f"{kind}.schema.json"), *files],
            capture_output=True,
            text=True,
            check=False,
        )
        assert proc.returncode == 0, proc.stdout + proc.stderr


def test_check_jsonschema_accepts_sample_repo_with_the_dispatcher() -> None:
    files = [f for group in sample_files_by_kind().values() for f in group]
    proc = subprocess.run(
        [str(CHECK), "--schemafile", str(SCHEMAS / "jushou.schema.json"), *files],
        capture_output=True,
        text=True,
        check=False,
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr


def test_check_jsonschema_rejects_a_typo(tmp_path: Path) -> None:
    bad = tmp_path / "case.yaml"
    bad.write_text(
        "kind: case\nid: C2024-0001\npseudonym: Aさん\nintake:\n  date: 2024-05-15\n  rout: agency\n",
        encoding="utf-8",
    )
    proc = subprocess.run(
        [str(CHECK), "--schemafile", str(SCHEMAS / "case.schema.json"), str(bad)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert proc.returncode == 1
