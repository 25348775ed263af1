"""The optional semantic layer (``pip install -e '.[semantic]'``): sentence embeddings fused with
Kindred's lexical scores.

The model is WordLlama ``l2_supercat`` at 256 dimensions, whose weights (a static token-embedding
table, 16 MB) and tokenizer ship inside the ``wordllama`` wheel: nothing is downloaded at run time.
A text's embedding is the mean of its token vectors, normalised, so cosine is a dot product.

Fusion, per passion and event (see :func:`fuse`): where the words match, meaning orders::

    fused = (1 - weight) * lexical + weight * max(0, cosine - mean cosine over the events)
            where lexical > 0, else 0

and where the words find nothing at all for a passion ("I like to sit quietly"), or the passion
names no hobby the lexicon knows (a stray word such as "flow" or "night" may still match), meaning
proposes: of the ``PROPOSALS`` events closest to it, those that stand out (``PROPOSAL_Z``
standard deviations above the mean cosine), that no word matches and that carry (almost) no
business signal get ``PROPOSAL_WEIGHT * max(0, cosine - mean)`` (see :func:`propose`).

``lexical`` is the ranker's TF-IDF cosine; the cosine is taken between the event (the same
:func:`~recommender.ranking.ranker.event_text` the ranker reads) and the passion in the person's words
followed by the hobbies the lexicon found in it. Subtracting the mean keeps the similarity every
event gets from counting. A static model's cosine alone is noisy ("hopping on a plane" is as close
to "Streets Plan Drop-In" as anything), so beside any word match it only reorders and lifts, and
it proposes only for passions the words miss entirely or that name no hobby (proposing beside
the word matches of a named hobby let in business events on the dev queries). The fused score
then takes the lexical score's place in :meth:`~recommender.ranking.ranker.PassionRanker.score`,
proposals pass the hobby gate (:meth:`SemanticRanking.admitted`), and the business penalty,
avoid, likes and dismissals apply to every event exactly as without it.

Event vectors take 1 KB each (256 float32), kept beside the saved index; a query multiplies them
all by the passions' vectors.

Examples
--------
>>> import numpy as np
>>> fuse(np.array([[0.4, 0.1, 0.0]]), np.array([[0.5, 0.6, 0.1]]), weight=0.2).round(3)
array([[0.34, 0.12, 0.  ]])
>>> cos = np.r_[np.zeros(30), 0.6][None, :]  # words found nothing; one event stands out in meaning
>>> fuse(np.zeros((1, 31)), cos).round(3)[0, -3:]
array([0.   , 0.   , 0.116])
"""

from __future__ import annotations

import importlib.util
import logging
import os
import tempfile
from collections.abc import Sequence
from typing import TYPE_CHECKING

import numpy as np

from recommender.passions.filler import is_filler
from recommender.ranking.event_features import event_text
from recommender.ranking.picks import Pick, Scores
from recommender.ranking.ranking import Ranking
from scrapers.errors import KindredError

if TYPE_CHECKING:
    from recommender.passions.expansion import Expansion
    from recommender.ranking.saved_index import Loaded

log = logging.getLogger(__name__)
WEIGHT = 0.2  # share of the embedding in the fused score (chosen coarsely on the dev queries: 0.2 vs 0.5)
# a passion the words find nothing for: the events closest in meaning are proposed (chosen on the
# dev queries: 10 at 0.2; proposing for passions with a few word matches too let in business events)
PROPOSALS = 10
PROPOSAL_WEIGHT = 0.2
PROPOSAL_Z = 4.0  # standard deviations above the mean cosine ("hopping on a plane" tops at 3.8)
BUSINESS_FLOOR = 0.05  # an event meaning alone proposes must be (nearly) free of business signal
MODEL = "l2_supercat_256"
INSTALL = "pip install -e '.[semantic]'"
_BATCH = 64  # texts per tokenizer call
_CHUNK = 4096  # events embedded at a time when a whole store is embedded


class SemanticUnavailable(KindredError):
    """The semantic extra (wordllama and the weights it ships) is not installed."""


def available() -> bool:
    """Whether the semantic extra is installed (nothing is imported)."""
    return importlib.util.find_spec("wordllama") is not None


