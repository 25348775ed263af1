"""How people phrase things (issue 17): one small named corpus per failure class, each a handful
of events written to reproduce the class and a statement, with the behaviour a person expects."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime, timedelta, timezone

from recommender.ranking.ranking import Ranking
from scrapers.event import Event

T = datetime(2026, 6, 6, 19, tzinfo=timezone.utc)


def ev(title, description="", **kw):
    return Event(title=title, description=description, start=kw.pop("start", T), **kw)


def titles(picks):
    return [p.event.title for p in picks]


# --- class 1: the wrong sense, through expansion ---------------------------------------------------

WRONG_SENSE = [
    ev("Stand-up comedy night", "Five stand-up comics try new material."),
    ev("Stand-up open mic", "Sign up for five minutes of stand-up."),
    ev("Paddleboard sunset tour", "Stand up paddle boards provided; calm lake water."),
    ev("SUP yoga on the harbour", "Paddleboarding and yoga for beginners."),
    ev("Holiday shopping open house", "Local makers, gifts and cider at our store's open house."),
    ev("Observatory stargazing night", "Telescopes on the roof; astronomy club volunteers guide you."),
    ev("Pick up free compost", "City compost pick-up day at the yard."),
    ev("Pick-up basketball", "Drop-in pick-up games at the community centre."),
]


def test_a_phrase_of_one_hobby_does_not_pull_in_another_hobby_or_a_generic_word():
    ranking = Ranking(WRONG_SENSE)
    paddler = titles(ranking.rank("stand-up paddleboarding"))
    assert set(paddler) == {"Paddleboard sunset tour", "SUP yoga on the harbour"}  # no comedy
    assert titles(ranking.rank("stargazing and astronomy")) == ["Observatory stargazing night"]
    assert titles(ranking.rank("pick-up basketball")) == ["Pick-up basketball"]  # not the compost


def test_a_loose_word_still_counts_beside_evidence():
    # "stand up" alone admits nothing, but in an event that is about paddleboarding it adds
    picks = Ranking(WRONG_SENSE).rank("stand-up paddleboarding")
    tour = next(p for p in picks if p.event.title == "Paddleboard sunset tour")
    assert "stand up paddle" in tour.why


def test_a_loose_phrase_does_not_count_beside_a_context_word_alone():
    # "fan club" and "club meetup" (of "comic book club", "fan club") need a comics word: the
    # context word "fans" in a Disneyland fan club's name is not one
    fan_club = "Disneyland Fan Club Meetup Group"
    events = [
        ev("A day at Disneyland", "Rides and parades all day.", group=fan_club),
        ev("Nighttime fun at the park", "Fireworks after dark.", group=fan_club),
        ev("Zine and small press fair", "Local artists sell zines, prints and a few graphic novels."),
        ev("Comic book swap", "Trade your back issues."),
        ev("Sketch night", "Draw superheroes with other fans.", group="Illustrators Guild"),
    ]
    assert set(titles(Ranking(events).rank("comic books"))) == {
        "Comic book swap",
        "Sketch night",
        "Zine and small press fair",
    }


# --- class 2: filler becomes a passion --------------------------------------------------------------

FILLER = [
    ev("Wheel-throwing pottery class", "Centre and throw a bowl on the wheel; clay and glazes included."),
    ev("Hand-building pottery night", "Pinch pots and coil vases; get out of the house and make something."),
    ev("Historic house open doors", "Tour the old house and its gardens."),
    ev("People of the city: a photo show", "Portraits of people you know from the neighbourhood."),
    ev("Sit-down dinner for newcomers", "Sit with people you don't know yet over a shared meal."),
]


def test_an_aside_that_names_no_hobby_only_reorders_the_passion_it_sits_beside():
    statement = "I love pottery and want to get out of the house, sit with people and make stuff"
    picks = Ranking(FILLER).rank(statement)
    assert set(titles(picks)) == {"Wheel-throwing pottery class", "Hand-building pottery night"}
    assert titles(picks)[0] == "Hand-building pottery night"  # the aside reorders: it says so too


def test_an_unknown_word_beside_a_hobby_still_gets_its_share():
    events = [*FILLER, ev("Angular meetup", "Signals and standalone components in Angular 19.")]
    assert "Angular meetup" in titles(Ranking(events).rank("pottery and Angular"))


FORMAT_ONLY = [
    ev(title, text)
    for title, text in (
        ("Tango for absolute beginners", "A beginners' class: the embrace and the walk."),
        ("Milonga at the hall", "An evening of tango for experienced dancers."),
        ("Oil painting class for beginners", "Learn to mix colours and paint a still life."),
        ("Eat to Live potluck", "Bring a dish to share."),
        ("Board game night at All Play", "Catan and co-op games."),
        ("The Seagull, a live play", "Chekhov's play on our main stage."),
    )
]


def test_a_clause_made_of_generic_words_only_reorders():
    # "whatever has a beginners' class" says which tango events, it is not a passion for classes
    ranking = Ranking(FORMAT_ONLY)
    picks = titles(ranking.rank("tango, whatever has a beginners' class"))
    assert picks == ["Tango for absolute beginners", "Milonga at the hall"]
    # "live" and "plays" name nothing alone; "live plays" is theatre
    assert set(titles(ranking.rank("live plays and board games"))) == {
        "The Seagull, a live play",
        "Board game night at All Play",
    }


# --- class 8: repeats that are retitled ------------------------------------------------------------

RETITLED = [
    ev("Yoga Mornings @ Soulpepper Theatre", "Gentle flow yoga.", venue="Young Centre"),
    ev(
        "Yoga Mornings at Soulpepper Theatre",
        "Gentle flow yoga.",
        venue="Young Centre",
        start=T + timedelta(7),
    ),
    ev("Montgomery's Inn Indoor Farmer's Market", "Local farmers and bakers.", venue="Montgomery's Inn"),
    ev("Indoor Farmers' Market at Montgomery's Inn", "Local farmers.", venue="Montgomery's Inn"),
    ev("Saturday Indoor Farmers Market", "Local farmers.", venue="Montgomery's Inn", start=T + timedelta(1)),
    *[
        ev(f"Yoga Night #{n}", "Candlelit yoga flow.", venue="Studio 9", start=T + timedelta(n))
        for n in (1, 2)
    ],
    ev("Yoga Night – Part 3", "Candlelit yoga flow.", venue="Studio 9", start=T + timedelta(3)),
    ev("Yoga in the park", "Bring a mat.", venue="Trinity Bellwoods"),
    ev("Farmers' market", "Stalls by the lake.", venue="Sugar Beach"),
]


def test_retitled_and_numbered_repeats_show_once():
    ranking = Ranking(RETITLED)
    yoga = titles(ranking.rank("yoga"))
    assert len(yoga) == 3 and "Yoga in the park" in yoga  # one per series, all three series
    assert sum(t.startswith("Yoga Night") for t in yoga) == 1
    assert sum(t.startswith("Yoga Mornings") for t in yoga) == 1
    markets = titles(ranking.rank("farmers markets"))
    assert len(markets) == 2 and "Farmers' market" in markets  # another place is another market


# --- class 9: "why" names only words the event contains -----------------------------------------------


def test_why_names_only_words_the_event_contains():
    events = [
        ev("Holiday open house", "Gifts, cider and an observatory-themed window display."),
        ev("Observatory open house", "Telescopes on the roof for the public."),
        ev("Stand-up paddle tour", "Stand up paddle boards on the bay."),
    ]
    for statement in ("astronomy", "stand-up paddleboarding"):
        for pick in Ranking(events).rank(statement):
            text = f"{pick.event.title} {pick.event.description}".lower().replace("-", " ")
            for label in pick.why:
                assert all(word in text for word in label.split()), (pick.event.title, label)


def test_why_names_no_loose_word_that_did_not_count():
    fans = ev("Fans night", "For fans, by fans: the fan club meetup of the season.", group="Fan Club Meetup")
    events = [fans, ev("Comic book swap", "Trade your back issues."), ev("Graphic novel club", "Maus.")]
    pick = next(p for p in Ranking(events).rank("comic books") if p.event is fans)
    assert pick.why == ["fans"]  # "fan club meetup" needs a comics word beside it to count
    assert abs(sum(pick.breakdown.values()) - pick.score) < 1e-6


# --- class 7: padding -----------------------------------------------------------------------------

NO_CHESS = [
    ev("Wing Chun dance drama", "A grandmaster's tale told in dance, with a tournament of fans."),
    ev("Vision board workshop", "Cut, paste and pin your goals to a board."),
    ev("Board game cafe night", "Catan, Azul and co-op board games."),
    ev("Jazz jam session", "Live jazz standards; bring your horn."),
    ev("Late-night jazz trio", "Piano jazz in the lounge."),
    ev("Sunday jazz brunch", "Swing and bebop with brunch."),
]


def test_a_passion_the_events_hold_too_little_for_gets_no_padding_and_says_so():
    picks = Ranking(NO_CHESS).rank("chess and live jazz")
    shown = titles(picks)
    assert "Vision board workshop" not in shown and "Wing Chun dance drama" not in shown
    assert {"Jazz jam session", "Late-night jazz trio", "Sunday jazz brunch"} <= set(shown)
    assert list(picks.thin) == ["chess"] and "board games" in picks.thin["chess"]


def test_kindred_query_says_when_a_passion_has_few_events(kindred):
    result = kindred("query", "chess and live jazz", check=True)
    assert "Few events here are surely about chess" in result.stderr
    assert "Related hobbies that have events: board games" in result.stderr
    assert "Vision Board" not in result.stdout  # "board" alone is no chess


def test_the_digest_says_when_a_passion_has_few_events():
    from types import SimpleNamespace

    from recommender.digest.choice import choose_digest
    from recommender.digest.compose import compose_digest

    now = T - timedelta(days=1)
    person = SimpleNamespace(
        passions="chess and live jazz", near=None, within_km=None, mode="any", friends=[]
    )
    choice = choose_digest(Ranking(NO_CHESS), person, now=now)
    assert "board games" in choice.thin["chess"] and len(choice.picks) == 3
    msg = compose_digest(
        picks=choice.picks, pass_on=[], subscriber_email="a@example.org", sender="k@example.org",
        base_url="http://127.0.0.1:8080", secret="s" * 32, week="2026-W23", now=now,
        timezone="America/Toronto", thin=choice.thin,
    )  # fmt: skip
    for kind in ("plain", "html"):
        body = msg.get_body((kind,)).get_content()
        assert "Little this week is surely about chess" in body and "board games" in body


# --- class 11: business leakage through the group ---------------------------------------------------

GROUPS = [
    ev("Speed networking for founders", "Swap business cards.", group="Growth Hackers Toronto"),
    ev(
        "Sales pitch workshop: close more deals",
        "Lead generation and B2B sales.",
        group="Growth Hackers Toronto",
    ),
    ev(
        "Bowling night",
        "Ten-pin bowling, shoes included.",
        group="Growth Hackers Toronto",
        start=T + timedelta(1),
    ),
    ev(
        "Bowling night",
        "Ten-pin bowling, shoes included.",
        group="Strike Force Bowlers",
        start=T + timedelta(2),
    ),
    ev("Cosmic bowling", "Glow-in-the-dark lanes.", group="Strike Force Bowlers", start=T + timedelta(3)),
]


def test_an_event_of_a_businesslike_group_sinks_though_its_own_text_is_not_business():
    ranking = Ranking(GROUPS)
    groups = [p.event.group for p in ranking.rank("bowling")]
    assert groups[:2] == ["Strike Force Bowlers", "Strike Force Bowlers"]  # the group's own lanes sink
    assert ranking.ranker.business_[2] > 0.3 and ranking.ranker.business_[3] == 0
    # someone who asks for business gets the group's events as they are
    assert "Speed networking for founders" in titles(Ranking(GROUPS).rank("networking for founders"))


# --- class 6: negation in the event's own text --------------------------------------------------------

FORBIDS = [
    ev("Drive-in movie night", "Cars only. Walk-ins, bicycles and scooters are not permitted. Popcorn sold."),
    ev("Ravine nature walk", "Pets are not permitted on this program; binoculars provided."),
    ev("Group bike ride", "A 40 km cycling loop for road bikes, café stop included."),
    ev("Bicycle repair clinic", "Fix a flat and true a wheel on your bicycle."),
    ev("Bicycles and brunch", "An easy bicycle tour of the bakeries."),
    ev("Dog agility fun day", "Bring your dog for jumps and tunnels."),
    ev("Pet adoption fair", "Meet pets looking for homes."),
    ev("Pets and their people: a photo walk", "Bring your pets for portraits."),
]


def test_what_an_event_forbids_is_not_what_it_is_about():
    ranking = Ranking(FORBIDS)
    assert "Drive-in movie night" not in titles(ranking.rank("bicycles"))  # "bicycles are not permitted"
    assert "Ravine nature walk" not in titles(ranking.rank("pets"))  # "pets are not permitted"
    assert len(ranking.rank("bicycles")) >= 3 and len(ranking.rank("pets")) >= 2
    assert "Drive-in movie night" in titles(ranking.rank("movie nights"))  # the rest still counts


# --- class 3: life situations read as services -----------------------------------------------------------

SITUATIONS = [
    ev("Grief and loss support group", "A mental health peer group for the bereaved."),
    ev("Newcomer settlement services drop-in", "Help with housing and paperwork for those new in town."),
    ev("Mother's Day woodworking workshop", "Moms build a planter box with their kids."),
    ev("Family woodworking workshop", "Parents and kids build a birdhouse together."),
    ev("Watercolour landscapes class", "Painting for adults, all levels."),
    ev("Board game cafe night", "Catan, Azul and co-op board games."),
]


def test_who_the_person_is_shapes_the_list_but_is_not_the_passion():
    ranking = Ranking(SITUATIONS)
    assert titles(ranking.rank("Since my wife died I want to get back into painting")) == [
        "Watercolour landscapes class"
    ]
    assert titles(ranking.rank("I'm new in town and love board games")) == ["Board game cafe night"]
    dad = titles(ranking.rank("I'm a dad who loves woodworking workshops with my daughter"))
    assert "Family woodworking workshop" in dad and "Mother's Day woodworking workshop" not in dad


# --- class 5: audience and constraints -------------------------------------------------------------------

SAT = datetime(2026, 6, 6, 14, tzinfo=timezone.utc)  # a Saturday
AUDIENCES = [
    ev("Junior robotics club", "Build and code robots. Ages 10-14.", start=SAT),
    ev("Robotics night for makers", "Adults 19+ build rovers with Arduino.", start=SAT),
    ev("Family robotics day", "Kids ages 3-8 and their grown-ups build wobbly bots.", start=SAT),
    ev("Robotics meetup", "Talks and demos from hobby roboticists.", start=SAT + timedelta(days=3)),
    ev("Craft beer and live music", "Local bands and a beer garden.", start=SAT),
    ev("Live music in the park", "Folk bands on the bandstand.", start=SAT),
]


def test_the_audience_an_event_states_meets_the_persons_constraints():
    ranking = Ranking(AUDIENCES)
    kids = titles(ranking.rank("robotics for my kids, they are 4 and 7"))
    assert "Family robotics day" in kids
    assert "Junior robotics club" not in kids and "Robotics night for makers" not in kids
    student = titles(ranking.rank("I'm a university student into robotics"))
    assert "Junior robotics club" not in student and "Robotics night for makers" in student
    assert titles(ranking.rank("live music, but I don't drink")) == ["Live music in the park"]
    weekend = titles(ranking.rank("robotics, weekends only"))
    assert "Robotics meetup" not in weekend and weekend  # the Tuesday meetup is left out


# --- class 4: identity and hobby together ---------------------------------------------------------------

IDENTITY = [
    ev("Pride Month drag brunch", "LGBTQ+ community celebration with drag performers."),
    ev("Queer film night", "LGBTQ+ shorts from local filmmakers."),
    ev("2SLGBTQ+ community mixer", "Meet the LGBTQ+ community centre's volunteers."),
    ev("Bouldering for beginners", "Learn to climb at the bouldering gym."),
    ev("Rock climbing meetup", "Top-rope climbing, all levels."),
    ev("Rainbow Climbers: queer bouldering night", "LGBTQ+ climbers and allies on the bouldering wall."),
]


def test_events_that_are_both_identity_and_activity_come_first():
    picks = titles(Ranking(IDENTITY).rank("LGBTQ+ climbers"))
    assert picks[0] == "Rainbow Climbers: queer bouldering night"


def test_what_is_both_scores_the_same_whatever_else_is_ranked():
    # a week's window ranks as the whole store does (the batch digest relies on it)
    from recommender.ranking.window import window_ranking

    pride = ev("LGBTQ+ Pride: queer community", "LGBTQ+ queer 2SLGBTQ+ community pride celebration.")
    later = [replace(e, start=T + timedelta(days=30)) for e in (*IDENTITY[:2], pride)]
    whole = Ranking([*later, *IDENTITY[2:]])
    week = window_ranking(whole, T - timedelta(days=1), T + timedelta(days=6))[0]
    scores = [{p.event.title: p.score for p in r.rank("LGBTQ+ climbers")} for r in (whole, week)]
    both = "Rainbow Climbers: queer bouldering night"
    assert scores[0][both] == scores[1][both]


COMPANY = [
    ev("Dog costume contest", "Dress up your dog; prizes for the best costume."),
    ev("Photos with Santa for your dog", "Bring your pup for a holiday portrait."),
    ev("Ravine hike", "A 10 km hike through the ravine trails."),
    ev("Dog-friendly hike", "Hike the ravine trails with your dog; leashes on."),
]


def test_the_company_a_passion_wants_counts_beside_the_activity_only():
    # "with other dog owners" says who with, not a wish for dog shows
    picks = titles(Ranking(COMPANY).rank("hiking with other dog owners"))
    assert picks == ["Dog-friendly hike", "Ravine hike"]
