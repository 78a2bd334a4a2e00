"""Typed rows: every producer's keys are its schema's columns, from reading to assessment.

A field map that returns a key its table lacks loses it silently in the store (how the
4648 `target_info` once crashed origin tracing); a relation whose columns drift from its
row type breaks the assessment that reads it.
"""

from __future__ import annotations

import ibis
import pytest

from acctrace.correlate import analytic, origin
from acctrace.correlate.rows import (
    CandidateRow,
    FollowUpRow,
    IpHostRow,
    SeenScriptBlockRow,
    SessionPrivilegeRow,
    SessionRow,
    SignOfLifeRow,
)
from acctrace.correlate.window import Window
from acctrace.normalise import rows
from acctrace.normalise.model import CATALOGUE, COMMON, KIND_COLUMNS, SCHEMAS
from acctrace.normalise.rowtypes import ROWS, class_name, source

# One value for every EventData field any field map reads (a SAM key for registry writes).
SAMPLE = {
    "TargetObject": "HKLM\\SAM\\SAM\\Domains\\Account\\Users\\Names\\x",
    "MemberSid": "S-1-5-21-1-2-3-1001",
}


def test_rows_py_is_generated_from_the_current_schemas() -> None:
    assert ROWS.read_text(encoding="utf-8") == source(), (
        "run `python -m acctrace.normalise.rowtypes`"
    )


@pytest.mark.parametrize(("key", "entry"), CATALOGUE.items(), ids=lambda v: str(v))
def test_every_field_map_returns_exactly_its_tables_columns(key, entry) -> None:
    kind, field_map = entry
    row = field_map(SAMPLE)
    assert set(row) == {name for name, _ in KIND_COLUMNS[kind]}


def test_every_table_has_a_row_type_with_its_columns() -> None:
    for kind, schema in SCHEMAS.items():
        row_type = getattr(rows, class_name(kind))
        assert list(row_type.__annotations__) == schema.names
    assert [name for name, _ in COMMON] == SCHEMAS["process"].names[: len(COMMON)]


def _t(kind: str) -> ibis.Table:
    return ibis.table(ibis.Schema.from_pyarrow(SCHEMAS[kind]), name=kind)


def _keys(row_type: type) -> set[str]:
    keys: set[str] = set()
    for klass in reversed(row_type.__mro__):
        keys |= set(getattr(klass, "__annotations__", {}))
    return keys


def test_every_relation_the_assessment_reads_has_its_row_types_columns() -> None:
    window = Window()
    c, p, e = _t("creation"), _t("process"), _t("process_end")
    candidates = analytic.candidate_processes(c, p, e, window)
    relations = {
        CandidateRow: candidates,
        SignOfLifeRow: analytic.signs_of_life(candidates, c, p, e, window),
        SeenScriptBlockRow: analytic.script_blocks_of(candidates, c, p, _t("script_block"), window),
        SessionRow: analytic.creator_sessions(c, _t("logon"), window),
        SessionPrivilegeRow: analytic.creator_privileges(c, _t("privilege"), window),
        FollowUpRow: analytic.follow_ups(c, _t("account_change"), _t("logon"), window),
        IpHostRow: origin.ip_hosts(_t("logon"), _t("connection")),
    }
    for row_type, relation in relations.items():
        assert set(relation.columns) == _keys(row_type), row_type.__name__
    by_content = analytic.processes_naming_the_account(c, p, e, window)
    assert set(by_content.columns) == _keys(CandidateRow)
