"""The shipped hobby lexicon and business-term list, and the loader that checks them."""

from __future__ import annotations

import collections
import doctest
import importlib
import json
import statistics
import tomllib
from pathlib import Path

import pytest
from audit_triggers import single_word_triggers, zipf
from hypothesis import given, settings
from hypothesis import strategies as st

import recommender.core.paths
import recommender.core.resources
import recommender.passions.lexicon
from recommender.core.resources import data_folder
from recommender.passions.expansion import Expander
from recommender.passions.lexicon import BusinessTerms, Hobby, Lexicon, LexiconError
from scrapers.errors import KindredError

DATA = Path(__file__).resolve().parent.parent / "data"
# Words the product brief names as too generic to identify a hobby on their own.
BRIEF_GENERIC = {
    "play", "club", "ride", "run", "festival", "night", "group", "social", "class", "art", "music",
    "game", "games", "party", "meet", "walk", "show", "event", "fun", "team", "session", "live",
}  # fmt: skip


@pytest.fixture(scope="module")
def raw() -> dict:
    return tomllib.loads((DATA / "hobbies.toml").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def lexicon() -> Lexicon:
    return Lexicon.load()


@pytest.fixture(scope="module")
def triggers(lexicon: Lexicon) -> dict[str, list[tuple[str, str]]]:
    return lexicon.triggers()


@pytest.fixture(scope="module")
def business() -> BusinessTerms:
    return BusinessTerms.load()


# --- the shipped hobby lexicon ---------------------------------------------------------------


def test_default_file_is_the_repo_data_file(lexicon: Lexicon) -> None:
    assert data_folder() == DATA
    assert lexicon.source == DATA / "hobbies.toml"
    assert [h.name for h in Lexicon.load(str(DATA / "hobbies.toml")).hobbies()] == [
        h.name for h in lexicon.hobbies()
    ]


def test_has_at_least_350_hobbies_with_unique_names(raw: dict, lexicon: Lexicon) -> None:
    names = [h["name"] for h in raw["hobby"]]
    assert len(names) >= 350
    assert len(set(names)) == len(names)
    assert len(lexicon) == len(names)


def test_every_hobby_follows_the_schema(raw: dict) -> None:
    for h in raw["hobby"]:
        assert set(h) <= {"name", "category", "terms", "related", "context"}, h["name"]
        assert isinstance(h["name"], str) and isinstance(h["category"], str), h
        for key in ("terms", "related", "context"):
            assert isinstance(h.get(key, []), list), (h["name"], key)
            assert all(isinstance(p, str) and p for p in h.get(key, [])), (h["name"], key)


def test_everything_is_lowercase_with_single_spaces(raw: dict) -> None:
    for h in raw["hobby"]:
        for phrase in [h["name"], *h["terms"], *h["related"], *h.get("context", [])]:
            assert phrase == phrase.lower() == " ".join(phrase.split()), (h["name"], phrase)


def test_the_brief_generic_words_are_declared_generic(raw: dict) -> None:
    assert set(raw["generic_words"]) >= BRIEF_GENERIC


def test_no_generic_word_is_a_term_or_related(raw: dict) -> None:
    generic = BRIEF_GENERIC | set(raw["generic_words"])
    for h in raw["hobby"]:
        assert not generic & set(h["terms"] + h["related"]), h["name"]


def test_no_phrase_repeats_within_a_hobby(raw: dict) -> None:
    for h in raw["hobby"]:
        phrases = h["terms"] + h["related"] + h.get("context", [])
        repeated = [p for p, n in collections.Counter(phrases).items() if n > 1]
        assert not repeated, (h["name"], repeated)


def test_categories_come_from_the_documented_set_and_all_are_used(raw: dict, lexicon: Lexicon) -> None:
    documented = set(raw["categories"])
    used = {h["category"] for h in raw["hobby"]}
    assert used <= documented
    assert used == documented, f"documented but unused: {documented - used}"
    assert set(lexicon.categories()) == documented
    assert len(documented) <= 20


def test_hobbies_are_richly_described(raw: dict) -> None:
    for h in raw["hobby"]:
        assert len(h["terms"]) >= 3 and len(h["related"]) >= 3, h["name"]
    assert statistics.median(len(h["terms"]) for h in raw["hobby"]) >= 8
    assert statistics.median(len(h["related"]) for h in raw["hobby"]) >= 8


def test_shared_trigger_phrases_are_rare(triggers: dict) -> None:
    shared = {p: hits for p, hits in triggers.items() if len({name for name, _ in hits}) > 1}
    assert len(shared) <= 0.005 * len(triggers), sorted(shared)


def test_triggers_only_hold_terms_and_related(lexicon: Lexicon, triggers: dict) -> None:
    for hobby in lexicon.hobbies():
        for phrase in hobby.terms:
            assert (hobby.name, "term") in triggers[phrase]
        for phrase in hobby.related:
            assert (hobby.name, "related") in triggers[phrase]
        for phrase in hobby.context:
            assert hobby.name not in {name for name, _ in triggers.get(phrase, [])}, phrase


def test_generic_words_trigger_nothing(lexicon: Lexicon, triggers: dict) -> None:
    assert not (BRIEF_GENERIC | lexicon.generic_words) & set(triggers)


@pytest.mark.parametrize(
    ("phrase", "hobby", "kind"),
    [
        ("tabletop", "board games", "term"),
        ("catan", "board games", "related"),
        ("d&d", "tabletop role-playing games", "term"),
        ("bouldering", "climbing", "term"),
        ("vinyasa", "yoga", "related"),
        ("lindy hop", "swing dance", "term"),
        ("milonga", "tango", "term"),
        ("senderismo", "hiking", "term"),
        ("wandern", "hiking", "term"),
        ("randonnée", "hiking", "term"),
        ("hikers", "hiking", "term"),
        ("ajedrez", "chess", "term"),
        ("schach", "chess", "term"),
        ("baduk", "go", "term"),
        ("pub quiz", "trivia", "term"),
        ("parkrun", "running", "related"),
        ("bjj", "brazilian jiu-jitsu", "term"),
        ("stitch and bitch", "knitting", "term"),
        ("wheel throwing", "pottery and ceramics", "term"),
        ("linocut", "printmaking", "term"),
        ("sourdough", "bread and sourdough", "term"),
        ("intercambio", "language exchange", "term"),
        ("silent book club", "book clubs", "term"),
        ("arduino", "electronics", "term"),
        ("python user group", "python", "term"),
        ("beach cleanup", "cleanups", "term"),
        ("cat cafe", "cats", "term"),
        ("ultimate frisbee", "ultimate frisbee", "term"),
        ("contra dance", "contra dance", "term"),
        ("open mic", "open mic", "term"),
        ("choir", "choir", "term"),
        ("speed dating", "singles and dating", "term"),
    ],
)
def test_phrases_a_person_would_write_trigger_the_expected_hobby(
    triggers: dict, phrase: str, hobby: str, kind: str
) -> None:
    assert (hobby, kind) in triggers[phrase]


@pytest.mark.parametrize("phrase", ["dice", "trail", "canvas", "stage", "beats", "speed networking"])
def test_ambiguous_or_business_words_trigger_no_hobby(triggers: dict, phrase: str) -> None:
    assert phrase not in triggers


def test_by_name_ignores_case_and_reports_unknown_names(lexicon: Lexicon) -> None:
    assert lexicon.by_name("  Board Games ").category == "games"
    with pytest.raises(KeyError, match="no hobby named 'underwater basket juggling'"):
        lexicon.by_name("underwater basket juggling")


def test_triggers_returns_a_fresh_dict(lexicon: Lexicon) -> None:
    first = lexicon.triggers()
    first["tabletop"].append(("chess", "term"))
    del first["chess"]
    assert lexicon.triggers()["tabletop"] == [("board games", "term")]
    assert "chess" in lexicon.triggers()


# --- the shipped business-term list ----------------------------------------------------------


def test_business_weights_are_in_range_and_lowercase(business: BusinessTerms) -> None:
    assert 80 <= len(business.weights) <= 300
    for phrase, weight in business.weights.items():
        assert 0 < weight <= 1, phrase
        assert phrase == phrase.lower() == " ".join(phrase.split()), phrase


def test_business_weights_rank_obvious_cases(business: BusinessTerms) -> None:
    w = business.weights
    assert w["speed networking"] == w["b2b"] == w["lead generation"] == 1.0
    assert w["speed networking"] > w["networking"] > w["mixer"]
    assert w["real estate investing"] > w["real estate"]


def test_business_passion_triggers_cover_the_brief(business: BusinessTerms) -> None:
    expected = {"networking", "career", "job hunting", "startup", "entrepreneurship", "investing"}
    expected |= {"real estate", "sales", "marketing", "founder", "business"}
    assert expected <= set(business.passion_triggers)
    assert len(set(business.passion_triggers)) == len(business.passion_triggers)


def test_professional_communities_people_love_are_not_business(business: BusinessTerms) -> None:
    for phrase in ("python user group", "user group", "writers circle", "toastmasters", "hackathon"):
        assert phrase not in business.weights
    for phrase in ("meetup", "workshop", "conference", "developer", "design", "professional"):
        assert phrase not in business.weights


def test_strong_business_phrases_never_trigger_a_hobby(business: BusinessTerms, triggers: dict) -> None:
    strong = {p for p, w in business.weights.items() if w >= 0.8}
    assert not strong & set(triggers), sorted(strong & set(triggers))


# --- loader errors ---------------------------------------------------------------------------

GOOD_HOBBIES = """
generic_words = ["play"]
[categories]
games = "games"
[[hobby]]
name = "chess"
category = "games"
terms = ["chess"]
related = ["blitz"]
context = ["play"]
"""


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        ('terms = ["chess"]', "terms = [", "not valid TOML"),
        ('terms = ["chess"]', "terms = []", "needs at least one phrase in 'terms'"),
        ('terms = ["chess"]', 'terms = "chess"', "'terms' must be a list"),
        ('terms = ["chess"]', 'terms = ["Chess"]', "not lowercase"),
        ('terms = ["chess"]', 'terms = ["chess", "play"]', "generic word(s) ['play'] in 'terms'"),
        ('related = ["blitz"]', 'related = ["chess"]', "lists 'chess' more than once"),
        ('category = "games"', 'category = "sports"', "category 'sports', not one of: games"),
        ('context = ["play"]', 'contexts = ["play"]', "unknown key(s) contexts"),
        ('games = "games"', "", "non-empty [categories]"),
        ('name = "chess"', 'name = "Chess"', "not lowercase"),
    ],
)
def test_malformed_lexicon_gives_one_clear_error_naming_the_file(
    tmp_path: Path, old: str, new: str, message: str
) -> None:
    path = tmp_path / "my_hobbies.toml"
    assert old in GOOD_HOBBIES
    path.write_text(GOOD_HOBBIES.replace(old, new), encoding="utf-8")
    with pytest.raises(LexiconError) as info:
        Lexicon.load(path)
    assert isinstance(info.value, KindredError)
    assert str(path) in str(info.value)
    assert message in str(info.value)
    assert "fix" in str(info.value)


