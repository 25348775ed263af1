"""notebooks/explore.ipynb: committed without outputs, runs top to bottom on the embedded data, and
the takeaways written under its plots still hold for that data."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import nbformat
import numpy as np
import pandas as pd
import pytest
from nbclient import NotebookClient

from recommender.explore import frames as explore
from recommender.ranking.filters import haversine_km

NOTEBOOKS = Path(__file__).resolve().parents[1] / "notebooks"
NOTEBOOK = NOTEBOOKS / "explore.ipynb"


def _load_strip():
    spec = importlib.util.spec_from_file_location("strip_outputs", NOTEBOOKS / "strip_outputs.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.strip


strip = _load_strip()

# What the notebook ranks; test_the_notebook_asks_what_these_tests_check keeps the two in step.
STATEMENTS = ["I love board games and long hikes", "live jazz and salsa dancing"]
PASSIONS = ["live jazz", "blues", "salsa dancing", "hiking", "birdwatching", "gardening"]
BASE, EXTRA = "live jazz, hiking", "pottery"


def read_notebook() -> nbformat.NotebookNode:
    return nbformat.read(NOTEBOOK, as_version=4)


def test_committed_notebook_has_no_outputs():
    nb = read_notebook()
    code = [cell for cell in nb.cells if cell.cell_type == "code"]
    assert code, "the notebook has no code cells"
    assert all(cell.outputs == [] and cell.execution_count is None for cell in code), (
        "notebooks/explore.ipynb has outputs: run `make notebook-strip` before committing"
    )
    assert not strip(nb)


def test_strip_removes_outputs_and_counts():
    nb = read_notebook()
    cell = next(c for c in nb.cells if c.cell_type == "code")
    cell.outputs = [nbformat.v4.new_output("stream", name="stdout", text="hi\n")]
    cell.execution_count = 3
    nb.metadata["widgets"] = {"state": {}}
    assert strip(nb)
    assert cell.outputs == [] and cell.execution_count is None and "widgets" not in nb.metadata
    assert not strip(nb)


def test_every_plot_has_a_title_labelled_axes_and_a_takeaway():
    cells = read_notebook().cells
    plots = [i for i, c in enumerate(cells) if c.cell_type == "code" and "plt.show()" in c.source]
    assert len(plots) >= 7
    for i in plots:
        source = cells[i].source
        assert "title=" in source and "xlabel=" in source and "ylabel=" in source, source[:80]
        following = next(c for c in cells[i + 1 :] if c.cell_type == "markdown")
        assert following.source.startswith("**Takeaway:**"), source[:80]


@pytest.mark.slow  # a Jupyter kernel runs the whole notebook
def test_notebook_runs_top_to_bottom_on_the_embedded_data(monkeypatch, tmp_path):
    monkeypatch.setenv("MPLBACKEND", "Agg")
    monkeypatch.setenv("JUPYTER_DATA_DIR", str(tmp_path / "jupyter"))  # no user kernelspecs
    monkeypatch.delenv("JUPYTER_PATH", raising=False)
    nb = read_notebook()
    nb.cells.append(nbformat.v4.new_code_cell("import sys; print(sys.executable, end='')"))
    client = NotebookClient(
        nb, timeout=120, kernel_name="python3", resources={"metadata": {"path": str(NOTEBOOKS)}}
    )
    client.execute()  # raises CellExecutionError on the first cell that fails
    outputs = [out for cell in nb.cells if cell.cell_type == "code" for out in cell.outputs]
    stderr = "".join(out.text for out in outputs if out.output_type == "stream" and out.name == "stderr")
    assert "Warning" not in stderr and "Error" not in stderr, stderr  # (a font-cache notice is fine)
    assert nb.cells[-1].outputs[0].text == sys.executable  # the kernel is this venv's Python


def test_the_notebook_asks_what_these_tests_check():
    source = "\n".join(c.source for c in read_notebook().cells if c.cell_type == "code")
    for value in (repr(STATEMENTS), repr(PASSIONS), f"{BASE!r}, {EXTRA!r}"):
        assert value.replace("'", '"') in source


@pytest.fixture(scope="module")
def snapshot():
    store = explore.snapshot_store()
    return explore.events_frame(store), explore.as_ranking(store)


def test_takeaway_events_are_seasonal(snapshot):
    events, _ = snapshot
    monthly = explore.events_per_period(events, "MS")
    busiest = monthly.sort_values(ascending=False).head(4)
    assert {str(p) for p in busiest.index} == {"2025-05", "2025-06", "2025-11", "2025-12"}
    assert 0.6 <= busiest.sum() / monthly.sum() <= 0.72  # "about two thirds"


def test_takeaway_one_source_and_one_dominant_venue(snapshot):
    events, _ = snapshot
    assert events["source"].nunique() == 1
    venues = events["venue"].value_counts()
    assert venues.index[0] == "DROM Taberna" and venues.iloc[0] > 2 * venues.iloc[1]
    assert "Drom Taberna" in venues.index


def test_takeaway_broad_tags_lead(snapshot):
    events, _ = snapshot
    tags = explore.tag_counts(events, top=3)
    assert list(tags.index) == ["Live Performances", "Arts/Exhibits", "Music"]
    assert 0.28 <= tags.iloc[0] / len(events) <= 0.38  # "about a third"


def test_takeaway_half_the_events_are_near_city_hall(snapshot):
    events, _ = snapshot
    located = events.dropna(subset=["lat", "lon"])
    km = np.array(
        [haversine_km(43.6534, -79.3841, a, b) for a, b in zip(located["lat"], located["lon"], strict=True)]
    )
    assert 0.45 <= (km <= 3).mean() <= 0.6
    assert km.max() > 15  # "the rest spread across the whole city"


def test_takeaway_two_statements_share_no_event_and_all_explain(snapshot):
    _, ranking = snapshot
    side = explore.compare_passions(ranking, STATEMENTS, limit=8)
    first, second = (set(side[s]["title"].dropna()) for s in STATEMENTS)
    assert first and second and not first & second
    assert (side.xs("why", axis=1, level="field").dropna() != "").all().all()


def test_takeaway_business_mixers_are_rare_and_high_scorers_are_business(snapshot):
    events, _ = snapshot
    assert (events["business"] == 0).mean() > 0.9
    top = " ".join(events.nlargest(8, "business")["title"]).lower()
    assert all(word in top for word in ("sales", "founder", "entrepreneurship", "career fair"))


def test_takeaway_passions_overlap_little(snapshot):
    _, ranking = snapshot
    pairs = explore.similar_pairs(explore.passion_similarity(ranking, PASSIONS, k=50))
    assert len(pairs) == 15 and pairs["overlap"].max() < 0.25


def test_takeaway_an_added_passion_makes_room_for_itself(snapshot):
    _, ranking = snapshot
    diff = explore.added_passion_diff(ranking, BASE, EXTRA, limit=8)
    entered, left = diff[diff["change"] == "entered"], diff[diff["change"] == "left"]
    assert len(entered) > 0 and len(entered) == len(left)
    assert set(entered["passion_after"]) == {EXTRA}
    stayed = diff[diff["change"] == "stayed"]
    assert stayed["rank_before"].is_monotonic_increasing and stayed["rank_after"].is_monotonic_increasing
    assert pd.isna(left["rank_after"]).all()
