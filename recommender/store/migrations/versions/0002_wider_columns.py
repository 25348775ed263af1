"""Schema version 2: source names of any length; send statuses up to 16 characters (``handing_over``)."""

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"


def upgrade() -> None:
    bind = op.get_bind()
    if bind.dialect.name == "sqlite":  # SQLite does not enforce lengths
        return
    op.alter_column("events", "source", type_=sa.Text())
    if sa.inspect(bind).has_table("sends"):
        op.alter_column("sends", "status", type_=sa.String(16))
