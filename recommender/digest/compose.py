"""Compose the weekly digest email: a few events worth someone's time, and one or two to pass on.

The message is ``multipart/alternative`` (plain text first, then HTML), wrapped in
``multipart/mixed`` with a ``text/calendar`` attachment when one is given. The HTML is built for mail
clients: table layout, inline styles, no scripts, no remote fonts or images. Everything that comes from
an event is escaped, and only ``http(s)`` links are ever linked. Links that act for the subscriber
(not interested, more like this, manage interests, unsubscribe) carry signed tokens from
:mod:`recommender.core.signing`. Each pick has "add to calendar" links (Kindred's one-event ``.ics`` and a
Google Calendar template link), and the footer shows the subscriber's calendar feed when one is given.
The subject names the top pick; each pick shows a one-line description and its address
(:mod:`recommender.digest.event_view`); "Pass it on" gives each friend's pick a ready-to-send email
(:func:`forward_link`) and everyone the public sign-up link, which carries nothing of theirs.

Examples
--------
>>> from datetime import UTC, datetime
>>> from types import SimpleNamespace
>>> from scrapers.event import Event
>>> ev = Event(title="Board game night", start=datetime(2026, 11, 26, 23, tzinfo=UTC),
...            url="https://example.org/e/1", venue="Snakes & Lattes", is_free=True)
>>> msg = compose_digest(picks=[SimpleNamespace(event=ev, why="you love strategy games")], pass_on=[],
...     subscriber_email="sam@example.org", sender="Kindred <digest@kindred.example>",
...     base_url="https://kindred.example", secret="s3cret", week="2026-W48",
...     now=datetime(2026, 11, 23, 8, tzinfo=UTC), timezone="America/Toronto")
>>> msg["Subject"]
'Board game night (Thu 26 Nov) picked for your week'
>>> msg.get_content_type()
'multipart/alternative'
>>> "Thu 26 Nov, 6 pm EST" in msg.get_body(("plain",)).get_content()
True
"""

from __future__ import annotations

import random
import re
import sys
from datetime import date, datetime
from email.contentmanager import _encode_base64, _encode_text  # the encodings set_content chooses
from email.message import EmailMessage
from email.policy import EmailPolicy
from email.utils import format_datetime, make_msgid, parseaddr
from typing import Any
from urllib.parse import quote, urlsplit
from zoneinfo import ZoneInfo

from jinja2 import Environment, PackageLoader, StrictUndefined

from recommender.core.links import web_url
from recommender.core.signing import make_token
from recommender.digest.event_view import EventView, day_label, event_view
from scrapers.errors import KindredError
from scrapers.event import in_sane_years
from scrapers.zones import get_zone

_WEEK = re.compile(r"^(\d{4})-W(\d{2})$")
SUBJECT_TITLE = 60  # characters of the top pick's title in the subject

TEMPLATES = Environment(
    loader=PackageLoader("recommender.digest", "templates"),
    autoescape=lambda name: bool(name) and name.endswith(".html.j2"),
    undefined=StrictUndefined,
    trim_blocks=True,
    lstrip_blocks=True,
    keep_trailing_newline=True,
)


class _DigestPolicy(EmailPolicy):
    """The default policy, except that ``List-Unsubscribe`` is folded only between its URIs.

    The stock folder would turn a long token URL into RFC 2047 encoded-words, which mail providers
    do not decode, and one-click unsubscribe would break.
    """

    def fold(self, name: str, value: Any) -> str:
        text = str(value)
        if name.lower() == "list-unsubscribe" and text.isascii() and len(text) < 900:
            return f"{name}: " + f",{self.linesep} ".join(text.split(", ")) + self.linesep
        return super().fold(name, value)

    def fold_binary(self, name: str, value: Any) -> bytes:
        text = str(value)
        if name.lower() == "list-unsubscribe" and text.isascii() and len(text) < 900:
            return self.fold(name, value).encode("ascii")
        return super().fold_binary(name, value)


_POLICY = _DigestPolicy()


class DigestError(KindredError):
    """The digest cannot be composed from the settings given (week, time zone, base URL, sender)."""


