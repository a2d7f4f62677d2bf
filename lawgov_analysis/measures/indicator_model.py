"""Learned indicator component: a character n-gram classifier that gives ``indicator_id`` recall where the hand
rules of ``resources/indicators.toml`` find no rule, or find one the wording contradicts.

The rules stay first (precision); the model is consulted once per report for all its mentions and changes an id
only when it is confident (``docs/indicators_model.md``):

- no rule matched and nothing continues (the rules would say ``other``): the model's id when its score is at least
  :data:`FILL_THRESHOLD`, else ``other``;
- no rule matched but the count continues the previous count of its sentence (the rules give that count's id: the
  subject and activity of the sentence carry on): that id, unless the model gives another id a score of at least
  :data:`CONTINUE_THRESHOLD` *and* at least :data:`CONTINUE_MARGIN` above the score it gives the continued id;
- a rule matched with a specific id: that id, unless the model gives another id a score of at least
  :data:`OVERRIDE_THRESHOLD` *and* at least :data:`OVERRIDE_MARGIN` above the score it gives the rule's id;
- a rule whose id is ``other`` (述法, 批示, 立法项目) and the ids a subtotal inherits stay as the rules say;
- a court, procuratorate, police or 扫黑除恶 id needs support (the reporter, or the institution's words near the
  mention): the model never names one without it (the rules have their own conditions for these ids);
- with a user's own rule set (not the bundled rules, nor extending them) the model may only name ids of that set,
  and is not consulted when it knows none of them.

Features of a mention (:func:`mention_features`): the words before the number in its clause (``left``), the
clause with the number replaced by ``§`` (``clause``), the few characters after the unit (``right``, the noun a
measure word counts), the end of the previous clause of the sentence (``before``: 审结行政诉讼案件30件，同比下降…),
the start of the sentence (``opening``: 组织干部职工开展法治培训…，覆盖500余人次),
the lead sentence of its paragraph (``lead``: 决战决胜扫黑除恶“大会战”。…起诉47人), the nearest heading line above
it (``heading``: 一、…行政复议…), who reports (``reporter``: a court, a procuratorate or the police, from the opening
of the text: their reports count cases under their own ids), whom the sentence is about (``audience``: officials,
the public: a lecture for officials is pufa.exams, one for the public pufa.events) and the unit. Digits are
masked so that numbers do not become features (the rows are built by :mod:`.indicator_features`). Each
feature's character n-grams are tagged with the feature's name and go through one TF-IDF vectoriser (scikit-learn,
fitted once per process on ``resources/indicator_training.csv``), L2-normalised within each feature and weighted per
feature, into a multinomial ``LogisticRegression`` whose coefficients are the bundled weights
(:mod:`.indicator_weights`: fitted on that table plus the labelled mentions of real pages, whose text the package
does not hold; without them it is fitted on the table, deterministic, a few seconds). The ids that only a court,
a procuratorate or the police count (and the 扫黑除恶 campaign's) need support: the reporter, or their words in the
mention's context. The score of an id is ``SCORE_SCALE * log P(id) + SCORE_SHIFT`` (round 11). Predictions are
cached per feature row (reports repeat phrases), so a corpus pays for each distinct context once.

Public names
------------
mention_features(text, spans)        the feature table of mentions given as (start, end, unit)
IndicatorModel                       the estimator (fit / decision_function / predict / predict_rows)
Prediction                           one mention's best id, its score and the scores of every id
load_training_table(source=None)     the labelled mentions the bundled model is fitted on (rebuilt by
                                     :mod:`.indicator_training`)
default_model()                      the bundled model (bundled weights, :mod:`.indicator_weights`), once per process
predict_mentions(text, spans)        a :class:`Prediction` for every mention of one report
predict_reports(reports)             the same for many reports in one batch
combine(rule_id, ruled, predicted)   the final id from the rules' id and the model's prediction
rules_only()                         context manager: switch the model off (hand rules alone)
"""

from __future__ import annotations

import contextlib
import functools
import io
import logging
import re
from collections.abc import Iterable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import NamedTuple

import numpy as np
import pandas as pd

