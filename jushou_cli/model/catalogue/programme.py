"""The catalogue, J8xx: the programme around the case — trainings (checks/programme.py) and the
year's targets (load/schema.py: a target's key is checked against the indicators the config
schema lists). Areas are references (J220, repository.py); a community activity's numbers and
keys are the schema's (J112, J113)."""

from __future__ import annotations

from jushou_cli.model.diagnostics import Problem, Severity

ATTENDED_OVER_INVITED = Problem(
    "J801",
    "出席者数 {attended} が対象者数 {invited} を超えています (attended > invited)",
    "attended と invited を確かめてください（対象外の人も出席したなら invited を出席できた人の数に直します）",
    Severity.WARNING,
)
UNKNOWN_TARGET_INDICATOR = Problem(
    "J802",
    "目標の「{indicator}」という指標はありません (target for an unknown indicator)",
    "指標の id を書いてください: {ids}",
)
UNKNOWN_TARGET_INDICATOR_NEAR = Problem(
    "J802",
    "目標の「{indicator}」という指標はありません (target for an unknown indicator)",
    "「{near}」（{label}）のことですか？",
)
