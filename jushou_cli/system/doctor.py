"""`jushou doctor`: is this machine able to run the toolkit? Each check says "ok" or what to run.

The Japanese-font check renders a line of Japanese with WeasyPrint and reads which font was
embedded: without a Japanese font WeasyPrint raises no error and prints tofu (STACK.md), so
asking fontconfig alone is not enough.
"""

from __future__ import annotations

import ctypes.util
import shutil
import subprocess
import sys
from collections.abc import Callable
from dataclasses import dataclass
from importlib import metadata

from jushou_cli.system import platform
from jushou_cli.system.fonts import APT_FONT, JAPANESE_FONTS, embedded_fonts, japanese_embedded, label

# Every package jushou imports (pyproject's dependencies), by their names on PyPI.
PACKAGES = (
    "typer",
    "rich",
    "ruamel.yaml",
    "PyYAML",
    "Jinja2",
    "weasyprint",
    "jsonschema",
    "jsonschema-rs",
    "openpyxl",
    "filelock",
    "platformdirs",
    "pyrage",
)


@dataclass(frozen=True, slots=True)
class Finding:
    name: str
    ok: bool
    detail: str
    fix: str = ""
    required: bool = True


def repository_templates(own: list[tuple[str, bool]]) -> Finding:
    """The repository's own templates (store/templates.repository_templates): rendered in a
    sandbox, but what every office prints; listed so that a changed one is noticed."""
    if not own:
        return Finding(
            "リポジトリのテンプレート", True, "標準のまま（templates/ はありません）", required=False
        )
    names = "、".join(f"templates/{name}" for name, _ in own)
    return Finding(
        "リポジトリのテンプレート",
        True,
        f"{len(own)} 個あります: {names}",
        "サンドボックス内で描画されます。意図した変更かは git log -p templates/ で確かめられます",
        required=False,
    )


def _python() -> Finding:
    v = sys.version_info
    ok = v >= (3, 11)
    return Finding(
        "Python", ok, f"{v.major}.{v.minor}.{v.micro}", "" if ok else "Python 3.11 以上を入れてください"
    )


def _packages() -> list[Finding]:
    found = []
    for name in PACKAGES:
        try:
            found.append(Finding(name, True, metadata.version(name)))
        except metadata.PackageNotFoundError:
            found.append(Finding(name, False, "ありません", f"pip install {name}"))
    return found


@dataclass(frozen=True, slots=True)
class Fixes:
    """What to run for one missing piece, on each system `doctor` can meet."""

    debian: str
    windows: str
    macos: str
    other: str

    def here(self) -> str:
        if platform.is_windows():
            return self.windows
        if platform.is_macos():
            return self.macos
        return self.debian if platform.linux_family() == "debian" else self.other


HTML_FALLBACK = (
    "入れられないときは jushou handout --format html / jushou agenda -o 次第.html で HTML を作り、"
    "ブラウザー（Edge）で開いて印刷してください"
)
PANGO = Fixes(
    debian="sudo apt-get install libpango-1.0-0 libpangoft2-1.0-0",
    windows=(
        "WeasyPrint には GTK の Pango が要ります: MSYS2（https://www.msys2.org）を入れ、MSYS2 の画面で "
        "pacman -S mingw-w64-x86_64-pango を実行し、PowerShell で "
        "$env:WEASYPRINT_DLL_DIRECTORIES = 'C:\\msys64\\mingw64\\bin' を設定します"
        f"。{HTML_FALLBACK}"
    ),
    macos="brew install pango",
    other="お使いの Linux のパッケージ管理で Pango（libpango と libpangoft2）を入れてください",
)
HARFBUZZ = Fixes(
    debian="sudo apt-get install libharfbuzz-subset0",
    windows="MSYS2 の画面で pacman -S mingw-w64-x86_64-harfbuzz（Pango と一緒に入っていることが多い）",
    macos="brew install harfbuzz",
    other="お使いの Linux のパッケージ管理で harfbuzz（libharfbuzz-subset）を入れてください",
)
GIT = Fixes(
    debian="sudo apt-get install git",
    windows="Git for Windows（https://gitforwindows.org）を入れ、PowerShell を開き直してください",
    macos="xcode-select --install（または brew install git）",
    other="お使いの Linux のパッケージ管理で git を入れてください",
)
LIBYAML = Fixes(
    debian="sudo apt-get install libyaml-dev のあと pip install --force-reinstall PyYAML",
    windows="pip install --force-reinstall PyYAML（Windows 用の PyYAML は C パーサー入りで配られています）",
    macos="brew install libyaml のあと pip install --force-reinstall PyYAML",
    other="libyaml の開発用パッケージを入れたあと pip install --force-reinstall PyYAML",
)


