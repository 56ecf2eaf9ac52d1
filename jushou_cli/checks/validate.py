"""`validate` as a library call: load, run every rule, and return one sorted result."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from datetime import date
from pathlib import Path

from jushou_cli import checks
from jushou_cli.load.plain import Loaded
from jushou_cli.model.diagnostics import Diagnostic
from jushou_cli.model.records import Repository
from jushou_cli.model.redaction import Scrubber, personal_values
from jushou_cli.store.kept_rules import KeptRules


@dataclass(frozen=True, slots=True)
class ValidationResult:
    """`validate`'s answer. `reread` reads a file's bytes again where they were read from (the
    commit for `--at`, the index for `--staged`; None: the disk), for the excerpt of a file that
    did not parse and so has no text among the loaded documents."""

    repository: Repository
    diagnostics: tuple[Diagnostic, ...]
    files: int
    reread: Callable[[str], bytes | None] | None = None

    @property
    def errors(self) -> int:
        return sum(1 for d in self.diagnostics if d.is_error)

    @property
    def warnings(self) -> int:
        return len(self.diagnostics) - self.errors

    def to_json(self) -> dict[str, object]:
        """The contract of DESIGN.md §5."""
        return {
            "summary": {"files": self.files, "errors": self.errors, "warnings": self.warnings},
            "diagnostics": [d.to_json() for d in self.diagnostics],
        }


def selected(path: str, only: list[str]) -> bool:
    return any(path == p or path.startswith(p.rstrip("/") + "/") or p in ("", ".") for p in only)


def validate(
    root: Path,
    today: date,
    only: list[str] | None = None,
    loaded: Loaded | None = None,
    *,
    kept: tuple[Sequence[bytes], KeptRules] | None = None,
) -> ValidationResult:
    """Every layer over the whole repository (references need all of it); `only` (paths relative
    to the repository, files or folders) keeps the diagnostics of those files. `loaded` is the
    repository already read (e.g. at a past commit); the working tree otherwise (its placement
    findings from the query index, which keeps them per file: Loaded.placed). `kept`: every
    file's key (store/index.py), and the findings of the rules over each case kept by the last
    run — only the cases whose inputs changed are checked again (checks/kept.py)."""
    if loaded is None:
        from jushou_cli.store.seam import load

        loaded = load(root, placed=True)  # from the query index, which keeps every placement
    if kept is not None:
        from jushou_cli.checks.kept import run_kept

        rules = run_kept(loaded.repository, today, kept[0], kept[1], placed=loaded.placed)
    else:
        rules = checks.run_all(loaded.repository, today, placed=loaded.placed)
    found = loaded.diagnostics + rules
    files = loaded.files
    if only is not None:
        found = [d for d in found if selected(d.path, only)]
        files = sum(1 for f in loaded.repository.files if selected(f, only))
    ordered = tuple(sorted(set(found), key=Diagnostic.sort_key))
    return ValidationResult(loaded.repository, _scrubbed(ordered, loaded), files)


def _scrubbed(found: tuple[Diagnostic, ...], loaded: Loaded) -> tuple[Diagnostic, ...]:
    """No message or hint quotes a personal value (a finding elsewhere may quote one: a leading
    zero in a phone number, a name copied into another field); excerpts are masked where they
    are printed (render/diagnostics.py)."""
    if not found:
        return found
    # one scrubber for every finding: making it indexes every personal value of the repository
    values = loaded.personal if loaded.personal is not None else personal_values(loaded.repository)
    scrubber = Scrubber(set(values))
    out = []
    for d in found:
        message, hint = scrubber.text(d.message), scrubber.text(d.hint)
        out.append(d if (message, hint) == (d.message, d.hint) else replace(d, message=message, hint=hint))
    return tuple(out)
