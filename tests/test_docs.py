"""The docs that are generated must match what the code and the test cases say."""

from __future__ import annotations

import re
from pathlib import Path

from jushou_cli.model.codes import CODES
from tools import gendocs

ROOT = Path(__file__).resolve().parent.parent


def test_generated_docs_are_current() -> None:
    for name, make in gendocs.DOCS.items():
        on_disk = (ROOT / "docs" / name).read_text(encoding="utf-8")
        assert on_disk == make(), f"docs/{name} is stale: run python -m tools.gendocs"


# Codes no file tree can produce when the tests run as root (as CI does): permission denied, or
# a file removed between the listing and the read (tests/test_hostile_files.py makes them); a
# sealed value the user's keys cannot open, which needs keys (tests/test_privacy.py makes it).
NO_TREE_EXAMPLE = {"J018", "J902"}


def test_every_code_has_a_test_case_and_every_emitted_code_is_catalogued() -> None:
    examples = gendocs.examples()
    assert sorted(set(CODES) - set(examples) - NO_TREE_EXAMPLE) == []
    assert sorted(set(examples) - set(CODES)) == []
    used = set()
    for path in (ROOT / "jushou_cli").rglob("*.py"):
        used |= set(re.findall(r'"(J\d{3})"', path.read_text(encoding="utf-8")))
    assert used - set(CODES) == set()
    assert set(CODES) - used == set()
