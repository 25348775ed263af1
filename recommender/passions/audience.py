"""Who an event is for, and what a person's statement says about who they are and when they can go.

A statement carries constraints and life situations beside its passions (being bereaved, new in
town or a father says who the person is, not what they love; a father is not sent to Mother's
Day workshops): children's ages ("my kids are 4 and 7"), being
an adult who is not after youth programmes ("I'm a university student"), not drinking ("I don't
drink"), and days ("weekends only"). An event states its audience: ages ("ages 10–14", "19+"),
"adults only", "for seniors" (55+), and whether it is about drinking (a beer festival, a wine
tasting). :func:`fits` says whether an event suits a person's constraints; the ranking leaves out
the events that do not.

>>> c = read_constraints("Things to do with my kids, they're 4 and 7. Weekends only!")
>>> c.kid_ages, c.weekends_only, c.adult
((4, 7), True, False)
>>> fits(Audience(ages=(10, 14)), c), fits(Audience(ages=(3, 8)), c), fits(Audience(adults_only=True), c)
(False, True, False)
>>> fits(Audience(ages=(10, 14)), read_constraints("I'm a university student who loves robotics"))
False
>>> fits(Audience(drinking=True), read_constraints("I don't drink but love live music"))
False
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime

from recommender.passions.expansion import fold

_KIDS = re.compile(
    r"\b(?:my|our)\s+(?:kids?|children|child|sons?|daughters?|boys?|girls?|twins|little ones)\b([^.;!?]*)"
)
_AGE = re.compile(r"\b(\d{1,2})\b(?!\s*(?:am|pm|km|:|\.\d))")
_ADULT = re.compile(
    r"\b(?:(?:university|college|grad(?:uate)?|phd|mature) students?|i'?m (?:an? )?(?:adult|retired|retiree)|"
    r"i am (?:an? )?(?:adult|retired)|i'?m (?:1[89]|[2-9]\d)\b|in my (?:20|30|40|50|60|70)s)"
)
_SOBER = re.compile(
    r"\b(?:(?:i )?(?:don'?t|do not|never|no longer) drink(?: alcohol)?|sober|teetotal\w*|no alcohol|"
    r"alcohol[- ]free|not a drinker)\b"
)
_WEEKENDS = re.compile(
    r"\b(?:weekends? only|only (?:on )?(?:the )?weekends?|only (?:on )?(?:saturdays?|sundays?)|"
    r"(?:saturdays?|sundays?|weekends?) are (?:my only|the only)|work weekdays)\b"
)

# life situations: who the person is, which shapes who an event is for, but is not a passion
_SITUATION = re.compile(
    r"\b(?:(?:i'?m|i am|we'?re|we are)\s+(?:(?:still\s+)?new (?:in|to) (?:town|the city|the area|\w+)|"
    r"recently (?:widowed|divorced|retired|bereaved|separated)|widowed|bereaved|grieving|divorced|"
    r"an? (?:single |new |stay-at-home |first-time )?(?:dad|father|mom|mum|mother|parent)(?: of \w+)?|"
    r"new parents?)|"
    r"(?:just|recently) moved (?:here|to (?:town|the city|\w+))|don'?t know anyone(?: here)?|"
    r"(?:since|after) (?:my|losing my) \w+ (?:died|passed(?: away)?)|(?:i )?lost my (?:wife|husband|partner|"
    r"mother|father|mom|mum|dad|son|daughter|job))\b",
    re.I,
)
_FATHER = re.compile(r"\b(?:i'?m|i am) an? (?:single |new |stay-at-home |first-time )?(?:dad|father)\b")
_MOTHER = re.compile(r"\b(?:i'?m|i am) an? (?:single |new |stay-at-home |first-time )?(?:mom|mum|mother)\b")
_FOR_MOTHERS = re.compile(r"\b(?:mother'?s day|moms?|mums?|mothers|mommy|mummy|mama)\b")
_FOR_FATHERS = re.compile(r"\b(?:father'?s day|dads?|fathers|daddy|papa)\b")

_RANGE = re.compile(r"\b(?:ages?|aged|for)\s*(\d{1,2})\s*(?:-|–|—|to)\s*(\d{1,2})\b")
_PLUS = re.compile(
    r"\b(?:ages?\s*)?(\d{1,2})\s*\+|\b(?:ages?|aged)\s*(\d{1,2})\s*(?:and|&)\s*(?:up|over|older)\b"
)
_ADULTS_ONLY = re.compile(r"\b(?:adults? only|for adults|no (?:kids|children|minors)|must be (?:19|21|18))\b")
_SENIORS = re.compile(r"\b(?:for seniors|seniors'? (?:program|programme|class|club|group)|older adults)\b")
_DRINKING = re.compile(
    r"\b(?:beer|wine|cocktails?|brewery|breweries|whisk(?:e)?y|bourbon|sake|pub crawl|bar crawl|"
    r"booze|happy hour|tasting room|cider fest\w*|beer fest\w*|winery|mixology)\b"
)


_SOBER_RAW = re.compile(r"\b(?:i\s+)?" + _SOBER.pattern.removeprefix(r"\b"), re.I)
_WEEKENDS_RAW = re.compile(_WEEKENDS.pattern, re.I)


@dataclass(frozen=True)
class Constraints:
    """What a statement says about the person beside their passions."""

    kid_ages: tuple[int, ...] = ()
    adult: bool = False
    parent: str = ""  # "father" or "mother" when they say so: events for the other parent are not theirs
    sober: bool = False
    weekends_only: bool = False

    def __bool__(self) -> bool:
        return bool(self.kid_ages or self.adult or self.sober or self.weekends_only or self.parent)


@dataclass(frozen=True)
class Audience:
    """Who an event says it is for: an age range (low, high), adults only, seniors, drinking."""

    ages: tuple[int, int] | None = None
    adults_only: bool = False
    seniors: bool = False
    drinking: bool = False
    parent: str = ""  # "mother" or "father" when its title says it is for one (Mother's Day)


def read_constraints(statement: str) -> Constraints:
    """The person's constraints in ``statement`` (see the module notes)."""
    text = fold(statement).replace("’", "'")
    ages: list[int] = []
    for match in _KIDS.finditer(text):
        ages += [int(a) for a in _AGE.findall(match.group(1)) if int(a) < 18]
    return Constraints(
        kid_ages=tuple(dict.fromkeys(ages)),
        adult=bool(_ADULT.search(text)),
        sober=bool(_SOBER.search(text)),
        weekends_only=bool(_WEEKENDS.search(text)),
        parent="father" if _FATHER.search(text) else "mother" if _MOTHER.search(text) else "",
    )