from ..core.config import DEFAULT_SEED
from ..core.resources import resource_text
from .charclass import first_char_lookahead
from .indicator_features import FEATURE_COLUMNS as _FEATURE_COLUMNS
from .indicator_features import clear_cache as _features_clear_cache
from .indicator_features import feature_rows as _feature_rows
from .indicator_features import feature_rows_many as _feature_rows_many
from .indicator_weights import MODEL_KIND, WEIGHTS_FILE, bundled_weights, columns_digest, training_digest

logger = logging.getLogger(__name__)

__all__ = [
    "CONTINUE_MARGIN",
    "CONTINUE_THRESHOLD",
    "FILL_THRESHOLD",
    "OVERRIDE_MARGIN",
    "OVERRIDE_THRESHOLD",
    "IndicatorModel",
    "Prediction",
    "TRAINING_COLUMNS",
    "combine",
    "default_model",
    "load_training_table",
    "mention_features",
    "predict_mentions",
    "predict_reports",
    "rules_only",
]

#: score of an id: SCORE_SCALE * log P(id | mention) + SCORE_SHIFT (round 11, chosen leaving one batch out over
#: batches 1-20): a rule is overridden at P >= 0.42 and 9.8 times the rule id's P; `other` filled at P >= 0.066
SCORE_SCALE, SCORE_SHIFT = 0.35, 0.6
#: minimum score for the model to name an id where no rule matched (rounds 3-6, on the dev and spent fresh pages)
FILL_THRESHOLD = -0.35
#: minimum score for the model to replace the id a count continues from the previous count of its sentence (round 5)
CONTINUE_THRESHOLD = 0.0
#: how far the model's best score must lie above its score for the continued id to replace that id
CONTINUE_MARGIN = 0.5
#: minimum score for the model to replace the id of a matching rule, and how far above the rule id's score
OVERRIDE_THRESHOLD, OVERRIDE_MARGIN = 0.3, 0.8

# ids that only a court, a procuratorate or the police count, and the 扫黑除恶 campaign's: the model names one
# only when the reporter is that institution or the mention's context (its features' texts) has its words (a
# 城管局's 渣土类案件 are not court cases)
_FAMILIES = (
    ("court", frozenset({"court.cases", "court.enforcement", "court.online"}),
     re.compile("法院|法庭|法官|审判|本院|全院|审执|审结|诉讼|立案|庭审|开庭|民事|商事|刑事案件|执行|执结|失信|"
                "限制高消费|限高|司法拘留|查控|终本")),
    ("procuratorate", frozenset({"procuratorate.cases"}), re.compile("检察|公诉|批捕|批准逮捕|审查逮捕|不起诉|公益诉讼")),
    ("police", frozenset({"policing.criminal_cases", "policing.fraud"}),
     re.compile("公安|警|破获|侦破|抓获|刑事|犯罪|嫌疑|诈骗|治安|派出所|打掉|侦查|盗窃|毒品|涉毒|命案|逃犯|刑拘|拘留|"
                "电信|电诈|涉诈|反诈|断卡|止付|冻结|涉案资金")),
    ("sweep", frozenset({"sweep.cases", "sweep.clues"}), re.compile("扫黑|黑恶|涉黑|涉恶|恶势力|黑社会|保护伞|套路贷")),
)
#: the columns of the training table (:func:`load_training_table`): where a row comes from, its id, its features
TRAINING_COLUMNS = ["source", "indicator_id", *_FEATURE_COLUMNS]
# (tag, shortest n-gram, longest n-gram, weight) of each text feature, in _FEATURE_COLUMNS order
_NGRAMS = (("l", 1, 3, 1.0), ("c", 1, 2, 1.0), ("r", 1, 2, 1.0), ("b", 1, 2, 1.0), ("s", 1, 2, 0.5), ("p", 1, 2, 0.3),
           ("h", 1, 2, 0.3), ("d", 0, 0, 0.5), ("a", 0, 0, 0.5))
_UNIT_WEIGHT = 1.0
# the normalisation group of the rule-term columns (``fields_``): after the n-gram tags and the unit's
_TERM_GROUP = len(_NGRAMS) + 1
# the rules' vocabulary as features: for each of these texts of a feature row (index in _FEATURE_COLUMNS, level
# letter), the ids of indicators.toml whose rule terms occur in it (``kCreview.cases``), weighted together
_TERM_TEXTS = ((0, "L"), (1, "C"), (3, "B"), (5, "P"), (6, "H"))
_TERM_WEIGHT = 0.6
_TERM_CACHE_MAX = 200_000
_CACHE_MAX = 100_000

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


