"""SQL views for data lakes, compiled from the Ibis expressions `acctrace hunt` runs.

The views read the event model's tables (`creation`, `process`, `process_end`,
`sam_write`: the layout `acctrace ingest --parquet` writes, docs/architecture.md) and
yield one row per (account creation, candidate process): the same rows the correlation
hands to the assessment, with the process's parent found one level up and the policy
workflow that approves the pair, if any.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

import ibis
import ibis.expr.operations as ops
import ibis.expr.types as ir
import sqlglot
from sqlglot import exp

from acctrace.correlate import analytic
from acctrace.export.definition import Alternative, Analytic, Approval, Match, glob_regex
from acctrace.normalise.model import SCHEMAS

# sqlglot dialect names, and the Ibis backend that compiles for each.
DIALECTS = {
    "duckdb": "duckdb",
    "postgres": "postgres",
    "spark": "pyspark",
    "databricks": "databricks",
    "snowflake": "snowflake",
    "bigquery": "bigquery",
    "trino": "trino",
    "athena": "athena",
}
CREATION_VIEW = "acctrace_an1604_creation"
PAIR_VIEW = "acctrace_an1604_pair"
INPUT_TABLES = ("creation", "process", "process_end", "sam_write")

CANNOT = [
    "ancestry beyond the parent (acctrace walks the whole lineage, one level per query)",
    "which candidate created the account: every candidate is a row; acctrace ranks them",
    "the cross-host origin of a network logon session",
    "verdicts, reasons and follow-ups (group changes, enable/reset/delete, first use)",
]


def _table(kind: str, name: str | None = None) -> ir.Table:
    return ibis.table(ibis.Schema.from_pyarrow(SCHEMAS[kind]), name=name or kind)


def creations() -> ir.Table:
    """Every account creation: 4720s, and SAM writes that have none (as run.correlate)."""
    return analytic.creations_in_range(_table("creation"), _table("sam_write"))


def _match(pair: ir.Table, m: Match) -> ir.BooleanValue:
    # A host condition matches the host as logged (the finding's `host`), as the policy does.
    column = {"host": pair.host_name}.get(m.field, pair[m.field])
    return column.lower().re_search(glob_regex(m.glob)).fill_null(False)


def _alternative(pair: ir.Table, alt: Alternative) -> ir.BooleanValue:
    condition = ibis.literal(True)
    for m in alt:
        condition &= _match(pair, m)
    return condition


def _day_start_us(day: date) -> int:
    return int(datetime.combine(day, time(), UTC).timestamp()) * 1_000_000


def _approves(pair: ir.Table, approval: Approval) -> ir.BooleanValue:
    condition = ibis.literal(True)
    for alternatives in approval.conditions:
        either = ibis.literal(False)
        for alt in alternatives:
            either |= _alternative(pair, alt)
        condition &= either
    if approval.valid_from:
        condition &= pair.creation_time_us >= _day_start_us(approval.valid_from)
    if approval.valid_until:
        next_day = approval.valid_until + timedelta(days=1)
        condition &= pair.creation_time_us < _day_start_us(next_day)
    return condition


def pairs(spec: Analytic) -> ir.Table:
    """One row per account creation and candidate process, reading the creation view."""
    made = _table("creation", CREATION_VIEW)
    process, process_end = _table("process"), _table("process_end")
    window = spec.window
    clocks = analytic.host_clocks(process, window)  # measured once, for both searches
    in_session = analytic.candidate_processes(made, process, process_end, window, clocks)
    by_content = analytic.processes_naming_the_account(made, process, process_end, window, clocks)
    candidates = in_session.union(by_content, distinct=False)
    parent = analytic.parents(analytic.lineage_start(candidates), process, process_end)
    parent = parent.select(
        p_of=parent.lineage_of, parent_key=parent.event_key, p_image=parent.image
    )
    c = candidates.left_join(parent, candidates.event_key == parent.p_of)
    who = made.select(
        creation_key=made.event_key,
        account_sid=made.account_sid,
        account_name=made.account_name,
        account_domain=made.account_domain,
        creator_sid=made.creator_sid,
        creator_name=made.creator_name,
        creator_domain=made.creator_domain,
        creator_logon_id=made.creator_logon_id,
    )
    joined = c.join(who, "creation_key")
    pair = joined.select(
        "creation_key",
        creation_time_us=joined.c_time,
        host=joined.host,
        host_name=joined.host_name,
        account_sid=joined.account_sid,
        account_name=joined.account_name,
        account_domain=joined.account_domain,
        creator_sid=joined.creator_sid,
        creator_name=joined.creator_name,
        creator_domain=joined.creator_domain,
        creator_logon_id=joined.creator_logon_id,
        process_key=joined.event_key,
        process_time_us=joined.time_us,
        telemetry=joined.telemetry,
        in_window=joined.in_window,
        pid=joined.pid,
        parent_pid=joined.parent_pid,
        logon_id=joined.logon_id,
        image=joined.image,
        command_line=joined.command_line,
        parent_key=joined.parent_key,
        parent_image=joined.p_image.fill_null(joined.parent_image),
    )
    approved_by = ibis.null().cast("string")
    for approval in reversed(spec.approvals):  # the first workflow that approves wins
        approved_by = ibis.ifelse(_approves(pair, approval), approval.name, approved_by)
    return pair.mutate(approved_by=approved_by)


def _explicit_columns(node: ops.Node, children: dict | None) -> ops.Node:
    """Ibis keeps dropped columns in a set and some dialects print them (`* EXCEPT (...)`)
    in its order, which changes from run to run: select the kept columns by name instead,
    so the same analytic always exports the same text."""
    node = node.__recreate__(children) if children else node
    if isinstance(node, ops.DropColumns):
        kept = {name: ops.Field(node.parent, name) for name in node.schema.names}
        return ops.Project(node.parent, kept)
    return node


def _named_columns(node: exp.Expression) -> exp.Expression:
    """`SELECT * FROM <input table>` names the model's columns: a table may hold more (the
    `day` partition column of a Parquet dataset), which `*` would carry into a UNION."""
    if not (isinstance(node, exp.Select) and node.is_star):
        return node
    source = node.args.get("from_")
    table = source.this if source else None
    if isinstance(table, exp.Table) and table.name in INPUT_TABLES:
        alias = table.alias_or_name
        node.set(
            "expressions", [exp.column(c, alias, quoted=True) for c in SCHEMAS[table.name].names]
        )
    return node


def reader(dialect: str) -> str:
    """The sqlglot dialect that reads a view of `dialect`. Athena runs views and queries on
    Trino, but sqlglot's Athena tokenizer also takes Hive's backslash escapes, so a
    literal holding a Windows path (`'c:\\windows\\'`) would end early."""
    return "trino" if dialect == "athena" else dialect


def _view(name: str, expr: ir.Table, dialect: str) -> str:
    expr = expr.op().replace(_explicit_columns).to_expr()
    compiled = ibis.to_sql(expr, dialect=DIALECTS[dialect])
    tree = sqlglot.parse_one(compiled, read=reader(dialect)).transform(_named_columns)
    body = tree.sql(dialect, pretty=True)
    quoted = exp.to_identifier(name).sql(dialect)
    return f"CREATE OR REPLACE VIEW {quoted} AS\n{body};\n"


def render(spec: Analytic, dialect: str) -> str:
    header = spec.header(
        f"every account creation (4720, or a SAM key write without one) paired with each "
        f"process in the creator's logon session on that host that started in the window "
        f"(security-4688 or sysmon-1) or, if a script host or a binary from outside the "
        f"Windows folders (`in_window` false), earlier and not ended before it, or, when the "
        f"session is unknown, each process whose "
        f"command line names the account. Views {CREATION_VIEW} and {PAIR_VIEW} over the "
        f"tables {', '.join(INPUT_TABLES)} (acctrace's event model, docs/export.md); "
        f"dialect {dialect}.",
        CANNOT,
    )
    comment = "".join(f"-- {line}\n" for line in header)
    return (
        comment
        + _view(CREATION_VIEW, creations(), dialect)
        + _view(PAIR_VIEW, pairs(spec), dialect)
    )
