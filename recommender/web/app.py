"""``kindred serve``: the small web app behind the links in the digest.

Every page is reached through a signed token (:mod:`recommender.core.signing`), so nobody can act for
someone else; a forged, garbled, expired or mismatched token gets 403 and changes nothing.

* ``POST /unsubscribe/<token>`` — one-click unsubscribe (RFC 8058): 200 every time, idempotent.
  ``GET`` shows a confirmation page with the button (link checkers that fetch every URL in an email
  must not unsubscribe anyone).
* ``/dismiss/<token>``, ``/more/<token>`` — "not interested" / "more like this": ``GET`` asks,
  ``POST`` stores the feedback (a dismissed event is never sent to that person again; a like is kept
  for the ranker).
* ``/preferences/<token>`` — edit passions, location, mode and digest day/hour; shows the calendar feed.
* ``GET /calendar/<token>.ics`` — the subscriber's personal calendar feed
  (:mod:`recommender.calendars.feed`) with ``ETag``/``Last-Modified`` and 304 on conditional requests;
  a forged or revoked token gets 404 and no data.
* ``GET /event/<id>.ics`` — one event as an ``.ics`` file (public listing data, no token), for
  "add to calendar".
* ``/``, ``/subscribe`` and its confirmation links — the public sign-up, registered from
  :mod:`recommender.web.signup`.

Examples
--------
>>> from datetime import UTC, datetime
>>> from recommender.core.config import Settings
>>> from recommender.store.event_store import Store
>>> from recommender.people.subscribers import add_subscriber
>>> from recommender.core.signing import make_token
>>> store, now = Store("sqlite://"), datetime(2026, 11, 23, tzinfo=UTC)
>>> _ = add_subscriber(store, "sam@example.org", passions="pottery")
>>> client = create_app(store, Settings(secret="k"), clock=lambda: now).test_client()
>>> token = make_token("k", "sam@example.org", "unsubscribe", issued=now)
>>> client.post(f"/unsubscribe/{token}").status_code, client.post("/unsubscribe/forged.x").status_code
(200, 403)
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from urllib.parse import urlsplit

from flask import Flask, Response, abort, render_template, request
from werkzeug.http import is_resource_modified

from recommender.calendars.feed import (
    FeedNotFoundError,
    feed_token,
    feed_url,
    first_served,
    revisions_for,
    subscriber_for_token,
    webcal_url,
)
from recommender.calendars.feed_cache import FeedCache
from recommender.calendars.ics import build_calendar
from recommender.core.config import Settings
from recommender.core.places import PlaceError, place_label, resolve_place
from recommender.core.signing import TokenError, require_secret, verify_token
from recommender.people.subscribers import (
    DAYS,
    SubscriberError,
    edit_subscriber,
    record_feedback,
    token_subscriber,
    unsubscribe,
)
from recommender.people.tables import ensure_tables
from recommender.ranking.filters import MODES
from recommender.store.event_store import Store
from recommender.web.pages import page as _page
from recommender.web.signup import signup_views
from scrapers.errors import KindredError

# Unsubscribe links keep working long after the email was sent; the others expire sooner.
UNSUBSCRIBE_MAX_AGE = timedelta(days=400)
FEEDBACK = {"dismiss": ("dismiss", "dismiss"), "more": ("more_like", "like")}
MAX_REQUEST_BYTES = 64 * 1024  # the preferences form is a few hundred bytes
# RFC 8058: mail providers POST the one-click unsubscribe from their own servers, with no Origin.
CROSS_SITE_ALLOWED = {"unsubscribe_view"}


@dataclass(frozen=True)
class _Site:
    """What the views share: the secrets links are checked with, our own origins, and "now"."""

    verifying: tuple[str, ...]  # the signing secret first, then the ones before a rotation
    own_origins: set[str]
    clock: Callable[[], datetime]

    def check(self, token: str, action: str, **kw):
        return verify_token(self.verifying, token, action=action, now=self.clock(), **kw)


def create_app(store: Store, settings: Settings, *, clock: Callable[[], datetime] | None = None) -> Flask:
    """The Flask app for ``store``; ``clock`` returns "now" (injected in tests)."""
    secret = require_secret(settings.secret)
    ensure_tables(store)
    app = Flask(__name__)
    app.config["MAX_CONTENT_LENGTH"] = MAX_REQUEST_BYTES
    app.config["MAX_FORM_MEMORY_SIZE"] = MAX_REQUEST_BYTES
    site = _Site(
        verifying=(secret, *settings.old_secrets),  # links signed before a rotation keep working
        own_origins={_origin(settings.base_url)} - {None},
        clock=clock or (lambda: datetime.now(UTC)),
    )
    _guard(app, site)
    _calendar_views(app, store, site)
    _link_views(app, store, settings, site)
    signup_views(app, store, settings, site)
    return app


def _guard(app: Flask, site: _Site) -> None:
    """Error pages, the same-site rule for POSTs and the headers every answer carries."""

    @app.errorhandler(TokenError)
    def bad_token(exc):
        return _page("This link does not work", str(exc), 403)

    @app.errorhandler(404)
    def not_found(_exc):
        return _page("Not found", "There is nothing here. Use the links in your latest email.", 404)

    @app.errorhandler(413)
    def too_large(_exc):
        return _page("Too much", "That form was far larger than any answer needs; nothing was changed.", 413)

    @app.before_request
    def same_site_posts_only():
        # Only POST changes anything (GET and HEAD only show); a POST from another site's page is refused.
        if request.method != "POST" or request.endpoint in CROSS_SITE_ALLOWED:
            return None
        if not _same_site(request.headers, site.own_origins | {_origin(request.host_url)}):
            return _page("Not from here", "This form was sent from another site; nothing was changed.", 403)
        return None

    @app.after_request
    def headers(response):
        # Tokens sit in the URL: never leak them in a Referer, never cache the pages.
        response.headers["Referrer-Policy"] = "no-referrer"
        response.headers.setdefault("Cache-Control", "no-store")
        response.headers["X-Frame-Options"] = "DENY"
        response.headers.setdefault(  # a page may allow more (the sign-up's own script), never less
            "Content-Security-Policy",
            "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; frame-ancestors 'none'",
        )
        return response


def _calendar_views(app: Flask, store: Store, site: _Site) -> None:
    """Each subscriber's feed and one-event ``.ics`` files."""

    def ics(body: bytes, filename: str) -> Response:
        response = Response(body, mimetype="text/calendar")
        response.headers["Content-Disposition"] = f'inline; filename="{filename}"'
        return response

    feeds = FeedCache(store)

    @app.get("/calendar/<token>.ics")
    def calendar_feed(token):
        now = site.clock()
        try:
            sub = subscriber_for_token(store, site.verifying, token, now=now)
        except FeedNotFoundError:
            abort(404)
        state = feeds.state(sub, now=now)  # the ETag, without ranking: a 304 costs almost nothing
        response = ics(b"", "kindred.ics")
        response.set_etag(state.etag.strip('"'))
        response.last_modified = first_served(store, sub, state.etag, now)
        response.headers["Cache-Control"] = "private, max-age=900"
        if is_resource_modified(
            request.environ, etag=state.etag.strip('"'), last_modified=response.last_modified
        ):
            response.set_data(feeds.body(sub, now=now, state=state))
        return response.make_conditional(request)

    @app.get("/event/<event_id>.ics")
    def event_file(event_id):
        event = store.get(event_id)
        if event is None:
            abort(404)
        cal = build_calendar([(event, "")], stamp=site.clock(), revisions=revisions_for(store, [event]),
                             name=event.title)  # fmt: skip
        response = ics(cal.to_ical(), f"{event_id}.ics")
        response.headers["Cache-Control"] = "public, max-age=3600"
        return response


