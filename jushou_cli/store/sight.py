"""Answers given on sight: what a remembered command (store/memo.py: `validate`, `due`,
`case list`, `indicators`) or an agenda to the screen printed, kept with everything it was made
from, and given again by the command's first step (cli/start.py) before the toolkit, typer or
the repository loads.

A remembered answer through the memo still costs the toolkit's start (typer and its imports),
git's two lists of every tracked file and the listing and keys of every file. Here a run is
known by what a person can change between two runs: the command line, the folder it runs in,
the environment, the terminal, today's date and the toolkit's code make the name of the kept
answer (`key`); what the files were is checked against what the answer was made from
(`Sighting`) — git's index file by its stat signature, `git diff-files` (the tracked files that
differ from the index: git stats them in C), HEAD, the stat signature of every folder the
listing walked and of the templates folders, of every file git does not vouch for (untracked,
or changed since `git add`), and the paths that must not exist (the recipients of encrypted
records). These are the inputs of the memo's digest, so an answer given here is the one the
memo would give; when any differs, the command runs as before. An agenda reads only a part of
the repository (store/partial.py) and is not in the memo: its answer is known by the signature
of every file it read, of every folder of its part, of the repository's own folder and its
templates (`part_sighting`), without git — an edit elsewhere does not make it again.

An answer is kept only when the memo itself remembered or found it (never `--reveal`, `--at`,
`--staged`, `--check-keys`, a repository naming recipients or holding an encrypted record), only
from a run that git vouched for, whose files and folders were settled (cache.RACY_NS) and still
had the signatures it read them by when it ended. The files live in jushou's cache folder
(`sight/`, 0600 in a 0700 folder, the newest KEEP), hold the printed bytes — what the memo
holds — and are ignored when they cannot be read. Standard library only: this module is what a
remembered run imports.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import os
import pickle
import subprocess
import sys
import time
from pathlib import Path
from typing import TYPE_CHECKING, Any

from jushou_cli.model.package_data import schemas_dir, templates_dir
from jushou_cli.store import watch
from jushou_cli.system.gitcall import command
from jushou_cli.system.platform import cache_dir
from jushou_cli.system.stamps import Signature, settled, signature, unchanged

if TYPE_CHECKING:
    from collections.abc import Iterable

FOLDER = "sight"
KEEP = 64  # kept answers (each command line, folder and environment is one)
LARGEST = 64 * 1024 * 1024  # printed bytes beyond this are not kept
# Variables that change between two runs of the same command and no answer depends on: a
# shell's, and the one hyperfine sets to a random length on every run (docs/performance.md).
# Every other variable is part of the answer's name: a variable that changes only costs speed.
VOLATILE = frozenset({"OLDPWD", "SHLVL", "_", "PWD"})
VOLATILE_PREFIXES = ("HYPERFINE_",)
MARKER = "jushou.yaml"
HEAD = ("rev-parse", "-q", "--verify", "HEAD")  # HEAD's commit, or nothing before the first


# The answers the memo found or kept in this process (store/memo.py adds them, None for a run
# that said more than its answer), while the command's first step records what it prints (None:
# nobody records; a process that runs many commands, as the tests do, keeps nothing).
WITNESSED: list[Any] | None = None
# The repository the command line names and its watcher's state before the run read anything
# (`watched_from_start`), when a watcher answered.
STARTED: tuple[str, str] | None = None


@functools.cache
def code_key() -> bytes:
    """What an answer is computed by: every jushou module, schema and toolkit template, each by
    its name, size and modification time — as Python's own bytecode cache tells a changed
    source, without reading the files."""
    from jushou_cli import __version__

    digest = hashlib.blake2b(__version__.encode(), digest_size=20)
    package = Path(__file__).resolve().parent.parent
    for top in (package, schemas_dir(), templates_dir()):
        found: list[str] = []
        for folder, subfolders, names in os.walk(top):
            subfolders[:] = sorted(s for s in subfolders if s != "__pycache__")
            found.extend(os.path.join(folder, n) for n in names if not n.endswith(".pyc"))
        for path in sorted(found):
            stat = os.stat(path)
            digest.update(os.path.relpath(path, top).encode("utf-8", "surrogateescape") + b"\0")
            digest.update(f"{stat.st_size} {stat.st_mtime_ns}".encode() + b"\0")
    return digest.digest()


def watched_from_start(argv: list[str]) -> None:
    """Asks the watcher of the repository `argv` names (--repo, else the nearest upwards), before
    the command reads anything: an answer kept at the end can be given on the watcher's word
    while it tells the same state then (`watched_at_end`)."""
    global STARTED
    given = [a.partition("=")[2] for a in argv if a.startswith("--repo=")]
    given += [argv[i + 1] for i, a in enumerate(argv[:-1]) if a == "--repo"]
    if len(given) > 1:
        return
    root = Path(given[0]).expanduser().resolve() if given else nearest_repo()
    if root is None:
        return
    state = watch.ask(str(root), start=True)
    if state is not None:
        STARTED = (os.path.realpath(root), state)


def watched_at_end(root: Path) -> str | None:
    """The watcher's state of the run's start, when it is still the state now: nothing under the
    folders it watches changed while the run read them."""
    if STARTED is None or STARTED[0] != os.path.realpath(root):
        return None
    return STARTED[1] if watch.ask(str(root)) == STARTED[1] else None


def nearest_repo(here: Path | None = None) -> Path | None:
    """The nearest folder upwards from `here` (the current folder) holding jushou.yaml."""
    start = (here or Path.cwd()).resolve()
    for folder in (start, *start.parents):
        if (folder / MARKER).is_file():
            return folder
    return None


def key(argv: list[str], streams: tuple[object, ...]) -> str:
    """The name of the answer of this command line, here, now: argv, the current folder, the
    environment (less VOLATILE), the terminal (`streams`), today and the toolkit."""
    digest = hashlib.blake2b(code_key(), digest_size=20)
    environment = sorted(
        (k, v) for k, v in os.environ.items() if k not in VOLATILE and not k.startswith(VOLATILE_PREFIXES)
    )
    today = time.strftime("%Y-%m-%d", time.localtime())
    for part in (repr(argv), os.getcwd(), repr(environment), repr(streams), today, sys.executable):
        digest.update(part.encode("utf-8", "surrogateescape") + b"\0\0")
    return digest.hexdigest()


class Sighting:
    """What an answer was made from, as a later run can see it again without the toolkit. (A
    plain class: dataclasses would cost the first step the import of inspect.)"""

    def __init__(
        self,
        *,
        root: str,
        # the `git diff-files` call (its pathspecs: the record files); () for a part's answer
        git_args: tuple[str, ...],
        index_file: str,
        index_stamp: tuple[int, ...],
        changed: frozenset[str],  # what diff-files listed
        head: str | None,
        folders: dict[str, tuple[int, ...]],  # relative to root ("." itself) → stat signature
        folders_seen_ns: int,  # when they were seen (settled by then)
        files: dict[str, Signature],  # files git does not vouch for → stat signature
        absent: tuple[str, ...],  # paths that must not exist
        # the watcher's state (store/watch.py) before and after the run, when it was the same
        watched: str | None = None,
    ) -> None:
        self.root, self.git_args, self.index_file, self.index_stamp = root, git_args, index_file, index_stamp
        self.changed, self.head, self.folders, self.folders_seen_ns = changed, head, folders, folders_seen_ns
        self.files, self.absent, self.watched = files, absent, watched


class Answer:
    """What a run printed — (1 stdout | 2 stderr, bytes) in the order written — its exit code,
    whether --repo named the root (else it was found upwards from the current folder), and what
    it was made from."""

    def __init__(
        self, sighting: Sighting, printed: list[tuple[int, bytes]], code: int, repo_given: bool
    ) -> None:
        self.sighting, self.printed, self.code, self.repo_given = sighting, printed, code, repo_given


def _folder() -> Path:
    return cache_dir() / FOLDER


def read(name: str) -> Answer | None:
    try:
        payload = (_folder() / name).read_bytes()
    except OSError:
        return None
    try:
        found = pickle.loads(payload)  # our own file, written by keep() below
    except Exception:  # damaged (a pickle can fail in many ways): made again
        return None
    return found if isinstance(found, Answer) else None


def keep(name: str, answer: Answer) -> None:
    """Writes the answer (whole or not at all); keeps the newest KEEP. Only speed is lost when
    the cache folder cannot be written."""
    folder = _folder()
    tmp = folder / f".{name}.{os.getpid()}.tmp"
    try:
        folder.mkdir(mode=0o700, parents=True, exist_ok=True)
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC | getattr(os, "O_BINARY", 0), 0o600)
        with os.fdopen(fd, "wb") as handle:
            handle.write(pickle.dumps(answer, protocol=pickle.HIGHEST_PROTOCOL))
        os.replace(tmp, folder / name)
        kept = sorted(folder.iterdir(), key=lambda p: p.stat().st_mtime_ns, reverse=True)
        for old in kept[KEEP:]:
            old.unlink()
    except OSError:
        with contextlib.suppress(OSError):
            tmp.unlink()


def still(answer: Answer) -> bool:
    """Whether the files are still what the answer was made from (git asked alongside). When a
    watcher (store/watch.py) told the same state before and after git and the signatures said
    so, the answer learns that state (`Sighting.watched`: the caller keeps it again)."""
    seen = answer.sighting
    root = Path(seen.root)
    if not answer.repo_given and nearest_repo() != root:
        return False
    if any(os.path.lexists(path) for path in seen.absent):
        return False
    if not seen.git_args:  # a part's answer: every file it read is in `files`
        return unmoved(seen)
    state = watch.ask(seen.root, start=True)
    if state is not None and state == seen.watched:
        # Nothing under the folders the answer was made from changed since: what diff-files
        # and every folder's signature would say is what they said. git's index and HEAD are
        # not watched.
        return _stamp(seen.index_file) == seen.index_stamp and head_commit(root) == seen.head
    try:
        running = [
            subprocess.Popen(command(root, *args), stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
            for args in (seen.git_args, HEAD)
        ]
    except OSError:
        return False
    try:
        same = unmoved(seen)
    finally:
        outputs = [proc.communicate()[0] for proc in running]
    changed, head = outputs
    if not same or running[0].returncode != 0:
        return False
    if frozenset(os.fsdecode(raw) for raw in changed.split(b"\0") if raw) != seen.changed:
        return False
    if (head.decode("ascii", "replace").strip() or None) != seen.head:
        return False
    if state is not None and watch.ask(seen.root) == state:
        seen.watched = state  # nothing changed from before git looked until now
    return True


def unmoved(seen: Sighting) -> bool:
    """Whether git's index file (when git vouched for the answer), every folder and every file of
    `seen` still have their signatures — at the end of the run that made it (store/memo.py), and
    in a later run's first step (while git runs)."""
    if seen.index_file and _stamp(seen.index_file) != seen.index_stamp:
        return False
    base = seen.root + os.sep
    return unchanged(base, seen.folders, seen.folders_seen_ns) and all(
        _stamp(base + rel) == sig for rel, sig in seen.files.items()
    )


