"""Shortcuts that must not change answers: the lazy top-k and the ASCII path of ``fold``."""

from __future__ import annotations

import unicodedata

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from recommender.passions.expansion import fold
from recommender.ranking.topk import BestFirst


@settings(max_examples=200, deadline=None)
@given(
    st.lists(st.sampled_from([0.0, 0.1, 0.25, 0.5, 0.75, 1.0]), min_size=0, max_size=60),
    st.integers(1, 10),
)
def test_best_first_is_the_full_sort(values, first):
    row = np.array(values, float)
    idx = np.flatnonzero(row > 0)
    q = BestFirst(row, idx, first=first)
    got = [q.pop(0) for _ in range(len(q))]
    assert got == list(idx[np.lexsort((idx, -row[idx]))])
    assert not q


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.characters(max_codepoint=0x7F)) | st.text())
def test_fold_fast_path_equals_the_unicode_path(text):
    slow = unicodedata.normalize("NFKD", text.replace("&", " and "))
    assert fold(text) == "".join(c for c in slow if not unicodedata.combining(c)).lower()


def _words_before(text: str) -> list[str]:
    from recommender.passions.stemming import _WORD, STOP_WORDS

    out = []
    for token in _WORD.findall(text.lower()):
        token = token.replace("’", "'").removesuffix("'s")
        if token and token not in STOP_WORDS:
            out.append(token)
    return out


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet="ab's’ S'_-.\\u00e9Z") | st.text())
def test_words_fast_path_equals_the_token_loop(text):
    from recommender.passions.stemming import words

    assert words(text) == _words_before(text)
