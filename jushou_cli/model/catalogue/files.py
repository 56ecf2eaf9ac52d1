"""The catalogue, J0xx: a file's bytes, its encoding and its YAML (load/source.py,
load/yamldoc.py, load/reading.py, load/plain.py)."""

from __future__ import annotations

from jushou_cli.model.diagnostics import Problem

_RESAVE_AS_UTF8 = "エディタで文字コードを「UTF-8」にして保存し直してください"
_NO_ALIASES = "アンカー (&) とエイリアス (*) を使わずに書いてください"
_CHECK_SYNTAX = "示された行とその前の行の字下げ・括弧・引用符・コロンを確かめてください"

# --- encoding (source.decode) -----------------------------------------------------------------

UTF16 = Problem("J001", "ファイルが UTF-16 で保存されています (file is UTF-16, not UTF-8)", _RESAVE_AS_UTF8)
SHIFT_JIS = Problem(
    "J001",
    "ファイルが Shift_JIS (CP932) で保存されています (file is Shift_JIS/CP932, not UTF-8)",
    "UTF-8 に変換してください: iconv -f CP932 -t UTF-8 元.yaml > 新.yaml "
    "（メモ帳なら「名前を付けて保存」で文字コード UTF-8 を選ぶ）",
)
NOT_UTF8 = Problem("J001", "UTF-8 として読めないバイトがあります (invalid UTF-8)", _RESAVE_AS_UTF8)

# --- line-level traps (source.scan_lines) -----------------------------------------------------

CONFLICT_MARKER = Problem(
    "J006",
    "git の競合マーカーが残っています (merge conflict marker)",
    "両方の内容を見比べて一つにまとめ、<<<<<<< ======= >>>>>>> の行を消してください",
)
TAB_INDENT = Problem(
    "J004",
    "字下げにタブ文字が使われています (tab in indentation)",
    "YAML の字下げは半角スペースだけです。タブを半角スペース2つにしてください",
)
IDEOGRAPHIC_SPACE_INDENT = Problem(
    "J014",
    "字下げに全角スペースが使われています (U+3000 in indentation)",
    "字下げは半角スペースで書いてください",
)
FULLWIDTH_COLON = Problem(
    "J015",
    "キー「{key}」の後ろが全角のコロン「：」です (full-width colon)",
    "半角のコロンと空白にしてください: {key}: …",
)
YAML11_DIRECTIVE = Problem(
    "J011",
    "%YAML 1.1 の指定があります (YAML 1.1 directive)",
    "この行を消してください。jushou は YAML 1.2 として読みます"
    "（YAML 1.1 では no が偽、0123 が8進数になるなど意味が変わります）",
)

# --- YAML (yamldoc.parse) ---------------------------------------------------------------------

# `gist` is the Japanese reading of the parser's problem (yamldoc._PROBLEMS_JA), `problem` the
# parser's own words.
SYNTAX_ERROR = Problem("J003", "YAML の構文エラー: {gist} ({problem})", _CHECK_SYNTAX)
SEVERAL_DOCUMENTS = Problem("J016", "YAML の構文エラー: {gist} ({problem})", _CHECK_SYNTAX)
UNREADABLE_YAML = Problem(
    "J003",
    "YAML として読めません ({error})",
    "制御文字などの見えない文字が含まれていないか確かめてください",
)
EMPTY_FILE = Problem(
    "J007", "ファイルが空です (empty file)", "中身を書くか、不要ならファイルを消してください"
)
ALIAS_TOO_LARGE = Problem(
    "J017", "エイリアスの展開が大きすぎるか深すぎます (alias expansion too large)", _NO_ALIASES
)
RECURSIVE_ALIAS = Problem("J017", "エイリアスが自分自身を参照しています (recursive alias)", _NO_ALIASES)
COMPLEX_KEY = Problem(
    "J003", "キーに複合値は使えません (complex mapping key)", "キーは英字の名前だけにしてください"
)
DUPLICATE_KEY = Problem(
    "J005",
    "キー「{key}」が重複しています (duplicate key)",
    "{first}行目にも同じキーがあります。どちらか一つにまとめてください",
)
EXPLICIT_TAG = Problem(
    "J017",
    "YAML のタグ「{tag}」は使えません (explicit tag)",
    "タグ (!!int など) を消し、値だけを書いてください",
)
YAML11_BOOLEAN = Problem(
    "J012",
    "「{text}」は YAML 1.1 の真偽値で、読み手によって意味が変わります (ambiguous yes/no)",
    '真偽値なら true / false と書き、文字なら引用符で囲んでください: "{text}"',
)
LEADING_ZERO = Problem(
    "J013",
    "「{text}」は先頭が0の数字で、数として読まれると0が消えます (leading zero)",
    '文字として書くなら引用符で囲んでください: "{text}"',
)

# --- the document (reading.read_document) -----------------------------------------------------

NOT_A_MAPPING = Problem(
    "J008",
    "ファイルの中身が「キー: 値」の形になっていません (not a mapping)",
    "1行目を kind: … とし、その下に「キー: 値」を並べてください",
)
MISSING_KIND = Problem(
    "J009",
    "kind がありません (missing kind)",
    "1行目に kind: case などと書いてください（使える値: {kinds}）",
)
UNKNOWN_KIND_NEAR = Problem(
    "J010", "kind「{kind}」は知らない種類です (unknown kind)", "「{near}」のことですか？"
)
UNKNOWN_KIND = Problem("J010", "kind「{kind}」は知らない種類です (unknown kind)", "使える値: {kinds}")

# --- the file itself (plain.load) -------------------------------------------------------------

UNREADABLE_FILE = Problem(
    "J018", "ファイルを読めません: {reason} (unreadable)", "ファイルの権限と場所を確かめてください"
)
NUMBER_TOO_LONG = Problem(
    "J019",
    "{digits} 桁の数字は数として読めません: {head}… (number too long)",
    "誤って貼り付けたものでなければ、引用符で囲んで文字として書いてください",
)
NOT_A_RECORD_FILE = Problem(
    "J020",
    "{what}なので読み込みません (not a regular file)",
    "記録は通常の YAML ファイルとしてここに置いてください（リンク・パイプ・デバイスは読みません）",
)
LINK_LEADS_OUT = Problem(
    "J020",
    "リポジトリの外を指すシンボリックリンクなので読み込みません (symlink leaving the repository)",
    "リンクを消し、記録のファイルそのものをここに置いてください",
)
FILE_TOO_LARGE = Problem(
    "J021",
    "{what}なので読み込みません (file too large)",
    "一件の記録は一つの小さなファイルです。中身を確かめ、貼り付けすぎた部分を消してください",
)
