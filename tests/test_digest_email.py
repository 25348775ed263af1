"""The weekly digest email: parsed back with the email package and checked part by part."""

import email
import email.policy
import re
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from email.utils import parsedate_to_datetime
from html.parser import HTMLParser
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from recommender.core.links import web_url
from recommender.core.signing import SecretMissingError, verify_token
from recommender.digest.compose import DigestError, compose_digest, week_start
from recommender.digest.event_view import format_when
from scrapers.event import Event

SECRET = "digest-test-secret"
NOW = datetime(2026, 11, 23, 13, 0, tzinfo=UTC)
BASE = "https://kindred.example"
SUBSCRIBER = "robin@example.org"
SENDER = "Kindred <digest@kindred.example>"
TORONTO = ZoneInfo("America/Toronto")
ALLOWED_TAGS = {
    "html",
    "head",
    "meta",
    "title",
    "body",
    "div",
    "table",
    "tr",
    "td",
    "p",
    "a",
    "strong",
    "h1",
    "h2",
}


@dataclass
class Pick:
    event: Event
    why: str


def make_event(title="Board game night", **kw):
    kw.setdefault("start", datetime(2026, 11, 26, 23, 0, tzinfo=UTC))
    kw.setdefault("url", "https://example.org/e/" + re.sub(r"\W+", "-", title.lower()))
    return Event(title=title, **kw)


def compose(picks=None, pass_on=(), **kw):
    if picks is None:
        picks = [
            Pick(
                make_event(venue="Snakes & Lattes", group="Toronto Board Gamers", is_free=True),
                "strategy games",
            ),
            Pick(
                make_event("Trail run", start=datetime(2026, 11, 28, 14, tzinfo=UTC), price="CA$5"), "trails"
            ),
        ]
    args = dict(
        picks=picks,
        pass_on=list(pass_on),
        subscriber_email=SUBSCRIBER,
        sender=SENDER,
        base_url=BASE,
        secret=SECRET,
        week="2026-W48",
        now=NOW,
        timezone="America/Toronto",
    )
    args.update(kw)
    return compose_digest(**args)


def parse(msg):
    """What a mail client would see: the message serialised to bytes and parsed back."""
    return email.message_from_bytes(msg.as_bytes(), policy=email.policy.default)


def parts(msg):
    parsed = parse(msg)
    return parsed, parsed.get_body(("plain",)).get_content(), parsed.get_body(("html",)).get_content()


class Html(HTMLParser):
    """Collects tags, links (with their text) and all text of an HTML document."""

    def __init__(self, source):
        super().__init__()
        self.tags, self.links, self.text, self._open = set(), [], [], None
        self.feed(source)

    def handle_starttag(self, tag, attrs):
        self.tags.add(tag)
        attrs = dict(attrs)
        assert not any(name.startswith("on") for name in attrs), f"event handler on <{tag}>"
        if tag == "a":
            self._open = [attrs.get("href"), ""]
            self.links.append(self._open)

    def handle_endtag(self, tag):
        if tag == "a":
            self._open = None

    def handle_data(self, data):
        self.text.append(data)
        if self._open is not None:
            self._open[1] += data


def links(html):
    """Link text -> href, first occurrence wins."""
    found = {}
    for href, text in Html(html).links:
        found.setdefault(text.strip(), href)
    return found


def action_links(html, label):
    return [href for href, text in Html(html).links if text.strip() == label]


def token_of(url, prefix):
    assert url.startswith(f"{BASE}/{prefix}/"), url
    return url[len(f"{BASE}/{prefix}/") :]


def test_parts_are_plain_then_html():
    parsed = parse(compose())
    assert parsed.get_content_type() == "multipart/alternative"
    assert [p.get_content_type() for p in parsed.iter_parts()] == ["text/plain", "text/html"]


def test_ics_attachment_wraps_in_mixed_with_alternative_first():
    ics = b"BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//test//\r\nEND:VCALENDAR\r\n"
    parsed = parse(compose(ics_attachment=ics))
    assert parsed.get_content_type() == "multipart/mixed"
    first, second = parsed.iter_parts()
    assert first.get_content_type() == "multipart/alternative"
    assert second.get_content_type() == "text/calendar"
    assert second.get_filename() == "kindred-2026-W48.ics"
    assert second.get_content_disposition() == "attachment"
    assert second.get_payload(decode=True) == ics
    assert parsed.get_body(("html",)) is not None


