"""The public sign-up: the home page, ``/subscribe`` and its double opt-in.

* ``GET /`` — what Kindred is, and the way to sign up.
* ``GET /subscribe`` — the form: passions in your own words, where you are and how far you would
  travel, in person or online, your name (optional) and email. ``POST`` with ``action=preview``
  shows the picks this week's digest would hold (the digest's own choice,
  :func:`recommender.digest.choice.choose_digest`) and changes nothing; ``action=subscribe`` stores
  the sign-up and sends the confirmation email (:mod:`recommender.digest.confirmation`) through the
  configured sender. Nobody is subscribed before opening that email's link.
* ``GET /subscribe/preview?passions=…`` — the preview alone, which the page's script
  (``/subscribe/preview.js``) fetches as the person types: the live preview.
* ``/subscribe/confirm/<token>`` — ``GET`` shows what will be confirmed and a button, ``POST``
  confirms. An expired or forged link shows the form that asks for a new one.
* ``POST /subscribe/resend`` — a new confirmation link for a sign-up still waiting. The answer is the
  same whatever the address, so nobody learns from it who is subscribed.

Sign-ups are rate-limited per client and per address (:mod:`recommender.people.signups`).

>>> from datetime import UTC, datetime
>>> from recommender.core.config import Settings
>>> from recommender.store.event_store import Store
>>> from recommender.web.app import create_app
>>> now = datetime(2026, 11, 23, 9, tzinfo=UTC)
>>> client = create_app(Store("sqlite://"), Settings(secret="k"), clock=lambda: now).test_client()
>>> page = client.get("/subscribe")
>>> page.status_code, b'name="passions"' in page.data
(200, True)
"""

from __future__ import annotations

from types import SimpleNamespace

from flask import Flask, Response, render_template, request

from recommender.core.config import Settings
from recommender.core.places import PlaceError, resolve_place
from recommender.core.signing import TokenError
from recommender.digest.choice import choose_digest
from recommender.digest.confirmation import CONFIRM_MAX_AGE, send_confirmation
from recommender.digest.event_view import event_view
from recommender.digest.run import make_sender
from recommender.mail.message import DeliveryError, MailConfigError
from recommender.mail.smtp import SmtpSender
from recommender.people.signups import (
    PREVIEWS,
    SignUpExpired,
    SignUpLimited,
    confirm_signup,
    get_signup,
    renew_signup,
    request_signup,
    validate_details,
)
from recommender.people.subscribers import MAX_WITHIN_KM, SubscriberError, validate_email
from recommender.ranking.filters import MODES
from recommender.store.event_store import Store
from recommender.web.pages import page
from scrapers.errors import KindredError
from scrapers.zones import get_zone

FIELDS = ("name", "email", "passions", "near", "within_km", "mode", "timezone")
PREVIEWED = ("passions", "near", "within_km", "mode", "timezone")  # never the name or address
# The form page runs its own script (the live preview), which fetches from this site only.
FORM_POLICY = (
    "default-src 'none'; style-src 'unsafe-inline'; script-src 'self'; connect-src 'self'; "
    "form-action 'self'; frame-ancestors 'none'"
)
SENT = (
    "Check your inbox",
    "We sent a confirmation link to {email}. Open it to start your weekly email; nothing is sent "
    "until you do. No email after a few minutes? Look in your spam folder, or ask for a new link.",
)
CLOSED = (
    "Signing up is not open here yet: this Kindred cannot send the confirmation email (its organiser "
    "sets KINDRED_SMTP_URL or KINDRED_OUTBOX). You can still preview your picks."
)
RESENT = (
    "Check your inbox",
    "If a sign-up is waiting for that address, a new confirmation link is on its way.",
)


