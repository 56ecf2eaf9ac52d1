"""Where the toolkit's own schemas and templates are: inside the installed package (the wheel
carries them as jushou_cli/schemas and jushou_cli/templates), or at the top of a source checkout."""

from __future__ import annotations

from pathlib import Path

_PACKAGE = Path(__file__).resolve().parent.parent  # jushou_cli/


def _find(name: str) -> Path:
    for candidate in (_PACKAGE / name, _PACKAGE.parent / name):
        if candidate.is_dir():
            return candidate
    raise FileNotFoundError(f"jushou の {name}/ が見つかりません（インストールが壊れています）")


def schemas_dir() -> Path:
    return _find("schemas")


def templates_dir() -> Path:
    return _find("templates")
