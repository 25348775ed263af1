"""Write digests to a directory of ``.eml`` files instead of sending them (``digest --outbox DIR``).

Same interface as :class:`recommender.mail.smtp.SmtpSender`: ``send(msg) -> None``.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import re
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from email.message import EmailMessage, Message
from email.utils import parsedate_to_datetime
from pathlib import Path

from recommender.mail.message import MailConfigError, envelope


@dataclass
class OutboxSender:
    """Write each message to ``directory`` as ``<week>_<recipient>.eml`` instead of sending it.

    The file is written atomically (temporary file, then rename). Writing the same week's digest for
    the same person again replaces the file, so the outbox never holds a digest twice. A message that
    is not a digest says what it is in ``X-Kindred-Purpose`` (e.g. ``confirm``) and is written as
    ``<purpose>-<its Message-ID's hash>_<recipient>.eml``, beside the digests.

    >>> import tempfile
    >>> from email.message import EmailMessage
    >>> msg = EmailMessage()
    >>> msg["To"], msg["X-Kindred-Week"] = "sam@example.org", "2026-W48"
    >>> outbox = OutboxSender(tempfile.mkdtemp())
    >>> outbox.send(msg)
    >>> [p.name for p in outbox.directory.iterdir()]
    ['2026-W48_sam@example.org.eml']
    """

    directory: Path

    def __post_init__(self) -> None:
        self.directory = Path(self.directory)

    def path_for(self, msg: Message) -> Path:
        """Where :meth:`send` writes ``msg``."""
        _, recipients = envelope(msg, need_sender=False)
        week = msg.get("X-Kindred-Week") or _iso_week(msg.get("Date")) or "undated"
        if msg.get("X-Kindred-Purpose"):
            digest = hashlib.sha256(str(msg.get("Message-ID", "")).encode()).hexdigest()[:12]
            week = f"{msg['X-Kindred-Purpose']}-{digest}"
        name = f"{_safe_name(week)}_{'+'.join(_safe_name(r) for r in recipients)}"[:200]
        return self.directory / f"{name}.eml"

    def __enter__(self) -> OutboxSender:
        return self

    def __exit__(self, *exc_info) -> None:
        return None

    def send(self, msg: EmailMessage, *, before_data: Callable[[], None] | None = None) -> None:
        """Write ``msg`` to its ``.eml`` file (replacing an earlier one for the same week and person);
        ``before_data`` is called first, as :meth:`SmtpSender.send <recommender.mail.smtp.SmtpSender.send>`
        does."""
        path = self.path_for(msg)
        if before_data is not None:
            before_data()
        tmp = None
        try:
            self.directory.mkdir(parents=True, exist_ok=True)
            with tempfile.NamedTemporaryFile(
                dir=self.directory, prefix=".", suffix=".tmp", delete=False
            ) as fh:
                tmp = fh.name
                fh.write(msg.as_bytes())
                fh.flush()
                os.fsync(fh.fileno())
            os.replace(tmp, path)
        except OSError as exc:
            if tmp:
                with contextlib.suppress(OSError):
                    os.unlink(tmp)
            raise MailConfigError(
                f"cannot write {path.name} to the outbox {self.directory} ({exc.strerror or exc}); "
                "check that the directory is writable or choose another with --outbox"
            ) from exc


def _safe_name(text: str) -> str:
    return re.sub(r"[^A-Za-z0-9@._+-]", "_", text).lstrip(".") or "_"


def _iso_week(date_header: str | None) -> str | None:
    try:
        year, week, _ = parsedate_to_datetime(date_header).isocalendar()
    except (TypeError, ValueError, IndexError):
        return None
    return f"{year}-W{week:02d}"
