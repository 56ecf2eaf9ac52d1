"""The catalogue, J2xx–J3xx: references and ids across the repository (checks/references.py),
and where files sit (checks/paths.py, load/layout.py)."""

from __future__ import annotations

from jushou_cli.model.diagnostics import Problem, Severity

# --- references (J2xx) ------------------------------------------------------------------------

UNKNOWN_CASE = Problem(
    "J201",
    "ケース「{id}」が見つかりません (unknown reference)",
    "cases/ にそのケースがあるか、ID の書き間違いがないか確かめてください",
)
UNKNOWN_MEMBER = Problem(
    "J202",
    "職員・構成員「{id}」が見つかりません (unknown reference)",
    "members.yaml の id を書くか、members.yaml に追加してください",
)
UNKNOWN_ORGANIZATION = Problem(
    "J203",
    "機関「{id}」が見つかりません (unknown reference)",
    "organizations.yaml の id を書くか、organizations.yaml に追加してください",
)
UNKNOWN_RESOURCE = Problem(
    "J204",
    "社会資源「{id}」が見つかりません (unknown reference)",
    "resources.yaml の id を書くか、resources.yaml に追加してください",
)
UNKNOWN_REFERRAL = Problem(
    "J205",
    "つなぐシート「{id}」が見つかりません (unknown reference)",
    "referrals/<年度>/ にそのつなぐシートがあるか確かめてください",
)
UNKNOWN_GOAL = Problem(
    "J206", "目標「{goal}」がこのプランにありません (unknown goal)", "goals: の id（g1 など）を書いてください"
)
UNKNOWN_GOAL_EVALUATED = Problem(
    "J206", "目標「{goal}」がプラン第{version}版にありません (unknown goal)", "プランの目標: {goals}"
)
UNKNOWN_PLAN_VERSION_EVALUATED = Problem(
    "J207",
    "このケースにプラン第{version}版がありません (unknown plan version)",
    "評価したプランの version を書いてください",
)
UNKNOWN_PLAN_VERSION_DISCUSSED = Problem(
    "J207",
    "{case} にプラン第{version}版がありません (unknown plan version)",
    "検討したプランの version を書いてください",
)

# `label`: what kind of record the id names (ケース, 会議 …); the first holder of the id is in
# another file, or in the same one at `first_line`.
_RENUMBER = "片方の id を変えてください（jushou renumber 旧ID 新ID で参照ごと直せます）"
DUPLICATE_ID = Problem("J208", "{label}の id「{id}」が {file} と重複しています (duplicate id)", _RENUMBER)
DUPLICATE_ID_IN_FILE = Problem(
    "J208", "{label}の id「{id}」が {first_line}行目 と重複しています (duplicate id)", _RENUMBER
)
DUPLICATE_PLAN_VERSION = Problem(
    "J208",
    "プランの版 {version} が {file} と重複しています (duplicate plan version)",
    "再プランなら version を次の番号にしてください",
)
DUPLICATE_GOAL_ID = Problem(
    "J208",
    "目標の id「{goal}」が重複しています (duplicate goal id)",
    "目標ごとに g1, g2 … と別の id を付けてください",
)
ITEM_ATTENDEE_ABSENT = Problem(
    "J210",
    "「{member}」は会議の attendees にいません (item attendee not at the meeting)",
    "会議全体の attendees にも加えてください",
    Severity.WARNING,
)
UNKNOWN_CONCERN = Problem(
    "J211",
    "気になる事案「{ref}」が見つかりません (unknown concern)",
    "会議ID#議題番号（1から）で、支援会議の concern: のある議題を指してください（例 M2026-0010#1）",
)
CONCERN_CASE_DISAGREES = Problem(
    "J212",
    "気になる事案 {ref} の議題の case が「{item_case}」で、このケース {case} と食い違います "
    "(concern and case disagree)",
    "会議 {meeting} の{number}番目の議題に case: {case} と書くか、intake.concern を直してください",
)
CONCERN_WITHOUT_CASE = Problem(
    "J212",
    "気になる事案 {ref} の議題に case がありません（このケース {case} が開かれた事案です） "
    "(concern and case disagree)",
    "会議 {meeting} の{number}番目の議題に case: {case} を書いてください",
)

UNKNOWN_AREA = Problem(
    "J220",
    "圏域「{id}」が areas.yaml にありません (unknown area)",
    "areas.yaml の id を書くか、areas.yaml に圏域を追加してください。使える圏域: {areas}",
)

# --- where files sit (J3xx) -------------------------------------------------------------------

