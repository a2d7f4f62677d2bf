"""Learned indicator component: a character n-gram classifier that gives ``indicator_id`` recall where the hand
rules of ``resources/indicators.toml`` find no rule, or find one the wording contradicts.

The rules stay first (precision); the model is consulted once per report for all its mentions and changes an id
only when it is confident (``docs/indicators_model.md``):

- no rule matched (the rules would fall back to the previous count's id or ``other``): the model's id when its
  score is at least :data:`FILL_THRESHOLD`, else the rules' fallback;
- a rule matched with a specific id: that id, unless the model gives another id a score of at least
  :data:`OVERRIDE_THRESHOLD`;
- a rule whose id is ``other`` (述法, 批示, 立法项目) and the ids a subtotal inherits stay as the rules say.

Features of a mention (:func:`mention_features`): the words before the number in its clause (``left``), the
clause with the number replaced by ``§`` (``clause``), the few characters after the unit (``right``, the noun a
measure word counts), the end of the previous clause of the sentence (``before``: 审结行政诉讼案件30件，同比下降…)
and the unit. Digits are masked so that numbers do not become features. The classifier is a
scikit-learn ``LinearSVC`` (one-vs-rest linear SVM) over TF-IDF character n-grams of the three texts plus the unit,
fitted once per process on ``resources/indicator_training.csv`` (deterministic, under a second). Its score is the
decision value of the best class: above 0 the class wins its one-vs-rest vote, below it no class is sure.

Public names
------------
mention_features(text, spans)        the feature table of mentions given as (start, end, unit)
IndicatorModel                       the estimator (fit / decision_function / predict)
load_training_table(source=None)     the labelled mentions the bundled model is fitted on
build_training_table(...)            rebuild that table from the labelled sources of the repository
default_model()                      the bundled model, fitted once per process
predict_mentions(text, spans)        (id, score) of every mention of one report
combine(rule_id, ruled, predicted)   the final id from the rules' id and the model's prediction
rules_only()                         context manager: switch the model off (hand rules alone)
"""

from __future__ import annotations

import contextlib
import functools
import io
import logging
import re
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path

import numpy as np
import pandas as pd

from ..core.config import DEFAULT_SEED
from ..core.resources import resource_text

logger = logging.getLogger(__name__)

__all__ = [
    "FILL_THRESHOLD",
    "OVERRIDE_THRESHOLD",
    "IndicatorModel",
    "build_training_table",
    "combine",
    "default_model",
    "load_training_table",
    "mention_features",
    "predict_mentions",
    "rules_only",
]

#: minimum score for the model to name an id where no rule matched (tuned on the dev real pages)
FILL_THRESHOLD = -0.6
#: minimum score for the model to replace the id of a matching rule (tuned on the dev real pages)
OVERRIDE_THRESHOLD = 0.3

_CLAUSE_STOP = "，,；;。：:！!？?\n"
_DIGITS_RE = re.compile(r"[0-9０-９]+(?:[.,，][0-9０-９]+)*")
_LEFT_MAX = 24
_RIGHT_MAX = 6
_BEFORE_MAX = 16
_SENTENCE_STOP = "。！!？?\n"
_FEATURE_COLUMNS = ["left", "clause", "right", "before", "unit"]
_TRAINING_COLUMNS = ["source", "indicator_id", *_FEATURE_COLUMNS]

_ENABLED = {"on": True}


@contextlib.contextmanager
def rules_only() -> Iterator[None]:
    """Within this block :func:`predict_mentions` predicts nothing, so ``metrics()`` uses the hand rules alone
    (for comparisons and for building the training table)."""
    before = _ENABLED["on"]
    _ENABLED["on"] = False
    try:
        yield
    finally:
        _ENABLED["on"] = before


def _mask(s: str) -> str:
    return _DIGITS_RE.sub("0", s)


