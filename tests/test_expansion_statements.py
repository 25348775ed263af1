"""Statements people write about what they love, and the hobbies each must trigger.

``PASSION_STATEMENTS`` is a named corpus written from general knowledge of hobbies and of how people
talk about them ("I'm a runner", "love being on the water", "anything with dogs"), across every
lexicon category; it is not taken from any evaluation set. Each case lists the hobbies the
statement must trigger and the ones it may also trigger (a genuine second reading: "football" is
soccer or American football); any other hobby is a misfire, so every case checks both directions.
``NO_HOBBY_STATEMENTS`` are things people say about themselves that name no hobby ("I run a small
shop", "I'm a software engineer", "every single day is busy"): they must trigger nothing.
"""

from __future__ import annotations

from collections import Counter

import pytest

from recommender.passions.expansion import Expander
from recommender.passions.lexicon import Lexicon

S = frozenset  # (statement, must trigger, may also trigger)
PASSION_STATEMENTS: list[tuple[str, frozenset[str], frozenset[str]]] = [
    # games
    ("nerding out over board games", S({"board games"}), S()),
    ("tabletop strategy games", S({"board games"}), S()),
    ("D&D every Friday", S({"tabletop role-playing games"}), S()),
    ("tabletop RPGs like Dungeons and Dragons", S({"tabletop role-playing games"}), S()),
    ("I love to play cards", S({"card games"}), S()),
    ("Pokemon cards", S({"trading card games"}), S()),
    ("Warhammer and painting miniatures", S({"wargaming and miniatures"}), S({"painting"})),
    ("playing chess", S({"chess"}), S()),
    ("I love a good pub quiz", S({"trivia"}), S()),
    ("trivia at the local pub", S({"trivia"}), S({"pub nights"})),
    ("escape rooms", S({"escape rooms"}), S()),
    ("jigsaw puzzles and crosswords", S({"jigsaw puzzles", "crosswords and puzzles"}), S()),
    ("video games and retro consoles", S({"video games"}), S({"retro gaming"})),
    ("gaming on my PC", S({"video games"}), S()),
    ("poker nights", S({"poker"}), S()),
    # outdoors
    ("I'm a hiker", S({"hiking"}), S()),
    ("Nothing beats a Sunday roast after a long hike", S({"hiking"}), S()),
    ("love being on the water", S({"water sports"}), S()),
    ("I love the outdoors", S({"outdoor adventure"}), S()),
    ("I love being out in nature", S({"outdoor adventure"}), S()),
    ("bouldering at the climbing gym after work", S({"climbing"}), S()),
    ("every single weekend I'm at the climbing wall", S({"climbing"}), S()),
    ("rock climbing outdoors", S({"climbing"}), S()),
    ("kayaking on the lake", S({"kayaking"}), S()),
    ("I'm happiest with a paddle in my hand", S({"kayaking"}), S({"canoeing", "stand-up paddleboarding"})),
    ("birdwatching", S({"birdwatching"}), S()),
    ("birding at dawn", S({"birdwatching"}), S()),
    ("birds and nature", S({"birdwatching"}), S()),
    ("camping under the stars", S({"camping"}), S({"stargazing"})),
    ("stargazing and astronomy", S({"stargazing", "astronomy"}), S()),
    ("foraging for mushrooms", S({"foraging"}), S()),
    ("I love the beach", S({"beach activities"}), S()),
    ("fly fishing on rivers", S({"fly fishing"}), S()),
    ("skiing and snowboarding", S({"skiing", "snowboarding"}), S()),
    # sports
    ("playing soccer on Sundays", S({"soccer"}), S()),
    ("football fan", S(), S({"soccer", "american football"})),
    ("pickup basketball", S({"basketball"}), S()),
    ("pickleball", S({"pickleball"}), S()),
    ("brazilian jiu jitsu", S({"brazilian jiu-jitsu"}), S()),
    ("I do boxing", S({"boxing"}), S()),
    ("bowling with friends", S({"bowling"}), S({"making friends"})),
    ("darts at the pub", S({"darts"}), S({"pub nights"})),
    ("pool and snooker", S({"billiards"}), S()),
    ("I play hockey", S({"ice hockey"}), S({"field hockey"})),
    # fitness
    ("I'm a runner", S({"running"}), S()),
    ("joining a run club", S({"running"}), S()),
    ("I'm trying to get back into running after having a baby", S({"running"}), S({"parenting and family"})),
    ("long road rides on my bike", S({"road cycling"}), S()),
    ("getting out on my bike", S({"road cycling"}), S()),
    ("I love cycling and I commute by bike", S({"road cycling"}), S({"urban cycling"})),
    ("mountain biking on trails", S({"mountain biking"}), S()),
    ("swimming laps at the pool", S({"swimming"}), S()),
    ("I'm a swimmer", S({"swimming"}), S()),
    ("lifting weights at the gym", S({"strength training"}), S({"gym and general fitness"})),
    ("spin classes", S({"indoor cycling"}), S()),
    ("I love a good walk in the countryside", S({"walking"}), S()),
    ("long walks with my dog", S({"walking", "dogs"}), S()),
    # mind and body
    ("yoga and meditation to unwind", S({"yoga", "meditation"}), S()),
    ("meditation and mindfulness", S({"meditation", "mindfulness"}), S()),
    ("tai chi in the park", S({"tai chi and qigong"}), S()),
    ("sound baths", S({"sound healing"}), S()),
    # dance
    ("salsa dancing", S({"salsa"}), S({"dancing"})),
    ("swing dancing", S({"swing dance"}), S()),
    ("I want to learn to dance", S({"dancing"}), S()),
    ("tango", S({"tango"}), S()),
    ("Bollywood", S({"indian dance"}), S()),
    # music
    ("live music", S({"live music"}), S()),
    ("going to gigs", S({"live music"}), S()),
    ("seeing bands live", S({"live music"}), S()),
    ("singing in a choir", S({"choir"}), S({"singing"})),
    ("learning to play guitar", S({"guitar"}), S()),
    ("jam sessions with other musicians", S({"jam sessions"}), S({"playing music"})),
    ("I'm a huge Taylor Swift fan", S({"pop music"}), S()),
    ("I'm a huge metalhead", S({"metal"}), S()),
    ("I play the violin", S({"string instruments"}), S()),
    ("I collect vinyl and go to record fairs", S({"record collecting"}), S()),
    ("record shopping and vinyl", S({"record collecting"}), S()),
    # arts and crafts
    ("throwing pots on the wheel", S({"pottery and ceramics"}), S()),
    ("sewing my own clothes", S({"sewing"}), S()),
    ("I make my own clothes", S({"sewing"}), S()),
    ("woodworking in my garage", S({"woodworking"}), S()),
    ("knitting and crochet", S({"knitting", "crochet"}), S()),
    ("I love to paint", S({"painting"}), S()),
    ("I like to draw", S({"drawing"}), S()),
    ("photo walks around the city", S({"photography"}), S()),
    ("I'm a keen amateur photographer", S({"photography"}), S()),
    ("art galleries", S({"visual arts"}), S({"museums"})),
    # performing arts
    ("stand-up comedy nights", S({"stand-up comedy"}), S()),
    ("improv classes", S({"improv"}), S()),
    ("theatre and musicals", S({"theatre", "musical theatre"}), S()),
    ("I love movies", S({"film"}), S()),
    ("indie films and film clubs", S({"film"}), S()),
    ("drag shows", S({"drag"}), S()),
    # food and drink
    ("baking bread and cakes", S({"baking"}), S({"bread and sourdough"})),
    ("I love to cook", S({"cooking"}), S()),
    ("I'm a bit of a foodie and love trying new cuisines", S({"dining out"}), S({"cooking"})),
    ("wine tasting", S({"wine"}), S()),
    ("wine and cheese nights", S({"wine", "cheese"}), S()),
    ("craft beer and brewery tours", S({"craft beer"}), S()),
    ("good coffee and cafes", S({"coffee"}), S()),
    ("tea ceremonies and loose leaf tea", S({"tea"}), S()),
    ("sober curious socials", S({"sober socializing"}), S()),
    # learning
    ("curling up with a good book", S({"reading and literature"}), S()),
    ("I love to read", S({"reading and literature"}), S()),
    ("my book club", S({"book clubs"}), S()),
    ("practising my Spanish at a language exchange", S({"spanish language"}), S({"language exchange"})),
    ("I speak French and want to keep it up", S({"french language"}), S()),
    ("learning a new language", S({"language exchange"}), S()),
    ("history buff", S({"history"}), S()),
    ("I like learning new things", S({"lectures and ideas"}), S()),
    ("I love to write", S({"creative writing"}), S()),
    ("I love anything to do with space and the stars", S({"astronomy"}), S({"stargazing"})),
    # tech
    ("coding side projects", S({"programming"}), S()),
    ("building apps", S({"programming"}), S()),
    ("I'm a data nerd", S({"data science"}), S()),
    ("hackathons and maker spaces", S({"hackathons", "maker spaces"}), S()),
    ("I love tinkering with electronics", S({"electronics"}), S({"maker spaces"})),
    ("3D printing", S({"3d printing"}), S()),
    ("blockchain and smart contracts", S({"blockchain and crypto"}), S()),
    ("talking Ethereum and DeFi", S({"blockchain and crypto"}), S()),
    # community
    ("volunteering at the food bank", S({"mutual aid and food security"}), S({"volunteering"})),
    ("giving back to my community", S({"volunteering"}), S()),
    ("helping the homeless", S({"mutual aid and food security"}), S()),
    ("mentoring young people", S({"mentoring and tutoring"}), S()),
    ("beach cleanups", S({"cleanups"}), S()),
    ("getting my hands dirty in the garden", S({"gardening"}), S()),
    ("growing vegetables on my allotment", S({"gardening"}), S({"community gardens and urban farming"})),
    ("LGBTQ+ events and queer community", S({"lgbtq+ community"}), S()),
    ("I'm a Christian", S({"christian faith"}), S()),
    ("going to mass on Sundays", S({"christian faith"}), S()),
    ("my faith is important to me", S({"interfaith and spiritual community"}), S()),
    ("Ramadan iftars", S({"muslim community"}), S()),
    ("fun things to do with my kids", S({"parenting and family"}), S()),
    ("I'm a stay at home mum", S({"parenting and family"}), S()),
    ("I love spending time with my family", S({"parenting and family"}), S()),
    ("I'm retired and want to stay active", S({"seniors"}), S({"gym and general fitness"})),
    ("mental health support groups", S({"mental health and peer support"}), S()),
    ("I live with anxiety", S({"mental health and peer support"}), S()),
    ("support for carers", S({"seniors"}), S()),
    # social
    ("meeting new people", S({"making friends"}), S()),
    ("I'm new to the city and want to meet people", S({"newcomers and immigrants"}), S({"making friends"})),
    ("I'm an introvert who likes small groups", S({"introverts"}), S()),
    ("pub nights with mates", S({"pub nights"}), S()),
    ("I'm single and want to meet someone", S({"singles and dating"}), S()),
    ("nightclubs and dancing until late", S({"clubbing and nightlife"}), S({"dancing"})),
    # animals
    ("anything with dogs", S({"dogs"}), S()),
    ("my rescue greyhound", S({"dogs"}), S({"animal rescue"})),
    ("I love cats", S({"cats"}), S()),
    ("horse riding lessons", S({"horses"}), S()),
    ("keeping bees", S({"beekeeping"}), S()),
    ("chickens in the backyard", S({"farm animals and homesteading"}), S()),
    ("spending time with animals", S({"zoos and animal encounters"}), S()),
    # culture
    ("museums", S({"museums"}), S()),
    (
        "heritage walks and local history",
        S({"local history and genealogy"}),
        S({"heritage and historic sites"}),
    ),
    ("castles and old churches", S({"heritage and historic sites"}), S({"architecture"})),
    ("cultural festivals and food from around the world", S({"cultural festivals"}), S()),
    ("Chinese New Year", S({"lunar new year"}), S()),
    ("watching anime", S({"anime and manga"}), S()),
    ("cosplay and comic cons", S({"cosplay", "comics and fan conventions"}), S()),
    ("flea markets and antiques", S({"markets", "antiques and collecting"}), S()),
    # travel
    ("travelling and exploring new places", S({"travel"}), S()),
    ("exploring new cities", S({"travel"}), S()),
    ("road trips", S({"road trips"}), S()),
    ("train journeys", S({"trains and railways"}), S()),
    ("solo travel", S({"solo travel"}), S()),
    # lifestyle
    ("vintage shopping and thrifting", S({"vintage and thrifting"}), S()),
    ("hunting for a bargain", S({"vintage and thrifting"}), S()),
    ("cars and car shows", S({"cars"}), S()),
    ("motorbikes", S({"motorcycles"}), S()),
    ("makeup and skincare", S({"beauty and makeup"}), S()),
    ("houseplants", S({"houseplants"}), S()),
    ("DIY and home renovation", S({"diy home improvement"}), S({"crafts"})),
    # music, dance and the outdoors, said many ways
    ("Getting lost in a good novel", S({"reading and literature"}), S()),
    ("I grew up playing the cello", S({"string instruments"}), S()),
    ("I play bass in a band", S({"guitar"}), S({"jam sessions", "playing music"})),
    ("Barbershop quartets", S({"a cappella and barbershop"}), S()),
    ("Going to see the symphony", S({"classical music"}), S()),
    ("Punk shows in tiny venues", S({"punk"}), S({"live music"})),
    ("Raves and techno", S({"electronic music"}), S({"clubbing and nightlife"})),
    ("Country music and line dancing", S({"country music", "line dancing"}), S()),
    ("Belly dancing", S({"middle eastern dance"}), S()),
    ("Breakdancing", S({"breaking"}), S()),
    ("Tap dancing", S({"jazz and tap dance"}), S()),
    ("Drumming circles", S({"drumming"}), S()),
    ("Waterfall chasing", S({"hiking"}), S()),
    ("Sunrise hikes", S({"hiking"}), S()),
    ("Glamping", S({"camping"}), S()),
    ("Canoe trips", S({"canoeing"}), S()),
    ("Spotting whales", S({"wildlife watching"}), S()),
    ("Butterflies and moths", S({"nature study"}), S()),
    ("Fossil hunting on the beach", S({"geology and fossils"}), S({"beach activities"})),
    ("Hot springs", S({"wellness and self-care"}), S()),
    # community and life stages
    ("Charity runs and fun runs", S({"charity and fundraising"}), S({"running"})),
    ("Refugee support", S({"newcomers and immigrants"}), S({"mental health and peer support"})),
    ("Animal welfare", S({"animal rescue"}), S()),
    ("Mums and babies groups", S({"parenting and family"}), S()),
    ("Over 50s social club", S({"seniors"}), S({"making friends"})),
    ("Widows support", S({"mental health and peer support"}), S()),
    ("Men's shed", S({"men's community"}), S()),
    ("Sapphic events", S({"lgbtq+ community"}), S()),
    ("Wheelchair accessible activities", S({"disability community"}), S()),
    ("Neurodivergent social", S({"disability community"}), S()),
    ("Quaker meetings", S({"christian faith"}), S()),
    # food, culture and travel, said many ways
    ("I'm a huge foodie who loves Ethiopian food", S({"african and caribbean food"}), S({"dining out"})),
    ("Dim sum on Sundays", S({"dumplings and noodles"}), S()),
    ("Pasta making", S({"pizza and pasta"}), S({"cooking"})),
    ("Cheese making", S({"cheese"}), S()),
    ("Wine and paint nights", S({"paint and sip"}), S({"wine", "painting"})),
    ("Brewery hopping", S({"craft beer"}), S()),
    ("Specialty coffee and latte art", S({"coffee"}), S()),
    ("Plant-based cooking", S({"vegan and vegetarian food"}), S({"cooking"})),
    ("Girls' night out", S({"women's community"}), S({"clubbing and nightlife"})),
    ("Star Trek", S({"science fiction and fantasy"}), S()),
    ("Doctor Who fan", S({"science fiction and fantasy"}), S()),
    ("Disney", S({"film"}), S()),
    ("Studio Ghibli", S({"anime and manga"}), S({"film"})),
    ("Guided tours", S({"heritage and historic sites"}), S({"walking"})),
    ("World music", S({"world music"}), S()),
    ("Polish community", S({"cultural identity communities"}), S()),
    ("Persian new year", S({"cultural identity communities"}), S({"cultural festivals"})),
    ("Eid celebrations", S({"muslim community"}), S({"cultural festivals"})),
    ("Hanukkah", S({"jewish community"}), S({"holiday celebrations"})),
    ("Oktoberfest", S({"craft beer"}), S({"cultural festivals"})),
    ("Easter egg hunts", S({"holiday celebrations"}), S({"parenting and family"})),
    ("Backpacking Europe", S({"backpacking"}), S({"travel"})),
    ("Camper van trips", S({"van life and rv"}), S({"road trips"})),
    ("Airplanes and plane spotting", S({"aviation"}), S()),
    ("Hidden gems", S({"urban exploration"}), S()),
    # games, learning, tech and crafts, said many ways
    ("boardgames", S({"board games"}), S()),
    ("ttrpgs", S({"tabletop role-playing games"}), S()),
    ("k pop dance covers", S({"k-pop dance"}), S()),
    ("Rubik's cubes", S({"speedcubing"}), S()),
    ("word games like Scrabble", S({"word games"}), S()),
    ("I'm a maths nerd", S({"mathematics"}), S()),
    ("I love TED talks", S({"lectures and ideas"}), S()),
    ("I'm learning Mandarin", S({"chinese language"}), S()),
    ("writing my first novel", S({"creative writing"}), S({"reading and literature"})),
    ("journaling and bullet journals", S({"journaling"}), S()),
    ("public speaking and Toastmasters", S({"public speaking"}), S()),
    ("Linux and self-hosting", S({"open source"}), S()),
    ("amateur radio", S({"ham radio"}), S()),
    ("indie game development", S({"game development"}), S()),
    ("woodwork and carpentry", S({"woodworking"}), S()),
    ("cross stitch", S({"embroidery and needlework"}), S()),
    ("dyeing with plants", S({"weaving and fiber arts"}), S()),
    ("stained glass", S({"glass art"}), S()),
    # a job, a mood or a passing word is not a passion
    ("I'm a software engineer who loves climbing", S({"climbing"}), S()),
    ("I'm an architect who loves sailing", S({"sailing"}), S()),
    ("I'm a teacher and love hiking on my days off", S({"hiking"}), S()),
    ("I'm a doctor who loves jazz", S({"jazz"}), S()),
    ("I train jiu jitsu three times a week", S({"brazilian jiu-jitsu"}), S()),
    ("I train for marathons", S({"running"}), S()),
    ("I love fried chicken and hot wings", S({"spicy food and hot sauce"}), S({"bbq and grilling"})),
    # more ways of saying it
    ("Cheering on my team at the stadium", S({"watching sports"}), S()),
    ("Sports bars for the big game", S({"watching sports"}), S()),
    ("I follow the NBA religiously", S({"basketball"}), S({"watching sports"})),
    ("Spending Sunday afternoons at the driving range", S({"golf"}), S()),
    ("Hosting game nights at my place", S({"board games"}), S()),
    ("Going to the movies with friends", S({"film"}), S({"making friends"})),
    ("I love a bit of gardening and a cup of tea", S({"gardening", "tea"}), S()),
    ("I love learning about different cultures", S({"cultural festivals"}), S()),
    ("Building things with my hands", S(), S({"maker spaces", "crafts", "woodworking"})),
    ("Restoring old furniture", S({"diy home improvement"}), S({"woodworking"})),
    ("Fixing up old bikes", S(), S({"urban cycling", "road cycling"})),
    ("Urban exploring", S({"urban exploration"}), S()),
    ("I'm into true crime podcasts", S({"podcasting and radio", "true crime"}), S()),
    ("Skydiving", S({"paragliding and air sports"}), S()),
    ("Geocaching with the kids", S({"geocaching"}), S({"parenting and family"})),
    ("Dragon boat racing", S({"dragon boat"}), S()),
    ("Sailing and boating", S({"sailing"}), S({"cruises and boating"})),
    ("Aerial silks", S({"pole and aerial fitness"}), S({"circus arts"})),
    ("I want to give something back", S({"volunteering"}), S()),
    # breadth pass: interests the checklist in docs/lexicon_coverage.md found missing
    ("I compete in masters track and field, mostly the long jump", S({"track and field"}), S()),
    ("sprinting and hurdling at the track", S({"track and field"}), S()),
    ("a good stretching class and some foam rolling", S({"stretching and mobility"}), S()),
    ("ringing handbells in a handbell choir", S({"bell ringing and handbells"}), S()),
    ("change ringing at the cathedral tower", S({"bell ringing and handbells"}), S({"architecture"})),
    ("stop-motion animation and claymation", S({"animation"}), S()),
    ("making zines and going to zine fairs", S({"zines and small press"}), S()),
    ("I could eat biryani and dosas every day", S({"indian and south asian food"}), S()),
    ("I love a good curry night", S({"indian and south asian food"}), S()),
    ("falafel, hummus and good Lebanese food", S({"middle eastern and mediterranean food"}), S()),
    ("Pho and banh mi are my comfort food", S({"southeast asian food"}), S()),
    ("Thai cooking classes", S({"southeast asian food"}), S()),
    ("Jollof rice and jerk chicken", S({"african and caribbean food"}), S()),
    ("Oysters and a lobster roll by the sea", S({"seafood"}), S()),
    ("learning Russian and Ukrainian", S({"slavic languages"}), S()),
    ("I'm learning Hindi", S({"south asian languages"}), S()),
    ("practising my Tagalog", S({"southeast asian languages"}), S()),
    ("learning Irish Gaelic", S({"celtic languages"}), S()),
    ("I want to learn Dutch", S({"nordic and dutch languages"}), S()),
    ("learning Cree and Ojibwe", S({"indigenous languages"}), S({"indigenous culture"})),
    ("I'd love to learn Latin", S({"latin and ancient greek"}), S()),
    ("taking Greek lessons", S({"greek language"}), S()),
    ("learning Swahili", S({"african languages"}), S()),
    ("Norse mythology and old folklore", S({"mythology and folklore"}), S()),
    ("I'm obsessed with true crime and cold cases", S({"true crime"}), S()),
    ("personal growth and self-improvement", S({"personal growth"}), S()),
    ("vlogging and editing my YouTube videos", S({"video creation and streaming"}), S()),
    ("celebrating Black history and culture", S({"black community and culture"}), S()),
    ("Juneteenth celebrations", S({"black community and culture"}), S()),
    ("a men's group where guys can actually talk", S({"men's community"}), S()),
    ("I volunteer as a Scout leader", S({"scouting and guiding"}), S({"volunteering"})),
    ("fun date night ideas with my husband", S({"couples and date nights"}), S()),
    ("Indigenous art and powwows", S({"indigenous culture"}), S()),
    ("Chinese opera and Chinese culture", S({"chinese culture"}), S()),
    ("Bollywood movies and South Asian culture", S({"south asian culture"}), S({"film"})),
    ("highland games and Burns suppers", S({"celtic heritage"}), S()),
    ("ghost hunting and anything paranormal", S({"paranormal"}), S()),  # not hunting
    ("off-roading in my Jeep", S({"off-roading"}), S()),
    ("ATV riding and mudding", S({"off-roading"}), S()),
]

