"""The law's rules that jushou enforces beyond the schemas (RECORDS.md rules 1–7), in the words a
coordinator reads them: a refusal names its rule by what it says, never by a number alone, and
`jushou help rules` lists them all (the coordinator has the command, not RECORDS.md)."""

from __future__ import annotations

RULES: dict[int, str] = {
    1: "参照はすべて実在の ID を指し、ID は重複せず、ファイルの置き場所は ID・種類・日付と合っている",
    2: "本人同意のない事例は重層的支援会議にかけられない（出席する機関も同意の範囲内に限る）",
    3: "支援会議はどの事例も検討できる（守秘義務の誓約日のない出席者は警告）",
    4: "プラン・再プランは、作成から決められた日数のうちに重層的支援会議にかける",
    5: "終結・中断は、それを決める重層的支援会議（本人同意のない事例は支援会議）のあとにだけできる"
    "（中断はその前に連絡不通の記録が要る）",
    6: "日付は順序どおり（受付 ≤ アセスメント ≤ プラン、未来の日付の会議は開催済みにできない）",
    7: "中止した会議はどの要件も満たさない",
}
WHERE = "規則の一覧: jushou help rules"


def named(number: int) -> str:
    """規則2（本人同意のない事例は重層的支援会議にかけられない…）"""
    return f"規則{number}（{RULES[number]}）"