def test_repeated_hobby_name_is_rejected(tmp_path: Path) -> None:
    path = tmp_path / "twice.toml"
    second = GOOD_HOBBIES[GOOD_HOBBIES.index("[[hobby]]") :]
    path.write_text(GOOD_HOBBIES + second, encoding="utf-8")
    with pytest.raises(LexiconError, match=r"hobby #2 \('chess'\) repeats a name"):
        Lexicon.load(path)


def test_missing_file_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(LexiconError, match="hobby lexicon not found"):
        Lexicon.load(tmp_path / "nope.toml")
    with pytest.raises(LexiconError, match="business-term list not found"):
        BusinessTerms.load(tmp_path / "nope.toml")


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ('[weights]\n"b2b" = 0\n', "use a number in (0, 1]"),
        ('[weights]\n"b2b" = 1.5\n', "use a number in (0, 1]"),
        ('[weights]\n"b2b" = "high"\n', "use a number in (0, 1]"),
        ('[weights]\n"b2b" = true\n', "use a number in (0, 1]"),
        ('[weights]\n"B2B" = 1.0\n', "not lowercase"),
        ('business_passion_triggers = ["sales", "sales"]\n[weights]\n"b2b" = 1\n', "repeats 'sales'"),
        ('business_passion_triggers = ["sales"]\n', "non-empty [weights]"),
        ('[weights]\n"b2b" = 1\n[extra]\n', "unknown key(s) extra"),
        ('[weights]\n"co-working" = 0.8\n', "'co-working', one word once stop words go"),
        ('business_passion_triggers = ["my business"]\n[weights]\n"b2b" = 1\n', "one word once stop"),
    ],
)
def test_malformed_business_terms_give_one_clear_error(tmp_path: Path, body: str, message: str) -> None:
    path = tmp_path / "biz.toml"
    path.write_text(body, encoding="utf-8")
    with pytest.raises(LexiconError) as info:
        BusinessTerms.load(path)
    assert str(path) in str(info.value) and message in str(info.value)