def _link_views(app: Flask, store: Store, settings: Settings, site: _Site) -> None:
    """What the digest's links do: unsubscribe, feedback, preferences."""

    @app.route("/unsubscribe/<token>", methods=["GET", "POST"])
    def unsubscribe_view(token):
        data = site.check(token, "unsubscribe", max_age=UNSUBSCRIBE_MAX_AGE)
        sub = token_subscriber(store, data)
        email = sub.email if sub is not None else data.email
        if email is None:
            return _page("Not subscribed", "This address is not subscribed any more.", 404)
        if request.method != "POST":
            return _page(
                "Unsubscribe?",
                f"Stop the weekly digest for {email}?",
                action=request.path,
                button="Unsubscribe",
            )
        unsubscribe(store, email, now=site.clock())
        return _page("You are unsubscribed", f"{email} will get no more digests. Thank you for reading.")

    @app.route("/dismiss/<token>", methods=["GET", "POST"], defaults={"kind": "dismiss"}, endpoint="dismiss")
    @app.route("/more/<token>", methods=["GET", "POST"], defaults={"kind": "more"}, endpoint="more")
    def feedback_view(token, kind):
        action, stored_as = FEEDBACK[kind]
        data = site.check(token, action)
        event = store.get(data.event_id) if data.event_id else None
        title = event.title if event else "this event"
        sub = token_subscriber(store, data)
        if sub is None or not data.event_id:
            return _page("Not subscribed", f"{data.email or 'This address'} is not subscribed any more.", 404)
        verb = "Hide" if kind == "dismiss" else "See more like"
        if request.method != "POST":
            return _page(f"{verb} this?", title, action=request.path, button=f"{verb} this")
        record_feedback(store, sub.email, data.event_id, stored_as, now=site.clock())
        done = "We won't suggest it again." if kind == "dismiss" else "We'll look for more like it."
        return _page("Thanks, noted", f"{title}: {done}")

    @app.route("/preferences/<token>", methods=["GET", "POST"])
    def preferences(token):
        data = site.check(token, "preferences")
        sub = token_subscriber(store, data)
        if sub is None:
            return _page("Not subscribed", f"{data.email or 'This address'} is not subscribed any more.", 404)
        error, saved, status = None, False, 200
        form = _form_values(sub)
        if request.method == "POST":
            form = {key: request.form.get(key, "").strip() for key in form}
            try:
                sub = edit_subscriber(store, sub.email, **_changes(form))
                saved, form = True, _form_values(sub)
            except (SubscriberError, KindredError) as exc:
                error, status = str(exc), 400
        calendar = feed_url(settings.base_url, feed_token(store, site.verifying[0], sub.email))
        context = {"form": form, "error": error, "saved": saved, "email": sub.email, "days": DAYS,
                   "title": "Your interests", "calendar_url": calendar,
                   "webcal_url": webcal_url(calendar)}  # fmt: skip
        return render_template("web_preferences.html", modes=MODES, **context), status


