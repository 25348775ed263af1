"""Schema version 1: the tables as ``create_all`` makes them (events, subscribers, sends, feedback)."""

revision = "0001"
down_revision = None


def upgrade() -> None:
    pass  # a version-1 database already has them
