"""The examples in the scrapers' docstrings run and give what they show."""

import doctest
import importlib

import pytest

MODULES = [
    "scrapers.ical",
    "scrapers.ical_fields",
    "scrapers.location",
    "scrapers.http",
    "scrapers.responses",
    "scrapers.robots",
    "scrapers.throttle",
]


@pytest.mark.parametrize("name", MODULES)
def test_docstring_examples(name):
    result = doctest.testmod(importlib.import_module(name), optionflags=doctest.ELLIPSIS)
    assert result.attempted > 0, f"{name} has no examples"
    assert result.failed == 0
