"""Every command's `--format` choices are exactly the names in its table of renderers: a format
cannot be offered without a renderer, nor a renderer exist that no option reaches."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from enum import Enum
from types import UnionType
from typing import Annotated, Union, get_args, get_origin, get_type_hints

import typer
from typer.models import OptionInfo

from jushou_cli.cli.app import app
from jushou_cli.render import (
    agenda_formats,
    audit,
    caseload,
    diagnostics,
    doctor,
    due,
    find,
    indicators,
    log,
    meetings,
    referrals,
    registries,
    watch,
)
from jushou_cli.render.forms import FORMATS as FORM_FORMATS
from jushou_cli.render.handout_files import FORMATS as HANDOUT_FORMATS
from jushou_cli.render.report import summary

TABLES: dict[str, object] = {
    "validate": diagnostics.RENDERERS,
    # xlsx is a file written to -o or out/ (FILES), the other formats text for stdout.
    "due": {**due.RENDERERS, **due.FILES},
    "case list": {**caseload.LIST, **caseload.LIST_FILES},
    "member list": registries.RENDERERS,
    "org list": registries.RENDERERS,
    "resource list": registries.RENDERERS,
    "case show": caseload.SHOW,
    "indicators": indicators.RENDERERS,
    "log": log.RENDERERS,
    "audit": audit.RENDERERS,
    "doctor": doctor.RENDERERS,
    "agenda": agenda_formats.RENDERERS,
    # Handouts are files the batch writes (render/handout.py), one per format it can make.
    "handout": dict.fromkeys(HANDOUT_FORMATS),
    "find": find.RENDERERS,
    "referral suggest": referrals.SUGGEST_RENDERERS,
    # Feedback is a file or standard output, one per format (render/referrals.py).
    "referral feedback": dict.fromkeys(referrals.FEEDBACK_FORMATS),
    "form": dict.fromkeys(FORM_FORMATS),
    # The terminal's formats, and the calendar file's bytes.
    "meeting list": {**meetings.RENDERERS, "ics": meetings.ics, "xlsx": meetings.as_xlsx},
    "watch status": watch.RENDERERS,
}


def commands(group: typer.Typer, prefix: str = "") -> Iterator[tuple[str, Callable[..., object]]]:
    """(name, handler) of every command, through typer's registrations (what is public of it)."""
    for info in group.registered_commands:
        assert info.callback is not None
        yield f"{prefix}{info.name or info.callback.__name__}", info.callback
    for sub in group.registered_groups:
        assert sub.typer_instance is not None
        name = sub.name or sub.typer_instance.info.name
        yield from commands(sub.typer_instance, f"{prefix}{name} ")


def declared(option: OptionInfo) -> tuple[object, ...]:
    # Within Annotated, typer.Option's first argument is a name, not a default.
    return (option.default, *(option.param_decls or ()))


def format_choices(handler: Callable[..., object]) -> set[str] | None:
    """The values of the enum of the handler's `--format` option, if it has one."""
    for hint in get_type_hints(handler, include_extras=True).values():
        if get_origin(hint) is not Annotated:
            continue
        kind, *extras = get_args(hint)
        if any(isinstance(extra, OptionInfo) and "--format" in declared(extra) for extra in extras):
            if get_origin(kind) in (Union, UnionType):  # `Format | None`: chosen from -o otherwise
                kind = next(arg for arg in get_args(kind) if arg is not type(None))
            assert issubclass(kind, Enum), handler.__name__
            return {str(member.value) for member in kind}
    return None


CHOICES = {name: format_choices(handler) for name, handler in commands(app)}


def test_every_format_choice_is_a_renderer_and_every_renderer_a_choice() -> None:
    with_format = {name for name, choices in CHOICES.items() if choices is not None}
    assert with_format == set(TABLES), "a command with --format needs its renderers in TABLES"
    for name, table in TABLES.items():
        assert isinstance(table, dict)
        assert CHOICES[name] == set(table), name


def test_a_command_without_format_renders_text_only() -> None:
    assert CHOICES["report annual"] is None and set(summary.RENDERERS) == {"text"}
