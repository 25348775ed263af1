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
