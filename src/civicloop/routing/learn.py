"""The model itself, pure (no database): what a case says, where and how it came in → its category and lead unit.

Features: the description as character 1–2-grams (TF-IDF, sublinear; Chinese needs no word segmentation for this —
"电梯" is a bigram), plus one-hot tokens for the channel, the street and the community. The category: a linear
classifier (SGD with logistic loss: probabilities, and a refit on a year of a district's cases within two minutes).
The lead unit: through the category — P(unit) = Σ_c q(c) · P(unit | c), with P(unit | c) the shares of the lead
units that closed the category's cases and q the category's probabilities sharpened (a confident category decides
the unit; a pooled label such as "the street office" does not win by collecting small shares from every category).
A unit is learned as a *relative* label (`unit_label`): the street office of the case's street, the committee of its
community, else the unit itself (a department) — what one street teaches applies in every other. Serialised with
pickle into the database (models.RoutingModel): only this app writes those rows.
"""

from __future__ import annotations

import pickle
import re
import zlib
from collections import Counter, defaultdict
from dataclasses import dataclass

import numpy as np
from scipy.sparse import hstack
from sklearn.feature_extraction import DictVectorizer
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import SGDClassifier

from .constants import COMMITTEE, OFFICE, TOP

TEXT_MAX = 600  # characters of a description read (a long one says what it is about early)
_DIGITS = re.compile(r"\d+")
_META_WEIGHT = 0.3  # the place and channel tokens against the text's unit-length vector
SHARPEN = 10  # q(c) ∝ p(c)^SHARPEN when composing the units (measured: evaluate.py, docs/benchmarks.md)


@dataclass(frozen=True)
class Example:
    text: str
    channel: str = ""
    street_id: int | None = None
    community_id: int | None = None
    category_id: int | None = None  # the label (training); None when suggesting
    unit: str = ""  # the label: `unit_label(…)`


def unit_label(lead_unit_id: int, *, office_id: int | None, committee_id: int | None) -> str:
    """The lead unit as the model learns it: OFFICE / COMMITTEE when it is the case's own street office or
    committee, else "u<id>"."""
    if office_id is not None and lead_unit_id == office_id:
        return OFFICE
    if committee_id is not None and lead_unit_id == committee_id:
        return COMMITTEE
    return f"u{lead_unit_id}"


def clean(text: str) -> str:
    """Digits folded to one sign (building and phone numbers say nothing of the duty), length bounded."""
    return _DIGITS.sub("0", (text or "")[:TEXT_MAX])


def _meta(e: Example) -> dict:
    return {f"ch={e.channel}": 1, f"st={e.street_id or 0}": 1, f"cm={e.community_id or 0}": 1}


def _classifier() -> SGDClassifier:
    return SGDClassifier(loss="log_loss", alpha=1e-5, max_iter=5, tol=None, random_state=0)


