"""The saved index's packed vocabulary finds exactly what a dict of its terms finds."""

from hypothesis import given
from hypothesis import strategies as st

from recommender.ranking.index_arrays import TermList, Vocabulary, pack_strings, prefix_keys

# short alphabets make shared 8-byte prefixes (and NULs, non-ASCII) common
words = st.text(alphabet="ab\x00é 水", max_size=12)


@given(st.sets(words, max_size=60), st.lists(words, max_size=30))
def test_vocabulary_with_prefix_keys_matches_a_dict(terms, asked):
    terms = sorted(terms, key=lambda t: t.encode("utf-8"))  # the saved index's (byte) order
    packed = pack_strings(terms)
    exact = {t: i for i, t in enumerate(terms)}
    narrowed = Vocabulary(TermList(**packed, prefix=prefix_keys(**packed)))
    plain = Vocabulary(TermList(**packed))
    for term in [*asked, *terms]:
        assert narrowed.get(term) == plain.get(term) == exact.get(term)
        assert (term in narrowed) == (term in exact)


@given(st.sets(words, max_size=60))
def test_prefix_keys_are_sorted_when_the_strings_are(terms):
    keys = prefix_keys(**pack_strings(sorted(terms, key=lambda t: t.encode("utf-8"))))
    assert (keys[1:] >= keys[:-1]).all()
