"""Site adapters: chosen by host, and what each adds over the generic schema.org parser."""

from __future__ import annotations

import json

import pytest
from conftest import FIXTURES
from hypothesis import given, settings
from hypothesis import strategies as st

from scrapers import parse
from scrapers.errors import ParseError
from scrapers.schemaorg import parse_schemaorg
from scrapers.sites import adapter_for, register

PAGES = FIXTURES / "pages"
MEETUP_EVENT = "https://www.meetup.com/python-spokane/events/298213205/"
EB_ORGANISER = "https://www.eventbrite.co.uk/o/queer-lit-social-refuge-48062165483"


@pytest.mark.parametrize(
    "url,module",
    [
        ("https://www.meetup.com/x/events/1/", "scrapers.sites.meetup"),
        ("https://meetup.com/x/", "scrapers.sites.meetup"),
        ("https://www.eventbrite.com/e/x-1", "scrapers.sites.eventbrite"),
        ("https://www.eventbrite.ca/o/y-2", "scrapers.sites.eventbrite"),
        ("https://notmeetup.com/x", None),
        ("https://example.org/meetup.com/", None),
    ],
)
def test_adapter_is_chosen_by_host(url, module):
    adapter = adapter_for(url)
    assert (adapter.__module__ if adapter else None) == module


def test_register_adds_a_host(monkeypatch):
    from scrapers import sites

    monkeypatch.setattr(sites, "ADAPTERS", dict(sites.ADAPTERS))
    register("www.example.org", "scrapers.schemaorg:parse_schemaorg")
    assert adapter_for("https://events.example.org/x") is parse_schemaorg


def test_meetup_next_data_adds_topics_group_and_full_description():
    page = (PAGES / "meetup-with-json.html").read_bytes()
    (plain,) = parse_schemaorg(page, MEETUP_EVENT)
    (ev,) = parse(page, MEETUP_EVENT)
    assert ev.id == plain.id  # enrichment never changes identity
    assert ev.tags == ["Linux", "Python", "Django", "Agile and Scrum", "Python Web Development"]
    assert ev.group == "Spokane Python User Group"
    assert ev.description.startswith(plain.description[:60]) and len(ev.description) > len(plain.description)


def test_meetup_without_next_data_still_reads_json_ld():
    (ev,) = parse((PAGES / "meetup-without-json.html").read_bytes(), MEETUP_EVENT)
    assert ev.tags == [] and ev.group == "Spokane Python User Group" and ev.venue == "IntelliTect"


def _edit_apollo(html: str, edit) -> str:
    start = html.index('<script id="__NEXT_DATA__"')
    body_start = html.index(">", start) + 1
    body_end = html.index("</script>", body_start)
    data = json.loads(html[body_start:body_end])
    edit(data["props"]["pageProps"]["__APOLLO_STATE__"])
    return html[:body_start] + json.dumps(data) + html[body_end:]


def test_meetup_event_type_and_cancellation_come_from_apollo():
    html = (PAGES / "meetup-with-json.html").read_text(encoding="utf-8")

    def online_and_cancelled(state):
        state["Event:298213205"].update(eventType="ONLINE", status="CANCELLED")

    (ev,) = parse(_edit_apollo(html, online_and_cancelled), MEETUP_EVENT)
    assert (ev.attendance, ev.status) == ("online", "cancelled")


def test_meetup_apollo_only_upcoming_events_are_added_but_not_past_ones():
    html = (PAGES / "meetup-with-json.html").read_text(encoding="utf-8")

    def add_events(state):
        base = state["Event:298213205"]
        state["Event:1"] = dict(
            base, id="1", title="Sketch walk", eventUrl="https://www.meetup.com/g/events/1/"
        )
        state["Event:2"] = dict(
            base, id="2", title="Old one", status="PAST", eventUrl="https://www.meetup.com/g/events/2/"
        )

    events = parse(_edit_apollo(html, add_events), MEETUP_EVENT)
    assert [e.title for e in events] == ["Dagger with Spokane Tech 🚀", "Sketch walk"]
    assert events[1].venue == "IntelliTect" and events[1].group == "Spokane Python User Group"


def test_meetup_page_with_no_events_is_a_parse_error():
    with pytest.raises(ParseError, match="no schema.org Event"):
        parse("<html><body><p>Log in to see this group</p></body></html>", "https://www.meetup.com/g/")


def test_eventbrite_server_data_adds_category_and_format_tags():
    events = parse((PAGES / "eventbrite_organizer_queer-lit-social-refuge.html").read_bytes(), EB_ORGANISER)
    by_title = {e.title: e for e in events}
    assert by_title["Run With Pride: Sunday Run Club"].tags == ["Sports & Fitness", "Race or Endurance Event"]
    assert by_title["Ancoats Quiz Night"].is_free is False


