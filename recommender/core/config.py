"""Settings from a TOML file and ``KINDRED_*`` environment variables (the environment wins).

The file is ``$KINDRED_CONFIG`` or ``<user config dir>/config.toml`` (e.g.
``~/.config/kindred/config.toml``); every key is optional::

    db = "sqlite:////home/me/kindred.db"     # KINDRED_DB
    smtp_url = "smtp://mail.example.org:587"  # KINDRED_SMTP_URL
    sender = "Kindred <kindred@example.org>"  # KINDRED_FROM
    base_url = "https://kindred.example.org"  # KINDRED_BASE_URL
    secret = "…"                              # KINDRED_SECRET (better kept in the environment)
    timezone = "America/Toronto"              # KINDRED_TIMEZONE: for times written without a zone
    sources = "/home/me/sources.toml"         # KINDRED_SOURCES
    outbox = "/home/me/kindred-outbox"        # KINDRED_OUTBOX: write digests here instead of SMTP
    refresh_hours = 6                         # KINDRED_REFRESH_HOURS: how often `kindred schedule` refreshes
    user_agent_contact = "https://example.org/about-my-kindred"  # KINDRED_USER_AGENT_CONTACT: URL in
                                              # the User-Agent (default: the Kindred project page)
    user_agent = "…"                          # KINDRED_USER_AGENT: replaces the whole User-Agent
    fetch_delay = 1.0                         # KINDRED_FETCH_DELAY: seconds between requests to one
                                              # host (never below 1 for real sites; tests use less)
    fetch_timeout = 30                        # KINDRED_FETCH_TIMEOUT: seconds to wait for an answer
    semantic = false                          # KINDRED_SEMANTIC: `kindred query` fuses in sentence
                                              # embeddings (needs pip install -e '.[semantic]')
    place = "Toronto, ON"                     # KINDRED_PLACE: where `kindred query` looks when no
                                              # --near is given (a town, or LAT,LON)
    within_km = 25                            # KINDRED_WITHIN_KM: how far from it (default 25)
    toronto_feed = "https://…/all.jsonld"     # KINDRED_TORONTO_FEED: where the built-in Toronto
                                              # source is refreshed from ("" turns it off)

Each variable that may hold a secret (:data:`SECRET_VARIABLES`: the link secret and the old ones,
the store URL, the SMTP URL, user and password) can instead name a file that holds it, as
``KINDRED_SECRET_FILE=/run/secrets/kindred_secret`` (Docker secrets) or
``KINDRED_SECRET_FILE=%d/kindred-secret`` (a systemd credential); one trailing newline is dropped.

>>> s = Settings.load(env={"KINDRED_DB": "sqlite://", "KINDRED_CONFIG": "/nonexistent.toml"})
>>> s.db, s.timezone
('sqlite://', 'UTC')
"""

from __future__ import annotations

import os
import tomllib
from collections.abc import MutableMapping
from dataclasses import dataclass, fields
from pathlib import Path

from recommender.core.paths import user_config_dir
from scrapers.errors import KindredError
from scrapers.fetch_defaults import DELAY, READ_TIMEOUT

ENV = {
    "db": "KINDRED_DB",
    "smtp_url": "KINDRED_SMTP_URL",
    "sender": "KINDRED_FROM",
    "base_url": "KINDRED_BASE_URL",
    "secret": "KINDRED_SECRET",
    "old_secrets": "KINDRED_OLD_SECRETS",
    "timezone": "KINDRED_TIMEZONE",
    "sources": "KINDRED_SOURCES",
    "user_agent": "KINDRED_USER_AGENT",
    "outbox": "KINDRED_OUTBOX",
    "refresh_hours": "KINDRED_REFRESH_HOURS",
    "user_agent_contact": "KINDRED_USER_AGENT_CONTACT",
    "fetch_delay": "KINDRED_FETCH_DELAY",
    "fetch_timeout": "KINDRED_FETCH_TIMEOUT",
    "semantic": "KINDRED_SEMANTIC",
    "place": "KINDRED_PLACE",
    "within_km": "KINDRED_WITHIN_KM",
    "toronto_feed": "KINDRED_TORONTO_FEED",
}
# The variables that may hold a secret, so each may come from a file named by <variable>_FILE.
SECRET_VARIABLES = (
    "KINDRED_SECRET", "KINDRED_OLD_SECRETS", "KINDRED_DB", "KINDRED_SMTP_URL", "KINDRED_SMTP_USER",
    "KINDRED_SMTP_PASSWORD",
)  # fmt: skip
WITHIN_KM = 25.0  # how far from a place a query looks when it names no distance
# The City of Toronto's Festivals & Events open data as schema.org JSON-LD, rebuilt daily by Civic
# Tech Toronto (github.com/CivicTechTO/toronto-opendata-festivalsandevents-jsonld-proxy, docs/all.jsonld
# served by GitHub Pages): where the embedded snapshot came from, and the built-in source.
TORONTO_FEED = "https://civictechto.github.io/toronto-opendata-festivalsandevents-jsonld-proxy/all.jsonld"
_MAY_BE_EMPTY = {"toronto_feed"}  # set but empty in the environment: turned off
_EXAMPLES = {"place": "Toronto, ON", "toronto_feed": TORONTO_FEED}
_NUMBERS = {"refresh_hours": 6.0, "fetch_delay": DELAY, "fetch_timeout": READ_TIMEOUT, "within_km": WITHIN_KM}
_ON, _OFF = {"1", "true", "yes", "on"}, {"0", "false", "no", "off"}


