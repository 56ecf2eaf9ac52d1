"""Reading the repository as it was at a commit, through git, without touching the working tree.

One `git ls-tree` lists the files of the revision and one `git cat-file --batch` process streams
their blobs (STACK.md: several times faster than GitPython's object reads).
"""

from __future__ import annotations

import hashlib
import os
import subprocess
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

from jushou_cli.load.layout import GIT_PATHSPECS, listed, record_files
from jushou_cli.model.dates import DateError, parse_date
from jushou_cli.system.gitcall import command, ignore_stat


class GitError(Exception):
    """git could not answer; the message is Japanese and says what to do."""


def git(root: Path, *args: str) -> str:
    try:
        proc = subprocess.run(
            command(root, *args),
            capture_output=True,
            text=True,
            encoding="utf-8",
            errors="replace",
            check=False,
        )
    except OSError as exc:
        raise GitError(f"git を実行できません: {exc.strerror}") from None
    if proc.returncode != 0:
        raise GitError(proc.stderr.strip() or f"git {' '.join(args)} に失敗しました")
    return proc.stdout


def blob(root: Path, name: str) -> bytes | None:
    """One object's bytes by name (`<sha>:./path`, relative to root); None when there is none."""
    try:
        proc = subprocess.run(command(root, "cat-file", "blob", name), capture_output=True)
    except OSError:
        return None
    return proc.stdout if proc.returncode == 0 else None


def git_config(root: Path, key: str) -> str | None:
    try:
        return git(root, "config", "--get", key).strip() or None
    except GitError:
        return None


def is_repository(root: Path) -> bool:
    try:
        return git(root, "rev-parse", "--is-inside-work-tree").strip() == "true"
    except GitError:
        return False


@dataclass(frozen=True, slots=True)
class Resolved:
    sha: str
    committed: str  # ISO date-time of the commit, for people
    asked: str  # what the user typed


def resolve(root: Path, at: str) -> Resolved:
    """A revision (sha, tag, branch, HEAD~3) or a date (ISO or 和暦): for a date, the last
    commit made on or before the end of that day."""
    if not is_repository(root):
        raise GitError(f"{root} は git のリポジトリではありません（--at には git の履歴が要ります）")
    when: date | None = None
    try:
        when = parse_date(at)
    except DateError:
        when = None
    if when is not None:
        limit = (when + timedelta(days=1)).isoformat()
        sha = git(root, "rev-list", "-1", f"--before={limit} 00:00:00", "HEAD").strip()
        if not sha:
            raise GitError(f"{at} までのコミットがありません（最初のコミットより前です）")
    else:
        try:
            sha = git(root, "rev-parse", "--verify", "-q", f"{at}^{{commit}}").strip()
        except GitError:
            raise GitError(
                f"「{at}」はコミットとしても日付としても読めません"
                "（例: 2024-05-10、R6.5.10、HEAD~3、コミットの sha）"
            ) from None
    committed = git(root, "show", "-s", "--format=%cI", sha).strip()
    return Resolved(sha, committed, at)


def files_at(root: Path, sha: str) -> list[str]:
    """The record files of the layout at that revision."""
    out = git(root, "ls-tree", "-r", "--name-only", "-z", sha, *GIT_PATHSPECS)
    return record_files(n for n in out.split("\0") if n)


def staged_blobs(root: Path) -> dict[str, str]:
    """The record files as staged in the git index — what the next commit will hold — and their
    blob ids (`git ls-files -s`; paths relative to root). Raises GitError outside git and while a
    merge has left paths unresolved (git refuses to commit those)."""
    if not is_repository(root):
        raise GitError(
            f"{root} は git のリポジトリではありません（--staged は git のインデックスを読みます）"
        )
    out = git(root, "ls-files", "-s", "-z", *GIT_PATHSPECS)
    blobs: dict[str, str] = {}
    unmerged: set[str] = set()
    for entry in filter(None, out.split("\0")):
        info, _, path = entry.partition("\t")
        mode, blob_id, stage = info.split(" ")
        if stage != "0":
            unmerged.add(path)
        elif mode in ("100644", "100755"):  # not a symlink (120000) or a submodule (160000)
            blobs[path] = blob_id
    if unmerged:
        names = sorted(unmerged)
        shown = "、".join(names[:5]) + (f" ほか {len(names) - 5} 件" if len(names) > 5 else "")
        raise GitError(
            f"マージの衝突が解決されていないファイルがあります: {shown}"
            "（直してから git add すると、コミットされる内容を検査できます）"
        )
    return {path: blobs[path] for path in record_files(blobs)}


