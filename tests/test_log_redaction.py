"""The log's redaction rule (queries/log.py): a personal field's values leave the result unless
revealed, so no format can print them; its path and the fact that it changed stay."""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path

import pytest

from jushou_cli.queries.history import Commit, FieldChange, FileChange
from jushou_cli.queries.log import Log, pathspecs, redact, redact_commit
from jushou_cli.render.log import MASK, RENDERERS
from jushou_cli.render.screen import Screen, Table

PHONE = FieldChange("person.phone", "090-0000-0000", "090-1234-5678", personal=True)
GOAL = FieldChange("goals[0].text", "週3日", "週2日", personal=False)


def history() -> Commit:
    when = datetime.fromisoformat("2024-08-15T16:05:00+09:00")
    case = FileChange("modified", "cases/C2024-0001/case.yaml", "cases/C2024-0001/case.yaml", [PHONE, GOAL])
    return Commit("a" * 40, "田中", "t@example.invalid", when, "連絡先", [case])


def shown(log: Log, fmt: str) -> str:
    rendered = RENDERERS[fmt](log)
    if isinstance(rendered, Screen):  # a log's screen is lines only
        assert not any(isinstance(block, Table) for block in rendered.blocks)
        return "\n".join(
            block if isinstance(block, str) else "".join(run.text for run in block)
            for block in rendered.blocks
            if not isinstance(block, Table)
        )
    assert isinstance(rendered, str)
    return rendered


def test_a_personal_field_loses_its_values_and_keeps_its_path() -> None:
    masked = redact(PHONE, reveal=False)
    assert (masked.path, masked.personal, masked.masked) == ("person.phone", True, True)
    assert masked.old is None and masked.new is None


def test_revealed_or_not_personal_a_change_is_kept_as_it_is() -> None:
    assert redact(PHONE, reveal=True) == PHONE
    assert redact(GOAL, reveal=False) == GOAL
    assert not redact(GOAL, reveal=False).masked


def test_every_field_of_every_file_of_a_commit_is_redacted_and_the_input_untouched() -> None:
    commit = history()
    out = redact_commit(commit, reveal=False)
    assert [x.masked for x in out.files[0].fields] == [True, False]
    assert commit.files[0].fields[0] is PHONE  # the history read from git is not changed
    assert (out.sha, out.author, out.subject) == (commit.sha, commit.author, commit.subject)


@pytest.mark.parametrize("fmt", sorted(RENDERERS))
def test_no_format_prints_a_masked_value(fmt: str) -> None:
    out = shown(Log("C2024-0001", (redact_commit(history(), reveal=False),), revealed=False), fmt)
    assert "090-0000-0000" not in out and "090-1234-5678" not in out
    assert "person.phone" in out and "週2日" in out


def test_json_says_personal_with_null_values_and_text_says_withheld() -> None:
    log = Log("C2024-0001", (redact_commit(history(), reveal=False),), revealed=False)
    fields = json.loads(shown(log, "json"))[0]["files"][0]["fields"]
    assert fields[0] == {"path": "person.phone", "personal": True, "old": None, "new": None}
    assert f"person.phone: {MASK} → {MASK}  （個人情報）" in shown(log, "text")


def test_revealed_values_are_shown_with_a_warning() -> None:
    log = Log("C2024-0001", (redact_commit(history(), reveal=True),), revealed=True)
    text = shown(log, "text")
    assert "090-0000-0000 → 090-1234-5678" in text and "--reveal" in text
    assert json.loads(shown(log, "json"))[0]["files"][0]["fields"][0]["new"] == "090-1234-5678"


def test_a_case_id_is_its_folder_and_a_path_is_followed(tmp_path: Path) -> None:
    (tmp_path / "cases" / "C2024-0001").mkdir(parents=True)
    assert pathspecs(tmp_path, "C2024-0001", tmp_path) == (["cases/C2024-0001/"], False)
    inside = tmp_path / "cases" / "C2024-0001"
    assert pathspecs(tmp_path, "case.yaml", inside) == (["cases/C2024-0001/case.yaml"], True)
    assert pathspecs(tmp_path, "../elsewhere.yaml", tmp_path) == (["../elsewhere.yaml"], True)
