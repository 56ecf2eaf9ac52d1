"""The `jushou` command's first step: a remembered answer given on sight (store/sight.py) before
typer and the toolkit load; otherwise the command runs (cli/app.py) with what it prints
recorded, and an answer the memo remembered is kept to be given on sight next time.

Only the read-only commands the memo remembers, and `agenda` (known by its part: store/sight.py),
are looked for; any other command line goes straight to app.main. On Windows a console is left
to the full path (a console's output goes through the console's own API); there, as
everywhere, output to a file or a pipe is given on sight."""

from __future__ import annotations

import io
import os
import sys
from typing import Any

REMEMBERED = (("validate",), ("due",), ("indicators",), ("case", "list"), ("agenda",))


def main() -> None:
    argv = sys.argv[1:]
    early = _one_pdf(argv)
    if early:
        from jushou_cli.render import weasy

        weasy.start_early()  # WeasyPrint imports there while typer and the toolkit load here
    sight = Sight.of(argv)
    if sight is not None:
        code = sight.give()
        if code is not None:
            sys.exit(code)
        sight.record()
    from jushou_cli.cli.app import main as run

    try:
        run(finish=sight.finish if sight is not None else None)
    finally:
        if early:
            weasy.close_untaken()


def _one_pdf(argv: list[str]) -> bool:
    """A command line that will render one meeting's handout as a PDF (handout_cmd.py starts
    its PDF process for exactly these; a line this misjudges only starts it later, or ends it
    unused)."""
    if argv[:1] != ["handout"] or any(a in ("--all", "--help", "-h") for a in argv):
        return False
    return not any("htm" in a.lower() for a in argv)


class Sight:
    """One command line's look for an answer on sight, and the recording of its answer."""

    def __init__(self, argv: list[str], name: str) -> None:
        self.argv = argv
        self.name = name
        self.printed: list[tuple[int, bytearray]] = []
        self.size = 0
        self.complete = True  # every stream recorded

    @classmethod
    def of(cls, argv: list[str]) -> Sight | None:
        if not any(tuple(argv[: len(c)]) == c for c in REMEMBERED):
            return None
        if os.environ.get("JUSHOU_NO_CACHE", "") in ("1", "true", "yes"):
            return None
        ttys = tuple(_isatty(fd) for fd in (0, 1, 2))
        if (ttys[1] or ttys[2]) and (os.name == "nt" or os.environ.get("JUSHOU_SIMULATE_WINDOWS")):
            return None
        sizes = tuple(_terminal_size(fd) if tty else None for fd, tty in enumerate(ttys))
        from jushou_cli.store import sight

        return cls(argv, sight.key(argv, (ttys, sizes)))

    def give(self) -> int | None:
        """Prints the kept answer and returns its exit code, when the files are still what it was
        made from; None otherwise (nothing printed)."""
        from pathlib import Path

        from jushou_cli.store import sight
        from jushou_cli.write.state import pending

        answer = sight.read(self.name)
        if answer is None or pending(Path(answer.sighting.root)):
            return None
        watched = answer.sighting.watched
        if not sight.still(answer):
            return None
        if answer.sighting.watched != watched:  # a watcher's state learned: kept with it
            sight.keep(self.name, answer)
        for stream, data in answer.printed:
            target = sys.stdout if stream == 1 else sys.stderr
            target.flush()
            target.buffer.write(data)
            target.buffer.flush()
        return answer.code

    def record(self) -> None:
        """From here on, what the command prints also goes to self.printed, and the memo tells
        which answer it found or kept (sight.WITNESSED)."""
        from jushou_cli.store import sight

        sight.WITNESSED = []
        sight.watched_from_start(self.argv)
        sys.stdout = _recorded(sys.stdout, 1, self)
        sys.stderr = _recorded(sys.stderr, 2, self)

    def add(self, stream: int, data: bytes) -> None:
        self.size += len(data)
        if self.printed and self.printed[-1][0] == stream:
            self.printed[-1][1].extend(data)  # a long report comes line by line
        else:
            self.printed.append((stream, bytearray(data)))

    def finish(self, code: int) -> None:
        """At the end of a run that exits with `code`: keeps what it printed when the memo
        remembered its answer and the files are still what it was made from."""
        for stream in (sys.stdout, sys.stderr):
            stream.flush()
        from jushou_cli.store import memo, sight

        if self.size > sight.LARGEST:
            return
        seen = memo.sighting() if self.complete else None
        if seen is None:
            return
        given = any(a == "--repo" or a.startswith("--repo=") for a in self.argv)
        printed = [(stream, bytes(data)) for stream, data in self.printed]
        sight.keep(self.name, sight.Answer(seen, printed, code, given))


def _isatty(fd: int) -> bool:
    try:
        return os.isatty(fd)
    except OSError:
        return False


def _terminal_size(fd: int) -> tuple[int, int] | None:
    try:
        size = os.get_terminal_size(fd)
    except (OSError, ValueError):
        return None
    return (size.columns, size.lines)


class _Tee(io.BufferedIOBase):
    """A stream's bytes, written through to it and added to the recording."""

    def __init__(self, inner: Any, stream: int, sight: Sight) -> None:
        super().__init__()
        self._inner, self._stream, self._sight = inner, stream, sight

    def write(self, data: Any) -> int:
        written: int = self._inner.write(data)
        self._sight.add(self._stream, bytes(data))
        return written

    def flush(self) -> None:
        self._inner.flush()

    def writable(self) -> bool:
        return True

    def fileno(self) -> int:
        return int(self._inner.fileno())

    def isatty(self) -> bool:
        return bool(self._inner.isatty())


def _recorded(stream: Any, number: int, sight: Sight) -> Any:
    buffer = getattr(stream, "buffer", None)
    if buffer is None:
        sight.complete = False  # already replaced by someone (a capture): not recorded
        return stream
    return io.TextIOWrapper(
        _Tee(buffer, number, sight),
        encoding=stream.encoding,
        errors=stream.errors,
        newline=None if os.name == "nt" else "\n",
        line_buffering=stream.line_buffering,
        write_through=True,
    )