class CatFile:
    """One long-lived `git cat-file --batch`: objects by name (`<rev>:<path>`), None if missing."""

    def __init__(self, root: Path) -> None:
        self.proc = subprocess.Popen(
            command(root, "cat-file", "--batch"),
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
        )

    def read(self, name: str) -> bytes | None:
        assert self.proc.stdin is not None and self.proc.stdout is not None
        self.proc.stdin.write(f"{name}\n".encode())
        self.proc.stdin.flush()
        header = self.proc.stdout.readline().decode().split()
        if len(header) < 3 or header[-1] == "missing":
            return None
        data = self.proc.stdout.read(int(header[2]))
        self.proc.stdout.read(1)  # the newline after each object
        return data

    def close(self) -> None:
        if self.proc.stdin:
            self.proc.stdin.close()
        self.proc.wait(timeout=10)

    def __enter__(self) -> CatFile:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


class BlobReader(CatFile):
    """A load.Reader: `path` at one revision."""

    def __init__(self, root: Path, sha: str) -> None:
        super().__init__(root)
        self.sha = sha

    def __call__(self, path: str) -> bytes:
        # `./`: relative to root, which may be a folder inside the git repository
        data = self.read(f"{self.sha}:./{path}")
        if data is None:
            raise FileNotFoundError(2, "No such file in that revision", path)
        return data

    def __enter__(self) -> BlobReader:
        return self


class IndexReader(CatFile):
    """A load.Reader: `path` as staged in the git index, by its blob id (see staged_blobs)."""

    def __init__(self, root: Path, blobs: dict[str, str]) -> None:
        super().__init__(root)
        self.blobs = blobs

    def __call__(self, path: str) -> bytes:
        blob_id = self.blobs.get(path)
        data = self.read(blob_id) if blob_id else None
        if data is None:
            raise FileNotFoundError(2, "No such file in the index", path)
        return data

    def __enter__(self) -> IndexReader:
        return self


@dataclass(frozen=True, slots=True)
class WorktreeFiles:
    """The tracked record files as git sees them, without reading them: for each one that git's
    index says is unchanged, a key made of its blob id and path (`<blob id> 0<TAB><path>` as
    bytes, cheap to take from git's output and unique to the content); the tracked files that
    differ from the index (changed or deleted since `git add`)."""

    unchanged: list[bytes]
    changed: set[str]
    id_width: int  # 40 (SHA-1) or 64 (SHA-256) hex digits
    staged: tuple[tuple[int, ...], list[bytes]]  # git's index file: (stat signature, every key)
    index_file: str


_PLAIN = (b"H 100644 ", b"H 100755 ")


def key_path(key: bytes) -> str:
    return os.fsdecode(key.partition(b"\t")[2])


# The tracked record files that differ from git's index (stat or content), as worktree_files and
# an answer given on sight (store/sight.py) ask for them.
CHANGED = ("diff-files", "--name-only", "--relative", "-z", *GIT_PATHSPECS)


def start_worktree_files(root: Path) -> dict[str, subprocess.Popen[bytes]] | None:
    """Starts the git commands of `worktree_files` (they run while the caller does other work)."""
    specs = list(GIT_PATHSPECS)
    commands = {
        "index": ["ls-files", "-s", "-v", "-z", *specs],
        # One thread (no preloadIndex): the caller's Python keeps the other core busy meanwhile.
        "changed": ["-c", "core.preloadIndex=false", *CHANGED],
        "index_file": ["rev-parse", "--git-path", "index"],
    }
    try:
        return {
            name: subprocess.Popen(
                command(root, "--no-optional-locks", *args),
                stdout=subprocess.PIPE,
                stderr=subprocess.DEVNULL,
            )
            for name, args in commands.items()
        }
    except OSError:
        return None