def test_headers():
    parsed = parse(compose())
    assert parsed["From"] == SENDER
    assert parsed["To"] == SUBSCRIBER
    assert parsed["Subject"] == "Board game night (Thu 26 Nov) and 1 more pick for your week"
    assert parsedate_to_datetime(parsed["Date"]) == NOW
    assert re.fullmatch(r"<[^@<>\s]+@kindred\.example>", parsed["Message-ID"])
    assert parsed["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    match = re.fullmatch(
        r"<(https://kindred\.example/unsubscribe/[A-Za-z0-9_.-]+)>,\s*"
        r"<mailto:digest@kindred\.example\?subject=unsubscribe>",
        str(parsed["List-Unsubscribe"]),
    )
    assert match, parsed["List-Unsubscribe"]
    data = verify_token(SECRET, token_of(match[1], "unsubscribe"), action="unsubscribe", now=NOW)
    assert data.email == SUBSCRIBER


def test_list_unsubscribe_is_not_mime_encoded_on_the_wire():
    raw = compose().as_bytes()
    header = re.search(rb"^List-Unsubscribe: .*?(?=^\S)", raw, re.M | re.S)[0]
    assert b"=?" not in header
    assert max(len(line) for line in header.splitlines()) < 998


def test_message_ids_are_unique():
    assert compose()["Message-ID"] != compose()["Message-ID"]


def test_every_link_is_web_and_action_tokens_verify():
    picks = [Pick(make_event(f"Event {i}", venue="Hall"), f"why {i}") for i in range(3)]
    _, text, html = parts(compose(picks=picks))
    hrefs = [href for href, _ in Html(html).links]
    assert hrefs and all(urlsplit(h).scheme in ("http", "https") for h in hrefs)
    assert all(urlsplit(u).scheme in ("http", "https") for u in re.findall(r"\b[a-z]+://\S+", text))

    later = NOW + timedelta(days=5)
    for label, prefix, action in (
        ("Not interested", "dismiss", "dismiss"),
        ("More like this", "more", "more_like"),
    ):
        urls = action_links(html, label)
        assert len(urls) == len(picks)
        for pick, url in zip(picks, urls, strict=True):
            data = verify_token(SECRET, token_of(url, prefix), action=action, now=later)
            assert (data.email, data.event_id) == (SUBSCRIBER, pick.event.id)
            assert url in text
    for label, prefix, action in (("Manage my interests", "preferences", "preferences"),
                                  ("Unsubscribe", "unsubscribe", "unsubscribe")):  # fmt: skip
        url = links(html)[label]
        assert verify_token(SECRET, token_of(url, prefix), action=action, now=later).email == SUBSCRIBER
        assert url in text


def test_each_pick_shows_title_link_when_place_host_price_and_why():
    _, text, html = parts(compose())
    assert links(html)["Board game night"] == "https://example.org/e/board-game-night"
    for body in (text, "".join(Html(html).text)):
        assert "Thu 26 Nov, 6 pm EST" in body
        assert "Snakes & Lattes" in body
        assert "Toronto Board Gamers" in body
        assert "Free" in body
        assert "strategy games" in body
        assert "Sat 28 Nov, 9 am EST" in body
        assert "CA$5" in body
        assert "Place to be confirmed" in body
    assert "a few things worth your time this week" in text.lower()


def test_script_title_arrives_as_text():
    evil = make_event("<script>alert(1)</script>", venue='<img src=x onerror="alert(2)">')
    _, text, html = parts(compose(picks=[Pick(evil, "<b>bold</b> claims")]))
    assert "<script" not in html.lower() and "<img" not in html.lower()
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "<script>alert(1)</script>" in "".join(Html(html).text)
    assert "<script>alert(1)</script>" in text
    assert '<img src=x onerror="alert(2)">' in text
    assert "<b>bold</b> claims" in text


