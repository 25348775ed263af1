"""Placeholder loader (replaced by the lexicon branch)."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from pathlib import Path

from .paths import data_dir


@dataclass
class Hobby:
    name: str
    category: str
    terms: list[str]
    related: list[str] = field(default_factory=list)
    context: list[str] = field(default_factory=list)


@dataclass
class Lexicon:
    hobbies: list[Hobby]

    @classmethod
    def load(cls, path: Path | None = None) -> Lexicon:
        data = tomllib.loads(Path(path or data_dir() / "hobbies.toml").read_text(encoding="utf-8"))
        return cls([Hobby(**h) for h in data["hobby"]])
