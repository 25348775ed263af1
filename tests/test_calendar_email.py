"""Calendar links in the digest email: per-event .ics and Google Calendar links, and the feed."""

from __future__ import annotations

import email
import email.policy
import re
from datetime import UTC, datetime, timedelta
from html import unescape
from pathlib import Path
from urllib.parse import parse_qs, urlsplit
from zoneinfo import ZoneInfo

import requests
from digest_world import SECRET, WEEK, seed
from hypothesis import given, settings
from hypothesis import strategies as st
from icalendar import Calendar
from web_server import serve

from recommender.calendars.ics import build_calendar
from recommender.calendars.links import google_calendar_url, google_dates
from recommender.core.config import Settings
from recommender.digest.compose import compose_digest
from recommender.digest.run import run_digest
from recommender.mail.outbox import OutboxSender
from scrapers.event import Event

TORONTO = ZoneInfo("America/Toronto")
NOW = datetime(2026, 11, 23, 13, tzinfo=UTC)


class Pick:
    def __init__(self, event, why):
        self.event, self.why = event, why


def google_params(url: str) -> dict[str, str]:
    parts = urlsplit(url)
    assert (parts.scheme, parts.netloc, parts.path) == ("https", "calendar.google.com", "/calendar/render")
    return {k: v[0] for k, v in parse_qs(parts.query).items()}


def test_google_link_times_are_utc_across_dst_and_all_day_is_dates():
    summer = Event(title="Jazz on the lawn", start=datetime(2026, 7, 3, 19, tzinfo=TORONTO),
                   end=datetime(2026, 7, 3, 21, 30, tzinfo=TORONTO), venue="Trinity Bellwoods",
                   url="https://example.org/jazz")  # fmt: skip
    winter = Event(title="Chess night", start=datetime(2026, 12, 3, 19, tzinfo=TORONTO))  # no end: 2 h
    fair = Event(title="Harvest fair", start=datetime(2026, 10, 3, tzinfo=TORONTO), all_day=True,
                 end=datetime(2026, 10, 5, tzinfo=TORONTO))  # fmt: skip
    assert google_dates(summer) == "20260703T230000Z/20260704T013000Z"  # EDT, UTC-4
    assert google_dates(winter) == "20261204T000000Z/20261204T020000Z"  # EST, UTC-5
    assert google_dates(fair) == "20261003/20261005"
    params = google_params(google_calendar_url(summer, details="You love jazz: it mentions jam."))
    assert params == {
        "action": "TEMPLATE",
        "text": "Jazz on the lawn",
        "dates": "20260703T230000Z/20260704T013000Z",
        "details": "You love jazz: it mentions jam.\n\nhttps://example.org/jazz",
        "location": "Trinity Bellwoods",
    }


@settings(max_examples=40, deadline=None)
@given(
    start=st.datetimes(min_value=datetime(2025, 1, 1), max_value=datetime(2027, 12, 31),
                       allow_imaginary=False,
                       timezones=st.sampled_from([TORONTO, ZoneInfo("Europe/Berlin"), UTC])),
    minutes=st.one_of(st.none(), st.integers(min_value=1, max_value=3000)),
    all_day=st.booleans(),
)  # fmt: skip
def test_google_dates_match_the_ics_file(start, minutes, all_day):
    start = start.replace(microsecond=0, second=0)
    if all_day:
        start = start.replace(hour=0, minute=0)
    end = None if minutes is None else start + timedelta(minutes=minutes)
    ev = Event(title="Meetup", start=start, end=end, all_day=all_day)
    [item] = Calendar.from_ical(build_calendar([(ev, "")], stamp=NOW).to_ical()).walk("VEVENT")
    first, last = item["dtstart"].dt, item["dtend"].dt
    if all_day:
        expected = f"{first:%Y%m%d}/{last:%Y%m%d}"
    else:
        expected = f"{first.astimezone(UTC):%Y%m%dT%H%M%SZ}/{last.astimezone(UTC):%Y%m%dT%H%M%SZ}"
    assert google_dates(ev) == expected


def test_each_pick_has_add_to_calendar_links_and_the_feed_is_shown():
    ev = Event(title="Board game night & more", start=datetime(2026, 11, 26, 19, tzinfo=TORONTO),
               venue="Snakes & Lattes", url="https://example.org/e/1")  # fmt: skip
    feed = "https://kindred.example/calendar/abc.def.ics"
    msg = compose_digest(picks=[Pick(ev, "You love board games.")], pass_on=[],
                         subscriber_email="r@example.org", sender="Kindred <d@kindred.example>",
                         base_url="https://kindred.example", secret="k", week="2026-W48", now=NOW,
                         timezone="America/Toronto", calendar_feed_url=feed)  # fmt: skip
    msg = email.message_from_bytes(msg.as_bytes(), policy=email.policy.default)
    text = msg.get_body(("plain",)).get_content()
    page = msg.get_body(("html",)).get_content()
    ics = f"https://kindred.example/event/{ev.id}.ics"
    assert f"Add to calendar (.ics): {ics}" in text
    [google] = re.findall(r"Add to Google Calendar: (\S+)", text)
    assert google_params(google)["dates"] == "20261127T000000Z/20261127T020000Z"
    assert google_params(google)["text"] == "Board game night & more"
    hrefs = [unescape(h) for h in re.findall(r'href="([^"]+)"', page)]
    assert ics in hrefs and google in hrefs
    assert "webcal://kindred.example/calendar/abc.def.ics" in hrefs and feed in page
    assert "webcal://kindred.example/calendar/abc.def.ics" in text and f"paste {feed}" in text


def test_digest_run_puts_a_working_feed_url_in_the_email(tmp_path):
    store = seed(f"sqlite:///{tmp_path / 'd.db'}", users={"robin@example.org": {"passions": "pottery"}})
    outbox = tmp_path / "outbox"
    with serve(store, Settings(secret=SECRET), clock=lambda: NOW) as site:
        settings = Settings(secret=SECRET, base_url=site, sender="Kindred <d@kindred.example>")
        [outcome] = run_digest(store, OutboxSender(str(outbox)), settings, now=NOW, week=WEEK)
        assert outcome.status == "sent"
        [path] = Path(outbox).rglob("*.eml")
        msg = email.message_from_bytes(path.read_bytes(), policy=email.policy.default)
        text = msg.get_body(("plain",)).get_content()
        [feed] = re.findall(r"paste (\S+\.ics)", text)
        body = requests.get(feed, timeout=10)
        assert body.status_code == 200 and len(Calendar.from_ical(body.content).walk("VEVENT")) >= 2
        [one] = re.findall(r"Add to calendar \(\.ics\): (\S+)", text)[:1]
        assert requests.get(one, timeout=10).status_code == 200