def worktree_files(
    root: Path,
    running: dict[str, subprocess.Popen[bytes]] | None = None,
    staged: tuple[tuple[int, ...], list[bytes]] | None = None,
) -> WorktreeFiles | None:
    """Which tracked record files are unchanged since `git add`, from two git commands run side
    by side: `ls-files -s -v` (the index: blob ids and flags) and `diff-files` (tracked files
    whose stat or content differs: git stats them in C, on one thread while the caller's Python
    uses the other core, and compares the content of "racily clean" ones). Nothing is written
    (--no-optional-locks: git does not refresh its index). Which files exist is the caller's
    business (load/layout.discover).

    None when git cannot vouch for the files and every file must be looked at: not a git
    repository, no git, an index entry marked assume-unchanged or skip-worktree (git would not
    notice its changes), core.ignoreStat, a symlink or submodule among the record files, or an
    unresolved merge."""
    running = running or start_worktree_files(root)
    if running is None:
        return None
    from jushou_cli.system.stamps import signature

    out: dict[str, bytes] = {}
    codes: dict[str, int] = {}
    for name in ("index_file", "changed"):
        out[name], _ = running[name].communicate()
        codes[name] = running[name].returncode
    try:
        index_file = root / os.fsdecode(out["index_file"].strip())
        index_signature = signature(os.stat(index_file)) if codes["index_file"] == 0 else None
    except OSError:
        index_signature = None  # no index yet (nothing staged): ls-files answers
    if codes["changed"] != 0 or ignore_stat(root):
        _stop(running["index"])
        return None
    if staged is not None and index_signature is not None and staged[0] == index_signature:
        # git's index is the file read last time (it is rewritten, never edited in place): its
        # entries are the ones remembered, and parsing them again would cost more than git.
        _stop(running["index"])
        all_keys = staged[1]
    else:
        index, _ = running["index"].communicate()
        if running["index"].returncode != 0:
            return None
        parsed = _index_keys(index)
        if parsed is None:
            return None
        all_keys = parsed
    keys = all_keys
    width = len(keys[0].partition(b" ")[0]) if keys else 40
    changed = set(_names(out["changed"]))
    if changed:
        raw = {os.fsencode(p) for p in changed}
        keys = [k for k in keys if k.partition(b"\t")[2] not in raw]
    return WorktreeFiles(keys, changed, width, (index_signature or (-1,), all_keys), str(index_file))


def _stop(proc: subprocess.Popen[bytes]) -> None:
    proc.kill()
    proc.communicate()


def _index_keys(index: bytes) -> list[bytes] | None:
    """The keys of `git ls-files -s -v -z` output for the record files (layout.listed: the
    selection); None when an entry is not a plain staged file git vouches for."""
    entries = index.split(b"\0")
    entries.pop()  # after the last NUL
    plain = index.count(b"\0" + _PLAIN[0]) + index.count(b"\0" + _PLAIN[1]) + index.startswith(_PLAIN)
    if plain != len(entries):
        return None  # assume-unchanged (h), skip-worktree (S), a symlink or a submodule
    width = 64 if entries and entries[0][49:50] != b" " else 40
    keys = [e[9:] for e in entries]
    if any(k[width : width + 3] != b" 0\t" for k in keys):
        return None  # an unresolved merge (stages 1–3)
    if b"/." in index:  # a dot-folder somewhere (rare): the exact rule, path by path
        return [k for k in keys if listed(key_path(k))]
    return [k for k in keys if k.endswith(b".yaml")]


def _names(out: bytes) -> list[str]:
    return [os.fsdecode(raw) for raw in out.split(b"\0") if raw]


def blob_id(data: bytes, width: int = 40) -> str:
    """git's object id of a blob with these bytes (SHA-1, or SHA-256 in a repository of 64-digit
    ids), so a file read from disk and an index entry with the same bytes meet in one key."""
    header = b"blob %d\0" % len(data)
    digest = hashlib.sha256 if width == 64 else hashlib.sha1
    return digest(header + data).hexdigest()