def test_valid_business_terms_load(tmp_path: Path) -> None:
    path = tmp_path / "biz.toml"
    path.write_text('business_passion_triggers = ["sales"]\n[weights]\n"b2b" = 1\n"mixer" = 0.4\n')
    terms = BusinessTerms.load(path)
    assert terms.weights == {"b2b": 1.0, "mixer": 0.4}
    assert terms.passion_triggers == ("sales",)


# --- any valid lexicon round-trips through the loader ----------------------------------------

_word = st.text(alphabet="abcdefghij", min_size=3, max_size=6)
_phrase = st.lists(_word, min_size=1, max_size=2).map(" ".join)


@st.composite
def _lexicons(draw: st.DrawFn) -> list[dict]:
    names = draw(st.lists(_phrase, min_size=1, max_size=4, unique=True))
    pool = draw(st.lists(_phrase, min_size=len(names) * 3, max_size=30, unique=True))
    hobbies = []
    for i, name in enumerate(names):
        own = draw(st.permutations(pool))[: draw(st.integers(1, len(pool)))]
        cut1 = draw(st.integers(1, len(own)))
        cut2 = draw(st.integers(cut1, len(own)))
        hobbies.append(
            {
                "name": name,
                "category": ["games", "music"][i % 2],
                "terms": own[:cut1],
                "related": own[cut1:cut2],
                "context": own[cut2:],
            }
        )
    return hobbies