# Sentences a person might add about themselves that name no hobby: they must trigger nothing.
NO_HOBBY_STATEMENTS = [
    "I work from home and want to get out more",
    "I'm looking for a new hobby",
    "I run a small shop and want a fresh start",
    "I'm a software engineer",
    "I'm a nurse working night shifts",
    "I'm going through a lot and want to feel part of something",
    "I like kind, down-to-earth people",
    "I'm a hands-on person",
    "I work in marketing",
    "I'm free most evenings after work",
    "I prefer small, relaxed events",
    "I'm an early bird",
    "every single day is busy for me",
    "I love a good deal",
    "I'd like to step out of my comfort zone",
    "I'm a startup founder",
    "networking events",
    "I jumped through a lot of hurdles to get here",  # not track and field
    "I'm fairly athletic",  # not track and field ("athletics" folds to "athletic")
    "my partner and I are both teachers",  # not couples and date nights
    "I'm a man of few words",  # not men's community
    "I watch a lot of streams",  # not video creation and streaming
]


@pytest.mark.parametrize(
    ("statement", "must", "may"), PASSION_STATEMENTS, ids=[s for s, _, _ in PASSION_STATEMENTS]
)
def test_statement_triggers_the_hobbies_it_names_and_no_others(
    statement: str, must: frozenset[str], may: frozenset[str]
) -> None:
    triggered = set(Expander.default().expand(statement).hobbies)
    assert must <= triggered, f"missing {sorted(must - triggered)}; got {sorted(triggered)}"
    assert triggered <= must | may, f"misfired {sorted(triggered - must - may)}"
    assert triggered, "triggered no hobby"


@pytest.mark.parametrize("statement", NO_HOBBY_STATEMENTS)
def test_statement_naming_no_hobby_triggers_none(statement: str) -> None:
    assert Expander.default().expand(statement).hobbies == {}


def test_the_corpus_names_real_hobbies_and_covers_every_category() -> None:
    lexicon = Lexicon.load()
    named = [h for _, must, may in PASSION_STATEMENTS for h in must | may]
    categories = Counter(lexicon.by_name(h).category for _, must, _ in PASSION_STATEMENTS for h in must)
    assert set(categories) == set(lexicon.categories()), set(lexicon.categories()) - set(categories)
    assert len({h for h in named}) >= 120
    assert len({s for s, _, _ in PASSION_STATEMENTS}) == len(PASSION_STATEMENTS) >= 150


def test_a_repeated_passion_expands_as_the_first_time_even_after_a_merge_into_it():
    expander = Expander.default()
    first = expander.expand("brewery tours")
    fresh = expander._expand("brewery tours")
    first.merge(expander.expand("trying new IPAs with fellow hop heads"))  # group_passions does this
    first.own.add("stray")
    again = expander.expand("brewery tours")
    assert again == fresh and again is not first and again.features is not first.features
