"""Handouts through templates/handout/ (the repository's own templates/ first) to HTML, and HTML
to PDF with WeasyPrint; one meeting (`produce`) or many in worker processes (`produce_all`).

WeasyPrint is imported inside the functions (its import is slow, STACK.md): `jushou --help` and
`--format html` never pay for it, and a machine where it cannot load still gets HTML. A PDF is
checked for an embedded Japanese font before it is written: without one WeasyPrint raises no
error and prints tofu boxes (STACK.md).
"""

from __future__ import annotations

import hashlib
import json
import os
import re
from collections.abc import Callable, Sequence
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from jushou_cli.model.records import Repository
from jushou_cli.queries.handout import Copy, Handout, build
from jushou_cli.render.handout_files import Job, manifest
from jushou_cli.render.weasy import PdfUnavailable, render_pdf, weasyprint_problem
from jushou_cli.system import platform


@dataclass(frozen=True, slots=True)
class Written:
    path: Path
    kind: str  # pdf html manifest
    size: int
    pages: int | None = None


@dataclass(slots=True)
class Outcome:
    """What one meeting's job did: the files written, or why it could not."""

    meeting_id: str
    written: list[Written] = field(default_factory=list)
    error: str | None = None
    hint: str = ""
    exit_code: int = 0
    missing_glyphs: str = ""  # characters no font could draw (each a tofu box in the PDF)


# --- HTML --------------------------------------------------------------------------------------


def render_html(handout: Handout, repo_root: Path | None) -> str:
    """The handout through templates/handout/handout.html.j2 (autoescaped)."""
    from jushou_cli.render import ecomap
    from jushou_cli.store.templates import shared_environment

    filters = {"css_string": css_string, "ecomap": ecomap.svg, "ecomap_caption": ecomap.caption}
    env = shared_environment(repo_root, True, filters)  # once per batch worker
    html: str = env.get_template("handout/handout.html.j2").render(handout=handout, agenda=handout.agenda)
    return html


def css_string(value: object) -> Any:
    """A CSS string literal (for `content:` of the page-margin boxes in a <style> element)."""
    from markupsafe import Markup

    text = "" if value is None else str(value)
    escaped = re.sub(r'[\\"<>&\n\r]', lambda m: f"\\{ord(m.group()):x} ", text)
    return Markup(f'"{escaped}"')


# --- one meeting ---------------------------------------------------------------------------------


def produce(
    repo: Repository,
    root: Path,
    job: Job,
    overwrite: bool,
    made_on: date,
    pdf: Callable[[str, Path | None], tuple[bytes, int, str]] | None = None,
) -> Outcome:
    """Renders and writes every copy of `job` (and its manifest). Never raises: an error comes
    back in the Outcome, as a message without a traceback (which could print personal data).
    `pdf`: what turns HTML into a PDF (a PdfWorker's render; render_pdf by default)."""
    from jushou_cli.queries.agenda import AgendaError, meeting_agenda
    from jushou_cli.system.files import WriteRefused, write_atomic

    outcome = Outcome(job.meeting_id)
    try:
        # Once: every copy cuts the same agenda (its free text scrubbed unless revealed).
        agenda = meeting_agenda(repo, job.meeting_id, reveal=job.request.reveal)
        meeting = repo.meeting(job.meeting_id)
        assert meeting is not None  # meeting_agenda raised otherwise
        made: list[tuple[Copy, Handout, str]] = []
        missing: set[str] = set()
        for copy in job.copies:
            handout = build(repo, agenda, copy, job.request)
            html = render_html(handout, root)
            if job.request.fmt == "pdf":
                data, pages, lost = (pdf or render_pdf)(html, root)
                missing.update(lost)
            else:
                data, pages = html.encode("utf-8"), None
            write_atomic(copy.path, data, overwrite=overwrite)
            outcome.written.append(Written(copy.path, job.request.fmt, len(data), pages))
            made.append((copy, handout, hashlib.sha256(data).hexdigest()))
        if job.manifest is not None:
            listing = manifest(job, made, made_on, meeting)
            data = (json.dumps(listing, ensure_ascii=False, indent=2) + "\n").encode("utf-8")
            write_atomic(job.manifest, data, overwrite=overwrite)
            outcome.written.append(Written(job.manifest, "manifest", len(data)))
        outcome.missing_glyphs = "".join(sorted(missing))
    except AgendaError as exc:
        outcome.error, outcome.hint, outcome.exit_code = str(exc), exc.hint, exc.exit_code
    except PdfUnavailable as exc:
        outcome.error, outcome.exit_code = str(exc), 1
        outcome.hint = "HTML なら書き出せます: --format html"
    except WriteRefused as exc:
        outcome.error, outcome.hint, outcome.exit_code = str(exc), "上書きするなら --force を付けます", 1
    except OSError as exc:
        outcome.error, outcome.exit_code = f"書き込めません: {exc.filename or ''} {exc.strerror or ''}", 2
    except Exception as exc:  # a template of the repository, or a bug: say which, not the data
        import jinja2

        if isinstance(exc, jinja2.TemplateError):
            where = getattr(exc, "filename", None) or getattr(exc, "name", None)
            line = getattr(exc, "lineno", None)
            place = f"{where}:{line}: " if where and line else (f"{where}: " if where else "")
            outcome.error = f"テンプレートを使えません: {place}{exc.message or type(exc).__name__}"
            outcome.hint = (
                "リポジトリの templates/handout/ を直すか、消すと jushou の標準のテンプレートに戻ります"
            )
            outcome.exit_code = 2
        else:
            if os.environ.get("JUSHOU_DEBUG"):
                raise
            outcome.error = f"内部エラー ({type(exc).__name__})。jushou の不具合です"
            outcome.hint = "JUSHOU_DEBUG=1 で詳細を表示します"
            outcome.exit_code = 2
    return outcome