def week_start(week: str) -> date:
    """Monday of an ISO week written ``YYYY-Www``.

    >>> week_start("2026-W48")
    datetime.date(2026, 11, 23)
    """
    match = _WEEK.match(week or "")
    try:
        if not match or not in_sane_years(int(match[1])):
            raise ValueError
        return date.fromisocalendar(int(match[1]), int(match[2]), 1)
    except ValueError:
        raise DigestError(f"bad week {week!r}: write an ISO week like 2026-W48") from None


def compose_digest(
    *,
    picks: list[Any],
    pass_on: list[tuple],
    subscriber_email: str,
    sender: str,
    base_url: str,
    secret: str,
    week: str,
    now: datetime,
    timezone: str,
    ics_attachment: bytes | None = None,
    calendar_feed_url: str | None = None,
    subscriber_id: int | None = None,
    subscriber_name: str | None = None,
    thin: dict[str, list[str]] | None = None,
) -> EmailMessage:
    """Build one subscriber's weekly digest.

    Parameters
    ----------
    picks : list
        Objects with ``.event`` (:class:`~scrapers.event.Event`) and ``.why`` (one line).
    pass_on : list of tuple
        ``(friend_name, pick)``, or ``(friend_name, what_they_love, pick)`` to say
        "For Sam, who loves pottery".
    subscriber_email, sender : str
        ``To`` and ``From`` (``sender`` may carry a display name).
    base_url : str
        Where ``kindred serve`` is reachable (``KINDRED_BASE_URL``); action links start here.
    secret : str
        ``KINDRED_SECRET``, which signs the action links.
    week : str
        ISO week ``YYYY-Www`` the digest is for.
    now : datetime
        Timezone-aware send time: the ``Date`` header and the tokens' issue time.
    timezone : str
        The subscriber's IANA zone, e.g. ``America/Toronto``.
    ics_attachment : bytes, optional
        An iCalendar file of the picks, attached as ``kindred-<week>.ics``.
    calendar_feed_url : str, optional
        The subscriber's personal feed (:func:`recommender.calendars.feed.feed_url`), shown with
        "subscribe in your calendar" instructions and a ``webcal://`` link.
    subscriber_id : int, optional
        The subscriber's number: the action links then carry it instead of the address, so a
        forwarded or logged link says nothing about the person.
    subscriber_name : str, optional
        How to greet them ("Hello Robin,"); "Hello," without it.
    thin : dict, optional
        The subscriber's passions the events hold too little for, each with related hobbies that
        have events: said plainly, so a short digest is not mistaken for a padded one.

    Returns
    -------
    email.message.EmailMessage
    """
    monday = week_start(week)
    zone = _zone(timezone)
    base = base_url_of(base_url)
    sender_address = parseaddr(sender)[1]
    if "@" not in sender_address:
        raise DigestError(f"sender {sender!r} is not an email address: set KINDRED_FROM to one")
    if now.tzinfo is None:
        raise ValueError(f"now must be a timezone-aware datetime, got {now!r}")

    def link(action: str, path: str, event_id: str | None = None) -> str:
        who = subscriber_id if subscriber_id is not None else subscriber_email
        token = make_token(secret, who, action, event_id=event_id, issued=now)
        return f"{base}/{path}/{token}"

    items = [
        event_view(
            p.event,
            p.why,
            zone,
            link("dismiss", "dismiss", p.event.id),
            link("more_like", "more", p.event.id),
            base,
        )
        for p in picks
    ]
    gifts = [_gift(entry, zone, base) for entry in pass_on]
    unsubscribe_url = link("unsubscribe", "unsubscribe")
    context = {
        "subject": digest_subject(items, monday),
        "name": " ".join((subscriber_name or "").split()) or None,
        "signup_url": f"{base}/subscribe",
        "week": week,
        "items": items,
        "gifts": gifts,
        "thin": [
            {"passion": passion, "related": ", ".join(related)} for passion, related in (thin or {}).items()
        ],
        "subscriber_email": subscriber_email,
        "preferences_url": link("preferences", "preferences"),
        "unsubscribe_url": unsubscribe_url,
        "calendar_url": calendar_feed_url,
        "webcal_url": "webcal://" + calendar_feed_url.split("://", 1)[1] if calendar_feed_url else None,
    }

    return _message(context, sender, subscriber_email, now, ics_attachment)