def mention_features(text: str, spans: Iterable[tuple[int, int, str]]) -> pd.DataFrame:
    """The features of mentions of ``text``.

    Parameters
    ----------
    text : str
        The report text.
    spans : iterable of (start, end, unit)
        Character span of the number-and-unit of each mention and its normalised unit.

    Returns
    -------
    DataFrame
        One row per span, in the given order: ``left`` (str, up to 24 characters before the number within its
        clause, digits masked as ``0``), ``clause`` (str, the clause with the mention replaced by ``§``),
        ``right`` (str, up to 6 characters after the mention within its clause), ``before`` (str, up to 16
        characters at the end of the previous clause of the same sentence) and ``unit`` (str).

    >>> mention_features("全年审结各类案件9876件,同比上升5%", [(8, 13, "件")]).iloc[0].tolist()
    ['全年审结各类案件', '全年审结各类案件§', '', '', '件']
    """
    rows = []
    for start, end, unit in spans:
        lo = max((text.rfind(c, 0, start) for c in _CLAUSE_STOP), default=-1) + 1
        his = [j for j in (text.find(c, end) for c in _CLAUSE_STOP) if j >= 0]
        hi = min(his) if his else len(text)
        left = text[max(lo, start - _LEFT_MAX):start]
        right = text[end:min(hi, end + _RIGHT_MAX)]
        clause = text[lo:start] + "§" + text[end:hi]
        # the end of the previous clause of the same sentence (恶势力团伙案件3起，抓获嫌疑人16名)
        top = max((text.rfind(c, 0, lo) for c in _SENTENCE_STOP), default=-1) + 1
        before = text[max(top, lo - _BEFORE_MAX):max(top, lo - 1)]
        rows.append((_mask(left), _mask(clause), _mask(right), _mask(before), str(unit)))
    return pd.DataFrame(rows, columns=_FEATURE_COLUMNS, dtype="str") if rows else \
        pd.DataFrame({c: pd.Series([], dtype="str") for c in _FEATURE_COLUMNS})


class IndicatorModel:
    """TF-IDF character n-grams of ``left``, ``clause``, ``right`` and ``before`` plus the unit, into a linear SVM.

    Parameters
    ----------
    C : float, keyword-only
        Inverse regularisation strength of the linear SVM.
    random_state : int, keyword-only
        Seed of the liblinear solver (fixed, so fitting is deterministic).

    Attributes
    ----------
    pipeline_ : sklearn Pipeline
        The fitted feature union and classifier.
    classes_ : ndarray of str
        The indicator ids the model knows, sorted.
    """

    def __init__(self, *, C: float = 0.5, random_state: int = DEFAULT_SEED):
        self.C = C
        self.random_state = random_state

    def _pipeline(self):
        from sklearn.compose import ColumnTransformer
        from sklearn.feature_extraction.text import TfidfVectorizer
        from sklearn.pipeline import Pipeline
        from sklearn.preprocessing import OneHotEncoder
        from sklearn.svm import LinearSVC

        def chars(lo: int, hi: int) -> TfidfVectorizer:
            return TfidfVectorizer(analyzer="char", ngram_range=(lo, hi), sublinear_tf=True, min_df=1,
                                   lowercase=False, dtype=np.float64)

        features = ColumnTransformer([
            ("left", chars(1, 3), "left"),
            ("clause", chars(1, 2), "clause"),
            ("right", chars(1, 2), "right"),
            ("before", chars(1, 2), "before"),
            ("unit", OneHotEncoder(handle_unknown="ignore"), ["unit"]),
        ])
        clf = LinearSVC(C=self.C, random_state=self.random_state)
        return Pipeline([("features", features), ("clf", clf)])

    def fit(self, table: pd.DataFrame) -> IndicatorModel:
        """Fit on a table with the columns of :func:`mention_features` and ``indicator_id``; returns self."""
        missing = [c for c in [*_FEATURE_COLUMNS, "indicator_id"] if c not in table.columns]
        if missing:
            raise ValueError(f"training table lacks columns {missing}")
        self.pipeline_ = self._pipeline().fit(table[_FEATURE_COLUMNS].fillna(""), table["indicator_id"])
        self.classes_ = self.pipeline_.classes_
        return self

    def decision_function(self, features: pd.DataFrame) -> np.ndarray:
        """Decision value of every class (columns in :attr:`classes_` order) for each row of ``features``."""
        return self.pipeline_.decision_function(features[_FEATURE_COLUMNS].fillna(""))

    def predict(self, features: pd.DataFrame) -> pd.DataFrame:
        """The best-scoring id of each row.

        Returns
        -------
        DataFrame
            ``indicator_id`` (str) and ``score`` (float, the decision value of that id); one row per row of
            ``features``.
        """
        if not len(features):
            return pd.DataFrame({"indicator_id": pd.Series([], dtype="str"),
                                 "score": pd.Series([], dtype="float64")})
        scores = self.decision_function(features)
        best = scores.argmax(axis=1)
        return pd.DataFrame({"indicator_id": self.classes_[best].astype(str),
                             "score": scores[np.arange(len(best)), best]})