class Embedder:
    """Mean-pooled WordLlama token embeddings, read from the files inside the installed wheel.

    >>> model = Embedder.load()
    >>> model.embed(["board games", "tabletop gaming night"]).shape
    (2, 256)
    """

    name = f"wordllama-{MODEL}"

    def __init__(self, inference):
        self.inference = inference

    @classmethod
    def load(cls) -> Embedder:
        """The model from the ``wordllama`` package's own files; :class:`SemanticUnavailable` if absent."""
        root = logging.getLogger()
        guard = logging.NullHandler()  # wordllama calls logging.basicConfig(INFO) on import: keep ours
        root.addHandler(guard)
        try:
            from importlib.resources import files

            from safetensors.numpy import load_file
            from tokenizers import Tokenizer
            from wordllama import WordLlamaInference

            package = files("wordllama")
            weights = package / "weights" / f"{MODEL}.safetensors"
            tokenizer = package / "tokenizers" / "l2_supercat_tokenizer_config.json"
            table = load_file(str(weights))["embedding.weight"]
            # not WordLlama.load(): 0.4 looks for the tokenizer in a folder the wheel lacks, then downloads
            return cls(WordLlamaInference(table, Tokenizer.from_file(str(tokenizer))))
        except ImportError as exc:
            raise SemanticUnavailable(
                f"the semantic extra is not installed ({exc.name or exc}); install it with: {INSTALL}"
            ) from exc
        except (OSError, KeyError) as exc:
            raise SemanticUnavailable(
                f"the wordllama package holds no {MODEL} weights ({exc}); reinstall it with: {INSTALL}"
            ) from exc
        finally:
            root.removeHandler(guard)

    @property
    def dim(self) -> int:
        return int(self.inference.embedding.shape[1])

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        """Unit vectors (float32, one row per text); a text with no known token gets a zero row."""
        texts = list(texts)
        if not texts:
            return np.zeros((0, self.dim), np.float32)
        vectors = self.inference.embed(texts, norm=False, batch_size=_BATCH)
        norms = np.linalg.norm(vectors, axis=1, keepdims=True)
        return np.divide(vectors, norms, out=np.zeros_like(vectors), where=norms > 0)


def passion_text(exp: Expansion) -> str:
    """What the embedding reads for a passion: the person's words, then the hobbies found in them.

    >>> from recommender.passions.expansion import Expansion
    >>> passion_text(Expansion("vinyasa flow", hobbies={"yoga": 1.0}))
    'vinyasa flow (yoga)'
    """
    return f"{exp.passion} ({', '.join(exp.hobbies)})" if exp.hobbies else exp.passion


def fuse(
    lexical: np.ndarray,
    cosine: np.ndarray,
    *,
    weight: float = WEIGHT,
    proposals: int = PROPOSALS,
    proposal_weight: float = PROPOSAL_WEIGHT,
) -> np.ndarray:
    """``(1 - weight) * lexical + weight * max(0, cosine - row mean of cosine)`` where ``lexical``
    is above 0, else 0; a row (passion) with no lexical match at all gets its ``proposals`` events
    closest in meaning at ``proposal_weight * max(0, cosine - row mean)``: rows are passions,
    columns events (see the module docstring)."""
    above = np.maximum(cosine - cosine.mean(axis=1, keepdims=True), 0.0)
    fused = np.where(lexical > 0, (1.0 - weight) * lexical + weight * above, 0.0)
    unmatched = ~(lexical > 0).any(axis=1)
    return fused + propose(lexical, cosine, unmatched, proposals=proposals, weight=proposal_weight)


def propose(
    lexical: np.ndarray,
    cosine: np.ndarray,
    rows: np.ndarray,
    *,
    proposals: int = PROPOSALS,
    weight: float = PROPOSAL_WEIGHT,
) -> np.ndarray:
    """For the passions (rows) marked in ``rows``: of their ``proposals`` events closest in meaning,
    those that stand out (``PROPOSAL_Z`` sd above the mean cosine) and that no word matches get
    ``weight * (cosine - mean)``; everything else 0.

    >>> cos = np.r_[np.zeros(30), 0.6][None, :]
    >>> propose(np.zeros((1, 31)), cos, np.array([True])).round(3)[0, -2:]
    array([0.   , 0.116])
    """
    out = np.zeros_like(cosine, dtype=float)
    k = min(proposals, cosine.shape[1])
    mean = cosine.mean(axis=1)
    for r in np.flatnonzero(rows) if k else ():
        top = np.argpartition(-cosine[r], k - 1)[:k]
        spread = cosine[r].std() or 1.0
        top = top[((cosine[r, top] - mean[r]) / spread >= PROPOSAL_Z) & ~(lexical[r, top] > 0)]
        out[r, top] = weight * (cosine[r, top] - mean[r])
    return out