def _same_site(headers, own: set[str | None]) -> bool:
    """Whether a POST with these headers came from one of our own pages (or from no page at all).

    Browsers say where a request comes from in ``Sec-Fetch-Site``; older ones only in ``Origin``
    (``null`` under our ``no-referrer`` policy, so it cannot be told apart) and ``Referer``.
    Clients that are not browsers send none of them, and cannot be made to post by another site.

    >>> _same_site({"Sec-Fetch-Site": "same-origin"}, {"https://k.example"})
    True
    >>> _same_site({"Sec-Fetch-Site": "cross-site"}, {"https://k.example"})
    False
    >>> _same_site({"Origin": "https://evil.example"}, {"https://k.example"}), _same_site({}, set())
    (False, True)
    """
    fetch_site = headers.get("Sec-Fetch-Site")
    if fetch_site is not None:
        return fetch_site in ("same-origin", "none")
    origin = headers.get("Origin")
    if origin is not None and _origin(origin) not in own:
        return False
    referer = headers.get("Referer")
    return referer is None or _origin(referer) in own


def _origin(url: str | None) -> str | None:
    """``scheme://host[:port]`` of ``url`` (lower-cased), or None when it has none.

    >>> _origin("https://Kindred.example/preferences/abc?x=1"), _origin("null")
    ('https://kindred.example', None)
    """
    parts = urlsplit((url or "").strip())
    if not parts.scheme or not parts.netloc:
        return None
    return f"{parts.scheme}://{parts.netloc}".lower()


def _form_values(sub) -> dict:
    return {
        "passions": sub.passions,
        "near": place_label(*sub.near) if sub.near else "",
        "within_km": f"{sub.within_km:g}" if sub.within_km else "",
        "mode": sub.mode,
        "day": sub.day,
        "hour": str(sub.hour),
    }


def _changes(form: dict) -> dict:
    changes = {"passions": form["passions"], "mode": form["mode"] or None, "day": form["day"] or None}
    try:
        near = resolve_place(form["near"]).point if form["near"] else None
    except PlaceError as exc:
        raise SubscriberError(f"the place: {exc}") from None
    try:
        changes["hour"] = int(form["hour"]) if form["hour"] else None
        within = float(form["within_km"]) if form["within_km"] else None
    except ValueError:
        raise SubscriberError("write the hour as 0..23 and the distance in km, e.g. 10") from None
    changes.update(near=near, within_km=within)
    return changes
