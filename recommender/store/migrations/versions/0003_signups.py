"""Schema version 3: public sign-up. Subscribers get a ``name`` and ``confirmed_at`` (everyone already
subscribed was added by the operator, so counts as confirmed from when they were added); the
``signups`` waiting for confirmation and the rate limits' ``rate_slots`` are new tables."""

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"


def upgrade() -> None:
    bind = op.get_bind()
    inspector = sa.inspect(bind)
    if inspector.has_table("subscribers"):
        have = {c["name"] for c in inspector.get_columns("subscribers")}
        with op.batch_alter_table("subscribers") as batch:
            if "name" not in have:
                batch.add_column(sa.Column("name", sa.String(100), nullable=True))
            if "confirmed_at" not in have:
                batch.add_column(sa.Column("confirmed_at", sa.DateTime(), nullable=True))
        if "confirmed_at" not in have:
            op.execute("UPDATE subscribers SET confirmed_at = created_at")
    if not inspector.has_table("signups"):
        op.create_table(
            "signups",
            sa.Column("id", sa.Integer(), primary_key=True),
            sa.Column("email", sa.String(254), nullable=False, index=True),
            sa.Column("details", sa.JSON(), nullable=False),
            sa.Column("client", sa.String(64), nullable=False),
            sa.Column("requested_at", sa.DateTime(), nullable=False),
            sa.Column("confirmed_at", sa.DateTime(), nullable=True),
        )
    if not inspector.has_table("rate_slots"):
        op.create_table(
            "rate_slots",
            sa.Column("scope", sa.String(32), primary_key=True),
            sa.Column("who", sa.String(64), primary_key=True),
            sa.Column("period", sa.Integer(), primary_key=True),
            sa.Column("slot", sa.Integer(), primary_key=True),
            sa.Column("at", sa.DateTime(), nullable=False),
        )