class SemanticRanking(Ranking):
    """A :class:`~recommender.ranking.ranking.Ranking` whose text scores are fused with embedding similarity.

    ``embeddings`` holds one unit vector per event of ``ranking``, in the ranker's order (see
    :func:`event_embeddings`). :meth:`rank` is ``Ranking.rank``, with the fused text scores.
    """

    def __init__(
        self, ranking: Ranking, embedder: Embedder, embeddings: np.ndarray, *, weight: float = WEIGHT
    ):
        if len(embeddings) != len(ranking.ranker.events_):
            raise ValueError(f"{len(embeddings)} embeddings for {len(ranking.ranker.events_)} events")
        super().__init__(ranking.events, ranker=ranking.ranker, columns=ranking.columns, ids=ranking.ids)
        self.embedder, self.embeddings, self.weight = embedder, embeddings, weight

    @classmethod
    def fit(cls, ranking: Ranking, embedder: Embedder | None = None) -> SemanticRanking:
        """Embed every event of ``ranking`` now (kept in memory)."""
        embedder = embedder or Embedder.load()
        return cls(ranking, embedder, embed_events(embedder, ranking.ranker.events_))

    def text_scores(self, expansions: list[Expansion]) -> np.ndarray:
        """The lexical scores fused with the passions' cosine with every event (:meth:`fuse`)."""
        lexical = np.vstack([self.ranker.text_scores(e) for e in expansions])
        passions = self.embedder.embed([self.passion_text(e) for e in expansions])
        cosine = passions @ np.asarray(self.embeddings).T
        fused = self.fuse(lexical, cosine)
        # a passion naming no hobby is where words are weakest: a stray word match ("night") does
        # not keep meaning from proposing (an aside that is filler only reorders anyway)
        unnamed = np.array([not e.hobbies and not is_filler(e.passion) for e in expansions])
        if unnamed.any():
            fused = np.where(fused > 0, fused, propose(lexical, cosine, unnamed))
        return np.where((lexical > 0) | (self.ranker.business_ < BUSINESS_FLOOR), fused, 0.0)

    def admitted(self, text: np.ndarray, expansions: list[Expansion]) -> np.ndarray:
        """The events meaning proposed (a fused score without a lexical one): they pass the hobby
        gate; the business penalty, avoid, likes and dismissals still apply to them."""
        lexical = np.vstack([self.ranker.text_scores(e) for e in expansions])
        return (text > 0) & (lexical <= 0)

    def passion_text(self, exp: Expansion) -> str:
        """What the embedding reads for one passion (:func:`passion_text`)."""
        return passion_text(exp)

    def fuse(self, lexical: np.ndarray, cosine: np.ndarray) -> np.ndarray:
        """Fused text scores (:func:`fuse`); ``benchmarks/semantic_grid.py`` tries other rules here."""
        return fuse(lexical, cosine, weight=self.weight)

    def explain(self, picks: list[Pick], scores: Scores) -> None:
        """The words' parts of each breakdown (the lexical score) shrink to their share, and the
        embedding's part of the fused score is added as ``semantic``."""
        row_of = {e.passion: p for p, e in enumerate(scores.expansions)}
        for pick in picks:
            (i,) = self.ranker._rows_of([pick.event.id])
            lexical = pick.breakdown["text"] + pick.breakdown["expansion"]
            fused = float(scores.text[row_of[pick.passion], i])
            for part in ("text", "expansion"):
                pick.breakdown[part] *= 1.0 - self.weight
            pick.breakdown["semantic"] = fused - (1.0 - self.weight) * lexical


def embed_events(embedder: Embedder, events) -> np.ndarray:
    """One unit vector per event (its :func:`~recommender.ranking.ranker.event_text`), in order."""
    chunks, texts = [], []
    for event in events:
        texts.append(event_text(event))
        if len(texts) == _CHUNK:
            chunks.append(embedder.embed(texts))
            texts = []
    chunks.append(embedder.embed(texts))
    return np.concatenate(chunks)


def event_embeddings(loaded: Loaded, embedder: Embedder) -> np.ndarray:
    """The embeddings of ``loaded``'s events: read from its saved index's folder (see
    :mod:`recommender.ranking.saved_index`) when there, else computed now and saved there (if it has one).

    The file lives in the index's own folder, so it is dropped with the index when the store changes.
    """
    folder = loaded.folder
    path = folder / f"{embedder.name}.npy" if folder is not None else None
    if path is not None and path.exists():
        try:
            cached = np.load(path, mmap_mode="r", allow_pickle=False)
            if cached.shape == (len(loaded.ids), embedder.dim):
                return cached
            log.warning("%s does not fit the index (%s); embedding again", path, cached.shape)
        except (OSError, ValueError) as exc:
            log.warning("cannot read %s (%s); embedding again", path, exc)
    vectors = embed_events(embedder, loaded.ranking.ranker.events_)
    if path is not None:  # only beside a saved index, never on its own
        tmp = None
        try:
            fd, tmp = tempfile.mkstemp(prefix=".tmp-", suffix=".npy", dir=folder)
            with os.fdopen(fd, "wb") as out:
                np.save(out, vectors, allow_pickle=False)
            os.replace(tmp, path)  # readers see the whole file or none
        except OSError as exc:
            log.warning("cannot save embeddings in %s (%s); the next query embeds again", folder, exc)
        finally:
            if tmp and os.path.exists(tmp):
                os.unlink(tmp)
    return vectors


def semantic_ranking(loaded: Loaded, *, embedder: Embedder | None = None) -> SemanticRanking:
    """:class:`SemanticRanking` over a store's loaded index (see
    :func:`~recommender.ranking.saved_index.load_or_fit`)."""
    embedder = embedder or Embedder.load()
    return SemanticRanking(loaded.ranking, embedder, event_embeddings(loaded, embedder))