class ConfigError(KindredError):
    """The configuration file or an environment variable holds something unusable."""


@dataclass
class Settings:
    db: str | None = None
    smtp_url: str | None = None
    sender: str = "Kindred <kindred@localhost>"
    base_url: str = "http://127.0.0.1:8080"
    secret: str | None = None
    old_secrets: tuple[str, ...] = ()  # still accepted for links signed before a rotation
    timezone: str = "UTC"
    sources: str | None = None
    user_agent: str | None = None
    refresh_hours: float = 6.0
    outbox: str | None = None
    user_agent_contact: str | None = None
    fetch_delay: float = DELAY
    fetch_timeout: float = READ_TIMEOUT
    semantic: bool = False
    place: str | None = None
    within_km: float = WITHIN_KM
    toronto_feed: str = TORONTO_FEED
    config_path: Path | None = None

    @classmethod
    def load(cls, env: dict[str, str] | None = None) -> Settings:
        env = dict(os.environ) if env is None else dict(env)
        read_secret_files(env)
        path = Path(env.get("KINDRED_CONFIG") or user_config_dir() / "config.toml")
        values: dict = {}
        if path.is_file():
            try:
                values = tomllib.loads(path.read_text(encoding="utf-8"))
            except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
                raise ConfigError(f"{path}: not valid TOML ({exc}); fix or remove the file") from exc
            known = {f.name for f in fields(cls)} - {"config_path"}
            unknown = sorted(set(values) - known)
            if unknown:
                raise ConfigError(f"{path}: unknown setting(s) {', '.join(unknown)}; known: {sorted(known)}")
        for key, var in ENV.items():
            if env.get(var) or (key in _MAY_BE_EMPTY and var in env):
                values[key] = env[var]
        for key, default in _NUMBERS.items():
            try:
                values[key] = float(values.get(key, default))
            except (TypeError, ValueError):
                raise ConfigError(f"{key} {values[key]!r} is not a number; e.g. {default:g}") from None
            if values[key] <= 0:
                raise ConfigError(f"{key} must be more than 0, e.g. {default:g}")
        if "semantic" in values and not isinstance(values["semantic"], bool):
            word = str(values["semantic"]).strip().lower()
            if word not in _ON | _OFF:
                raise ConfigError(f"semantic {values['semantic']!r} is not on or off; use true or false")
            values["semantic"] = word in _ON
        for key in ("place", "toronto_feed"):
            if key in values and not isinstance(values[key], str):
                raise ConfigError(f'{key} must be a string, e.g. {key} = "{_EXAMPLES[key]}"')
        if "old_secrets" in values:
            values["old_secrets"] = _secret_list(values["old_secrets"])
        return cls(**values, config_path=path)

    def home(self):
        """The configured ``place`` as a :class:`~recommender.core.places.Place`, or None when unset.

        >>> Settings(place="Brighton, UK").home().label
        'Brighton, England, United Kingdom'
        """
        if not self.place:
            return None
        from recommender.core.places import PlaceError, resolve_place

        try:
            return resolve_place(self.place)
        except PlaceError as exc:
            raise ConfigError(f"the place in the config file or KINDRED_PLACE: {exc}") from None

    def http_user_agent(self) -> str:
        """``user_agent`` when set, else Kindred's own naming ``user_agent_contact`` (or the project page)."""
        from scrapers.http import CONTACT_URL, user_agent_for

        return self.user_agent or user_agent_for(self.user_agent_contact or CONTACT_URL)


def read_secret_files(env: MutableMapping[str, str]) -> None:
    """Fill each of :data:`SECRET_VARIABLES` from the file its ``<name>_FILE`` names, in ``env``.

    A variable set both ways to different values, a missing, unreadable or empty file: a
    :class:`ConfigError` naming the variable and the file (never the secret).

    >>> import tempfile
    >>> with tempfile.NamedTemporaryFile("w", suffix=".secret") as f:
    ...     _ = f.write("s3cret\\n"); f.flush()
    ...     env = {"KINDRED_SECRET_FILE": f.name}
    ...     read_secret_files(env)
    >>> env["KINDRED_SECRET"]
    's3cret'
    """
    for name in SECRET_VARIABLES:
        path = env.get(f"{name}_FILE")
        if not path:
            continue
        try:
            value = Path(path).read_text(encoding="utf-8").removesuffix("\n").removesuffix("\r")
        except (OSError, UnicodeDecodeError) as exc:
            reason = exc.strerror if isinstance(exc, OSError) else "not UTF-8 text"
            raise ConfigError(f"{name}_FILE={path}: cannot read it ({reason})") from None
        if not value:
            raise ConfigError(f"{name}_FILE={path}: the file is empty; put the value in it")
        if env.get(name) and env[name] != value:
            raise ConfigError(f"both {name} and {name}_FILE are set; keep one")
        env[name] = value


def _secret_list(value) -> tuple[str, ...]:
    """``KINDRED_OLD_SECRETS`` (comma-separated) or the config file's list, as a tuple."""
    if isinstance(value, str):
        return tuple(s.strip() for s in value.split(",") if s.strip())
    if isinstance(value, list) and all(isinstance(s, str) for s in value):
        return tuple(s for s in value if s)
    raise ConfigError("old_secrets must be a list of strings (or KINDRED_OLD_SECRETS=a,b)")