def _to_toml(hobbies: list[dict]) -> str:
    lines = ['[categories]\ngames = "g"\nmusic = "m"']
    for h in hobbies:
        lines.append("[[hobby]]")
        lines += [f"{key} = {json.dumps(value)}" for key, value in h.items()]
    return "\n".join(lines) + "\n"


@settings(max_examples=40, deadline=None)
@given(hobbies=_lexicons())
def test_any_valid_lexicon_loads_and_indexes_every_phrase(tmp_path_factory, hobbies: list[dict]) -> None:
    path = tmp_path_factory.mktemp("lex") / "hobbies.toml"
    path.write_text(_to_toml(hobbies), encoding="utf-8")
    lexicon = Lexicon.load(path)
    triggers = lexicon.triggers()
    for h in hobbies:
        assert lexicon.by_name(h["name"]) == Hobby(
            h["name"], h["category"], tuple(h["terms"]), tuple(h["related"]), tuple(h["context"])
        )
        assert all((h["name"], "term") in triggers[p] for p in h["terms"])
        assert all((h["name"], "related") in triggers[p] for p in h["related"])
    every_trigger = {p for h in hobbies for p in h["terms"] + h["related"]}
    assert set(triggers) == every_trigger


# --- paths and documentation -----------------------------------------------------------------


@pytest.mark.parametrize(
    "module", [recommender.passions.lexicon, recommender.core.paths, recommender.core.resources]
)
def test_docstring_examples_run(module) -> None:
    result = doctest.testmod(module)
    assert result.attempted > 0 and result.failed == 0