def load_training_table(source: str | Path | None = None) -> pd.DataFrame:
    """The labelled mentions the bundled model is fitted on (``resources/indicator_training.csv``, or a CSV
    file of the same columns).

    Returns
    -------
    DataFrame
        ``source`` (str: ``seed``, ``blind`` or ``written``), ``indicator_id`` (str) and the feature columns of
        :func:`mention_features`; one row per labelled mention.
    """
    text = resource_text("indicator_training.csv") if source is None else Path(source).read_text(encoding="utf-8")
    body = "\n".join(line for line in text.splitlines() if not line.startswith("#"))
    table = pd.read_csv(io.StringIO(body), dtype="str", keep_default_na=False)
    missing = [c for c in _TRAINING_COLUMNS if c not in table.columns]
    if missing:
        raise ValueError(f"{source or 'indicator_training.csv'}: not a training table (missing {missing})")
    return table[_TRAINING_COLUMNS]


@functools.lru_cache(maxsize=1)
def default_model() -> IndicatorModel:
    """The bundled model: :class:`IndicatorModel` fitted on :func:`load_training_table`, once per process."""
    table = load_training_table()
    logger.debug("fitting the indicator model on %d labelled mentions", len(table))
    return IndicatorModel().fit(table)


def predict_mentions(text: str, spans: Sequence[tuple[int, int, str]]) -> list[tuple[str, float]] | None:
    """``(indicator_id, score)`` of each mention of one report, or ``None`` inside :func:`rules_only`."""
    if not _ENABLED["on"] or not spans:
        return None
    pred = default_model().predict(mention_features(text, spans))
    return list(zip(pred["indicator_id"].tolist(), pred["score"].tolist()))


def combine(rule_id: str, ruled: bool, predicted: tuple[str, float] | None) -> str:
    """The final id of a mention from the rules and the model (see the module docstring).

    Parameters
    ----------
    rule_id : str
        The id the rules give, after their fallback (previous count's id or ``other``).
    ruled : bool
        Whether a rule of ``indicators.toml`` matched (or a subtotal inherited its total's id).
    predicted : (str, float) or None
        The model's id and score; ``None`` keeps the rules' id.

    Examples
    --------
    >>> combine("other", False, ("court.cases", 0.9)), combine("pufa.events", True, ("pufa.exams", 0.1))
    ('court.cases', 'pufa.events')
    """
    if predicted is None:
        return rule_id
    model_id, p = predicted
    if not ruled:
        return model_id if p >= FILL_THRESHOLD else rule_id
    if rule_id == "other" or model_id == rule_id:
        return rule_id
    return model_id if p >= OVERRIDE_THRESHOLD else rule_id


# ------------------------------------------------------------------------------------------------------------
# Rebuilding the training table from the repository's labelled sources
# ------------------------------------------------------------------------------------------------------------

_HEADER = """\
# Training table of the learned indicator component (lawgov_analysis.measures.indicator_model).
#
# What: one labelled metric mention a row: its indicator_id (docs/spec/indicators.md) and the features of
# indicator_model.mention_features (words before the number in its clause, the clause with the mention as "§",
# the characters after it, the end of the previous clause, the unit; digits masked as 0).
# Where from (column `source`): `seed` = the gold indicator ids of the sample report (data/gold/seed_indicators.csv on
# data/reports/changjiang-2021.txt); `blind` = the non-holdout paragraphs of tests/data/indicators_blind.toml, written
# and labelled by the project; `written` = the sentences of resources/indicator_phrases.txt, written by the project.
# No text of the real report pages used for evaluation (benchmarks/realpages) is in it.
# Rebuilt by indicator_model.write_training_table(); a test checks that it is up to date. MIT licence.
"""


def _blind_mentions(blind_file: Path) -> tuple[pd.DataFrame, list[tuple[str, int, int, str]]]:
    import tomllib
    data = tomllib.loads(blind_file.read_text(encoding="utf-8"))
    paras, labels = [], []
    for p in data["paragraph"]:
        if p["split"] == "holdout":
            continue
        text = p["text"]
        paras.append((p["id"], text))
        pos = 0
        for surface, indicator_id, _phrase in p["mentions"]:
            k = text.find(surface, pos)
            while k > 0 and (text[k - 1].isdigit() or text[k - 1] in ".,"):
                k = text.find(surface, k + 1)
            if k < 0:
                raise ValueError(f"{blind_file.name}: {p['id']}: {surface!r} not found after offset {pos}")
            labels.append((p["id"], k, k + len(surface), indicator_id))
            pos = k + len(surface)
    return pd.DataFrame(paras, columns=["doc_id", "text"]), labels


