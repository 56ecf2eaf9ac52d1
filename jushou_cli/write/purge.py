"""`jushou retention purge ID…`: deleting what is past its 保存年限 (queries/retention.py) from the
working tree, in one commit, and destroying its data keys (docs/privacy.md says what this does
and does not protect against).

What goes with a case: its folder (case.yaml, sheets, records), the referral it came from or
that names it, that referral's proposals, and its items in meetings (the discussion and
decisions about the person; the meeting itself stays, with its other items). What goes with a
referral that never became a case: its file and its proposals. The data keys of every sealed
record removed are deleted from the key store; git's history keeps the encrypted blobs, which no
remaining key opens.

Order: the meeting edits are written together (journal), then the files removed, then the keys
destroyed, then the commit made; a purge stopped half-way is finished by running it again."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from jushou_cli.model import sealed
from jushou_cli.model.dates import wareki
from jushou_cli.model.records import Repository
from jushou_cli.queries.retention import expired
from jushou_cli.write import journal, yamledit
from jushou_cli.write.ids import Refused
from jushou_cli.write.sealing import destroy_keys


@dataclass
class Purge:
    ids: list[str]
    files: list[str] = field(default_factory=list)  # relative paths to remove
    edits: list[yamledit.Edited] = field(default_factory=list)  # meetings losing items
    keys: list[str] = field(default_factory=list)  # data key ids to destroy

    @property
    def paths(self) -> list[str]:
        return sorted({*self.files, *(e.path for e in self.edits)})


def _files_under(root: Path, folder: str) -> list[str]:
    base = root / folder
    if not base.is_dir() or base.is_symlink():
        return []
    return sorted(
        p.relative_to(root).as_posix() for p in base.rglob("*") if p.is_file() and not p.is_symlink()
    )


def plan(root: Path, repo: Repository, ids: Sequence[str], as_of: date) -> Purge:
    """What purging `ids` removes; refused, naming the id, when one is not past its period."""
    due = {e.id: e for e in expired(repo, as_of).expired}
    purge = Purge(list(dict.fromkeys(ids)))
    referrals = []
    for given in purge.ids:
        if given not in due:
            known = repo.case(given) is not None or repo.referral(given) is not None
            reason = "はまだ保存年限を過ぎていません" if known else "というケース・つなぐシートはありません"
            raise Refused(
                f"{given} {reason}（{wareki(as_of)}の時点）",
                "jushou retention で削除できるものと、その日付を確かめてください",
            )
        if due[given].kind == "case":
            case = repo.case(given)
            assert case is not None
            purge.files += _files_under(root, f"cases/{case.dir}")
            purge.keys += [k for k in [sealed.key_id("case", case.data)] if k]
            referrals += [r for r in repo.referrals if r.case == given or r.id == case.referral]
            for meeting in repo.meetings:
                drop = [i for i, item in enumerate(meeting.items) if item.case == given]
                if drop:
                    changes = [yamledit.Drop(("items",), i) for i in reversed(drop)]
                    purge.edits.append(yamledit.prepare(root, meeting.path, changes))
        else:
            referrals += [r for r in repo.referrals if r.id == given]
    for referral in {r.id: r for r in referrals}.values():
        purge.files.append(referral.path)
        purge.keys += [k for k in [sealed.key_id("referral", referral.data)] if k]
        purge.files += [p.path for p in repo.proposals if p.referral == referral.id]
    purge.files = sorted(set(purge.files))
    return purge


def apply(root: Path, purge: Purge) -> list[str]:
    """Removes and edits the files and destroys the keys; returns the key ids destroyed."""
    changes = [journal.FileChange(e.path, e.after.encode("utf-8")) for e in purge.edits]
    journal.commit(root, "jushou retention purge", changes)
    for rel in purge.files:
        (root / rel).unlink(missing_ok=True)
    for rel in purge.files:  # the case's emptied folders
        for folder in Path(rel).parents:
            if folder.as_posix() in (".", "cases", "referrals", "records", "meetings"):
                break
            try:
                (root / folder).rmdir()
            except OSError:  # not empty (a file jushou does not know): left for the user
                break
    return destroy_keys(root, purge.keys)