def _message(
    context: dict, sender: str, to: str, now: datetime, ics_attachment: bytes | None
) -> EmailMessage:
    """The email itself: headers (one-click unsubscribe included), text and HTML parts, the .ics.

    The parts are put together as ``set_content``, ``add_alternative`` and ``add_attachment``
    would (the same headers, encodings and bytes; the tests compare them), but their fixed
    headers are stored as written and their bodies encoded once, instead of parsed and rebuilt."""
    week, unsubscribe_url = context["week"], context["unsubscribe_url"]
    sender_address = parseaddr(sender)[1]
    msg = _Composed(policy=_POLICY)
    msg["From"] = sender
    msg["To"] = to
    msg["Subject"] = context["subject"]
    msg.set_raw("Date", format_datetime(now))
    msg["Message-ID"] = make_msgid(idstring=week, domain=sender_address.rpartition("@")[2])
    msg["List-Unsubscribe"] = f"<{unsubscribe_url}>, <mailto:{sender_address}?subject=unsubscribe>"
    msg.set_raw("List-Unsubscribe-Post", "List-Unsubscribe=One-Click")
    msg["X-Kindred-Week"] = week
    text = _text_part(TEMPLATES.get_template("digest.txt.j2").render(context), "plain", mime_version=False)
    html = _text_part(TEMPLATES.get_template("digest.html.j2").render(context), "html")
    parts = [_multipart("alternative", [text, html])]
    if ics_attachment is not None:
        calendar = _part([
            ("Content-Type", "text/calendar"), ("Content-Transfer-Encoding", "base64"),
            ("Content-Disposition", f'attachment; filename="kindred-{week}.ics"'), ("MIME-Version", "1.0"),
        ], _encode_base64(ics_attachment, _POLICY.max_line_length))  # fmt: skip
        parts = [_multipart("mixed", [parts[0], calendar])]
    msg.set_raw("MIME-Version", "1.0")
    for name, value in parts[0].raw_items():
        msg.set_raw(name, value)
    msg.set_payload(parts[0].get_payload())
    return msg


class _Composed(EmailMessage):
    """A message :func:`_message` put together: written out directly, with the bytes the email
    package's generator writes (the tests compare them), without its per-part header parsing."""

    def as_bytes(self, unixfrom: bool = False, policy=None) -> bytes:
        policy = self.policy if policy is None else policy
        if unixfrom:
            return super().as_bytes(unixfrom, policy)
        try:
            return _flat(self, policy)
        except _Unusual:
            return super().as_bytes(unixfrom, policy)


class _Unusual(Exception):
    """A part :func:`_flat` leaves to the generator (a preamble, an epilogue, no boundary)."""


_LINE_END = re.compile(r"\r\n|\r|\n")


def _flat(part: EmailMessage, policy) -> bytes:
    """``part`` as ``BytesGenerator`` writes it: headers folded by ``policy``, a blank line, then
    the body with ``policy``'s line ends (a multipart's parts between its boundary lines)."""
    nl = policy.linesep
    head = b"".join(policy.fold_binary(name, value) for name, value in part.raw_items()) + nl.encode()
    payload = part._payload  # as stored: what the generator writes (get_payload would decode it)
    if isinstance(payload, str):
        return head + _LINE_END.sub(nl, payload).encode("ascii", "surrogateescape")
    boundary = part.get_boundary()
    if not boundary or not payload or part.preamble is not None or part.epilogue is not None:
        raise _Unusual
    between = f"{nl}--{boundary}{nl}".encode()
    body = between.join(_flat(p, policy) for p in payload)
    return head + f"--{boundary}{nl}".encode() + body + f"{nl}--{boundary}--{nl}".encode()


def _part(headers: list[tuple[str, str]], payload) -> EmailMessage:
    """A MIME part with ``headers`` as written (short lines: sent as they are) and ``payload``."""
    part = EmailMessage(policy=_POLICY)
    for name, value in headers:
        part.set_raw(name, value)
    part.set_payload(payload)
    return part


def _text_part(text: str, subtype: str, *, mime_version: bool = True) -> EmailMessage:
    """``text`` as UTF-8, in the transfer encoding ``set_content`` would choose for it."""
    cte, body = _encode_text(text, "utf-8", None, _POLICY)
    headers = [("Content-Type", f'text/{subtype}; charset="utf-8"'), ("Content-Transfer-Encoding", cte)]
    return _part(headers + ([("MIME-Version", "1.0")] if mime_version else []), body)