@pytest.mark.parametrize(
    "url", ["javascript:alert(1)", "JavaScript:alert(1)", "java\tscript:alert(1)", "data:text/html,hi",
            "ftp://example.org/x", "https://", "mailto:x@example.org", "Room 4.5", "x@example.org"],
)  # fmt: skip
def test_non_web_event_url_is_not_linked(url):
    _, text, html = parts(compose(picks=[Pick(make_event("Sneaky", url=url), "why")]))
    assert "Sneaky" not in links(html)
    assert "Sneaky" in html
    assert url not in [href for href, _ in Html(html).links]
    assert f"   {url}\n" not in text
    assert "javascript" not in text.lower() and "javascript" not in html.lower()
    assert web_url(url) is None


def test_web_urls_are_kept():
    assert web_url(" https://example.org/e?id=1&x=2 ") == "https://example.org/e?id=1&x=2"
    assert web_url("HTTP://Example.org/") == "HTTP://Example.org/"
    _, _, html = parts(compose(picks=[Pick(make_event("Q", url="https://example.org/e?id=1&x=2"), "w")]))
    assert links(html)["Q"] == "https://example.org/e?id=1&x=2"


@pytest.mark.parametrize(
    ("start", "zone", "expected"),
    [
        (
            datetime(2026, 3, 8, 22, 0, tzinfo=UTC),
            "America/Toronto",
            "Sun 8 Mar, 6 pm EDT",
        ),  # first day of DST
        (datetime(2026, 3, 7, 23, 0, tzinfo=UTC), "America/Toronto", "Sat 7 Mar, 6 pm EST"),  # day before
        (datetime(2026, 11, 1, 6, 30, tzinfo=UTC), "America/Toronto", "Sun 1 Nov, 1:30 am EST"),  # fall back
        (
            datetime(2026, 11, 1, 5, 30, tzinfo=UTC),
            "America/Toronto",
            "Sun 1 Nov, 1:30 am EDT",
        ),  # same wall time
        (datetime(2026, 3, 8, 22, 0, tzinfo=UTC), "Europe/London", "Sun 8 Mar, 10 pm GMT"),
        (datetime(2026, 7, 1, 11, 5, tzinfo=UTC), "Europe/London", "Wed 1 Jul, 12:05 pm BST"),
        (datetime(2026, 7, 1, 0, 0, tzinfo=UTC), "Asia/Kolkata", "Wed 1 Jul, 5:30 am IST"),
        (datetime(2026, 7, 1, 15, 0, tzinfo=UTC), "America/Sao_Paulo", "Wed 1 Jul, 12 pm UTC-03"),
        (datetime(2026, 7, 1, 4, 0, tzinfo=UTC), "America/Toronto", "Wed 1 Jul, 12 am EDT"),
    ],
)
def test_local_time_with_zone_abbreviation(start, zone, expected):
    assert format_when(make_event(start=start), ZoneInfo(zone)) == expected


def test_dst_event_in_the_email():
    ev = make_event("Spring potluck", start=datetime(2026, 3, 8, 18, 0, tzinfo=TORONTO))
    _, text, html = parts(compose(picks=[Pick(ev, "food")], week="2026-W10"))
    assert "Sun 8 Mar, 6 pm EDT" in text and "Sun 8 Mar, 6 pm EDT" in html


def test_end_time_on_the_same_day_is_shown():
    ev = make_event(start=datetime(2026, 3, 8, 22, tzinfo=UTC), end=datetime(2026, 3, 9, 1, 30, tzinfo=UTC))
    assert format_when(ev, TORONTO) == "Sun 8 Mar, 6 pm – 9:30 pm EDT"
    overnight = make_event(
        start=datetime(2026, 3, 8, 22, tzinfo=UTC), end=datetime(2026, 3, 9, 6, tzinfo=UTC)
    )
    assert format_when(overnight, TORONTO) == "Sun 8 Mar, 6 pm EDT"


def test_all_day_keeps_its_date_in_any_zone():
    # All-day events start at midnight; shifting UTC midnight to Toronto would show the day before.
    ev = make_event("Craft fair", start=datetime(2026, 3, 7, tzinfo=UTC), all_day=True)
    assert format_when(ev, TORONTO) == "Sat 7 Mar, all day"
    assert format_when(ev, ZoneInfo("Asia/Tokyo")) == "Sat 7 Mar, all day"
    _, text, html = parts(compose(picks=[Pick(ev, "crafts")]))
    assert "Sat 7 Mar, all day" in text and "Sat 7 Mar, all day" in html


