"""The one way to load a case repository. Every command calls `load`:

    load(root, source=WorkingTree() | Revision(sha) | Staged(), part=Whole() | Cases(ids) |
         MeetingPart(id), findings=True | False)

The plain path is load/plain.py (files → documents → repository, readable on its own). This
module only chooses how to get there faster, with results equal to the plain path's:

- the working tree, whole, with findings (the report, a handout of every meeting, the writing
  commands): the query index too (index.load_whole), with each file's per-file findings; where
  it cannot answer (a file that cannot be read), the plain path, each file's per-file layers
  taken from the document cache when its bytes are known (cache.py), the file listing from the
  kept listing (listing.py); `validate` asks the index itself (memo.py, index.py);
- the working tree, whole, without findings (`due`, `case list`, `indicators`): the query index
  (index.py), which keeps the built repository itself;
- a part (an agenda or a handout about some cases): only the files those cases need
  (partial.py), falling back to the whole repository at any doubt;
- a revision or git's index (`--at`, `--staged`): the plain path reading blobs through git.

JUSHOU_NO_CACHE=1 turns every cache off (the plain path, always).
"""

from __future__ import annotations

from pathlib import Path

from jushou_cli.load import plain
from jushou_cli.load.plain import Loaded
from jushou_cli.store import cache
from jushou_cli.store.cached import load_cached
from jushou_cli.store.sources import (
    WHOLE,
    WORKING_TREE,
    Cases,
    MeetingPart,
    Part,
    Revision,
    Source,
    Staged,
    Whole,
    WorkingTree,
)

__all__ = ["Cases", "MeetingPart", "Part", "Revision", "Source", "Staged", "Whole", "WorkingTree", "load"]


def load(
    root: Path,
    source: Source = WORKING_TREE,
    part: Part = WHOLE,
    *,
    findings: bool = True,
    placed: bool = False,
) -> Loaded:
    """The repository at `root`. `findings`: whether the caller reports the per-file
    diagnostics (`validate`, the year-end report); a query that does not may be answered from
    the query index, whose result has no diagnostics. `placed`: the caller runs the rules
    (`validate` as a library call), and takes each file's placement findings with its own when
    the index has them (Loaded.placed). A part is a promise about what the caller reads, not a
    limit: at any doubt the whole repository is loaded."""
    if isinstance(source, Revision):
        from jushou_cli.store import git

        with git.BlobReader(root, source.sha) as reader:
            return plain.load(root, reader, git.files_at(root, source.sha))
    if isinstance(source, Staged):
        from jushou_cli.store import git

        blobs = git.staged_blobs(root)
        with git.IndexReader(root, blobs) as reader:
            return plain.load(root, reader, list(blobs))
    if not cache.enabled():
        return plain.load(root)
    if not isinstance(part, Whole):
        from jushou_cli.store import partial

        found = partial.load_part(root, part)
        if found is not None:
            return found
    if not findings:
        from jushou_cli.store.index import load_for_queries

        repository = load_for_queries(root)
        return Loaded(repository, [], len(repository.files))
    from jushou_cli.store.index import load_whole

    return load_whole(root, placed=placed) or load_cached(root)
