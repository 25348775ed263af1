"""Tokens for matching: plural folding and the stop-word list kept free of scikit-learn imports."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from recommender.passions.stemming import STOP_WORDS, analyzer, stem
from recommender.passions.stop_words import ENGLISH_STOP_WORDS


def test_stop_words_are_scikit_learns_list():
    from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS as SKLEARN

    assert ENGLISH_STOP_WORDS == SKLEARN
    assert "show" not in STOP_WORDS and "the" in STOP_WORDS  # KEEP words stay searchable


def test_only_plurals_fold():
    assert [stem(w) for w in ("musicals", "music", "marketing", "anime", "animals", "running")] == [
        "musical",
        "music",
        "marketing",
        "anime",
        "animal",
        "running",
    ]


@given(st.text(alphabet="abcdefghijklmnopqrstuvwxyz", min_size=1, max_size=12))
def test_stem_is_idempotent_and_never_longer(word):
    once = stem(word)
    assert len(once) <= len(word)
    assert stem(once) == once  # a folded word folds no further


def test_query_path_does_not_import_scikit_learn():
    import subprocess
    import sys

    probe = (
        "import sys\n"
        "from recommender.ranking.ranker import PassionRanker\n"
        "from recommender.ranking.query import find\n"
        "print(any(m == 'sklearn' or m.startswith('sklearn.') for m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "False"


def test_analyzer_keeps_bigrams():
    assert analyzer("board games night") == ["board", "game", "night", "board game", "game night"]
