"""The SMTP connection itself: smtplib's clients that know when a message's data has gone out (after
which a lost answer means "maybe delivered"), and SMTP replies and socket errors as short text.

>>> reply_text(550, b"5.1.1  no such  user"), permanent(550), permanent(451)
('550 5.1.1 no such user', True, False)
"""

from __future__ import annotations

import smtplib
from collections.abc import Callable


class _Handover:
    """Knows when the message itself has gone out: after that, a lost answer means "maybe delivered"."""

    before_data: Callable[[], None] | None = None
    handed_over = False

    def data(self, msg):
        if self.before_data is not None:
            self.before_data()
        return super().data(msg)

    def send(self, s):
        super().send(s)
        if isinstance(s, bytes) and s.endswith(b"\r\n.\r\n"):  # the end of the message data
            self.handed_over = True


class Smtp(_Handover, smtplib.SMTP):
    """``smtplib.SMTP`` that knows when the message has gone out."""


class Smtps(_Handover, smtplib.SMTP_SSL):
    """``smtplib.SMTP_SSL`` that knows when the message has gone out."""


def permanent(code: int) -> bool:
    return 500 <= code < 600


def reply_text(code: int, text: bytes | str) -> str:
    if isinstance(text, bytes):
        text = text.decode("utf-8", "replace")
    return f"{code} {' '.join(str(text).split())}".strip()


def oserror_text(exc: OSError) -> str:
    if isinstance(exc, TimeoutError):
        return "timed out"
    detail = exc.strerror or str(exc)
    return f"{type(exc).__name__}: {detail}" if detail else type(exc).__name__