def _unsupported(row: tuple[str, ...]) -> frozenset[str]:
    """The ids of ``_FAMILIES`` that a feature row gives no support for (neither its reporter nor its texts)."""
    context = "".join(row[:7])
    out: frozenset[str] = frozenset()
    for kind, ids, rx in _FAMILIES:
        if row[7] != kind and not rx.search(context):
            out |= ids
    return out


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
        characters at the end of the previous clause of the same sentence), ``opening`` (str, up to 12 characters
        at the start of the sentence when the mention's clause is not its first), ``lead`` (str, up to 16 characters of
        the first sentence of the mention's paragraph when the mention lies after it, else empty), ``heading``
        (str, up to 16 characters of the nearest heading line above the mention: 一、… / （一）…), ``reporter``
        (str, ``court``, ``procuratorate`` or ``police`` when the opening 600 characters of the text name one of them
        at least twice and more often than the others, else empty), ``audience`` (str, ``officials``, ``public``,
        ``officials+public`` or empty: whom the mention's sentence, its paragraph's lead and its heading name) and
        ``unit`` (str).

    >>> mention_features("本院全年审结各类案件9876件,同比上升5%", [(10, 15, "件")]).iloc[0].tolist()
    ['本院全年审结各类案件', '本院全年审结各类案件§', '', '', '', '', '', 'court', '', '件']
    """
    rows = _feature_rows(text, spans)
    return pd.DataFrame(rows, columns=_FEATURE_COLUMNS, dtype="str") if rows else \
        pd.DataFrame({c: pd.Series([], dtype="str") for c in _FEATURE_COLUMNS})


@functools.lru_cache(maxsize=1)
def _term_index() -> tuple[re.Pattern, tuple[str, ...]]:
    """One regular expression of the terms of every bundled rule of ``indicators.toml`` (a named group per
    indicator id, ids sorted) and the ids in group order."""
    import tomllib

    by_id: dict[str, list[str]] = {}
    for r in tomllib.loads(resource_text("indicators.toml")).get("rule", []):
        if not r.get("same_as_previous"):
            by_id.setdefault(r["id"], []).extend(r["terms"])
    ids = tuple(sorted(by_id))
    pattern = "|".join(f"(?P<g{k}>{'|'.join(f'(?:{t})' for t in by_id[i])})" for k, i in enumerate(ids))
    # tried only where a term can start (the same matches)
    return re.compile(f"{first_char_lookahead(pattern)}(?:{pattern})"), ids


_TERM_HITS: dict[str, tuple[str, ...]] = {}


def _term_hits(s: str) -> tuple[str, ...]:
    """The indicator ids whose rule terms occur in ``s`` (leftmost matches, in order; cached per string)."""
    hit = _TERM_HITS.get(s)
    if hit is None:
        rx, ids = _term_index()
        hit = tuple(dict.fromkeys(ids[int(m.lastgroup[1:])] for m in rx.finditer(s)))
        if len(_TERM_HITS) > _TERM_CACHE_MAX:
            _TERM_HITS.clear()
        _TERM_HITS[s] = hit
    return hit


def _analyze(row: tuple[str, ...]) -> list[str]:
    """Tagged character n-grams of one feature row (``l审结``, ``c案件``, …, ``u件``) and the ids whose rule terms
    occur in its texts (``kCreview.cases``)."""
    out = []
    for (tag, lo, hi, _w), s in zip(_NGRAMS, row):
        if not lo:  # the whole value as one token (reporter)
            if s:
                out.append(tag + s)
            continue
        n = len(s)
        for k in range(lo, hi + 1):
            out.extend([tag + s[i:i + k] for i in range(n - k + 1)])
    out.append("u" + row[-1])
    for j, level in _TERM_TEXTS:
        if row[j]:
            out.extend(["k" + level + i for i in _term_hits(row[j])])
    return out


_NGRAM_RANGE = {tag: (lo, hi) for tag, lo, hi, _w in _NGRAMS}
# the tag of each value of a feature row (``_FEATURE_COLUMNS`` order; the unit's is ``u``) and the levels of the
# rule-term features read from it
_FIELD_TAGS = tuple(tag for tag, _lo, _hi, _w in _NGRAMS) + ("u",)
_FIELD_TERM_LEVELS = tuple(tuple(level for k, level in _TERM_TEXTS if k == j) for j in range(len(_FIELD_TAGS)))
_FIELDS = tuple(range(len(_FIELD_TAGS)))
_FIELD_CACHE_MAX = 200_000


def _field_tokens(j: int, s: str) -> list[str]:
    """The tokens :func:`_analyze` gives for value ``s`` of field ``j`` of a feature row: its tagged n-grams
    (the whole value for the reporter and the audience, ``u`` + the unit) and its rule-term ids."""
    tag = _FIELD_TAGS[j]
    if tag == "u":
        out = ["u" + s]
    else:
        lo, hi = _NGRAM_RANGE[tag]
        out = []
        if not lo:
            if s:
                out.append(tag + s)
        else:
            n = len(s)
            for k in range(lo, hi + 1):
                out.extend([tag + s[i:i + k] for i in range(n - k + 1)])
    if s:
        for level in _FIELD_TERM_LEVELS[j]:
            out.extend(["k" + level + i for i in _term_hits(s)])
    return out


class Prediction(NamedTuple):
    """The model's verdict on one mention: its best ``indicator_id``, that id's ``score``, in ``scores`` the
    score of every id it knows (a mapping id → score) and, in ``unsupported``, the court, procuratorate, police and
    扫黑除恶 ids its context gives no support for (never its best id)."""

    indicator_id: str
    score: float
    scores: Mapping | None = None
    unsupported: frozenset = frozenset()


class _ScoreRow(dict):
    """id → score of one mention, built lazily from the model's score row (most mentions never need it)."""

    __slots__ = ("_row", "_index")

    def __init__(self, row: np.ndarray, index: dict[str, int]):
        super().__init__()
        self._row, self._index = row, index

    def __missing__(self, key: str) -> float:
        j = self._index.get(key)
        return float("-inf") if j is None else float(self._row[j])

    def get(self, key, default=None):
        return self[key] if key in self._index else default


def _table_rows(table: pd.DataFrame) -> list[tuple[str, ...]]:
    """The feature rows of a training table (checked for the columns :meth:`IndicatorModel.fit` needs)."""
    if missing := [c for c in [*_FEATURE_COLUMNS, "indicator_id"] if c not in table.columns]:
        raise ValueError(f"training table lacks columns {missing}")
    return list(table[_FEATURE_COLUMNS].fillna("").astype(str).itertuples(index=False, name=None))


class IndicatorModel:
    """Tagged TF-IDF character n-grams of the mention's contexts plus its unit, into a multinomial logistic model.

    Parameters
    ----------
    C : float, keyword-only
        Inverse regularisation strength of the logistic regression.
    random_state : int, keyword-only
        Seed given to the solver (lbfgs is deterministic).

    Attributes
    ----------
    vectorizer_ : sklearn TfidfVectorizer
        The fitted vectoriser of the tagged n-grams (no normalisation: each feature's n-grams are L2-normalised
        together after it, then weighted).
    fields_ : ndarray of int
        The feature (index in ``left, clause, right, before, opening, lead, heading, reporter, unit``) of each
        n-gram column.
    weights_ : ndarray of float
        The weight of each n-gram column (its feature's weight).
    coef_, intercept_ : ndarray of float
        The model's coefficients (classes × columns) and intercepts (fitted, or the bundled weights).
    classes_ : ndarray of str
        The indicator ids the model knows, sorted.
    """

    def __init__(self, *, C: float = 16.0, random_state: int = DEFAULT_SEED):
        self.C = C
        self.random_state = random_state

    def _matrix(self, rows: Sequence[tuple[str, ...]]):
        """TF-IDF of the tagged n-grams (sublinear tf, the fitted vectoriser's vocabulary and idf), L2-normalised
        within each feature (as separate vectorisers would be) and weighted per feature. The counting is done here
        with one dictionary lookup per n-gram and numpy, which gives the vectoriser's numbers at a third of its
        cost."""
        from scipy.sparse import csr_matrix

        # the columns of each feature value (the tokens _analyze gives for it) are looked up once per distinct
        # (feature, value): mentions of one report share their reporter, heading, lead and often their clause;
        # a row's columns are the same multiset as those of _analyze(row), so the counts below are too
        columns = self.__dict__.setdefault("_field_columns", {})
        if len(columns) > _FIELD_CACHE_MAX:
            columns.clear()
        flat: list[int] = []
        lengths = np.empty(len(rows), dtype=np.intp)
        extend = flat.extend
        for i, r in enumerate(rows):
            size = 0
            for key in zip(_FIELDS, r):
                c = columns.get(key)
                if c is None:
                    c = columns[key] = self._columns_of(*key)
                extend(c)
                size += len(c)
            lengths[i] = size
        width, n_rows = len(self.weights_), len(rows)
        indptr = np.zeros(n_rows + 1, dtype=np.intp)
        np.cumsum(lengths, out=indptr[1:])
        # the counts of each (row, column): the matrix of ones with its duplicates summed (sorted, canonical)
        counts = csr_matrix((np.ones(len(flat)), np.array(flat, dtype=np.intp), indptr), shape=(n_rows, width))
        counts.sum_duplicates()
        cols = counts.indices
        row = np.repeat(np.arange(n_rows), np.diff(counts.indptr))
        data = (1.0 + np.log(counts.data)) * self.vectorizer_.idf_[cols]
        key = row * (len(_NGRAMS) + 2) + self.fields_[cols]
        norms = np.bincount(key, weights=data ** 2, minlength=n_rows * (len(_NGRAMS) + 2))
        data = data / np.sqrt(norms[key]) * self.weights_[cols]
        return csr_matrix((data, cols, counts.indptr), shape=(n_rows, width))

    def _columns_of(self, field: int, value: str) -> tuple[int, ...]:
        """The vocabulary columns of the tokens of one value of field ``field`` (index in ``_FEATURE_COLUMNS``) of a
        feature row (:func:`_field_tokens`)."""
        get = self.vectorizer_.vocabulary_.get
        return tuple(j for j in map(get, _field_tokens(field, value)) if j is not None)

    def fit(self, table: pd.DataFrame, *, vocabulary: pd.DataFrame | None = None) -> IndicatorModel:
        """Fit on a table with the columns of :func:`mention_features` and ``indicator_id``; returns self. With
        ``vocabulary`` (a table of the same columns), the vectoriser (n-grams and idf) is fitted on it and the model
        on ``table``: the bundled weights are fitted so, on the bundled table's vocabulary."""
        from sklearn.linear_model import LogisticRegression

        self.fit_vocabulary(table if vocabulary is None else vocabulary)
        # multinomial logistic regression (lbfgs: deterministic); _scores turns its logits into log-probabilities
        clf = LogisticRegression(C=self.C, max_iter=3000, random_state=self.random_state).fit(
            self._matrix(_table_rows(table)), table["indicator_id"].to_numpy())
        return self.set_coefficients(clf.classes_, clf.coef_, clf.intercept_)

    def fit_vocabulary(self, table: pd.DataFrame) -> IndicatorModel:
        """Fit the vectoriser (tagged n-grams, idf, feature of each column) on a training table, not the model
        (:meth:`set_coefficients` gives it its coefficients); returns self."""
        from sklearn.feature_extraction.text import TfidfVectorizer

        self.vectorizer_ = TfidfVectorizer(analyzer=_analyze, sublinear_tf=True, norm=None, dtype=np.float64)
        self.vectorizer_.fit(_table_rows(table))
        tags = [tag for tag, _lo, _hi, _w in _NGRAMS] + ["u", "k"]
        tag_weight = [w for _tag, _lo, _hi, w in _NGRAMS] + [_UNIT_WEIGHT, _TERM_WEIGHT]
        vocab = self.vectorizer_.vocabulary_
        fields = np.zeros(len(vocab), dtype=np.intp)
        for term, j in vocab.items():
            fields[j] = tags.index(term[0])
        self.fields_ = fields
        self.weights_ = np.asarray(tag_weight)[fields]
        self._field_columns: dict[tuple[str, str], tuple[int, ...]] = {}
        return self

    def vocabulary_digest(self) -> str:
        """:func:`.indicator_weights.columns_digest` of the fitted columns (token, feature, weight, idf)."""
        return columns_digest(self.vectorizer_.vocabulary_, self.fields_, self.weights_, self.vectorizer_.idf_)

    def set_coefficients(self, classes: Sequence[str], coef: np.ndarray, intercept: np.ndarray) -> IndicatorModel:
        """Use these coefficients (``coef``: classes × the fitted vectoriser's columns; ``intercept``: one per
        class) for ``classes`` (sorted ids); returns self. :func:`default_model` sets the bundled weights so."""
        coef, intercept = np.asarray(coef, dtype=np.float64), np.asarray(intercept, dtype=np.float64)
        if coef.shape != (len(classes), len(self.weights_)) or intercept.shape != (len(classes),):
            raise ValueError(f"coefficients of shape {coef.shape} and {intercept.shape} do not fit "
                             f"{len(classes)} classes and {len(self.weights_)} columns")
        self.classes_ = np.asarray(classes).astype(str)
        self.coef_, self.intercept_ = coef, intercept
        self.index_ = {c: j for j, c in enumerate(self.classes_)}
        self._coef_t = np.ascontiguousarray(coef.T)
        self._cache: dict[tuple[str, ...], Prediction] = {}
        self._field_columns: dict[tuple[str, str], tuple[int, ...]] = {}
        return self

    def clear_cache(self) -> None:
        """Forget the cached predictions, n-gram columns and rule-term hits (the predictions stay the same;
        benchmarks time texts never seen before this way)."""
        self.__dict__.get("_cache", {}).clear()
        self.__dict__.get("_field_columns", {}).clear()
        _TERM_HITS.clear()
        _features_clear_cache()

    def _scores(self, rows: Sequence[tuple[str, ...]]) -> np.ndarray:
        """Scores (rows × classes) of feature rows: ``SCORE_SCALE * log_softmax(logits) + SCORE_SHIFT``, the logits
        (:meth:`_matrix` ``@ coef + intercept``) summed per distinct value of each feature instead of per row.

        The product is linear and each feature's n-grams are normalised among themselves, so a row's score is the
        intercept plus, for each feature, a vector that depends on that feature's value alone; the rule-term ids
        (``k…``, one normalisation group over the texts they come from) add the sum of their values' unnormalised
        vectors divided by the root of the sum of their squared TF-IDF. Mentions share most values (a report's
        reporter, heading, lead; a clause's words), so each distinct value is vectorised and multiplied once. The
        scores equal the row-wise product's up to the order of floating-point additions."""
        n_classes = len(self.classes_)
        if not rows:
            return np.zeros((0, n_classes))
        from scipy.sparse import csr_matrix
        from scipy.special import log_softmax

        columns = self.__dict__.setdefault("_field_columns", {})
        if len(columns) > _FIELD_CACHE_MAX:
            columns.clear()
        # each feature's distinct values (codes per row) and their vocabulary columns, all features in one list
        codes, flat, lengths, offset = [], [], [], 0
        for j, values in zip(_FIELDS, zip(*rows)):
            seen: dict[str, int] = dict.fromkeys(values)  # in order of first appearance, numbered below
            for k, value in enumerate(seen):
                seen[value] = k
            codes.append(np.fromiter(map(seen.__getitem__, values), dtype=np.intp, count=len(rows)) + offset)
            for value in seen:
                c = columns.get((j, value))
                if c is None:
                    c = columns[(j, value)] = self._columns_of(j, value)
                flat.extend(c)
                lengths.append(len(c))
            offset += len(seen)
        n_values = offset
        indptr = np.zeros(n_values + 1, dtype=np.intp)
        np.cumsum(lengths, out=indptr[1:])
        counts = csr_matrix((np.ones(len(flat)), np.array(flat, dtype=np.intp), indptr),
                            shape=(n_values, len(self.weights_)))
        counts.sum_duplicates()
        cols = counts.indices
        value = np.repeat(np.arange(n_values), np.diff(counts.indptr))
        data = (1.0 + np.log(counts.data)) * self.vectorizer_.idf_[cols]
        terms = self.fields_[cols] == _TERM_GROUP
        # a value's own n-grams: normalised within the value (each value holds one feature's n-grams alone)
        norms = np.bincount(value[~terms], weights=data[~terms] ** 2, minlength=n_values)
        scaled = np.where(terms, data, data / np.sqrt(np.where(terms, 1.0, norms[value]))) * self.weights_[cols]
        own = csr_matrix((np.where(terms, 0.0, scaled), cols, counts.indptr), shape=counts.shape) @ self._coef_t
        term_dot = csr_matrix((np.where(terms, scaled, 0.0), cols, counts.indptr), shape=counts.shape) @ self._coef_t
        term_sq = np.bincount(value[terms], weights=data[terms] ** 2, minlength=n_values)
        out = np.repeat(self.intercept_[None, :], len(rows), axis=0)
        dots, squares = np.zeros((len(rows), n_classes)), np.zeros(len(rows))
        for code, levels in zip(codes, _FIELD_TERM_LEVELS):
            out += own[code]
            if levels:  # the values of the other features hold no rule-term ids: they would add zeros
                dots += term_dot[code]
                squares += term_sq[code]
        has = squares > 0
        out[has] += dots[has] / np.sqrt(squares[has])[:, None]
        return log_softmax(out, axis=1) * SCORE_SCALE + SCORE_SHIFT

    def decision_function(self, features: pd.DataFrame) -> np.ndarray:
        """The score of each class (:attr:`classes_` order, see :meth:`_scores`) of each row of ``features``."""
        rows = list(features[_FEATURE_COLUMNS].fillna("").astype(str).itertuples(index=False, name=None))
        return self._scores(rows)

    def _predictions(self, rows: Sequence[tuple[str, ...]], scores: np.ndarray) -> list[Prediction]:
        classes, index = self.classes_, self.index_
        unsupported = [_unsupported(r) for r in rows]
        # the classes each set of unsupported ids rules out, found once per set; every row's best class at once
        sets: dict[frozenset, int] = {}
        which = [sets.setdefault(u, len(sets)) for u in unsupported]
        masks = np.array([[c in u for c in classes] for u in sets], dtype=bool).reshape(len(sets), len(classes))
        best = np.where(masks[which], -np.inf, scores).argmax(axis=1).tolist()
        names = [str(c) for c in classes]
        best_scores = scores[np.arange(len(best)), best].tolist()
        return [Prediction(names[b], score, _ScoreRow(row, index), u)
                for row, b, score, u in zip(scores, best, best_scores, unsupported)]

    def predict_rows(self, rows: Sequence[tuple[str, ...]], *,
                     allowed: frozenset[str] | None = None) -> list[Prediction]:
        """A :class:`Prediction` for each feature row (tuples in :func:`mention_features` column order); with
        ``allowed``, only those ids may win (none of them known: an empty list). Without ``allowed`` each distinct
        row is vectorised and scored once per process (reports repeat phrases; the cache holds up to 100,000
        rows)."""
        if allowed is not None:
            keep = np.array([c in allowed for c in self.classes_])
            if not keep.any():
                return []
            return self._predictions(rows, np.where(keep, self._scores(rows), -np.inf))
        cache = self._cache
        slots: dict[tuple[str, ...], int] = {}  # each distinct row, in order of first appearance
        keys = [slots.setdefault(r, len(slots)) for r in rows]
        got = [cache.get(r) for r in slots]
        todo = [r for r, hit in zip(slots, got) if hit is None]
        if todo:
            fresh = self._predictions(todo, self._scores(todo))
            if len(cache) + len(todo) > _CACHE_MAX:
                cache.clear()
            cache.update(zip(todo, fresh))
            new = iter(fresh)
            got = [hit if hit is not None else next(new) for hit in got]
        return [got[k] for k in keys]

    def predict(self, features: pd.DataFrame) -> pd.DataFrame:
        """The best-scoring id of each row.

        Returns
        -------
        DataFrame
            ``indicator_id`` (str) and ``score`` (float, the score of that id); one row per row of
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
    missing = [c for c in TRAINING_COLUMNS if c not in table.columns]
    if missing:
        raise ValueError(f"{source or 'indicator_training.csv'}: not a training table (missing {missing})")
    return table[TRAINING_COLUMNS]


@functools.lru_cache(maxsize=1)
def default_model() -> IndicatorModel:
    """The bundled model, once per process: the vectoriser fitted on :func:`load_training_table` and the bundled
    weights (:mod:`.indicator_weights`), or the model fitted on the table where they do not fit it (their digests, their model)."""
    table, weights = load_training_table(), bundled_weights()
    if weights is not None and weights.meta.get("model") == MODEL_KIND and weights.meta.get(
            "training_digest") == training_digest(resource_text("indicator_training.csv")):
        model = IndicatorModel(C=float(weights.meta.get("C", 16.0))).fit_vocabulary(table)
        if weights.meta.get("vocabulary_digest") == model.vocabulary_digest():
            return model.set_coefficients(weights.classes, weights.coef, weights.intercept)
    if weights is not None:
        logger.warning("%s was fitted against another indicator_training.csv or other features; fitting the indicator "
                       "model on the bundled table alone (refit with benchmarks/fit_indicator_weights.py)", WEIGHTS_FILE)
    logger.debug("fitting the indicator model on %d labelled mentions", len(table))
    return IndicatorModel().fit(table)


def predict_mentions(text: str, spans: Sequence[tuple[int, int, str]], *,
                     allowed: frozenset[str] | None = None) -> list[Prediction] | None:
    """A :class:`Prediction` for each mention of one report (one batch), or ``None`` inside :func:`rules_only`,
    without spans, or when ``allowed`` (the ids of a user's own rule set) holds no id the model knows."""
    if not _ENABLED["on"] or not spans:
        return None
    return default_model().predict_rows(_feature_rows(text, spans), allowed=allowed) or None


def predict_reports(reports: Sequence[tuple[str, Sequence[tuple[int, int, str]]]], *,
                    allowed: frozenset[str] | None = None) -> list[list[Prediction]]:
    """:func:`predict_mentions` for many reports in one batch (one matrix, one product): for each
    ``(text, spans)``, a :class:`Prediction` per span, or an empty list where :func:`predict_mentions` gives
    ``None``. The predictions are those :func:`predict_mentions` gives report by report."""
    if not _ENABLED["on"]:
        return [[] for _ in reports]
    reports = [(text, list(spans) if spans else []) for text, spans in reports]
    rows = _feature_rows_many(reports)
    predictions = default_model().predict_rows(rows, allowed=allowed) if rows else []
    if not predictions:
        return [[] for _ in reports]
    cuts = np.cumsum([0] + [len(spans) for _text, spans in reports]).tolist()
    return [predictions[lo:hi] for lo, hi in zip(cuts[:-1], cuts[1:])]


def combine(rule_id: str, ruled: bool, predicted: tuple | None) -> str:
    """The final id of a mention from the rules and the model (see the module docstring).

    Parameters
    ----------
    rule_id : str
        The id the rules give, after their fallback (previous count's id or ``other``).
    ruled : bool
        Whether a rule of ``indicators.toml`` matched (or a subtotal inherited its total's id).
    predicted : Prediction, (str, float) or None
        The model's id and score (and, for a :class:`Prediction`, the scores of every id); ``None`` keeps the
        rules' id. Without per-id scores the model's score for the rule's id counts as unknown (no margin test).

    Examples
    --------
    >>> combine("other", False, ("court.cases", 0.9)), combine("pufa.events", True, ("pufa.exams", 0.1))
    ('court.cases', 'pufa.events')
    """
    if predicted is None:
        return rule_id
    model_id, p = predicted[0], predicted[1]
    if not ruled and rule_id == "other":
        return model_id if p >= FILL_THRESHOLD else rule_id
    threshold, margin = (OVERRIDE_THRESHOLD, OVERRIDE_MARGIN) if ruled else (CONTINUE_THRESHOLD, CONTINUE_MARGIN)
    if rule_id == "other" or model_id == rule_id or p < threshold:
        return rule_id
    scores = predicted[2] if len(predicted) > 2 else None
    if scores is not None:
        rule_score = scores.get(rule_id)
        if rule_score is None or p - rule_score < margin:  # an id the model does not know (a user's rule) stays
            return rule_id
    return model_id
