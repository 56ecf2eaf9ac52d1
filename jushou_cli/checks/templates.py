"""The repository's own templates: each file under templates/ is named in `validate`'s report,
so that a change to what every office renders — pushed by anyone who can push — is seen by
whoever validates (they render sandboxed: store/templates.py)."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from jushou_cli.model.catalogue.repository import EXTRA_TEMPLATE, OWN_TEMPLATE
from jushou_cli.model.diagnostics import Diagnostic
from jushou_cli.model.records import Repository
from jushou_cli.store.templates import repository_templates


def check(repo: Repository, today: date) -> list[Diagnostic]:
    found = []
    for name, replaces in repository_templates(Path(repo.root)):
        problem = OWN_TEMPLATE if replaces else EXTRA_TEMPLATE
        found.append(problem.in_file(f"templates/{name}"))
    return found
