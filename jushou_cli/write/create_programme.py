"""Building new records of the programme around the case (RECORDS.md, Additions): a community
activity (`jushou new community`) and a training (`jushou new training`), like create.py's: every
value typed on the command line checked against the repository first, the file rendered from
`templates/new/<kind>.yaml.j2`. They count people and never name them."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from pathlib import Path

from jushou_cli.model import labels
from jushou_cli.model.dates import fiscal_year
from jushou_cli.model.records import Repository
from jushou_cli.write import ids
from jushou_cli.write.ids import BadValue
from jushou_cli.write.newfile import NewFile, codes, render


def require_area(repo: Repository, option: str, value: str | None) -> None:
    """With areas.yaml an area is one of its ids; without it, any text (RECORDS.md)."""
    if value is None or "areas" not in repo.registries_present:
        return
    if value not in {a.id for a in repo.areas}:
        raise ids.UnknownId(
            "圏域", option, value, (a.id for a in repo.areas), "areas.yaml に追加してください"
        )


def require_record(record_type: str, stage: str | None) -> None:
    """`jushou new record`'s TYPE, and its `--stage` (参加支援の段階: participation records only)."""
    ids.require_code(record_type, "TYPE", labels.enum("record_type"))
    ids.require_code(stage, "--stage", labels.enum("participation_stage"))
    if stage is not None and record_type != "participation":
        raise BadValue("--stage は参加支援の記録（TYPE participation）だけに使います")


def _count(option: str, value: int | None) -> None:
    if value is not None and value < 0:
        raise BadValue(f"{option}: {value} は人数として読めません", "0以上の整数で書きます")


def new_community(
    repo: Repository,
    root: Path,
    when: date,
    *,
    activity_type: str | None,
    area: str | None = None,
    resource: str | None = None,
    participants: int | None = None,
    organizations: Sequence[str] = (),
    staff: Sequence[str] = (),
    summary: str | None = None,
) -> NewFile:
    """community/<fy>/<date>-<type>.yaml (`-2` … when the name is taken)."""
    if activity_type is None:
        raise BadValue(
            "--type（地域づくり活動の種類）を指定してください", "使える値: " + codes("community_type")
        )
    ids.require_code(activity_type, "--type", labels.enum("community_type"))
    require_area(repo, "--area", area)
    ids.require_resource(repo, "--resource", resource)
    ids.require_organizations(repo, "--organization", organizations)
    ids.require_members(repo, "--staff", staff)
    _count("--participants", participants)
    context = {
        "type": activity_type,
        "date": when.isoformat(),
        "resource": resource,
        "area": area,
        "organizations": list(dict.fromkeys(organizations)),
        "participants": participants,
        "staff": list(dict.fromkeys(staff)),
        "summary": summary,
    }
    path = ids.dated_path(root, f"community/{fiscal_year(when)}", when, activity_type)
    return NewFile(path, render(root, "community.yaml", context))


def new_training(
    repo: Repository,
    root: Path,
    when: date,
    *,
    title: str | None,
    course: str | None = None,
    invited: int | None = None,
    attended: int | None = None,
) -> NewFile:
    """trainings/<fy>/<date>.yaml (`-2` … for a second session that day)."""
    if not title:
        raise BadValue("--title（研修名）を指定してください", "例 --title '断らない相談研修 第3回'")
    ids.require_code(course, "--course", labels.enum("training_course"))
    _count("--invited", invited)
    _count("--attended", attended)
    context = {
        "date": when.isoformat(),
        "title": title,
        "course": course,
        "invited": invited,
        "attended": attended,
    }
    return NewFile(training_path(root, when), render(root, "training.yaml", context))


def training_path(root: Path, when: date) -> str:
    stem = f"trainings/{fiscal_year(when)}/{when.isoformat()}"
    rel, n = f"{stem}.yaml", 1
    while (root / rel).exists():
        n += 1
        rel = f"{stem}-{n}.yaml"
    return rel
