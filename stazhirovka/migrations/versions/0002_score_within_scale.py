"""A score must lie inside its instrument's scale: enforced by a trigger on both dialects.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-21
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0002"
down_revision: str | Sequence[str] | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_OUTSIDE = """
    SELECT 1 FROM indicator d JOIN instrument i ON i.id = d.instrument_id
    WHERE d.id = NEW.indicator_id AND (NEW.value < i.scale_min OR NEW.value > i.scale_max)
"""


def upgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        for when in ("INSERT", "UPDATE OF value, indicator_id"):
            name = "score_within_scale_" + when.split()[0].lower()
            op.execute(
                f"CREATE TRIGGER {name} BEFORE {when} ON score "
                f"WHEN EXISTS ({_OUTSIDE}) "
                "BEGIN SELECT RAISE(ABORT, 'score outside the instrument scale'); END"
            )
    else:
        op.execute(
            "CREATE FUNCTION score_within_scale() RETURNS trigger AS $$ BEGIN "
            f"IF EXISTS ({_OUTSIDE}) THEN "
            "RAISE EXCEPTION 'score outside the instrument scale' USING ERRCODE = 'check_violation'; "
            "END IF; RETURN NEW; END $$ LANGUAGE plpgsql"
        )
        op.execute(
            "CREATE TRIGGER score_within_scale BEFORE INSERT OR UPDATE OF value, indicator_id "
            "ON score FOR EACH ROW EXECUTE FUNCTION score_within_scale()"
        )


def downgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        op.execute("DROP TRIGGER IF EXISTS score_within_scale_insert")
        op.execute("DROP TRIGGER IF EXISTS score_within_scale_update")
    else:
        op.execute("DROP TRIGGER IF EXISTS score_within_scale ON score")
        op.execute("DROP FUNCTION IF EXISTS score_within_scale()")
