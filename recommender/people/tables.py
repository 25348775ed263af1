"""The people tables in the event store: subscribers, the digests sent to them and the events each
carried, their feedback, sign-ups waiting for confirmation and the rate limits' slots.

They share the store's SQLAlchemy ``Base``, so ``Store(url)`` creates them once this module is
imported; :func:`ensure_tables` does it for a store opened earlier.

>>> from recommender.store.event_store import Store
>>> store = ensure_tables(Store("sqlite://"))
>>> sorted(t.name for t in TABLES)
['feedback', 'profile_feedback', 'rate_slots', 'sends', 'sent_events', 'signups', 'subscribers']
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, DateTime, Float, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from recommender.store.event_store import Store
from recommender.store.tables import Base


class Subscriber(Base):
    """Someone who gets (or asked for) the weekly digest. ``confirmed_at`` is None until they opened
    the confirmation link of a sign-up; only confirmed, active subscribers get digests."""

    __tablename__ = "subscribers"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    email: Mapped[str] = mapped_column(String(254), unique=True)
    name: Mapped[str | None] = mapped_column(String(100), nullable=True)
    passions: Mapped[str] = mapped_column(Text)
    near_lat: Mapped[float | None] = mapped_column(Float, nullable=True)
    near_lon: Mapped[float | None] = mapped_column(Float, nullable=True)
    within_km: Mapped[float | None] = mapped_column(Float, nullable=True)
    mode: Mapped[str] = mapped_column(String(16), default="any")
    timezone: Mapped[str] = mapped_column(String(64), default="UTC")
    day: Mapped[str] = mapped_column(String(3), default="mon")
    hour: Mapped[int] = mapped_column(Integer, default=8)
    friends: Mapped[list] = mapped_column(JSON, default=list)
    created_at: Mapped[datetime] = mapped_column(DateTime)
    unsubscribed_at: Mapped[datetime | None] = mapped_column(DateTime, nullable=True)
    confirmed_at: Mapped[datetime | None] = mapped_column(DateTime, nullable=True)

    @property
    def active(self) -> bool:
        return self.unsubscribed_at is None

    @property
    def confirmed(self) -> bool:
        return self.confirmed_at is not None

    @property
    def near(self) -> tuple[float, float] | None:
        return None if self.near_lat is None else (self.near_lat, self.near_lon)

    def to_dict(self) -> dict:
        return {
            "email": self.email,
            "name": self.name,
            "passions": self.passions,
            "near": list(self.near) if self.near else None,
            "within_km": self.within_km,
            "mode": self.mode,
            "timezone": self.timezone,
            "day": self.day,
            "hour": self.hour,
            "friends": list(self.friends or []),
            "active": self.active,
            "confirmed": self.confirmed,
            "unsubscribed_at": self.unsubscribed_at.isoformat() + "Z" if self.unsubscribed_at else None,
        }


class Send(Base):
    """One digest per subscriber per ISO week: ``sending`` (claimed), ``handing_over``, ``ok``,
    ``refused``, ``failed`` or ``uncertain`` (see :mod:`recommender.people.sends`)."""

    __tablename__ = "sends"
    __table_args__ = (UniqueConstraint("subscriber_id", "week"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    subscriber_id: Mapped[int] = mapped_column(ForeignKey("subscribers.id", ondelete="CASCADE"), index=True)
    week: Mapped[str] = mapped_column(String(8))
    sent_at: Mapped[datetime] = mapped_column(DateTime)
    status: Mapped[str] = mapped_column(String(16))
    message_id: Mapped[str | None] = mapped_column(Text, nullable=True)
    error: Mapped[str | None] = mapped_column(Text, nullable=True)


class SentEvent(Base):
    """An event that went out in someone's digest (``role`` pick or pass_on); never sent to them again."""

    __tablename__ = "sent_events"
    subscriber_id: Mapped[int] = mapped_column(
        ForeignKey("subscribers.id", ondelete="CASCADE"), primary_key=True
    )
    event_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    week: Mapped[str] = mapped_column(String(8))
    role: Mapped[str] = mapped_column(String(8), default="pick")


class SubscriberFeedback(Base):
    """``dismiss`` (never show this event again) or ``like`` (more like this) from an email link."""

    __tablename__ = "feedback"
    __table_args__ = (UniqueConstraint("subscriber_id", "event_id", "kind"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    subscriber_id: Mapped[int] = mapped_column(ForeignKey("subscribers.id", ondelete="CASCADE"), index=True)
    event_id: Mapped[str] = mapped_column(String(64))
    kind: Mapped[str] = mapped_column(String(8))
    at: Mapped[datetime] = mapped_column(DateTime)


class ProfileFeedback(Base):
    """Feedback of a local profile (no subscriber behind it): ``kindred like/dismiss`` without --user."""

    __tablename__ = "profile_feedback"
    __table_args__ = (UniqueConstraint("profile", "event_id", "kind"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    profile: Mapped[str] = mapped_column(String(64), index=True)
    event_id: Mapped[str] = mapped_column(String(64))
    kind: Mapped[str] = mapped_column(String(8))
    at: Mapped[datetime] = mapped_column(DateTime)


class SignUp(Base):
    """A sign-up from the web page, waiting for its confirmation link to be opened: what the person
    asked for (``details``: passions, place, mode, name) is applied only then. ``client`` is a hash
    of where the request came from, never the address itself."""

    __tablename__ = "signups"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    email: Mapped[str] = mapped_column(String(254), index=True)
    details: Mapped[dict] = mapped_column(JSON, default=dict)
    client: Mapped[str] = mapped_column(String(64))
    requested_at: Mapped[datetime] = mapped_column(DateTime)
    confirmed_at: Mapped[datetime | None] = mapped_column(DateTime, nullable=True)


class RateSlot(Base):
    """One use of a rate limit: at most ``limit`` slots exist per (scope, who, period), and the primary
    key makes taking one atomic across threads and processes (see :mod:`recommender.people.rate_limit`)."""

    __tablename__ = "rate_slots"
    scope: Mapped[str] = mapped_column(String(32), primary_key=True)
    who: Mapped[str] = mapped_column(String(64), primary_key=True)
    period: Mapped[int] = mapped_column(Integer, primary_key=True)
    slot: Mapped[int] = mapped_column(Integer, primary_key=True)
    at: Mapped[datetime] = mapped_column(DateTime)


TABLES = [
    Subscriber.__table__,
    Send.__table__,
    SentEvent.__table__,
    SubscriberFeedback.__table__,
    ProfileFeedback.__table__,
    SignUp.__table__,
    RateSlot.__table__,
]


def ensure_tables(store: Store) -> Store:
    """Create the subscriber tables in ``store`` if missing (idempotent)."""
    Base.metadata.create_all(store.engine, tables=TABLES)
    return store
