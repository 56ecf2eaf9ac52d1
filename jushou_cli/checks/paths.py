"""Rule 1, second half: a file's path agrees with its kind, id, type, date and fiscal year
(codes J301–J309) — file by file in load/placement.py — and what the layout needs of the whole
repository: no sheet without its case, the configuration and the registries present."""

from __future__ import annotations

from datetime import date

from jushou_cli.load.layout import REGISTRY_FILES
from jushou_cli.load.placement import placement
from jushou_cli.model.catalogue import repository as problems
from jushou_cli.model.diagnostics import Diagnostic
from jushou_cli.model.records import Repository, Sourced


def check(repo: Repository, today: date) -> list[Diagnostic]:
    found: list[Diagnostic] = []
    for doc in repo.documents:
        found += placement(doc)
    return found + check_whole(repo, today)


def check_whole(repo: Repository, today: date) -> list[Diagnostic]:
    """The part of `check` that is not file by file (the query index keeps each file's
    placement findings: store/index.py)."""
    found: list[Diagnostic] = []
    # A case.yaml that exists but failed to parse has reported that already.
    case_dirs = {f.split("/")[1] for f in repo.files if f.startswith("cases/") and f.endswith("/case.yaml")}
    reported: set[str] = set()
    for doc in repo.documents:
        parts = doc.path.split("/")
        orphan = parts[0] == "cases" and len(parts) == 4 and parts[1] not in case_dirs
        if orphan and parts[1] not in reported:
            reported.add(parts[1])
            found.append(problems.SHEET_WITHOUT_CASE.on(Sourced(doc), case=parts[1]))
    if "jushou.yaml" not in repo.files:
        found.append(problems.NO_CONFIG.in_file("jushou.yaml"))
    for name, kind in REGISTRY_FILES.items():
        # A registry that exists but failed to parse has reported that already.
        if kind in ("organizations", "members") and name not in repo.files:
            found.append(problems.REGISTRY_MISSING.in_file(name, name=name, kind=kind))
    return found
