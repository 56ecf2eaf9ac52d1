"""No text and no bytes crash the loader: every input becomes a document or diagnostics."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from jushou_cli.load import read_document

YAMLISH = st.text(
    alphabet=st.sampled_from(
        list("kind: case\n-[]{}\"'#&*!|>%@`,?\t 　：0123456789yesnoR令和年月日<=>\ufeff\x85")
    ),
    max_size=200,
)


@settings(max_examples=400, suppress_health_check=[HealthCheck.too_slow], deadline=None)
@given(st.binary(max_size=300))
def test_no_bytes_crash_the_loader(data: bytes) -> None:
    doc, diagnostics = read_document("cases/C2024-0001/case.yaml", data)
    assert doc is not None or diagnostics


@settings(max_examples=600, suppress_health_check=[HealthCheck.too_slow], deadline=None)
@given(YAMLISH)
def test_no_yamlish_text_crashes_the_loader(text: str) -> None:
    doc, diagnostics = read_document("meetings/2024/M2024-0001.yaml", text.encode("utf-8"))
    assert doc is not None or diagnostics
    for d in diagnostics:
        assert d.code.startswith("J") and d.message


@settings(max_examples=300, suppress_health_check=[HealthCheck.too_slow], deadline=None)
@given(
    st.dictionaries(
        st.sampled_from(["kind", "id", "date", "type", "staff", "items", "goals", "version"]),
        st.recursive(
            st.none() | st.booleans() | st.integers() | st.text(max_size=12),
            lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=6), inner, max_size=3),
            max_leaves=8,
        ),
        max_size=6,
    ),
    st.sampled_from(["case", "plan", "meeting", "record", "evaluation", "referral"]),
)
def test_wrong_shapes_give_diagnostics_not_crashes(data: dict[str, object], kind: str) -> None:
    import json

    data["kind"] = kind
    doc, diagnostics = read_document("x.yaml", json.dumps(data, ensure_ascii=False).encode())
    assert doc is not None