def _written_mentions(lines: Iterable[str]) -> tuple[pd.DataFrame, dict[str, str]]:
    paras, ids = [], {}
    for n, line in enumerate(lines):
        indicator_id, _, sentence = line.partition("\t")
        if not sentence:
            raise ValueError(f"indicator_phrases.txt: line {line!r} is not 'indicator_id<TAB>sentence'")
        doc = f"w{n:04d}"
        paras.append((doc, sentence))
        ids[doc] = indicator_id
    return pd.DataFrame(paras, columns=["doc_id", "text"]), ids


def build_training_table(*, seed_dir: str | Path, blind_file: str | Path,
                         phrases: str | Path | None = None) -> pd.DataFrame:
    """The training table from the labelled sources of the repository (see :func:`load_training_table`).

    Parameters
    ----------
    seed_dir : path, keyword-only
        The repository's ``data`` folder (``gold/seed_indicators.csv``, ``gold/seed_metrics.csv`` and
        ``reports/<doc_id>.txt``).
    blind_file : path, keyword-only
        ``tests/data/indicators_blind.toml`` (its ``holdout`` paragraphs are left out).
    phrases : path, optional, keyword-only
        The written sentences; ``None`` reads ``resources/indicator_phrases.txt``.

    Returns
    -------
    DataFrame
        Columns of :func:`load_training_table`, sorted by source and then as found.
    """
    from ..core.resources import read_lines
    from .metrics import extract_metrics

    seed_dir, blind_file = Path(seed_dir), Path(blind_file)
    rows: list[tuple] = []
    ids = pd.read_csv(seed_dir / "gold" / "seed_indicators.csv", dtype={"doc_id": str})
    units = pd.read_csv(seed_dir / "gold" / "seed_metrics.csv", dtype={"doc_id": str, "unit": str})
    seed = ids.merge(units[["doc_id", "start", "end", "unit"]], on=["doc_id", "start", "end"], how="left")
    for doc_id, g in seed.groupby("doc_id", sort=True):
        text = (seed_dir / "reports" / f"{doc_id}.txt").read_text(encoding="utf-8")
        g = g.sort_values("start")
        feats = mention_features(text, zip(g["start"], g["end"], g["unit"].fillna("")))
        rows += [("seed", i, *f) for i, f in zip(g["indicator_id"], feats.itertuples(index=False))]

    corpus, labels = _blind_mentions(blind_file)
    lines = read_lines(Path(phrases) if phrases is not None else "indicator_phrases.txt")
    written, written_ids = _written_mentions(lines)
    with rules_only():
        pred = extract_metrics(pd.concat([corpus, written], ignore_index=True))
    texts = dict(zip(pd.concat([corpus, written])["doc_id"], pd.concat([corpus, written])["text"]))
    by_doc = {d: g for d, g in pred.groupby("doc_id")}
    for doc_id, start, end, indicator_id in labels:
        g = by_doc.get(doc_id)
        hit = None if g is None else g[(g["start"] < end) & (g["end"] > start)]
        unit = str(hit.iloc[0]["unit"]) if hit is not None and len(hit) else ""
        rows.append(("blind", indicator_id, *mention_features(texts[doc_id], [(start, end, unit)]).iloc[0]))
    for doc_id in written["doc_id"]:
        g = by_doc.get(doc_id)
        if g is None or not len(g):
            raise ValueError(f"indicator_phrases.txt: no metric mention in {texts[doc_id]!r}")
        feats = mention_features(texts[doc_id], zip(g["start"], g["end"], g["unit"]))
        rows += [("written", written_ids[doc_id], *f) for f in feats.itertuples(index=False)]
    return pd.DataFrame(rows, columns=_TRAINING_COLUMNS)


def write_training_table(path: str | Path, *, seed_dir: str | Path, blind_file: str | Path) -> Path:
    """Write :func:`build_training_table` to ``path`` with its provenance header; returns the path."""
    table = build_training_table(seed_dir=seed_dir, blind_file=blind_file)
    path = Path(path)
    path.write_text(_HEADER + table.to_csv(index=False, lineterminator="\n"), encoding="utf-8")
    logger.info("wrote %d labelled mentions to %s", len(table), path)
    return path
