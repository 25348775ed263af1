"""Schema version 4: an index on ``events.updated_at``, so the store's change token
(:meth:`~recommender.store.event_store.Store.last_change`) is an index lookup, not a table scan."""

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"


def upgrade() -> None:
    present = {index["name"] for index in sa.inspect(op.get_bind()).get_indexes("events")}
    if "ix_events_updated_at" not in present:
        op.create_index("ix_events_updated_at", "events", ["updated_at"])
