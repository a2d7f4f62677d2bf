"""The bundled weights of the learned indicator component (``resources/indicator_weights.npz``).

The learned component (:mod:`.indicator_model`) reads its features through a vectoriser fitted on the bundled
training table (``resources/indicator_training.csv``: the sample report's, the blind set's and the team's written
mentions). Its multinomial logistic regression is fitted on that table **plus the labelled mentions of real report pages**
(``benchmarks/realpages/indicator_labels.csv``), which is what carries to pages never seen
(``docs/indicators_model.md``, rounds 10 and 11). The page texts are never committed, so it cannot be refitted at
install time; its coefficients are shipped instead, fitted by ``benchmarks/fit_indicator_weights.py`` where the
page texts are:

- ``classes``: the indicator ids, sorted;
- ``coef`` (float32, classes × the vectoriser's columns) and ``intercept`` (float64, one per class);
- ``meta``: a JSON object: ``model`` (:data:`MODEL_KIND`), ``training_digest`` (sha256 of the bundled training table's text, which fixes the
  vectoriser's columns), ``columns`` (their number), ``vocabulary_digest`` (sha256 of the columns' tokens, features,
  weights and idf: ``IndicatorModel.vocabulary_digest``), ``real_mentions``, ``real_pages``, ``splits`` (mentions per
  labelled split), ``held_out_splits`` and ``excluded_splits`` (never read), ``C`` and what fitted it.

The file holds numbers only: no n-gram, no token, no text of a page. The columns are those of the bundled table's
vocabulary, which the package rebuilds from the bundled table itself. When the bundled table or the features change
and the weights were not refitted (a digest differs), the model is fitted on the table alone, with a warning.

Public names
------------
WEIGHTS_FILE                 the resource's name
Weights                      the weights and their description (a named tuple)
training_digest(text)        sha256 of a training table's text (what the weights were fitted against)
columns_digest(vocabulary, ...) sha256 of a fitted vectoriser's columns (token, feature, weight, idf)
bundled_weights()            the bundled weights, or None when the file is absent
save_weights(path, ...)      write weights in this format
"""

from __future__ import annotations

import hashlib
import io
import json
from importlib import resources
from pathlib import Path
from typing import NamedTuple

import numpy as np

__all__ = ["MODEL_KIND", "WEIGHTS_FILE", "Weights", "bundled_weights", "columns_digest", "save_weights", "training_digest"]

#: the name of the weights' file in ``lawgov_analysis/resources/``
WEIGHTS_FILE = "indicator_weights.npz"
#: the model the weights belong to (their ``meta["model"]``): weights of another model are not read
MODEL_KIND = "multinomial_logistic"


class Weights(NamedTuple):
    """A linear model's ``classes`` (sorted ids), ``coef`` (classes × columns), ``intercept`` and ``meta`` (dict)."""

    classes: np.ndarray
    coef: np.ndarray
    intercept: np.ndarray
    meta: dict


def training_digest(text: str) -> str:
    """sha256 (hex) of a training table's text: the weights fit the vocabulary of exactly this table."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def columns_digest(vocabulary: dict[str, int], fields: np.ndarray, weights: np.ndarray, idf: np.ndarray) -> str:
    """sha256 (hex) of a fitted vectoriser's columns: each column's token (``vocabulary``: token → column), feature,
    weight and idf, in column order; the idf rounded to 10 significant digits (the same on every platform's libm).
    Weights fitted for other columns (another training table, other features or feature weights) do not fit."""
    tokens = sorted(vocabulary.items(), key=lambda kv: kv[1])
    lines = (f"{t}\t{fields[j]}\t{weights[j]:.10g}\t{idf[j]:.10g}" for t, j in tokens)
    return hashlib.sha256("\n".join(lines).encode("utf-8")).hexdigest()


def _read(data: bytes) -> Weights:
    with np.load(io.BytesIO(data), allow_pickle=False) as z:
        return Weights(z["classes"].astype(str), z["coef"], z["intercept"], json.loads(str(z["meta"])))


def bundled_weights() -> Weights | None:
    """The weights in ``resources/indicator_weights.npz``, or ``None`` when the file is absent."""
    entry = resources.files("lawgov_analysis").joinpath("resources", WEIGHTS_FILE)
    if not entry.is_file():
        return None
    return _read(entry.read_bytes())


def save_weights(path: str | Path, *, classes, coef: np.ndarray, intercept: np.ndarray, meta: dict) -> Path:
    """Write weights (``coef`` stored as float32, ``meta`` as sorted JSON) to ``path``; returns the path. The file
    is the same bytes for the same weights (no timestamps inside)."""
    path = Path(path)
    buf = io.BytesIO()
    np.savez_compressed(buf, classes=np.asarray(classes).astype(str), coef=np.asarray(coef, dtype=np.float32),
                        intercept=np.asarray(intercept, dtype=np.float64),
                        meta=np.array(json.dumps(meta, sort_keys=True, ensure_ascii=False)))
    path.write_bytes(buf.getvalue())
    return path
