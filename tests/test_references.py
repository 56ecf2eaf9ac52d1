"""The reference rules (checks/references.py) beyond what a pinned case under tests/cases shows."""

from __future__ import annotations

from pathlib import Path

from conftest import CASES, case_today, materialize

from jushou_cli.checks.validate import validate


def test_the_goals_a_hint_lists_are_in_the_plans_order(tmp_path: Path) -> None:
    """Not in a set's order, which changes from run to run (string hashing is randomized)."""
    root = materialize(CASES / "unknown_goal_in_evaluation", tmp_path / "repo")
    plan = root / "cases" / "C2024-0001" / "sheets" / "2024-06-03-plan.yaml"
    text = plan.read_text(encoding="utf-8")
    more = "".join(f"  - id: {g}\n    text: 目標\n    term: 6か月\n" for g in ("g5", "g2", "g4"))
    plan.write_text(text.replace("actions:\n", more + "actions:\n"), encoding="utf-8")
    (found,) = validate(root, case_today(CASES / "unknown_goal_in_evaluation")).diagnostics
    assert found.hint == "プランの目標: g1, g5, g2, g4"
