"""The catalogue, J4xx–J6xx: the domain rules (checks/consent.py, checks/mandatory.py,
checks/chronology.py). Dates are passed as 和暦 (model/dates.wareki)."""

from __future__ import annotations

from jushou_cli.model.diagnostics import Problem, Severity

# --- consent and meetings (J4xx) --------------------------------------------------------------

_SUPPORT_MEETING = "本人同意がない・範囲外のケースは、支援会議（type: support_meeting）として開催してください"
NO_CONSENT = Problem("J401", "{case} には {date} 時点で本人同意がありません (no consent)", _SUPPORT_MEETING)
CONSENT_WITHDRAWN = Problem(
    "J402", "{case} の本人同意は {date} に撤回されています (consent withdrawn)", _SUPPORT_MEETING
)
CONSENT_EXPIRED = Problem(
    "J403",
    "{case} の本人同意は {date} で期限が切れています (consent expired)",
    "同意を取り直して consent に追記するか、" + _SUPPORT_MEETING,
)
OUTSIDE_CONSENT_SCOPE = Problem(
    "J404",
    "{member}（{organization}）は {case} の本人同意の範囲外です (attendee outside consent scope)",
    "その人をこの議題の attendees から外すか、本人の了解を得て同意の scope に機関を"
    "加えてから開催してください。" + _SUPPORT_MEETING,
)
SUPPORT_CLOSURE_WITH_CONSENT = Problem(
    "J405",
    "{case} には会議の日（{date}）に有効な本人同意があるため、{what}は重層的支援会議で決めます "
    "(support-meeting closure of a case with consent)",
    "重層的支援会議（type: multilayer_meeting）の議題に case: {case}、timing: {timing} を記録してください。"
    "支援会議で終結・中断を決められるのは、本人同意が有効でないケースだけです",
)
CONCERN_OUTSIDE_SUPPORT_MEETING = Problem(
    "J406",
    "気になる事案 (concern) は支援会議でだけ検討できます (concern outside a support meeting)",
    "ケースになっていない人の情報共有は支援会議（type: support_meeting、社会福祉法第106条の6）"
    "で行ってください",
)
PERSONAL_KEY_IN_CONCERN = Problem(
    "J407",
    "気になる事案に個人情報のキー「{key}」があります (personal key in a concern)",
    "このキーを消し、仮名 (pseudonym) だけで記録してください。ケースとして支援するときは"
    " jushou new case --concern で開きます",
)
NO_PLEDGE = Problem(
    "J410",
    "{name}（{member}）は支援会議の守秘義務の誓約日 (pledge_date) がありません "
    "(member without confidentiality pledge)",
    "members.yaml の pledge_date に誓約日を記録してください（社会福祉法第106条の6）",
    Severity.WARNING,
)

# --- mandatory meetings (J5xx) ----------------------------------------------------------------