# --doctest-modules (pyproject addopts) runs these modules' examples; this keeps them from
# quietly losing their examples (the run would then just collect nothing there).
@pytest.mark.parametrize(
    "name",
    [
        "scrapers.ical",
        "scrapers.ical_fields",
        "scrapers.location",
        "scrapers.http",
        "scrapers.responses",
        "scrapers.robots",
        "scrapers.throttle",
    ],
)
def test_scrapers_keep_their_docstring_examples(name) -> None:
    tests = doctest.DocTestFinder().find(importlib.import_module(name))
    assert sum(len(t.examples) for t in tests) > 0, f"{name} has no examples"


# --- common English words never trigger a hobby by themselves --------------------------------

# A one-word trigger fires wherever the word appears in a statement, and is searched in every
# event text at term weight, so a common everyday word must name the hobby in nearly every
# sentence a person writes about what they love; otherwise it belongs in `context` or in a
# longer phrase ("kind" is not markets, "hearts" not card games, "pride" not always LGBTQ+).
# `tests/audit_triggers.py` lists the one-word triggers by frequency for review.
ZIPF_LIMIT = 5.0  # wordfreq Zipf scale: 5 = once per 100,000 words ("travel", "dog", "science")
COMMON_BUT_CLEAR = {
    # the hobby's own name, hardly ever meant otherwise when a person says what they love
    "history", "science", "reading", "writing", "running", "football", "movie", "dog",
    "car", "market", "political",
    # who a person is or spends time with: the community the lexicon means by the word
    "children", "kid", "parent", "student", "church",
}  # fmt: skip


def test_common_english_words_are_not_one_word_triggers(lexicon: Lexicon) -> None:
    found = single_word_triggers(lexicon)
    too_common = {
        stem: sorted({phrase for _, _, phrase in hits})
        for stem, hits in found.items()
        if stem not in COMMON_BUT_CLEAR and zipf(stem, [p for _, _, p in hits]) > ZIPF_LIMIT
    }
    assert not too_common, f"move to `context` or use a longer phrase: {too_common}"


def test_the_common_word_allow_list_has_no_stale_entries(lexicon: Lexicon) -> None:
    found = single_word_triggers(lexicon)
    stale = {
        w for w in COMMON_BUT_CLEAR if w not in found or zipf(w, [p for _, _, p in found[w]]) <= ZIPF_LIMIT
    }
    assert not stale, f"no longer a common one-word trigger, drop from COMMON_BUT_CLEAR: {stale}"


@pytest.mark.parametrize(
    ("statement", "expected"),
    [
        ("I run a small shop and love one-of-a-kind finds", set()),  # not running, not markets
        ("looking for a fresh start and a sense of well-being", set()),  # not wellness
        ("hunting for a bargain every single weekend", {"vintage and thrifting"}),  # not singles
        ("sleeping under the stars twice a year", set()),  # not k-pop (TWICE)
        ("I take pride in a stable routine", set()),  # not LGBTQ+, not horses
        ("it's in my DNA to keep things crystal clear", set()),  # not science, not crystal healing
        ("I'm spiritual and love a rosé in the garden", {"spirituality", "gardening"}),  # not gospel, wine
    ],
)
def test_everyday_sentences_do_not_trigger_through_common_words(statement: str, expected: set) -> None:
    assert set(Expander.default().expand(statement).hobbies) == expected


@pytest.mark.parametrize(
    ("statement", "expected"),
    [
        ("Hunting for vintage finds", {"vintage and thrifting"}),
        ("I run social media for a few small brands", set()),
        ("deer hunting with my dad", {"hunting"}),
        ("I run a book club", {"book clubs"}),
    ],
)
def test_idioms_use_up_their_words(statement: str, expected: set[str]) -> None:
    from recommender.passions.expansion import Expander

    assert set(Expander.default().triggers(statement)[0]) == expected


def test_idioms_are_checked_when_loading(tmp_path) -> None:
    from recommender.passions.lexicon import Lexicon, LexiconError

    bad = tmp_path / "hobbies.toml"
    bad.write_text(
        'idioms = ["Hunting For"]\n[categories]\ngames = "games"\n'
        '[[hobby]]\nname = "chess"\ncategory = "games"\nterms = ["chess"]\n'
    )
    with pytest.raises(LexiconError, match="idioms"):
        Lexicon.load(bad)