def _stamp(path: str) -> tuple[int, ...] | None:
    try:
        return signature(os.stat(path))
    except OSError:
        return None


def head_commit(root: Path) -> str | None:
    """HEAD's commit (None outside git or before the first commit); the commit a report names
    (store/worktree.py) and the one `still` compares are read alike."""
    try:
        proc = subprocess.run(command(root, *HEAD), capture_output=True, check=False)
    except OSError:
        return None
    return proc.stdout.decode("ascii", "replace").strip() or None


def part_sighting(
    root: Path, files: Iterable[str], folders: tuple[str, ...], since_ns: int, absent: tuple[str, ...]
) -> Sighting | None:
    """What an answer made from a part of the repository (an agenda: store/partial.py) was
    made from: the part's files, every folder under the part's folders, the repository's own
    folder (the registries lie in it) and its templates — folders and files. git is not asked:
    nothing else was read. None unless every one was settled when the run began (`since_ns`):
    a file changed while it ran has a younger signature than that."""
    base = str(root) + os.sep
    tree: dict[str, tuple[int, ...]] = {}
    names = list(files)
    try:
        tree["."] = signature(os.stat(root))
        for top in (*folders, "templates"):  # a folder that is not there: "." tells its making
            for folder, subfolders, found in os.walk(base + top):
                subfolders[:] = [s for s in subfolders if not s.startswith(".")]  # as listed
                rel = os.path.relpath(folder, root).replace(os.sep, "/")
                tree[rel] = signature(os.stat(folder))
                if top == "templates":
                    names += [f"{rel}/{name}" for name in found]
        stamps = {rel: signature(os.stat(base + rel)) for rel in names}
    except OSError:
        return None
    if not all(settled(sig, since_ns) for sig in (*stamps.values(), *tree.values())):
        return None
    return Sighting(
        root=str(root),
        git_args=(),
        index_file="",
        index_stamp=(),
        changed=frozenset(),
        head=None,
        folders=tree,
        folders_seen_ns=since_ns,
        files=stamps,
        absent=absent,
    )


def template_folders(root: Path) -> dict[str, Signature]:
    """The stat signature of every folder of the repository's own templates/ (relative to root):
    an answer made before a template was added, removed or renamed is not given again (validate
    names each of them: checks/templates.py)."""
    folders: dict[str, Signature] = {}
    for folder, _subfolders, _files in os.walk(root / "templates"):
        with contextlib.suppress(OSError):
            folders[Path(folder).relative_to(root).as_posix()] = signature(os.stat(folder))
    return folders
