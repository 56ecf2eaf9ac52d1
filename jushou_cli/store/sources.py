"""What a load reads (store/seam.load): from where (the working tree, a commit, git's index) and
how much (the whole repository, or the part an agenda or a handout needs)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class WorkingTree:
    """The files as they are on disk now."""


@dataclass(frozen=True, slots=True)
class Revision:
    """The repository as committed at `sha` (store/git.resolve turns `--at` into one)."""

    sha: str


@dataclass(frozen=True, slots=True)
class Staged:
    """The repository as staged in git's index: what the next commit will hold."""


@dataclass(frozen=True, slots=True)
class Whole:
    """Every record file."""


@dataclass(frozen=True, slots=True)
class Cases:
    """The registries, every meeting and the folders of these cases (an agenda of one case)."""

    ids: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class MeetingPart:
    """The registries, every meeting and the folders of the cases this meeting is about."""

    id: str


Source = WorkingTree | Revision | Staged
Part = Whole | Cases | MeetingPart


WORKING_TREE = WorkingTree()
WHOLE = Whole()