_KID_AGES = re.compile(
    r"\b(?:they'?re|they are|are|aged|ages?)\s+\d{1,2}(?:\s*(?:,|&|and)\s*\d{1,2})*\b", re.I
)


def without_constraints(statement: str) -> str:
    """``statement`` without the words that state constraints or life situations rather than
    passions ("I don't drink", "weekends only", the ages in "my kids are 4 and 7", "I'm new in
    town", "since my wife died", "I'm a dad"): they shape the list, they are not something to
    look for.

    >>> left = without_constraints("Live music, but I don't drink. Weekends only; my kids are 4 and 7")
    >>> " ".join(left.split())
    'Live music, but . ; my kids'
    """
    for pattern in (_SOBER_RAW, _WEEKENDS_RAW, _KID_AGES, _SITUATION):
        statement = pattern.sub(" ", statement)
    return statement


def read_audience(title: str, text: str) -> Audience:
    """The audience an event states in its ``title`` and ``text`` (description, tags)."""
    body = fold(f"{title}\n{text}")
    ages = None
    if match := _RANGE.search(body):
        low, high = sorted((int(match.group(1)), int(match.group(2))))
        ages = (low, high) if high < 100 else None
    elif match := _PLUS.search(body):
        ages = (int(match.group(1) or match.group(2)), 120)
    seniors = bool(_SENIORS.search(body)) or (ages is not None and ages[0] >= 55)
    return Audience(
        ages=ages,
        adults_only=bool(_ADULTS_ONLY.search(body)) or (ages is not None and ages[0] >= 18),
        seniors=seniors,
        drinking=bool(_DRINKING.search(fold(title))),  # an event *about* drinking names it up front
        parent=(
            "mother"
            if _FOR_MOTHERS.search(fold(title))
            else "father"
            if _FOR_FATHERS.search(fold(title))
            else ""
        ),
    )


def fits(audience: Audience, constraints: Constraints, start: datetime | None = None) -> bool:
    """Whether an event for ``audience`` (starting at ``start``) suits a person's ``constraints``."""
    if constraints.weekends_only and start is not None and start.weekday() < 5:
        return False
    if constraints.sober and audience.drinking:
        return False
    if constraints.parent and audience.parent and audience.parent != constraints.parent:
        return False
    if constraints.kid_ages:
        if audience.adults_only or audience.seniors:
            return False
        if audience.ages and not any(
            audience.ages[0] <= age <= audience.ages[1] for age in constraints.kid_ages
        ):
            return False
    elif constraints.adult and audience.ages and audience.ages[1] < 18:
        return False  # youth programmes are not for an adult on their own
    return True
