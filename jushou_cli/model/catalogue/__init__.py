"""The catalogue of every problem jushou reports: one `Problem` per wording, named by what it
says (`NO_CONSENT`, `YML_EXTENSION`), grouped by layer. Sites import the entries they report;
tools/gendocs.py prints them all in docs/errors.md.

- files.py: J0xx, a file's bytes, encoding and YAML
- schema.py: J1xx, the JSON Schemas
- repository.py: J2xx–J3xx, references, ids and where files sit
- rules.py: J4xx–J6xx, consent, mandatory meetings and chronology
- referrals.py: J7xx, a つなぐシート's answers
- programme.py: J8xx, trainings and targets
- privacy.py: J9xx, personal data at rest (docs/privacy.md)
"""

from __future__ import annotations

from jushou_cli.model.catalogue import (
    files,
    privacy,
    programme,
    referrals,
    repository,
    rules,
    schema,
)
from jushou_cli.model.diagnostics import Problem

# Each entry by its module and name ("files.UTF16"), in the order the modules define them.
BY_NAME: dict[str, Problem] = {
    f"{module.__name__.rsplit('.', 1)[-1]}.{name}": value
    for module in (files, schema, repository, rules, referrals, programme, privacy)
    for name, value in vars(module).items()
    if isinstance(value, Problem)
}

# Every entry, by code (a code's wordings in the order they are defined).
ENTRIES: tuple[Problem, ...] = tuple(sorted(BY_NAME.values(), key=lambda problem: problem.code))