def font_fixes() -> Fixes:
    font = label(JAPANESE_FONTS[0])
    return Fixes(
        debian=f"sudo apt-get install {APT_FONT}（{font}）",
        windows=(
            f"{font} は Windows 10 以降に入っています。ないときは 設定 → 時刻と言語 → 言語 → 日本語 → "
            "オプション で「日本語 補助フォント」を追加してください"
        ),
        macos=f"brew install --cask font-biz-udpgothic（{font}）",
        other=f"{font}（{JAPANESE_FONTS[0]}）か IPAex ゴシックを、Linux のパッケージ管理で入れてください",
    )


def _libyaml() -> Finding:
    import yaml

    ok = bool(getattr(yaml, "__with_libyaml__", False))
    return Finding(
        "libyaml (PyYAML の C パーサー)",
        ok,
        "使えます" if ok else "ありません（約8倍遅くなります）",
        "" if ok else LIBYAML.here(),
        required=False,
    )


def _weasyprint() -> Finding:
    try:
        import weasyprint
    except (OSError, ImportError) as exc:
        return Finding(
            "WeasyPrint と Pango",
            False,
            f"読み込めません: {exc}",
            PANGO.here(),
        )
    return Finding("WeasyPrint と Pango", True, f"WeasyPrint {weasyprint.__version__}")


def _harfbuzz_subset() -> Finding:
    ok = ctypes.util.find_library("harfbuzz-subset") is not None
    return Finding(
        "libharfbuzz-subset",
        ok,
        "あります" if ok else "ありません（PDF のフォント埋め込みが約2.6倍遅くなります）",
        "" if ok else HARFBUZZ.here(),
        required=False,
    )


def _japanese_font() -> Finding:
    fix = font_fixes().here()
    try:
        from weasyprint import HTML
    except (OSError, ImportError):
        return Finding("日本語フォント", False, "WeasyPrint が使えないため確かめられません", fix)
    # The families in single quotes: double ones would end the style attribute, and the line
    # would then be drawn in fontconfig's default sans-serif, which is not what a PDF embeds.
    families = ", ".join(f"'{f}'" for f in JAPANESE_FONTS)
    html = f'<html style="font-family: {families}, sans-serif"><p>重層的支援会議 令和6年度</p></html>'
    pdf = HTML(string=html).write_pdf() or b""
    used = embedded_fonts(pdf)
    real = japanese_embedded(pdf)
    if real:
        names = ", ".join(dict.fromkeys(label(name) for name in real))
        return Finding("日本語フォント", True, f"PDF に {names} が埋め込まれます")
    return Finding(
        "日本語フォント",
        False,
        f"日本語フォントがありません（埋め込まれたのは {', '.join(used) or 'なし'}。文字が□になります）",
        fix,
    )


def _git() -> Finding:
    path = shutil.which("git")
    if path is None:
        return Finding("git", False, "ありません", GIT.here())
    out = subprocess.run(
        [path, "--version"], capture_output=True, text=True, encoding="utf-8", errors="replace", check=False
    ).stdout
    return Finding("git", True, out.strip())


CHECKS: tuple[Callable[[], Finding | list[Finding]], ...] = (
    _python,
    _packages,
    _libyaml,
    _weasyprint,
    _harfbuzz_subset,
    _japanese_font,
    _git,
)


def diagnose() -> list[Finding]:
    found: list[Finding] = []
    for check in CHECKS:
        result = check()
        found += result if isinstance(result, list) else [result]
    return found
