"""The district's document details (letterhead, signatories, wording) and the certificate
signing keys move into the database, so every desktop and the command line print alike.

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-22
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0005"
down_revision: str | Sequence[str] | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "district_profile",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("founder", sa.String(length=500), nullable=False),
        sa.Column("service_name", sa.String(length=300), nullable=False),
        sa.Column("service_full_name", sa.String(length=500), nullable=False),
        sa.Column("municipality", sa.String(length=300), nullable=False),
        sa.Column("city", sa.String(length=100), nullable=False),
        sa.Column("address", sa.String(length=500), nullable=False),
        sa.Column("phone", sa.String(length=100), nullable=False),
        sa.Column("email", sa.String(length=255), nullable=False),
        sa.Column("signatories", sa.Text(), nullable=False),
        sa.Column("certificate_wording", sa.String(length=20), nullable=False),
        sa.Column("signature_style", sa.String(length=20), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_district_profile")),
    )
    op.create_table(
        "signing_key",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("private_key", sa.Text(), nullable=False),
        sa.Column("public_key", sa.String(length=64), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("key_no", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_signing_key")),
        sa.UniqueConstraint("public_key", name=op.f("uq_signing_key_public_key")),
    )


def downgrade() -> None:
    op.drop_table("signing_key")
    op.drop_table("district_profile")