def _multipart(subtype: str, parts: list[EmailMessage]) -> EmailMessage:
    """``parts`` in a ``multipart/<subtype>`` with a boundary none of them holds."""
    bodies = [p._payload for p in parts if isinstance(p._payload, str)]  # as stored, undecoded
    while True:
        boundary = "=" * 15 + f"{random.randrange(sys.maxsize):0{len(repr(sys.maxsize - 1))}d}" + "=="
        if not any(boundary in body for body in bodies):
            break
    fold = " " if len(f'Content-Type: multipart/{subtype}; boundary="{boundary}"') <= 78 else "\n "
    return _part([("Content-Type", f'multipart/{subtype};{fold}boundary="{boundary}"')], parts)


def digest_subject(items: list[EventView], monday: date) -> str:
    """The subject: the top pick by name and day, and how many more there are.

    >>> from types import SimpleNamespace
    >>> jam = SimpleNamespace(title="Jazz jam", when="Fri 27 Nov, 8 pm EST")
    >>> digest_subject([jam, jam, jam], date(2026, 11, 23))
    'Jazz jam (Fri 27 Nov) and 2 more picks for your week'
    >>> digest_subject([], date(2026, 11, 23))
    'Your Kindred picks — week of Mon 23 Nov'
    """
    if not items:
        return f"Your Kindred picks — week of {day_label(monday)}"
    title = " ".join(items[0].title.split())
    if len(title) > SUBJECT_TITLE:
        title = title[: SUBJECT_TITLE - 1].rsplit(" ", 1)[0] + "…"
    day = items[0].when.split(",", 1)[0]
    more = len(items) - 1
    rest = f"and {more} more pick{'s' if more > 1 else ''} for your week" if more else "picked for your week"
    return f"{title} ({day}) {rest}"


def forward_link(view: EventView, friend: str, signup_url: str) -> str:
    """A ``mailto:`` link that opens a ready-to-send email to ``friend`` about the event: its title,
    when and where, its listing, and where to sign up. It carries none of the subscriber's links.

    >>> from types import SimpleNamespace
    >>> view = SimpleNamespace(title="Chess club", when="Thu 26 Nov, 6 pm EST", place="Library",
    ...                        address=None, url="https://example.org/e/chess")
    >>> forward_link(view, "Ana", "https://kindred.example/subscribe")[:60]
    'mailto:?subject=Thought%20of%20you%3A%20Chess%20club&body=Hi'
    """
    lines = [f"Hi {friend},", "", "I thought you would enjoy this:", "", view.title, view.when,
             ", ".join(p for p in (view.place, view.address) if p)]  # fmt: skip
    if view.url:
        lines.append(view.url)
    lines += ["", f"Found with Kindred, a weekly email of events that fit what you love: {signup_url}"]
    subject = quote(f"Thought of you: {view.title}", safe="")
    return f"mailto:?subject={subject}&body={quote(chr(10).join(lines), safe='')}"


def _gift(entry: tuple, zone: ZoneInfo, base: str) -> dict:
    if len(entry) == 3:
        friend, loves, pick = entry
    else:
        (friend, pick), loves = entry, None
    # No action links here: the subscriber's feedback should not be learned from a friend's pick.
    view = event_view(pick.event, pick.why, zone)
    return {
        "friend": friend,
        "loves": loves,
        "event": view,
        "forward_url": forward_link(view, friend, f"{base}/subscribe"),
    }


def _zone(name: str) -> ZoneInfo:
    try:
        return get_zone(name)
    except ValueError:
        raise DigestError(f"unknown time zone {name!r}: use an IANA name like America/Toronto") from None


def base_url_of(url: str) -> str:
    """``KINDRED_BASE_URL`` without its trailing slash, or :class:`DigestError` when it is not an
    http(s) address links can start with.

    >>> base_url_of("https://kindred.example/")
    'https://kindred.example'
    """
    if not web_url(url) or not url.isascii() or urlsplit(url).query or urlsplit(url).fragment:
        raise DigestError(
            f"base URL {url!r} is not an http(s) address: set KINDRED_BASE_URL to where "
            "`kindred serve` is reachable, e.g. https://kindred.example.org"
        )
    return url.strip().rstrip("/")