def test_online_mixed_and_status():
    online = make_event("Online choir", attendance="online", venue="Zoom room 3")
    mixed = make_event("Book club", attendance="mixed", venue="Library")
    moved = make_event("Moved meetup", status="postponed", venue="Cafe", organizer="Jo")
    _, text, _ = parts(compose(picks=[Pick(online, "a"), Pick(mixed, "b"), Pick(moved, "c")]))
    assert "Online choir\n   Thu 26 Nov, 6 pm EST · Online\n" in text
    assert "Library or online" in text
    assert "Cafe · Jo" in text
    assert "Postponed — check the listing" in text


def test_pass_it_on_gives_without_feedback_links():
    pottery = make_event("Wheel-throwing taster", venue="Clay Studio", price="$40")
    chess = make_event("Chess in the park", venue="Trinity Bellwoods")
    _, text, html = parts(
        compose(pass_on=[("Sam", "pottery", Pick(pottery, "clay")), ("Ann", Pick(chess, "chess"))])
    )
    for body in (text, "".join(Html(html).text)):
        assert "Pass it on".lower() in body.lower()
        assert "For Sam, who loves pottery: Wheel-throwing taster" in body
        assert "For Ann: Chess in the park" in body
    assert links(html)["Wheel-throwing taster"] == pottery.url
    assert len(action_links(html, "Not interested")) == 2  # only the subscriber's own picks
    assert text.count("Not interested:") == 2


def test_without_friends_pass_it_on_is_only_the_sign_up_link():
    _, text, html = parts(compose())
    assert "Something a friend might love" not in text + html and "Send it to" not in html
    assert f"Send them {BASE}/subscribe" in text and f"{BASE}/subscribe" in [h for h, _ in Html(html).links]


def test_quiet_week_still_has_manage_and_unsubscribe():
    _, text, html = parts(compose(picks=[]))
    assert "Nothing this week" in text
    assert {"Manage my interests", "Unsubscribe"} <= set(links(html))
    assert "Not interested" not in text


def test_html_is_mail_client_friendly():
    _, _, html = parts(compose(pass_on=[("Sam", Pick(make_event("Gift"), "x"))]))
    doc = Html(html)
    assert doc.tags <= ALLOWED_TAGS
    assert 'role="presentation"' in html
    assert "<style" not in html and "@import" not in html and "url(" not in html and "<link" not in html


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"week": "2026-48"}, "ISO week like 2026-W48"),
        ({"week": "2026-W54"}, "ISO week like 2026-W48"),
        ({"timezone": "Mars/Olympus"}, "IANA name"),
        ({"base_url": "javascript:alert(1)"}, "KINDRED_BASE_URL"),
        ({"base_url": "kindred.example"}, "KINDRED_BASE_URL"),
        ({"sender": "Kindred"}, "KINDRED_FROM"),
    ],
)
def test_bad_settings_give_one_clear_error(kwargs, message):
    with pytest.raises(DigestError, match=message):
        compose(**kwargs)


def test_missing_secret_is_refused():
    with pytest.raises(SecretMissingError, match="KINDRED_SECRET"):
        compose(secret="")


def test_week_start_and_trailing_slash_in_base_url():
    assert week_start("2026-W01").isoformat() == "2025-12-29"
    _, _, html = parts(compose(base_url="https://kindred.example/"))
    assert links(html)["Unsubscribe"].startswith("https://kindred.example/unsubscribe/")


text_without_controls = st.text(
    alphabet=st.characters(blacklist_categories=("Cs", "Cc")), min_size=1, max_size=60
).filter(lambda s: s.strip())


@settings(max_examples=40, deadline=None)
@given(title=text_without_controls, venue=text_without_controls, why=text_without_controls)
def test_any_event_text_is_escaped_in_html_and_kept_in_text(title, venue, why):
    ev = make_event(title, venue=venue, url="https://example.org/e/1")
    _, text, html = parts(compose(picks=[Pick(ev, why)]))
    doc = Html(html)
    assert doc.tags <= ALLOWED_TAGS
    assert links(html)[ev.title.strip()] == "https://example.org/e/1"
    assert ev.title in text


# --- what each pick says (issue: description, address, name, subject, forwarding, glitches) -------


