"""The one way the web app answers with a short page: a title, a line, and optionally a button
(a form that POSTs to ``action``) or a link."""

from __future__ import annotations

from flask import render_template


def page(title: str, message: str, status: int = 200, **context):
    """``(html, status)`` of ``web_message.html``; ``action``/``button`` add a POST button,
    ``link``/``link_text`` a link, ``resend`` the "send me a new link" form."""
    return render_template("web_message.html", title=title, message=message, **context), status