_HOLD = "重層的支援会議（status: held、type: multilayer_meeting）の items に case: {case}、timing: "
_NOT_COUNTED = " を記録してください。中止・予定の会議は数えません"
_ON_TIME = "次のプランからは期限内に会議を開いてください（jushou due で期限が分かります）"
PLAN_MEETING_OVERDUE = Problem(
    "J501",
    "{case} のプラン策定の重層的支援会議が期限 {due} までに開かれていません (mandatory plan meeting overdue)",
    _HOLD + "plan_creation、plan_version: 1" + _NOT_COUNTED,
)
REPLAN_MEETING_OVERDUE = Problem(
    "J501",
    "{case} の再プラン（第{version}版）の重層的支援会議が期限 {due} までに開かれていません "
    "(mandatory plan meeting overdue)",
    _HOLD + "replan、plan_version: {version}" + _NOT_COUNTED,
)
PLAN_MEETING_LATE = Problem(
    "J502",
    "プラン策定の重層的支援会議 {meeting} は期限 {due} より後に開かれました"
    "（プラン作成から{days}日以内） (plan meeting held late)",
    _ON_TIME,
    Severity.WARNING,
)
REPLAN_MEETING_LATE = Problem(
    "J502",
    "再プラン（第{version}版）の重層的支援会議 {meeting} は期限 {due} より後に開かれました"
    "（プラン作成から{days}日以内） (plan meeting held late)",
    _ON_TIME,
    Severity.WARNING,
)
NO_CLOSURE_MEETING = Problem(
    "J503",
    "終結（{date}）の前に、終結を決める重層的支援会議がありません (no closure meeting)",
    _HOLD + "closure" + _NOT_COUNTED,
)
NO_SUSPENSION_MEETING = Problem(
    "J504",
    "中断（{date}）の前に、中断を決める重層的支援会議がありません (no suspension meeting)",
    _HOLD + "suspension" + _NOT_COUNTED,
)
TOO_FEW_FAILED_CONTACTS = Problem(
    "J505",
    "{case} の中断を決めた会議の前の{days}日間に、連絡が取れなかった記録が{count}件しかありません"
    "（{needed}件以上必要） "
    "(too few failed contact attempts before suspension)",
    "訪問・電話などの記録に contact: failed を付けて残してください。"
    "連絡が完全に途絶えたときだけ中断にできます",
)
CLOSURE_WITHOUT_EVALUATION = Problem(
    "J506",
    "プラン第{version}版（{plan_date}）の後の評価がないまま終結しています (closure without evaluation)",
    "終結の前に評価シートで目標の達成を確かめてください（jushou new sheet evaluation {case}）",
    Severity.WARNING,
)

# --- chronology (J6xx) ------------------------------------------------------------------------

ASSESSMENT_BEFORE_INTAKE = Problem(
    "J601",
    "アセスメント日 {date} が受付日 {intake} より前です (assessment before intake)",
    "date か受付日 (intake.date) を確かめてください",
)
_ASSESS_FIRST = "プランはアセスメントの後に作ります"
PLAN_BEFORE_ASSESSMENT = Problem(
    "J602",
    "プラン第1版の日付 {date} がアセスメント日 {assessed} より前です (plan before assessment)",
    _ASSESS_FIRST,
)
PLAN_BEFORE_INTAKE = Problem(
    "J602", "プラン第1版の日付 {date} が受付日 {intake} より前です (plan before assessment)", _ASSESS_FIRST
)
PLAN_VERSIONS_OUT_OF_ORDER = Problem(
    "J603",
    "プラン第{version}版の日付 {date} が第{previous}版 ({previous_date}) より後ではありません "
    "(plan versions out of order)",
    "版の番号と日付の順を揃えてください",
)
CLOSURE_BEFORE_INTAKE = Problem(
    "J604", "終結日 {date} が受付日 {intake} より前です (closure before intake)", "日付を確かめてください"
)
SUSPENSION_BEFORE_INTAKE = Problem(
    "J604", "中断日 {date} が受付日 {intake} より前です (suspension before intake)", "日付を確かめてください"
)
HELD_IN_FUTURE = Problem(
    "J605",
    "{date} の会議が「開催済み (held)」になっています (held in the future)",
    "これからの会議は status: planned にしてください",
)
MONITORING_NOT_AFTER_PLAN = Problem(
    "J606",
    "モニタリング時期 {date} がプランの日付より後ではありません (monitoring not after plan)",
    "モニタリングの予定日を確かめてください",
)
MISSING_PLAN_VERSION = Problem(
    "J607",
    "プラン第{version}版の前に第{missing}版がありません (missing plan version)",
    "version は 1 から順に付けます",
)
REOPENED_BEFORE_ENDING = Problem(
    "J609",
    "再開日 {date} より前に終結も中断もありません (reopened before any ending)",
    "再開 (reopened) は終結・中断した後に記録します。日付か closure / suspension を確かめてください",
)
MEETING_UNRECORDED = Problem(
    "J608",
    "{date} の会議が「予定 (planned)」のままです (past meeting still planned)",
    "開いたなら jushou meeting held {meeting}、開かなかったなら jushou meeting cancel {meeting} --reason …"
    " で記録してください",
    Severity.WARNING,
)