def test_each_pick_has_a_one_line_description_and_its_address():
    ev = make_event("Pottery wheel night", venue="Clay & Co", address="12 Queen St W", city="Toronto",
                    description="Throw pots on the wheel.  Clay and glazes included! Ages 16+.")  # fmt: skip
    online = make_event("Online chess", attendance="online", address="Nowhere 1", description="")
    _, text, html = parts(compose(picks=[Pick(ev, "clay"), Pick(online, "chess")]))
    assert "   12 Queen St W, Toronto\n   Throw pots on the wheel.\n" in text
    assert "Clay and glazes" not in text and "12 Queen St W, Toronto" in "".join(Html(html).text)
    assert "Nowhere 1" not in text + html  # an online event has no street address to show


@pytest.mark.parametrize(
    ("description", "shown"),
    [
        ("A" + " long words" * 40, "A" + " long words" * 14 + "…"),
        ("Board game night", None),  # only repeats the title
        ("  \n ", None),
        ("Dr. Who night? Bring snacks.", "Dr. Who night?"),
    ],
)
def test_the_description_is_one_short_line(description, shown):
    from recommender.digest.event_view import event_view

    view = event_view(make_event(description=description), "", TORONTO)
    assert view.blurb == shown and (view.blurb is None or len(view.blurb) <= 160)


def test_the_greeting_uses_the_name_when_known():
    _, text, html = parts(compose(subscriber_name="  Robin  "))
    assert text.startswith("Hello Robin,\n") and "Hello Robin," in html
    _, text, html = parts(compose(subscriber_name="<b>Eve</b>"))
    assert "Hello <b>Eve</b>," in text and "Hello &lt;b&gt;Eve&lt;/b&gt;," in html
    assert parts(compose())[1].startswith("Hello,\n")


def test_the_subject_names_the_top_pick():
    long = make_event("A very long title " * 8 + "\r\nBcc: eve@example.org")
    parsed = parse(compose(picks=[Pick(long, "x")]))
    subject = parsed["Subject"]
    assert subject.startswith("A very long title") and subject.endswith("… (Thu 26 Nov) picked for your week")
    assert "Bcc" not in subject and parsed["Bcc"] is None


def test_scheme_less_links_are_linked_with_https():
    ev = make_event("Jazz jam", url="www.example.org/e/jazz?x=1")
    _, text, html = parts(compose(picks=[Pick(ev, "jazz")]))
    assert links(html)["Jazz jam"] == "https://www.example.org/e/jazz?x=1"
    assert "   https://www.example.org/e/jazz?x=1\n" in text


@pytest.mark.parametrize(
    ("hour", "minute", "shown"),
    [
        (2, 30, "Sat 28 Nov, time not given (see the listing)"),  # a 2:30 am "concert" from 2:30 to 2:30
        (0, 0, "Sat 28 Nov, time not given (see the listing)"),
        (19, 0, "Sat 28 Nov, 7 pm EST"),  # a start time and no length is an ordinary listing
    ],
)
def test_zero_length_events_at_odd_hours_show_their_date_only(hour, minute, shown):
    start = datetime(2026, 11, 28, hour, minute, tzinfo=TORONTO)
    assert format_when(make_event(start=start, end=start), TORONTO) == shown
    if hour < 6:  # a real late-night event with a length keeps its time
        later = make_event(start=start, end=start + timedelta(hours=2))
        assert format_when(later, TORONTO).startswith(f"Sat 28 Nov, {hour % 12 or 12}")


def test_pass_it_on_has_a_ready_to_forward_email_with_none_of_the_subscribers_links():
    from urllib.parse import parse_qs

    chess = make_event("Chess club", venue="Library", address="20 Main St")
    _, text, html = parts(compose(pass_on=[("Ana", "chess", Pick(chess, "chess"))]))
    forward = links(html)["Send it to Ana"]
    assert forward.startswith("mailto:?")
    fields = parse_qs(forward.removeprefix("mailto:?"))
    body = fields["body"][0]
    assert fields["subject"] == ["Thought of you: Chess club"] and body.startswith("Hi Ana,")
    assert "Library, 20 Main St" in body and chess.url in body and f"{BASE}/subscribe" in body
    assert not any(action in body for action in ("/unsubscribe/", "/dismiss/", "/more/", "/preferences/"))
    assert f"Send Ana this link (it is the listing's own): {chess.url}" in text
