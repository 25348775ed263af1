"""DataFrames for the notebook (pandas, from the ``notebook`` extra): :mod:`recommender.explore.frames`.

Importing any of it without pandas says what to install instead of a bare ``No module named``.
"""

try:
    import pandas  # noqa: F401 - the one check, before frames.py and ranking.py import it
except ModuleNotFoundError as exc:
    raise ModuleNotFoundError(
        "recommender.explore needs pandas: pip install 'kindred-events[notebook]'", name=exc.name
    ) from None
