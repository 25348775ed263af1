"""scikit-learn's estimator conventions without importing scikit-learn (which alone takes most of a
second): parameters are the ``__init__`` keywords, stored as given; fitted state ends in ``_``.

>>> class Scaler(Estimator):
...     def __init__(self, *, factor: float = 2.0):
...         self.factor = factor
>>> Scaler(factor=3.0).get_params()
{'factor': 3.0}
>>> Scaler().set_params(factor=5.0)
Scaler(factor=5.0)
>>> Scaler().check_fitted("scale_")
Traceback (most recent call last):
...
recommender.ranking.estimator.NotFittedError: this Scaler is not fitted yet; call fit() first
"""

from __future__ import annotations

import inspect

from scrapers.errors import KindredError


class NotFittedError(KindredError):
    """A method that needs fitted state was called before ``fit``."""


class Estimator:
    """Base class: ``get_params``, ``set_params``, a readable ``repr`` and a fitted check."""

    @classmethod
    def _param_names(cls) -> list[str]:
        signature = inspect.signature(cls.__init__)
        return [
            name for name, p in signature.parameters.items() if name != "self" and p.kind != p.VAR_KEYWORD
        ]

    def get_params(self, deep: bool = True) -> dict:
        return {name: getattr(self, name) for name in self._param_names()}

    def set_params(self, **params) -> Estimator:
        unknown = set(params) - set(self._param_names())
        if unknown:
            raise ValueError(f"unknown parameters for {type(self).__name__}: {', '.join(sorted(unknown))}")
        for name, value in params.items():
            setattr(self, name, value)
        return self

    def check_fitted(self, attribute: str) -> None:
        if not hasattr(self, attribute):
            raise NotFittedError(f"this {type(self).__name__} is not fitted yet; call fit() first")

    def __repr__(self) -> str:
        defaults = {name: p.default for name, p in inspect.signature(type(self).__init__).parameters.items()}
        changed = {
            k: v for k, v in self.get_params().items() if defaults.get(k, inspect.Parameter.empty) != v
        }
        return f"{type(self).__name__}({', '.join(f'{k}={v!r}' for k, v in changed.items())})"