# --- many meetings in worker processes -----------------------------------------------------------

_WORKER_REPO: Repository | None = None


def _start_worker(root: str) -> None:
    """Each worker reads the repository once; a forked worker has it already."""
    global _WORKER_REPO
    if _WORKER_REPO is None or _WORKER_REPO.root != root:
        from jushou_cli.store.seam import load

        _WORKER_REPO = load(Path(root)).repository


def _work(job: Job, root: str, overwrite: bool, made_on: date) -> Outcome:
    assert _WORKER_REPO is not None
    return produce(_WORKER_REPO, Path(root), job, overwrite, made_on)


def produce_all(
    repo: Repository,
    root: Path,
    jobs: Sequence[Job],
    overwrite: bool,
    made_on: date,
    workers: int,
    on_done: Callable[[Outcome], None] | None = None,
    on_start: Callable[[], None] | None = None,
) -> list[Outcome]:
    """Every job, with `workers` processes (1: in this process). Outcomes in the jobs' order.

    On POSIX the workers are forked after the repository is loaded and WeasyPrint imported,
    so they start warm; they are all started before the caller's progress display runs (its
    thread must not be forked): `on_start` is called once they are."""
    global _WORKER_REPO
    done: dict[str, Outcome] = {}

    def finished(outcome: Outcome) -> None:
        done[outcome.meeting_id] = outcome
        if on_done is not None:
            on_done(outcome)

    if workers <= 1 or len(jobs) <= 1:
        if on_start is not None:
            on_start()
        for job in jobs:
            finished(produce(repo, root, job, overwrite, made_on))
        return [done[j.meeting_id] for j in jobs]
    if any(j.request.fmt == "pdf" for j in jobs):
        weasyprint_problem()  # imported before the fork: each worker inherits it
    # Windows has no fork: there each worker starts afresh and reads the repository itself
    # (_start_worker), which the tests' simulated Windows profile exercises on Linux too.
    context = platform.process_context()
    _WORKER_REPO = repo
    with ProcessPoolExecutor(
        max_workers=workers, mp_context=context, initializer=_start_worker, initargs=(repo.root,)
    ) as pool:
        futures = {pool.submit(_work, job, repo.root, overwrite, made_on): job for job in jobs}
        if on_start is not None:  # the workers exist now (a fork pool starts them all at once)
            on_start()
        for future in as_completed(futures):
            try:
                outcome = future.result()
            except Exception as exc:  # a worker that died (killed, out of memory)
                outcome = Outcome(
                    futures[future].meeting_id, error=f"作業プロセスが止まりました（{type(exc).__name__}）"
                )
                outcome.exit_code = 2
            finished(outcome)
    return [done[j.meeting_id] for j in jobs]
