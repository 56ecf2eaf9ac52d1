"""HTML → PDF/A-3b with WeasyPrint, carrying the figures' JSON inside the PDF (PDF/A-3 allows
attached data), and a check that a Japanese font was really embedded: without one WeasyPrint
raises no error and prints tofu boxes (STACK.md), which no town office can file."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from jushou_cli.system import fonts
from jushou_cli.system.fonts import APT_FONT


class PdfUnavailable(Exception):
    """No usable PDF could be made here (WeasyPrint or a Japanese font missing); the message is
    Japanese and says what to install."""


@dataclass(frozen=True, slots=True)
class AttachedFile:
    name: str
    data: bytes
    description: str


def render(html: str, base: Path, attachments: list[AttachedFile], made: datetime) -> bytes:
    try:
        import weasyprint
    except (OSError, ImportError) as exc:
        raise PdfUnavailable(
            f"WeasyPrint を読み込めません（{exc}）。"
            "sudo apt-get install libpango-1.0-0 libpangoft2-1.0-0 を実行し、jushou doctor で確かめてください"
        ) from None
    files = [
        weasyprint.Attachment(
            string=a.data,
            name=a.name,
            description=a.description,
            created=made,
            modified=made,
            relationship="Data",
        )
        for a in attachments
    ]
    document = weasyprint.HTML(string=html, base_url=str(base))
    try:
        pdf: bytes = document.write_pdf(pdf_variant="pdf/a-3b", attachments=files) or b""
    except OSError as exc:  # a library or font file that Pango/fontconfig could not open
        raise PdfUnavailable(f"WeasyPrint が PDF を作れませんでした（{exc}）") from None
    if not fonts.japanese_embedded(pdf):
        raise PdfUnavailable(
            "日本語フォントがないため、PDF の文字が□になります（埋め込まれたフォント: "
            f"{', '.join(fonts.embedded_fonts(pdf)) or 'なし'}）。"
            f"sudo apt-get install {APT_FONT} で BIZ UDPゴシックを入れてください"
        )
    return pdf
