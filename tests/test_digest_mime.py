"""The digest's MIME parts, put together directly, against the email package's own construction."""

from __future__ import annotations

import io
import re
from datetime import UTC, datetime
from email.generator import BytesGenerator
from email.message import EmailMessage
from email.utils import format_datetime

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from recommender.digest import compose
from recommender.digest.compose import _POLICY, _message

_BOUNDARY = re.compile(rb"={15}\d{19}==")
_MESSAGE_ID = re.compile(rb"Message-ID: <[^>]+>")
NOW = datetime(2026, 11, 23, 13, 0, tzinfo=UTC)


def reference(context: dict, sender: str, to: str, now: datetime, ics: bytes | None) -> EmailMessage:
    """The message as ``set_content``, ``add_alternative`` and ``add_attachment`` build it."""
    msg = EmailMessage(policy=_POLICY)
    msg["From"], msg["To"], msg["Subject"] = sender, to, context["subject"]
    msg["Date"] = format_datetime(now)
    msg["Message-ID"] = "<1.2026-W48@kindred.example>"
    msg["List-Unsubscribe"] = (
        f"<{context['unsubscribe_url']}>, <mailto:digest@kindred.example?subject=unsubscribe>"
    )
    msg["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click"
    msg["X-Kindred-Week"] = context["week"]
    msg.set_content(context["text"])
    msg.add_alternative(context["html"], subtype="html")
    if ics is not None:
        msg.add_attachment(
            ics, maintype="text", subtype="calendar", filename=f"kindred-{context['week']}.ics"
        )
    return msg


class _Template:
    def __init__(self, key: str):
        self.key = key

    def render(self, context: dict) -> str:
        return context[self.key]


class _Templates:
    def get_template(self, name: str) -> _Template:
        return _Template("text" if name.endswith(".txt.j2") else "html")


def _generated(msg: EmailMessage, policy) -> bytes:
    out = io.BytesIO()
    BytesGenerator(out, mangle_from_=False, policy=policy).flatten(msg)
    return out.getvalue()


def _normal(raw: bytes) -> bytes:
    boundaries = list(dict.fromkeys(_BOUNDARY.findall(raw)))
    for i, b in enumerate(boundaries):
        raw = raw.replace(b, b"BOUNDARY-%d" % i)
    return _MESSAGE_ID.sub(b"Message-ID: <id>", raw)


# what templates render: ASCII or not, short lines or very long, line breaks of each kind
BODY = st.lists(
    st.one_of(st.sampled_from(["Hello,\n", "x" * 90, "é", "—", "\r\n", "\r", "=", "--", "From me\n", " \n"]),
              st.text(max_size=30)),
    max_size=30,
).map("".join)  # fmt: skip


@pytest.fixture(scope="module")
def templates():
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(compose, "TEMPLATES", _Templates())
        yield patch


@settings(max_examples=150, deadline=None)
@given(
    text=BODY,
    html=BODY,
    subject=st.sampled_from(["Jazz jam (Fri 27 Nov) picked for your week", "Café — très long " * 6]),
    ics=st.one_of(st.none(), st.binary(max_size=3000)),
    to=st.sampled_from(["robin@example.org", "Robin Ö <robin@example.org>"]),
)
def test_the_same_bytes_as_the_email_packages_own_construction(templates, text, html, subject, ics, to):
    context = {"week": "2026-W48", "subject": subject, "text": text, "html": html,
               "unsubscribe_url": "https://kindred.example/unsubscribe/" + "t" * 120}  # fmt: skip
    sender = "Kindred <digest@kindred.example>"
    ours = _message(context, sender, to, NOW, ics)
    theirs = reference(context, sender, to, NOW, ics)
    for linesep in ("\n", "\r\n"):  # the outbox's files, the SMTP wire
        policy = _POLICY.clone(linesep=linesep)
        written = ours.as_bytes(policy=policy)
        assert _normal(written) == _normal(theirs.as_bytes(policy=policy))
        assert written == _generated(ours, policy)  # what smtplib's generator sends
    assert ours.get_body(("plain",)).get_content() == theirs.get_body(("plain",)).get_content()
    assert ours.get_body(("html",)).get_content() == theirs.get_body(("html",)).get_content()
    assert [a.get_content() for a in ours.iter_attachments()] == [
        a.get_content() for a in theirs.iter_attachments()
    ]
