"""Which schema checks which file in an editor: the one glob → schema table that `jushou init`
writes into `.vscode/settings.json` and that README shows (a test keeps the two equal)."""

from __future__ import annotations

from pathlib import Path

# schema file → the globs (relative to the case repository) of the files it describes. The
# order is README's. `R*[0-9].yaml` keeps proposals (`R2024-0003-proposal.yaml`) out of the
# referral schema.
SCHEMA_GLOBS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("config.schema.json", ("jushou.yaml",)),
    ("organizations.schema.json", ("organizations.yaml",)),
    ("members.schema.json", ("members.yaml",)),
    ("resources.schema.json", ("resources.yaml",)),
    ("areas.schema.json", ("areas.yaml",)),
    ("case.schema.json", ("cases/*/case.yaml",)),
    ("intake_assessment.schema.json", ("cases/*/sheets/*-intake_assessment*.yaml",)),
    ("plan.schema.json", ("cases/*/sheets/*-plan*.yaml",)),
    ("evaluation.schema.json", ("cases/*/sheets/*-evaluation*.yaml",)),
    ("strengths_grid.schema.json", ("cases/*/sheets/*-strengths_grid*.yaml",)),
    ("record.schema.json", ("cases/*/records/*.yaml", "records/*/*.yaml")),
    ("proposal.schema.json", ("referrals/*/*-proposal.yaml",)),
    ("referral.schema.json", ("referrals/*/R*[0-9].yaml",)),
    ("meeting.schema.json", ("meetings/*/*.yaml",)),
    ("community.schema.json", ("community/*/*.yaml",)),
    ("training.schema.json", ("trainings/*/*.yaml",)),
)

# Files written by jushou are UTF-8 with LF; the editor should write the same.
EDITOR_FILES = {"files.encoding": "utf8", "files.eol": "\n"}


def yaml_schemas(schemas: Path | str) -> dict[str, str | list[str]]:
    """The `yaml.schemas` value of VS Code's YAML extension for schemas in the folder `schemas`
    (one glob as a string, several as a list, as the extension and README write them)."""
    base = str(schemas).rstrip("/")
    return {f"{base}/{name}": globs[0] if len(globs) == 1 else list(globs) for name, globs in SCHEMA_GLOBS}


def vscode_settings(schemas: Path | str) -> dict[str, object]:
    """The whole `.vscode/settings.json` of a case repository."""
    return {"yaml.schemas": yaml_schemas(schemas), **EDITOR_FILES}
