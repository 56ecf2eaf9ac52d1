"""Agendas and handouts read only the meetings and the cases concerned (scope.py); what they
show must be exactly what a load of the whole repository gives."""

from __future__ import annotations

import shutil
import sys
from datetime import date
from pathlib import Path

import pytest
from conftest import SAMPLE_REPO

from jushou_cli.load.plain import load
from jushou_cli.model.records import Repository
from jushou_cli.queries.agenda import AgendaError, case_agenda, meeting_agenda
from jushou_cli.queries.handout import Request, build
from jushou_cli.render.agenda import render
from jushou_cli.render.handout import render_html
from jushou_cli.render.handout_files import plan_job
from jushou_cli.store import partial as scope

TIMINGS = ("plan_creation", "replan", "closure", "suspension")


@pytest.fixture(scope="module")
def city(tmp_path_factory: pytest.TempPathFactory) -> Path:
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    from benchmarks.generate import generate

    root = tmp_path_factory.mktemp("city") / "repo"
    generate(root, cases=30, years=2, seed=3, end_fy=2024)
    return root


def _meeting_views(repo: Repository, root: Path, meeting_id: str) -> list[str]:
    try:
        agenda = meeting_agenda(repo, meeting_id)
    except AgendaError as exc:
        return [f"error: {exc}"]
    views = [render(agenda, "md", root)]
    job = plan_job(repo, root, meeting_id, Request(fmt="html", per_attendee=True), out_dir=root / "out")
    for copy in job.copies:
        views.append(render_html(build(repo, agenda, copy, job.request), root))
    return views


def _case_views(repo: Repository, root: Path, case_id: str) -> list[str]:
    views = []
    for timing in TIMINGS:
        try:
            views.append(render(case_agenda(repo, case_id, timing, date(2025, 3, 31), None), "md", root))
        except AgendaError as exc:
            views.append(f"error: {exc}")
    return views


@pytest.mark.parametrize("where", ["sample", "city"])
def test_partial_loads_show_what_the_whole_repository_shows(where: str, city: Path) -> None:
    root = SAMPLE_REPO if where == "sample" else city
    whole = load(root).repository
    meetings = sorted({m.id for m in whole.meetings})
    assert meetings
    for meeting_id in meetings:
        part = scope.for_meeting(root, meeting_id)
        assert part is not None, meeting_id
        assert len(part.repository.files) < len(whole.files)
        assert _meeting_views(part.repository, root, meeting_id) == _meeting_views(whole, root, meeting_id)
    for case in sorted(whole.cases, key=lambda c: c.id)[:12]:
        part = scope.for_case(root, case.id)
        if case.household_id:  # the household's other cases live in folders a partial load skips
            assert part is None, case.id
            continue
        assert part is not None, case.id
        assert _case_views(part.repository, root, case.id) == _case_views(whole, root, case.id)


def test_doubt_sends_back_to_the_whole_repository(tmp_path: Path) -> None:
    root = tmp_path / "repo"
    shutil.copytree(SAMPLE_REPO, root, ignore=shutil.ignore_patterns("out"))
    assert scope.for_meeting(root, "M2099-0001") is None  # no such file
    assert scope.for_case(root, "C2099-0001") is None  # no such folder
    assert scope.for_case(root, "../meetings") is None
    # A case folder whose file names another id: the case is not found by its folder.
    case_file = root / "cases/C2024-0001/case.yaml"
    case_file.write_text(case_file.read_text(encoding="utf-8").replace("id: C2024-0001", "id: C2024-0091"))
    assert scope.for_case(root, "C2024-0001") is None
    meeting = next(p for p in (root / "meetings").rglob("*.yaml") if "case: C2024-0001" in p.read_text())
    assert scope.for_meeting(root, meeting.stem) is None
