"""Every git call's argv: git runs only git (no program named in git's configuration). Kept
apart from store/git.py, with nothing but the standard library, so that the command's first
step (cli/start.py: an answer given on sight) can ask git without loading the toolkit."""

from __future__ import annotations

import functools
import os
import subprocess
from pathlib import Path
from typing import NamedTuple

# --- git runs only git ------------------------------------------------------------------------
# git's configuration can name programs that git then runs: an fsmonitor hook (run by every
# command that looks at the working tree, even `diff-files`), clean/smudge filters and diff
# textconv drivers (named by a pushed .gitattributes), an external diff, a pager, hooks. A
# repository shared between offices must not become a way to run a program on each office's
# PC, and jushou's read-only commands must never run one: every git call gets `-c` options that
# switch each configured program off. git's own fsmonitor daemon (core.fsmonitor=true) is git,
# not a configured program, and may stay: it speeds up large repositories.
_PROGRAM_KEYS = (
    ("filter.", (".clean", ".smudge", ".process")),
    ("diff.", (".textconv", ".command")),
    ("merge.", (".driver",)),
)
_ALWAYS = ("core.pager=cat", "diff.external=", "core.askPass=", "core.sshCommand=", "credential.helper=")
_FALSE = frozenset({"false", "no", "off", "0", ""})
_TRUE = frozenset({"true", "yes", "on", "1"})


class Configured(NamedTuple):
    options: tuple[str, ...]  # the `-c` options of every git call
    ignore_stat: bool  # core.ignoreStat
    watch: bool  # jushou.watch


def _configured(root: str) -> Configured:
    """What git's configuration says for `root`; read once per process while the repository's
    own config file is unchanged."""
    try:
        stamp = os.stat(os.path.join(root, ".git", "config")).st_mtime_ns
    except OSError:
        stamp = 0
    return _read_configuration(root, stamp)


@functools.cache
def _read_configuration(root: str, stamp: int) -> Configured:
    """`git config` itself runs no configured program."""
    options = [f"core.hooksPath={os.devnull}", *_ALWAYS]
    ignore_stat = watch = False
    try:
        proc = subprocess.run(
            ["git", "-C", root, "config", "--list", "--null"],
            capture_output=True,
            check=False,
        )
        listing = proc.stdout.decode("utf-8", "replace") if proc.returncode == 0 else ""
    except OSError:
        listing = ""
    fsmonitor = "false"
    for entry in filter(None, listing.split("\0")):
        key, given, value = entry.partition("\n")
        key = key.lower()
        if key == "core.fsmonitor":
            fsmonitor = value.strip().lower()
        elif key == "core.ignorestat":
            ignore_stat = value.strip().lower() in _TRUE
        elif key == "jushou.watch":
            watch = not given or value.strip().lower() in _TRUE  # a bare `watch` is true
        elif any(key.startswith(head) and key.endswith(tails) for head, tails in _PROGRAM_KEYS):
            options.append(f"{entry.partition(chr(10))[0]}=")
    # a hook program (a path) is switched off; git's own daemon (a boolean true) stays
    options.append("core.fsmonitor=true" if fsmonitor in _TRUE else "core.fsmonitor=false")
    return Configured(tuple(o for option in options for o in ("-c", option)), ignore_stat, watch)


def command(root: Path, *args: str, hooks: bool = False) -> list[str]:
    """The argv of a git call in `root` that runs no program named in git's configuration.
    `hooks`: a command that commits may run the repository's own hooks (its pre-commit
    validation); nothing else runs any."""
    options = _configured(str(root)).options
    if hooks:
        options = options[2:]  # the first option is core.hooksPath
    return ["git", *options, "-C", str(root), *args]


def ignore_stat(root: Path) -> bool:
    """core.ignoreStat: git then trusts no stat information, and neither may jushou."""
    return _configured(str(root)).ignore_stat


def wants_watch(root: Path) -> bool:
    """jushou.watch: the command's first step starts the repository's watcher when none runs
    (store/watch.py), as git starts its own fsmonitor daemon for core.fsmonitor=true."""
    return _configured(str(root)).watch
