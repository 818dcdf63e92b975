"""Import of the registries districts keep in Excel: organizations, persons, internships.

The steps a wizard (or the CLI) takes, none of which writes until the last one::

    table = read_table(path)                       # reader: header row found under titles
    mapping = map_columns(table.headers, kind)     # columns: Russian headers → fields
    mapping = mapping.assign(7, "phone")           # the user places what was left unplaced
    plan = build_plan(session, table, mapping)     # plan: the preview, nothing written
    plan.choose(12, "merge")                       # skip (default) or merge a duplicate
    result = apply_plan(session, plan)             # apply: one transaction, all or nothing
    write_errors(plan, "ошибки.xlsx")              # errors: every rejected row and why
"""

from __future__ import annotations

from .apply import ImportResult, apply_plan
from .columns import KINDS, ColumnMapping, map_columns
from .errors import write_errors
from .plan import ImportPlan, PlannedRow, build_plan
from .reader import SourceRow, Table, read_table

__all__ = [
    "KINDS",
    "ColumnMapping",
    "ImportPlan",
    "ImportResult",
    "PlannedRow",
    "SourceRow",
    "Table",
    "apply_plan",
    "build_plan",
    "map_columns",
    "read_table",
    "write_errors",
]
