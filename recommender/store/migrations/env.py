"""Alembic's environment for the store: migrations run on the connection the store hands over
(see :meth:`recommender.store.event_store.Store.__init__`), never from a URL of their own."""

from alembic import context

from recommender.store.tables import Base

context.configure(
    connection=context.config.attributes["connection"],
    target_metadata=Base.metadata,
    render_as_batch=True,  # SQLite changes tables by copying them
)
with context.begin_transaction():
    context.run_migrations()
