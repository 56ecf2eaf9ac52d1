"""J9xx: personal data at rest — what `encryption:` in jushou.yaml asks for (docs/privacy.md)."""

from __future__ import annotations

from jushou_cli.model.diagnostics import Problem, Severity

PLAIN_PERSONAL = Problem(
    "J901",
    "暗号化するリポジトリ（encryption: true）に、平文の個人情報 {field} があります "
    "(personal value in plain text)",
    "jushou encrypt で暗号化してください（暗号化した記録に書き足したときは jushou keys rotate）",
    Severity.WARNING,
)
PLAIN_PERSONAL_REQUIRED = Problem(
    "J901",
    "暗号化が必須のリポジトリ（encryption: required）に、平文の個人情報 {field} があります "
    "(personal value in plain text)",
    "jushou encrypt で暗号化してください（暗号化した記録に書き足したときは jushou keys rotate）",
)
SEALED_UNREADABLE = Problem(
    "J902",
    "暗号化した個人情報を開けません: {why} (sealed value cannot be opened)",
    "鍵を持つ人に jushou keys rotate を頼むか、鍵置き場（.jushou/keys/）を確かめてください"
    "（docs/privacy.md）",
)
