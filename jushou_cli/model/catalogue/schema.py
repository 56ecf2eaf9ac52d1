"""The catalogue, J1xx: a document against its JSON Schema (load/schema.py). `name` is always
the field's display name (model/contract.field_name)."""

from __future__ import annotations

from jushou_cli.model.diagnostics import Problem

MISSING_KEY = Problem(
    "J101", "必須の項目 {name} がありません (missing required key)", "「{key}: …」を書き足してください"
)

# An unknown key at the top of the document, or within `parent`; with the known key it is
# probably a misspelling of (`near`), or with the keys that may be written (`known`).
_UNKNOWN_KEY = "「{key}」という項目はありません (unknown key)"
_UNKNOWN_KEY_IN = "{parent} に「{key}」という項目はありません (unknown key)"
_MISSPELT = "「{near}」の書き間違いではありませんか？"
_KNOWN_KEYS = "書ける項目: {known}"
UNKNOWN_KEY_MISSPELT = Problem("J102", _UNKNOWN_KEY, _MISSPELT)
UNKNOWN_KEY = Problem("J102", _UNKNOWN_KEY, _KNOWN_KEYS)
UNKNOWN_KEY_IN_MISSPELT = Problem("J102", _UNKNOWN_KEY_IN, _MISSPELT)
UNKNOWN_KEY_IN = Problem("J102", _UNKNOWN_KEY_IN, _KNOWN_KEYS)

# `want` and `got` are type names in Japanese (schema._TYPE_JA).
_WRONG_TYPE = "{name} は{want}で書きます（今は{got}） (wrong type)"
WRONG_TYPE = Problem("J103", _WRONG_TYPE)
WRONG_TYPE_NUMBER_FOR_TEXT = Problem(
    "J103", _WRONG_TYPE, '文字として書くなら引用符で囲んでください: "{value}"'
)
WRONG_TYPE_FOR_LIST = Problem("J103", _WRONG_TYPE, "リストは [a, b] か、行頭の「- 」で書きます")
WRONG_TYPE_BOOLEAN_FOR_TEXT = Problem("J103", _WRONG_TYPE, "文字として書くなら引用符で囲んでください")

# `codes`: the codes that may be written, with their labels.
_UNKNOWN_CODE = "{name} に「{value}」は使えません (unknown code)"
UNKNOWN_CODE = Problem("J104", _UNKNOWN_CODE, "使える値: {codes}")
UNKNOWN_CODE_NEAR = Problem("J104", _UNKNOWN_CODE, "「{near}」（{label}）のことですか？ 使える値: {codes}")
LABEL_FOR_CODE = Problem("J104", _UNKNOWN_CODE, "コードで書いてください: {code}")

# A date the writer meant (`meant`, ISO) written otherwise.
_WRITE_ISO = "ファイルには西暦の ISO 形式で書きます: {meant}"
ERA_DATE = Problem("J105", "{name} が和暦で書かれています: 「{text}」 (Japanese era date)", _WRITE_ISO)
FULLWIDTH_DATE = Problem(
    "J106", "{name} に全角の数字・記号が使われています: 「{text}」 (full-width digits)", _WRITE_ISO
)
NOT_ISO_DATE = Problem("J108", "{name} が日付の形式ではありません: 「{text}」 (not ISO)", _WRITE_ISO)

_CHECK_MONTH_DAY = "月と日を確かめてください"
NO_SUCH_DATE = Problem("J107", "{name}: {text} は存在しない日付です (no such date)", _CHECK_MONTH_DAY)
# `reason`: why the date as written does not exist (model/dates.DateError).
NO_SUCH_DATE_AS_WRITTEN = Problem("J107", "{name}: {reason} (no such date)", _CHECK_MONTH_DAY)
NOT_A_DATE = Problem(
    "J108",
    "{name} が日付の形式ではありません: 「{text}」 (not a date)",
    "日付は YYYY-MM-DD で書きます（例: 2024-05-15）",
)

_BAD_FORMAT = "{name} の形式が違います: 「{value}」 (bad format)"
BAD_FORMAT = Problem("J109", _BAD_FORMAT, "例: {example}")
BAD_FORMAT_PATTERN = Problem("J109", _BAD_FORMAT, "形式: {pattern}")

_COUNT_ITEMS = "項目の数を確かめてください"
TOO_FEW_ITEMS = Problem(
    "J110", "{name} は{limit}個以上必要です（今は{count}個） (wrong number of items)", _COUNT_ITEMS
)
TOO_MANY_ITEMS = Problem(
    "J110", "{name} は{limit}個以下必要です（今は{count}個） (wrong number of items)", _COUNT_ITEMS
)
WRONG_NUMBER_OF_ITEMS = Problem(
    "J110", "{name} はちょうど{limit}個必要です（今は{count}個） (wrong number of items)", _COUNT_ITEMS
)

# Community activities and trainings count people (`x-count`) and never name them
# (`x-no-personal`): a list of names where a number goes, or a key for a person, says so.
NOT_A_COUNT = Problem(
    "J112",
    "{name} は0以上の整数（人数）で書きます（今は{got}） (not a count)",
    "人数を数字だけで書いてください（例 23）。名前はこの記録には書きません",
)
PERSONAL_KEY_IN_COUNTS = Problem(
    "J113",
    "「{key}」: この記録には個人を特定する項目を書けません (personal key in a record that only counts)",
    "地域づくり活動・研修の記録は人数だけを数えます。{key} を消し、"
    "参加者は participants・attended に人数で書いてください",
)

OTHER_SCHEMA_ERROR = Problem(
    "J111",
    "{name}: 値が正しくありません (schema: {detail})",
    "スキーマ (schemas/) の説明を確かめてください",
)
