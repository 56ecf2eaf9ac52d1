"""HTML to PDF with WeasyPrint, and the process that does it beside the loading (PdfWorker).

Standard library only at import, so that the command's first step (cli/start.py) can start the
process before typer and the toolkit load: the process then imports WeasyPrint (its import is a
large part of a handout's time, STACK.md) while this one starts, loads and builds the HTML.
"""

from __future__ import annotations

from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

from jushou_cli.system import platform
from jushou_cli.system.fonts import APT_FONT, is_japanese

# PDF/UA-1: a tagged PDF (reading order, language, title) that screen readers can follow; it
# costs no measurable time over plain PDF (STACK.md).
PDF_VARIANT = "pdf/ua-1"


class PdfUnavailable(Exception):
    """No proper PDF can be made here; the message is Japanese and says what to install."""


def weasyprint_problem() -> str | None:
    """Why WeasyPrint cannot load here (missing Pango and the like), or None."""
    try:
        import weasyprint  # noqa: F401
    except (OSError, ImportError) as exc:
        return str(exc) or type(exc).__name__
    return None


def render_pdf(html: str, base_url: Path | None) -> tuple[bytes, int, str]:
    """(PDF, pages, characters no font could draw). Raises PdfUnavailable when WeasyPrint does
    not load or no Japanese font was embedded."""
    try:
        import weasyprint
    except (OSError, ImportError) as exc:
        raise PdfUnavailable(f"WeasyPrint を読み込めません（{exc}）") from None
    document = weasyprint.HTML(string=html, base_url=str(base_url) if base_url else None).render()
    pdf: bytes = document.write_pdf(pdf_variant=PDF_VARIANT) or b""
    fonts = list(document.fonts.values())
    if not any(is_japanese(str(f.family)) for f in fonts):
        used = ", ".join(sorted({str(f.family) for f in fonts})) or "なし"
        raise PdfUnavailable(
            f"日本語フォントがないため、PDF の文字が□になります（使われたフォント: {used}）。"
            f"sudo apt-get install {APT_FONT} で BIZ UDPゴシックを入れてください"
        )
    missing = sorted({chr(cp) for f in fonts for cp in (f.missing or {}) if not chr(cp).isspace()})
    return pdf, len(document.pages), "".join(missing)


class PdfWorker:
    """A process that imports WeasyPrint while this one loads the repository and builds the
    handout's HTML, then renders it: on two cores one handout costs about WeasyPrint's own time
    (its import is a large part of it, STACK.md). If the process cannot start or dies, the PDF is
    rendered in this process, with the same result."""

    def __init__(self) -> None:
        self._pool: ProcessPoolExecutor | None = None
        try:
            self._pool = ProcessPoolExecutor(max_workers=1, mp_context=platform.process_context())
            self._ready = self._pool.submit(weasyprint_problem)
        except (OSError, RuntimeError, ValueError):  # no processes here: all in this process
            self.close()

    def problem(self) -> str | None:
        """weasyprint_problem(), as the worker found it."""
        if self._pool is not None:
            try:
                return self._ready.result()
            except Exception:  # the worker died: this process will render
                self.close()
        return weasyprint_problem()

    def render(self, html: str, base_url: Path | None) -> tuple[bytes, int, str]:
        if self._pool is not None:
            from concurrent.futures.process import BrokenProcessPool

            try:
                return self._pool.submit(render_pdf, html, base_url).result()
            except BrokenProcessPool:
                self.close()
        return render_pdf(html, base_url)

    def discard(self) -> None:
        """Ends the process without waiting for what it is doing (nothing it does is wanted)."""
        if self._pool is not None:
            processes = list(self._pool._processes.values())  # no public way to stop a worker
            self._pool.shutdown(wait=False, cancel_futures=True)
            for process in processes:
                process.terminate()
                process.join()
            self._pool = None

    def close(self) -> None:
        """Ends the process (waiting for what it is doing: a command that fails early must not
        leave it behind)."""
        if self._pool is not None:
            self._pool.shutdown(wait=True, cancel_futures=True)
            self._pool = None


# The worker the command's first step started (cli/start.py), until the handout takes it.
_EARLY: list[PdfWorker] = []


def start_early() -> None:
    """Starts the worker now, for a handout command that will want it (cli/start.py)."""
    _EARLY.append(PdfWorker())


def take() -> PdfWorker:
    """The worker started early, else one started now; the caller closes it."""
    return _EARLY.pop() if _EARLY else PdfWorker()


def close_untaken() -> None:
    """Ends a worker started early that the command did not take (it failed before, or made
    HTML) at once — not after WeasyPrint's import — and leaves no process behind."""
    while _EARLY:
        _EARLY.pop().discard()