_LAYOUT = (
    "置き場所は cases/<ケースID>/case.yaml、cases/<ケースID>/sheets/<日付>-<種類>.yaml、"
    "cases/<ケースID>/records/<日付>-<種別>.yaml、records/<年度>/…、referrals/<年度>/…、"
    "meetings/<年度>/<会議ID>.yaml、community/<年度>/<日付>-<種類>.yaml、trainings/<年度>/<日付>.yaml です"
)
CASE_ID_NOT_FOLDER = Problem(
    "J301",
    "id「{id}」がフォルダ名「{folder}」と違います (id/path mismatch)",
    "フォルダ名と id を同じにしてください（jushou はフォルダ名 {folder} で探します）",
)
ID_NOT_FILE_NAME = Problem(
    "J301",
    "id「{id}」がファイル名「{stem}」と違います (id/path mismatch)",
    "ファイル名を {id}.yaml にするか、id を直してください",
)
PROPOSAL_NOT_FILE_NAME = Problem(
    "J301",
    "referral「{referral}」がファイル名「{stem}」と合いません (path mismatch)",
    "ファイル名は {referral}-proposal.yaml です",
)
# `expected`: the kinds the location takes, joined by " / ".
KIND_NOT_LOCATION = Problem(
    "J302",
    "この場所には kind: {expected} を置きます（このファイルは {kind}） (kind does not match location)",
    _LAYOUT,
)
KIND_NOT_FILE_NAME = Problem(
    "J302",
    "ファイル名の「{named}」と kind: {kind} が違います (kind/path mismatch)",
    "ファイル名を {date}-{kind}.yaml にするか kind を直してください",
)
DATE_NOT_FILE_NAME = Problem(
    "J303",
    "ファイル名の日付 {named} と date: {date} が違います (date/path mismatch)",
    "ファイル名を {date}-{what}.yaml にするか date を直してください",
)
TYPE_NOT_FILE_NAME = Problem(
    "J304",
    "ファイル名の「{named}」と type: {type} が違います (type/path mismatch)",
    "ファイル名を {date}-{type}.yaml にするか type を直してください",
)
DATE_NOT_TRAINING_FILE_NAME = Problem(
    "J303",
    "ファイル名の日付 {named} と date: {date} が違います (date/path mismatch)",
    "ファイル名を {date}.yaml にするか date を直してください",
)
FISCAL_YEAR_FOLDER = Problem(
    "J305",
    "{date} は {year} 年度ですが、フォルダは {folder} です (fiscal-year folder mismatch)",
    "{top}/{year}/ に移してください（年度は4月1日〜3月31日）",
)
OUTSIDE_LAYOUT = Problem(
    "J306", "このファイルは決められた場所にありません (file outside the layout)", _LAYOUT
)
BAD_RECORD_FILE_NAME = Problem(
    "J306",
    "ファイル名「{name}」が <日付>-<種別>[-番号].yaml の形ではありません (bad file name)",
    "例: {date}-{what}.yaml",
)
BAD_SHEET_FILE_NAME = Problem(
    "J306",
    "ファイル名「{name}」が <日付>-<種類>[-番号].yaml の形ではありません (bad file name)",
    "例: {date}-{what}.yaml",
)
BAD_TRAINING_FILE_NAME = Problem(
    "J306",
    "ファイル名「{name}」が <日付>[-番号].yaml の形ではありません (bad file name)",
    "例: {date}.yaml（同じ日に2回目なら {date}-2.yaml）",
)
STRAY_TEMP_FILE = Problem(
    "J310",
    "書き込みの途中で止まった jushou の一時ファイルが残っています (stray temporary file)",
    "次に jushou で書き込むと片付きます。急ぐなら中身を確かめてから消してください",
    Severity.WARNING,
)
LINKED_FOLDER = Problem(
    "J311",
    "シンボリックリンクのフォルダなので読み込みません (linked folder)",
    "リンクを消し、フォルダそのものをここに置いてください",
)
OWN_TEMPLATE = Problem(
    "J312",
    "このリポジトリのテンプレートが jushou の標準のテンプレートを置き換えています (own template)",
    "意図した変更か確かめてください（git log -p で誰がいつ変えたかわかります）。"
    "テンプレートは渡された値を並べることしかできません",
    Severity.WARNING,
)
EXTRA_TEMPLATE = Problem(
    "J312",
    "標準のテンプレートにない名前のテンプレートです。ほかのテンプレートから読み込まれたときだけ使われます "
    "(own template)",
    "要らなければ消してください",
    Severity.WARNING,
)
YML_EXTENSION = Problem(
    "J306",
    "拡張子が .yml のため読み込まれていません (not loaded: .yml)",
    "拡張子を .yaml にしてください",
    Severity.WARNING,
)
NO_CONFIG = Problem(
    "J307", "jushou.yaml が読めません (no config)", "jushou.yaml に kind: config と town: を書いてください"
)
REGISTRY_MISSING = Problem(
    "J307",
    "{name} がないか読めません (registry missing)",
    "{name} を作ってください（kind: {kind}）。これがないと参照を確かめられません",
)
ID_FISCAL_YEAR = Problem(
    "J308",
    "id「{id}」の年度 {id_year} と日付の年度 {year} が違います (id fiscal year differs from the date)",
    "id は出来事の年度で振ります。jushou new で作ると自動で合います",
    Severity.WARNING,
)
SHEET_WITHOUT_CASE = Problem(
    "J309",
    "cases/{case}/ に case.yaml がありません (sheet without its case)",
    "cases/{case}/case.yaml を作るか、正しいケースのフォルダに移してください",
)
# The schema cannot see where a file sits: a stand-alone record must say whose it is.
RECORD_WITHOUT_ORGANIZATION = Problem(
    "J101",
    "必須の項目 organization（実施機関）がありません（ケースに属さない記録） (missing required key)",
    "「organization: …」を書き足してください（organizations.yaml の id）",
)