LISTING = """<html><head><script type="application/ld+json">
{"@context": "https://schema.org", "@type": "ItemList", "itemListElement": [
 {"@type": "ListItem", "position": 1, "item": {"@type": "Event", "name": "Pottery taster",
  "startDate": "2026-12-05", "url": "https://www.eventbrite.com/e/pottery-taster-tickets-111"}},
 {"@type": "ListItem", "position": 2, "item": {"@type": "Event", "name": "Chess club",
  "startDate": "2026-12-06", "url": "https://www.eventbrite.com/e/chess-club-tickets-222"}}]}
</script></head><body>%s</body></html>"""
SERVER_DATA = """<script>window.__SERVER_DATA__ = {"search_data": {"events": {"results": [
 {"name": {"text": "Pottery taster"}, "url": "https://www.eventbrite.com/e/pottery-taster-tickets-111",
  "start": {"local": "2026-12-05T14:00:00", "timezone": "America/Toronto"},
  "end": {"local": "2026-12-05T16:00:00", "timezone": "America/Toronto"},
  "online_event": true, "status": "canceled", "category": {"name": "Hobbies & Special Interest"}}]}}};
</script>"""


def test_eventbrite_date_only_listing_entries_get_times_from_server_data_or_are_followed():
    events = parse(LISTING % SERVER_DATA, "https://www.eventbrite.com/d/canada--toronto/crafts/")
    pottery, chess = events
    assert (pottery.all_day, pottery.start.isoformat()) == (False, "2026-12-05T14:00:00-05:00")
    assert (pottery.attendance, pottery.status, pottery.tags) == (
        "online",
        "cancelled",
        ["Hobbies & Special Interest"],
    )
    assert chess.all_day is True
    assert events.follow == ["https://www.eventbrite.com/e/chess-club-tickets-222"]


def test_eventbrite_without_server_data_follows_every_date_only_entry():
    events = parse(LISTING % "", "https://www.eventbrite.com/d/canada--toronto/crafts/")
    assert len(events.follow) == 2 and all(e.all_day for e in events)


MEETUP_PAGE = (PAGES / "meetup-homepage-with-json.html").read_text(encoding="utf-8")
EB_PAGE = (PAGES / "eventbrite_organizer_queer-lit-social-refuge.html").read_text(encoding="utf-8")


@pytest.mark.parametrize(
    "page,url", [(MEETUP_PAGE, "https://www.meetup.com/python-spokane/"), (EB_PAGE, EB_ORGANISER)]
)
@settings(max_examples=40, deadline=None)
@given(data=st.data())
def test_truncated_or_damaged_pages_give_events_or_a_parse_error(page, url, data):
    cut = data.draw(st.integers(0, len(page)))
    noise = data.draw(st.text(max_size=50))
    damaged = page[:cut] + noise + page[cut + len(noise) :]
    try:
        events = parse(damaged, url)
    except ParseError:
        return
    assert all(e.title and e.start.tzinfo for e in events)


@pytest.mark.parametrize(
    "page,url,host",
    [
        (MEETUP_PAGE, "https://www.meetup.com/python-spokane/", "https://www.meetup.com"),
        (EB_PAGE, EB_ORGANISER, "https://www.eventbrite"),
    ],
)
def test_a_malformed_address_in_a_page_is_dropped_not_fatal(page, url, host):
    # found by the fuzz test above: an unclosed "[" made urllib raise "Invalid IPv6 URL"
    damaged = page.replace(host, host.replace("https://", "https://["))
    assert damaged != page
    events = parse(damaged, url)
    assert events and all(e.url is None or "[" not in e.url for e in events)


def test_eventbrite_api_and_organiser_page_give_the_same_ids_for_the_same_events():
    page = parse((PAGES / "eventbrite_organizer_queer-lit-social-refuge.html").read_bytes(), EB_ORGANISER)
    api = []
    for n in (1, 2):
        name = f"eventbrite_api_organizer_48062165483_events_page{n}.json"
        api += parse(
            (PAGES / name).read_bytes(),
            f"https://www.eventbriteapi.com/v3/organizers/48062165483/events/?page={n}",
        )
    by_url = {e.url: e for e in api}
    both = [e for e in page if e.url in by_url]  # the API lists what was upcoming when it was saved
    assert len(both) == 7
    assert all(by_url[e.url].id == e.id and by_url[e.url].title == e.title for e in both)


def test_eventbrite_api_response_without_events_is_a_parse_error():
    with pytest.raises(ParseError, match="no Eventbrite events"):
        parse(
            '{"pagination": {"object_count": 0}, "events": []}',
            "https://www.eventbriteapi.com/v3/organizers/1/events/",
        )
    with pytest.raises(ParseError, match="malformed JSON"):
        parse('{"events": [', "https://www.eventbriteapi.com/v3/organizers/1/events/")
