"""docs/lexicon_coverage.md says which hobby each interest triggers: keep that true."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from recommender.passions.expansion import Expander
from recommender.passions.lexicon import Lexicon

DOC = Path(__file__).resolve().parent.parent / "docs" / "lexicon_coverage.md"


def _rows() -> list[tuple[str, str, str]]:
    rows = []
    for line in DOC.read_text(encoding="utf-8").splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if len(cells) == 3 and cells[1] and not set(cells[1]) <= {"-"} and cells[0] != "Interest":
            rows.append((cells[0], cells[1], cells[2]))
    return rows


ROWS = _rows()
SAID = [r for r in ROWS if r[1] != "—"]


def _hobbies(cell: str) -> set[str]:
    return {re.sub(r"^\*\*added: (.*)\*\*$", r"\1", part.strip()) for part in cell.split(";")}


def test_the_checklist_is_broad_and_says_why_for_what_it_leaves_out() -> None:
    assert len(SAID) >= 250
    left_out = [r for r in ROWS if r[1] == "—"]
    assert left_out and all(r[2].startswith("left out (") for r in left_out)


@pytest.mark.parametrize(("interest", "said", "cell"), SAID, ids=[r[0] for r in SAID])
def test_each_interest_triggers_the_hobby_the_doc_names(interest: str, said: str, cell: str) -> None:
    assert set(Expander.default().expand(said).hobbies) == _hobbies(cell)


def test_every_hobby_marked_added_exists() -> None:
    names = {h.name for h in Lexicon.load().hobbies()}
    marked = {m for _, _, cell in SAID for m in re.findall(r"\*\*added: (.*?)\*\*", cell)}
    assert marked and marked <= names