class Router:
    """A fitted model: `suggest(example)` → the top categories and unit labels with their probabilities."""

    def __init__(self, text, meta, categories, unit_shares: dict):
        self.text, self.meta, self.categories = text, meta, categories
        # P(unit | category) as a matrix: a row per class of the classifier, a column per unit label
        self.unit_labels = sorted({u for shares in unit_shares.values() for u, _n in shares})
        column = {u: j for j, u in enumerate(self.unit_labels)}
        self.unit_matrix = np.zeros((len(categories.classes_), len(self.unit_labels)), dtype=np.float32)
        for i, c in enumerate(categories.classes_):
            for u, share in unit_shares.get(_plain(c), ()):
                self.unit_matrix[i, column[u]] = share

    @classmethod
    def fit(cls, examples: list[Example]) -> Router:
        text = TfidfVectorizer(analyzer="char", ngram_range=(1, 2), sublinear_tf=True, min_df=2, dtype=np.float32)
        meta = DictVectorizer(dtype=np.float32)
        x_text = text.fit_transform([clean(e.text) for e in examples])
        x = hstack([x_text, meta.fit_transform([_meta(e) for e in examples]) * _META_WEIGHT], format="csr")
        categories = _fit_one(x, [e.category_id for e in examples])
        counts: dict = defaultdict(Counter)
        for e in examples:
            counts[e.category_id][e.unit] += 1
        shares = {c: [(u, n / sum(units.values())) for u, n in units.most_common()] for c, units in counts.items()}
        return cls(text, meta, categories, shares)

    def _x(self, examples: list[Example]):
        """The features as scikit-learn computes them (`proba_reference` — what the tests compare `proba` with)."""
        return hstack([self.text.transform([clean(e.text) for e in examples]),
                       self.meta.transform([_meta(e) for e in examples]) * _META_WEIGHT], format="csr")

    def proba_reference(self, examples: list[Example]) -> np.ndarray:
        return self.categories.predict_proba(self._x(examples))

    def proba(self, e: Example) -> np.ndarray:
        """The category probabilities of one example, computed directly from the fitted arrays — the same numbers
        as scikit-learn's transform + predict_proba without their per-call validation (a suggestion in well under
        a millisecond instead of several)."""
        if isinstance(self.categories, _Constant):
            return np.ones(1)
        fast = self._fast()
        counts = Counter(fast["vocabulary"].get(g) for g in fast["analyze"](clean(e.text)))
        counts.pop(None, None)
        idx = np.fromiter(counts, dtype=np.int64, count=len(counts))
        vals = (1 + np.log(np.fromiter(counts.values(), dtype=np.float64, count=len(counts)))) * fast["idf"][idx]
        norm = np.sqrt((vals ** 2).sum())
        if norm > 0:
            vals = vals / norm
        decision = fast["intercept"] + fast["coef"][:, idx] @ vals if len(idx) else fast["intercept"].copy()
        for token in _meta(e):
            j = fast["meta"].get(token)
            if j is not None:
                decision = decision + fast["coef"][:, fast["offset"] + j] * _META_WEIGHT
        if decision.shape[0] == 1:  # two classes: one decision function
            p = 1 / (1 + np.exp(-decision[0]))
            return np.array([1 - p, p])
        p = 1 / (1 + np.exp(-decision))
        return p / p.sum()

    def _fast(self) -> dict:
        fast = self.__dict__.get("_fast_cache")
        if fast is None:
            clf = self.categories
            fast = self.__dict__["_fast_cache"] = {
                "analyze": self.text.build_analyzer(), "vocabulary": self.text.vocabulary_,
                "idf": self.text.idf_.astype(np.float64), "meta": self.meta.vocabulary_,
                "offset": len(self.text.vocabulary_), "coef": np.asarray(clf.coef_, dtype=np.float64),
                "intercept": np.asarray(clf.intercept_, dtype=np.float64)}
        return fast

    def __getstate__(self):
        return {k: v for k, v in self.__dict__.items() if k != "_fast_cache"}

    def suggest_many(self, examples: list[Example], top: int = TOP) -> list[tuple[list, list]]:
        """Per example: ([(category_id, p)…], [(unit label, p)…]), most likely first, `top` of each."""
        if not examples:
            return []
        proba = np.vstack([self.proba(e) for e in examples])
        classes = self.categories.classes_
        sharp = proba ** SHARPEN
        units = (sharp / sharp.sum(axis=1, keepdims=True)) @ self.unit_matrix
        out = []
        for row, unit_row in zip(proba, units, strict=True):
            cats = [(_plain(classes[i]), round(float(row[i]), 3)) for i in np.argsort(-row)[:top] if row[i] > 0]
            out.append((cats, [(self.unit_labels[j], round(float(unit_row[j]), 3))
                               for j in np.argsort(-unit_row)[:top] if unit_row[j] > 0]))
        return out

    def suggest(self, example: Example, top: int = TOP) -> tuple[list, list]:
        return self.suggest_many([example], top)[0]

    def dumps(self) -> bytes:
        # coefficients as float32: half the size, the same ranking
        if isinstance(self.categories, SGDClassifier):
            self.categories.coef_ = self.categories.coef_.astype(np.float32)
            self.categories.intercept_ = self.categories.intercept_.astype(np.float32)
        return zlib.compress(pickle.dumps(self, protocol=pickle.HIGHEST_PROTOCOL), 3)

    @staticmethod
    def loads(blob: bytes) -> Router:
        # only this app's refit writes the rows read here (models.RoutingModel: no API, no admin writes them)
        return pickle.loads(zlib.decompress(blob))


class _Constant:
    """A label seen alone in training: always that one, certain."""

    def __init__(self, label):
        self.classes_ = np.array([label], dtype=object)

    def predict_proba(self, x):
        return np.ones((x.shape[0], 1))


def _fit_one(x, labels):
    if len(set(labels)) < 2:
        return _Constant(labels[0])
    return _classifier().fit(x, np.array(labels))


def _plain(label):
    return int(label) if isinstance(label, (int, np.integer)) else str(label)
