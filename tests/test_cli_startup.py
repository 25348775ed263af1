"""`kindred --help` lists every command without importing any of them."""

from __future__ import annotations

import subprocess
import sys

import pytest

from recommender.cli.main import COMMANDS, SUMMARIES, LazyGroup


@pytest.mark.parametrize("name", sorted(COMMANDS))
def test_listed_summary_is_the_commands_own_help(name):
    command = LazyGroup().get_command(None, name)
    assert SUMMARIES[name] == command.get_short_help_str(limit=500)


def test_help_imports_no_command_module(kindred_script):
    proc = kindred_script("--help", check=True)
    for name in COMMANDS:
        assert f"  {name} " in proc.stdout
    probe = (
        "import sys; from recommender.cli.main import cli\n"
        "try:\n    cli(['--help'], prog_name='kindred')\nexcept SystemExit:\n    pass\n"
        "print(sorted(m for m in sys.modules if m.startswith(('recommender.cli.', 'sklearn', 'sqlalchemy'))\n"
        "             and m != 'recommender.cli.main'))"
    )
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True).stdout
    assert out.strip().splitlines()[-1] == "[]"


# What a warm `kindred query` must not pay for: HTML and date parsing, fitting, SciPy, SQLAlchemy.
NOT_ON_THE_QUERY_PATH = ("bs4", "dateutil", "lxml", "sklearn", "scipy", "sqlalchemy", "icalendar", "rich")


@pytest.mark.parametrize("fmt", ["json", "table"])
def test_warm_query_imports_only_what_it_uses(snapshot_home, fmt):
    probe = (
        "import sys\nfrom recommender.cli.main import main\n"
        f"sys.argv = ['kindred', 'query', 'board games and long hikes', '--format', {fmt!r}]\n"
        "try:\n    main()\nexcept SystemExit:\n    pass\n"
        f"print(sorted({{m.split('.')[0] for m in sys.modules}} & set({NOT_ON_THE_QUERY_PATH!r})))"
    )
    proc = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr
    assert "board" in proc.stdout.lower()  # it answered
    expected = ["rich"] if fmt == "table" else []  # the table is drawn by rich
    assert proc.stdout.strip().splitlines()[-1] == str(expected)