def signup_views(app: Flask, store: Store, settings: Settings, site) -> None:
    """Register the home page and the sign-up views on ``app`` (``site``: the app's secrets and clock)."""

    @app.get("/")
    def home():
        return page(
            "Events that match what you love",
            "Kindred sends you a short weekly email of the few local events that fit what you love "
            "— board games, choirs, trail runs, pottery — not business networking.",
            link="/subscribe",
            link_text="Sign up for your weekly email",
        )

    @app.route("/subscribe", methods=["GET", "POST"])
    def subscribe():
        form = _defaults(settings)
        if request.method == "GET":
            try:
                _sender(settings)
            except MailConfigError:
                return _form_page(form, error=CLOSED, status=200)
            return _form_page(form)
        form = {key: request.form.get(key, "").strip() for key in FIELDS}
        try:
            details = _details(form)
            if request.form.get("action") == "preview":
                if not PREVIEWS.take(store, _client(), site.clock()):
                    raise SignUpLimited(
                        "too many previews from here in the last hour; please try again later"
                    )
                return _form_page(form, preview=_preview(store, details, site.clock()))
            email = validate_email(form["email"])
            sender = _sender(settings)
            signup = request_signup(store, email, details, client=_client(), now=site.clock())
            if signup is not None:
                send_confirmation(sender, settings, signup, now=site.clock())
        except SignUpLimited as exc:
            return page("Please wait a little", f"{str(exc).capitalize()}.", 429)
        except (MailConfigError, DeliveryError):
            return page(
                "We could not send the email",
                "The confirmation email could not be sent just now; nothing was subscribed. Please try "
                "again later.",
                503,
            )
        except (SubscriberError, KindredError) as exc:
            return _form_page(form, error=str(exc), status=400)
        return page(SENT[0], SENT[1].format(email=email), resend=True)

    @app.get("/subscribe/preview")
    def preview():
        form = _defaults(settings) | {key: request.args.get(key, "").strip() for key in PREVIEWED}
        if not PREVIEWS.take(store, _client(), site.clock()):
            message = "Too many previews from here in the last hour; please try again later."
            return render_template("web_preview.html", preview=None, preview_error=message), 429
        try:
            picks = _preview(store, _details(form | {"name": ""}), site.clock())
        except (SubscriberError, KindredError) as exc:
            return render_template("web_preview.html", preview=None, preview_error=str(exc)), 400
        return render_template("web_preview.html", preview=picks, preview_error=None)

    @app.get("/subscribe/preview.js")
    def preview_script():
        response = Response(render_template("signup.js"), mimetype="text/javascript")
        response.headers["Cache-Control"] = "public, max-age=3600"
        return response

    @app.route("/subscribe/confirm/<token>", methods=["GET", "POST"])
    def confirm(token):
        try:
            data = site.check(token, "confirm", max_age=CONFIRM_MAX_AGE)
        except TokenError as exc:
            message = f"{str(exc).capitalize()}. Or ask for a new confirmation link here:"
            return page("This link does not work", message, 403, resend=True)
        signup = get_signup(store, data.subscriber_id) if data.subscriber_id is not None else None
        if signup is None:
            return page("This link does not work", "This sign-up is no longer waiting.", 404, resend=True)
        if request.method != "POST":
            if signup.confirmed_at is not None:
                return page("Already confirmed", f"{signup.email} is subscribed. See you in your inbox.")
            return render_template(
                "web_confirm.html", title="Confirm your sign-up", signup=signup, action=request.path
            )
        try:
            sub = confirm_signup(store, signup.id, now=site.clock())
        except SignUpExpired as exc:
            return page("This link does not work", f"{str(exc).capitalize()}.", 410, link="/subscribe",
                        link_text="Sign up again")  # fmt: skip
        return page(
            "You are subscribed",
            f"{sub.email} will get Kindred's weekly email, on {sub.day.capitalize()} at {sub.hour}:00 "
            f"({sub.timezone}). Every email has links to change your interests or stop it.",
        )

    @app.post("/subscribe/resend")
    def resend():
        try:
            sender = _sender(settings)
            signup = renew_signup(store, request.form.get("email", ""), client=_client(), now=site.clock())
            if signup is not None:
                send_confirmation(sender, settings, signup, now=site.clock())
        except SignUpLimited as exc:
            return page("Please wait a little", f"{str(exc).capitalize()}.", 429)
        except (MailConfigError, DeliveryError):
            return page("We could not send the email", "Please try again later.", 503)
        return page(*RESENT)


def _defaults(settings: Settings) -> dict:
    return {key: "" for key in FIELDS} | {"mode": "any", "timezone": settings.timezone or "UTC"}


def _form_page(form: dict, *, preview=None, error: str | None = None, status: int = 200):
    context = {"title": "Sign up", "form": form, "modes": MODES, "preview": preview, "error": error,
               "preview_error": None}  # fmt: skip
    response = Response(render_template("web_subscribe.html", **context), status=status)
    response.headers["Content-Security-Policy"] = FORM_POLICY
    return response


def _details(form: dict) -> dict:
    """The sign-up's details from the form, checked (:class:`SubscriberError` says what to fix)."""
    try:
        within = float(form["within_km"]) if form["within_km"] else None
        if within is not None and not 0 < within <= MAX_WITHIN_KM:  # NaN too
            raise ValueError
    except ValueError:
        raise SubscriberError(
            f"write the distance in km, more than 0 and at most {MAX_WITHIN_KM:,}, e.g. 10"
        ) from None
    near = _place(form["near"])
    if near is not None and within is None:
        raise SubscriberError("say how far you would travel, e.g. 10 km, or leave the place empty")
    if near is None and within is not None:
        raise SubscriberError("say where you are, or leave the distance empty")
    return validate_details({"name": form["name"], "passions": form["passions"], "near": near,
                             "within_km": within, "mode": form["mode"] or "any",
                             "timezone": form["timezone"] or "UTC"})  # fmt: skip


def _place(text: str) -> tuple[float, float] | None:
    """Where the person is, as they wrote it (the one place the sign-up reads a place)."""
    if not text:
        return None
    try:
        return resolve_place(text).point
    except PlaceError as exc:
        raise SubscriberError(f"the place: {exc}") from None


def _preview(store: Store, details: dict, now):
    """The picks this week's digest would hold for ``details``, as the email shows them."""
    from recommender.ranking.saved_index import ranking_of  # slow to import; only a preview needs it

    person = SimpleNamespace(**details | {"friends": [], "near": tuple(details["near"] or ()) or None})
    zone = get_zone(details["timezone"])
    choice = choose_digest(ranking_of(store) if store.count() else None, person, now=now.astimezone(zone))
    return [event_view(p.event, p.why, zone) for p in choice.picks]


def _sender(settings: Settings):
    """The configured sender, answering within seconds (a sign-up page must not hang on mail)."""
    sender = make_sender(settings)
    if isinstance(sender, SmtpSender):
        sender.timeout, sender.retries, sender.backoff = 15.0, 1, 1.0
    return sender


def _client() -> str:
    """Who is asking, for the per-client limit: the connecting address."""
    return request.remote_addr or "unknown"
