"""Validation kit: a seeded stratified sample for human coding, and precision, recall and Cohen's κ read back.

Before a paper uses a theme score, an indicator or the metric table, a human codes a random sample of what
the instrument found (and, for a theme, of what it did not find) and reports precision, recall and the
agreement between two coders.

- :func:`coding_sample` draws the sample from the store's tables: sentences flagged by a theme (and unflagged
  ones, so that recall can be estimated), the metric rows of one indicator, or all metric rows; stratified by
  metadata columns (``level``, ``year`` …) with proportional allocation, seeded; each row with its KWIC
  context, the question the coder answers and the empty coding columns ``correct`` (1/0) and ``note``.
- :func:`write_coding` / :func:`read_coding` write and read the sheet (.xlsx or .csv) with a clear message for
  any cell that is not 1/0.
- :func:`validate_coding` reports precision (weighted by the inverse inclusion probability, Wilson score
  interval at Kish's effective sample size), recall where unflagged units were sampled (ratio estimate,
  percentile bootstrap interval), and Cohen's κ and raw agreement between two coders (bootstrap interval);
  :func:`methods_paragraph` writes the sentence a methods section can cite.

``correct`` means: the instrument's decision on this unit is right. For a unit the instrument found (a theme
sentence, a metric) 1 = a true hit, 0 = a false hit; for a unit it did not find (``predicted = 0``) 1 = rightly
left out, 0 = a miss.
"""

from __future__ import annotations

import logging
import math
import re
from collections.abc import Sequence
from pathlib import Path

import numpy as np
import pandas as pd

from ..core.config import DEFAULT_SEED
from ..core.validate import check_columns
from ..text.structure import with_section_level

log = logging.getLogger(__name__)

__all__ = ["SHEET_COLUMNS", "RESULT_COLUMNS", "coding_sample", "write_coding", "read_coding", "validate_coding",
           "methods_paragraph", "wilson_interval", "cohen_kappa"]

#: Columns of the coding sheet (:func:`coding_sample`), after which metadata strata follow.
SHEET_COLUMNS = ["item", "what", "doc_id", "sentence_id", "start", "end", "predicted", "left", "keyword", "right",
                 "sentence", "question", "stratum", "weight", "correct", "note"]
#: Columns of :func:`validate_coding`.
RESULT_COLUMNS = ["what", "measure", "estimate", "ci_low", "ci_high", "n", "method"]

_YES = {"1", "1.0", "y", "yes", "true", "是", "对", "正确", "√"}
_NO = {"0", "0.0", "n", "no", "false", "否", "错", "错误", "×"}


# ----------------------------------------------------------------------------------------------- sampling
def _allocate(sizes: np.ndarray, total: int) -> np.ndarray:
    """Proportional allocation of ``total`` draws over strata of ``sizes``: one per stratum first while draws
    last (so no stratum is left unrepresented), the rest in proportion to what is left (largest remainders)."""
    sizes = np.asarray(sizes, dtype=int)
    total = int(min(total, sizes.sum()))
    alloc = np.zeros(len(sizes), dtype=int)
    if total < len(sizes):                      # fewer draws than strata: the largest strata get one
        alloc[np.argsort(-sizes, kind="stable")[:total]] = 1
        return alloc
    alloc[:] = 1
    while alloc.sum() < total:
        room = sizes - alloc
        need = total - alloc.sum()
        quota = need * np.where(room > 0, room, 0) / room[room > 0].sum()
        add = np.minimum(np.floor(quota).astype(int), room)
        if add.sum() == 0:   # the remainders: largest first, ties by stratum order
            order = np.lexsort((np.arange(len(sizes)), -(quota - np.floor(quota))))
            add[[i for i in order if room[i] > 0][:need]] = 1
        alloc += add
    return alloc


def _cell(value) -> str:
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _kwic(texts: pd.Series, units: pd.DataFrame, width: int) -> pd.DataFrame:
    text = texts.reindex(units["doc_id"]).fillna("").to_numpy()
    starts, ends = units["start"].to_numpy(int), units["end"].to_numpy(int)
    left = [t[max(0, s - width):s].replace("\n", " ") for t, s in zip(text, starts)]
    key = [t[s:e] for t, s, e in zip(text, starts, ends)]
    right = [t[e:e + width].replace("\n", " ") for t, e in zip(text, ends)]
    return pd.DataFrame({"left": left, "keyword": key, "right": right}, index=units.index)


def _theme_units(theme: str, corpus, sentences, theme_hits, themes) -> pd.DataFrame:
    from .themes import load_themes

    table = load_themes(themes)
    match = table[(table["theme_id"] == theme) | (table["label"] == theme)]
    if match.empty:
        raise ValueError(f"theme must be a theme_id or label of the dictionary ({', '.join(table['theme_id'])}), "
                         f"got {theme!r}")
    theme_id, label = match["theme_id"].iloc[0], match["label"].iloc[0]
    check_columns(sentences, ["doc_id", "sentence_id", "start", "end", "text"], what="sentences")
    check_columns(theme_hits, ["doc_id", "sentence_id", "start", "end", "term", "theme_id"], what="theme_hits")
    hits = theme_hits[theme_hits["theme_id"].astype(str) == theme_id].astype({"doc_id": str})
    first = hits.sort_values(["doc_id", "sentence_id", "start"]).drop_duplicates(["doc_id", "sentence_id"])
    sents = sentences.astype({"doc_id": str})[[c for c in ("doc_id", "section_id", "sentence_id", "start", "end",
                                                           "text") if c in sentences.columns]]
    units = sents.merge(first[["doc_id", "sentence_id", "start", "end", "term"]], on=["doc_id", "sentence_id"],
                        how="left", suffixes=("_s", ""))
    units["predicted"] = units["term"].notna().astype(int)
    units["start"] = units["start"].fillna(units["start_s"]).astype(int)
    units["end"] = units["end"].fillna(units["start_s"]).astype(int)    # nothing marked in an unflagged one
    units["sentence"] = units["text"]
    units["question"] = np.where(units["predicted"] == 1,
                                 f"Is this sentence about {label} (the dictionary found 【" + units["term"].fillna("")
                                 + "】)? 1 = yes, 0 = no",
                                 f"The dictionary found no {label} term here. Is the sentence free of {label}? "
                                 "1 = yes, 0 = no (a miss)")
    units["what"] = f"theme:{theme_id}"
    return units


def _metric_units(indicator: str | None, sentences, metrics) -> pd.DataFrame:
    check_columns(metrics, ["doc_id", "sentence_id", "start", "end", "surface", "value", "unit"], what="metrics")
    m = metrics.astype({"doc_id": str}).copy()
    if indicator is not None:
        check_columns(m, ["indicator_id"], what="metrics")
        ids = m["indicator_id"].astype(str)
        m = m[(ids == indicator) | ids.str.startswith(indicator.rstrip(".") + ".")]
        if m.empty:
            raise ValueError(f"no metric row has indicator_id {indicator!r} (or one under it)")
    m["predicted"] = 1
    if sentences is not None:
        s = sentences.astype({"doc_id": str})[["doc_id", "sentence_id", "text"]].rename(columns={"text": "sentence"})
        m = m.merge(s, on=["doc_id", "sentence_id"], how="left")
    else:
        m["sentence"] = ""
    value = m["value"].astype(str) + " " + m["unit"].astype(str)
    if indicator is None:
        m["question"] = "Is 【" + m["surface"].astype(str) + "】 read correctly as " + value + "? 1 = yes, 0 = no"
        m["what"] = "metrics"
    else:
        m["question"] = ("Is 【" + m["surface"].astype(str) + "】 (" + value + ") a value of "
                         + m["indicator_id"].astype(str) + "? 1 = yes, 0 = no")
        m["what"] = f"indicator:{indicator}"
    return m


def coding_sample(
    what: str,
    *,
    corpus: pd.DataFrame,
    sentences: pd.DataFrame | None = None,
    theme_hits: pd.DataFrame | None = None,
    metrics: pd.DataFrame | None = None,
    sections: pd.DataFrame | None = None,
    themes=None,
    n: int = 200,
    stratify: Sequence[str] = ("level", "year"),
    negatives: float = 0.5,
    width: int = 30,
    seed: int = DEFAULT_SEED,
) -> pd.DataFrame:
    """A seeded, stratified random sample of what an instrument found, for a human to code.

    Parameters
    ----------
    what : str
        ``"theme:<theme_id or label>"`` (sentences; needs ``sentences`` and ``theme_hits``),
        ``"indicator:<indicator_id or prefix>"`` (metric rows of that indicator; needs ``metrics``) or
        ``"metrics"`` (all metric rows).
    corpus : DataFrame
        The report table (``doc_id``, ``text`` for the context, and the ``stratify`` columns).
    sentences, theme_hits, metrics : DataFrame
        The store's tables (``sentences`` also gives a metric's sentence).
    sections : DataFrame, optional
        The store's ``sections``: needed to stratify by part of the report (``section_l1`` … ``section_l4``).
    themes
        The theme dictionary (:func:`lawgov_analysis.analysis.themes.load_themes` input; the store's own one).
    n : int
        Sample size (smaller when there are fewer units).
    stratify : sequence of str
        Report columns whose combinations are the strata (missing values are a stratum of their own), and/or
        ``doc_id`` (each report a stratum) or ``section_l1`` … ``section_l4`` (the unit's part of the report at
        that level, see :func:`lawgov_analysis.text.structure.with_section_level`; needs ``sections``); the
        draws are allocated in proportion to the strata's sizes (largest remainders).
    negatives : float
        For a theme, the share of the sample drawn from sentences the dictionary did not flag (so recall can be
        estimated); 0 samples flagged sentences only.
    width : int
        Characters of context on each side of the keyword.
    seed : int
        Seed of the draw: same tables and seed, same sample.

    Returns
    -------
    pandas.DataFrame
        One row per sampled unit, sorted by ``predicted`` (found first), ``doc_id``, ``start``; the columns of
        :data:`SHEET_COLUMNS` then the stratum columns: ``item`` (1 … n, the key two coders' sheets share);
        ``what``; ``doc_id``, ``sentence_id``, ``start``, ``end`` (the keyword's character offsets in the report;
        for an unflagged sentence, its start); ``predicted`` (1 the instrument found it, 0 not); ``left``,
        ``keyword``, ``right`` (KWIC, ``width`` characters each side); ``sentence``; ``question`` (what to
        answer); ``stratum`` (``level=县|year=2021``); ``weight`` (units in the stratum ÷ units drawn from it:
        the inverse inclusion probability); ``correct`` and ``note`` (empty, for the coder).
    """
    check_columns(corpus, ["doc_id"], what="corpus")
    if n < 1:
        raise ValueError(f"n must be a positive integer, got {n!r}")
    if not 0 <= negatives < 1:
        raise ValueError(f"negatives must be in [0, 1), got {negatives!r}")
    kind, _, target = what.partition(":")
    if kind == "theme" and target:
        if sentences is None or theme_hits is None:
            raise ValueError("what='theme:…' needs the sentences and theme_hits tables")
        units = _theme_units(target, corpus, sentences, theme_hits, themes)
    elif kind == "indicator" and target:
        if metrics is None:
            raise ValueError("what='indicator:…' needs the metrics table")
        units = _metric_units(target, sentences, metrics)
    elif what == "metrics":
        if metrics is None:
            raise ValueError("what='metrics' needs the metrics table")
        units = _metric_units(None, sentences, metrics)
    else:
        raise ValueError(f"what must be one of theme:<id>, indicator:<id>, metrics, got {what!r}")
    meta = corpus.astype({"doc_id": str}).drop_duplicates("doc_id").set_index("doc_id")
    strata_cols = list(stratify)
    for col in strata_cols:
        level = re.fullmatch(r"section_l([1-4])", col)
        if level:
            if sections is None or "section_id" not in units.columns:
                raise ValueError(f"stratify column {col!r} needs the sections table and units with section_id")
            keys = units[["doc_id", "section_id"]].astype(str)
            secs = sections.astype({c: str for c in ("doc_id", "section_id", "parent_id") if c in sections.columns})
            units[col] = with_section_level(keys, secs, level=int(level.group(1)))[col].to_numpy()
        elif col == "doc_id":
            continue
        elif col not in meta.columns:
            raise ValueError(f"stratify column {col!r} is not a column of the corpus table")
        else:
            units[col] = meta[col].reindex(units["doc_id"]).to_numpy()
    units["stratum"] = ["|".join(f"{c}={_cell(v)}" for c, v in zip(strata_cols, vals))
                        for vals in units[strata_cols].itertuples(index=False)] if strata_cols else "all"
    units = units.sort_values(["doc_id", "start", "sentence_id"], kind="stable").reset_index(drop=True)
    rng = np.random.default_rng(seed)
    units["_key"] = rng.random(len(units))
    has_neg = bool((units["predicted"] == 0).any()) and negatives > 0
    want = {1: n - int(round(n * negatives)) if has_neg else n, 0: int(round(n * negatives)) if has_neg else 0}
    picked = []
    for flag in (1, 0):
        part = units[units["predicted"] == flag]
        if part.empty or want[flag] == 0:
            continue
        groups = list(part.groupby("stratum", sort=True))
        alloc = _allocate(np.array([len(g) for _, g in groups]), want[flag])
        for (_, group), k in zip(groups, alloc):
            if k:
                picked.append(group.nsmallest(int(k), "_key").assign(weight=len(group) / int(k)))
    sample = pd.concat(picked) if picked else units.iloc[0:0].assign(weight=pd.Series(dtype=float))
    sample = sample.sort_values(["predicted", "doc_id", "start"], ascending=[False, True, True], kind="stable")
    texts = corpus.astype({"doc_id": str}).drop_duplicates("doc_id").set_index("doc_id")["text"] \
        if "text" in corpus.columns else pd.Series(dtype=str)
    sample = sample.join(_kwic(texts, sample, width))
    sample.loc[sample["predicted"] == 0, ["left", "keyword", "right"]] = ""
    sample = sample.reset_index(drop=True)
    sample["item"] = np.arange(1, len(sample) + 1)
    sample["weight"] = sample["weight"].round(4)
    sample["correct"] = ""
    sample["note"] = ""
    log.info("coding sample: %d of %d units (%s), %d strata, seed %d", len(sample), len(units), what,
             units["stratum"].nunique(), seed)
    return sample[SHEET_COLUMNS + [c for c in strata_cols if c not in SHEET_COLUMNS]]


# ----------------------------------------------------------------------------------------------- sheets
def write_coding(sample: pd.DataFrame, path: str | Path) -> Path:
    """Write a coding sheet to ``path`` (.xlsx: sheet ``coding``; .csv: UTF-8 with BOM, so Excel reads it)."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    if path.suffix.lower() == ".xlsx":
        with pd.ExcelWriter(path, engine="openpyxl") as writer:
            sample.to_excel(writer, sheet_name="coding", index=False)
            sheet = writer.sheets["coding"]
            sheet.freeze_panes = "A2"
            for col, size in (("left", 32), ("keyword", 14), ("right", 32), ("sentence", 60), ("question", 50)):
                if col in sample.columns:
                    letter = sheet.cell(row=1, column=sample.columns.get_loc(col) + 1).column_letter
                    sheet.column_dimensions[letter].width = size
    elif path.suffix.lower() == ".csv":
        sample.to_csv(path, index=False, encoding="utf-8-sig")
    else:
        raise ValueError(f"{path}: a coding sheet must be .xlsx or .csv")
    return path


def _code(value) -> float:
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return np.nan
    text = str(value).strip().lower()
    if text == "":
        return np.nan
    if text in _YES:
        return 1.0
    if text in _NO:
        return 0.0
    raise ValueError(text)


def read_coding(path: str | Path) -> pd.DataFrame:
    """Read a coded sheet (.xlsx or .csv) back: the sheet's rows with ``correct`` as 1.0 / 0.0 / NaN (not coded).

    Accepted codes: 1/0, yes/no, y/n, true/false, 是/否, 对/错; blank = not coded. Anything else raises
    ``ValueError`` naming the file, the item and the value.
    """
    path = Path(path)
    if not path.is_file():
        raise FileNotFoundError(f"{path}: no such coding sheet")
    if path.suffix.lower() == ".xlsx":
        sheet = pd.read_excel(path, sheet_name=0, dtype={"doc_id": str, "correct": object, "note": object})
    elif path.suffix.lower() == ".csv":
        sheet = pd.read_csv(path, dtype={"doc_id": str, "correct": object, "note": object}, encoding="utf-8-sig")
    else:
        raise ValueError(f"{path}: a coding sheet must be .xlsx or .csv")
    try:
        check_columns(sheet, ["item", "what", "predicted", "weight", "correct"], what=f"coding sheet {path}")
    except ValueError as exc:
        raise ValueError(str(exc)) from None
    codes = []
    for item, value in zip(sheet["item"], sheet["correct"]):
        try:
            codes.append(_code(value))
        except ValueError:
            raise ValueError(f"{path}: item {item}: correct must be 1 or 0 (or blank), got {value!r}") from None
    sheet["correct"] = codes
    sheet["note"] = sheet["note"].fillna("").astype(str) if "note" in sheet.columns else ""
    return sheet


# ----------------------------------------------------------------------------------------------- statistics
def wilson_interval(successes: float, n: float, *, confidence: float = 0.95) -> tuple[float, float]:
    """Wilson score interval of a proportion (``n`` may be an effective, non-integer size).

    Examples
    --------
    >>> [round(x, 4) for x in wilson_interval(8, 10)]
    [0.4902, 0.9433]
    """
    from scipy.stats import norm

    if n <= 0:
        return (math.nan, math.nan)
    z = float(norm.ppf(0.5 + confidence / 2))
    p = successes / n
    denom = 1 + z * z / n
    centre = (p + z * z / (2 * n)) / denom
    half = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / denom
    return (float(max(0.0, centre - half)), float(min(1.0, centre + half)))


def cohen_kappa(a: Sequence, b: Sequence) -> float:
    """Cohen's κ of two coders' labels (same length): (observed − chance agreement) / (1 − chance agreement).

    >>> round(cohen_kappa([1, 1, 0, 0, 1], [1, 0, 0, 0, 1]), 4)   # (0.8 - 0.48) / (1 - 0.48)
    0.6154
    """
    a, b = np.asarray(a), np.asarray(b)
    if len(a) != len(b) or len(a) == 0:
        raise ValueError("cohen_kappa needs two non-empty label lists of one length")
    labels = np.union1d(a, b)
    po = float(np.mean(a == b))
    pe = float(sum(np.mean(a == k) * np.mean(b == k) for k in labels))
    return 1.0 if pe == 1 else (po - pe) / (1 - pe)


def _bootstrap(stat, frames: list[np.ndarray], *, reps: int, confidence: float, seed: int) -> tuple[float, float]:
    rng = np.random.default_rng(seed)
    values = []
    for _ in range(reps):
        drawn = [f[rng.integers(0, len(f), len(f))] if len(f) else f for f in frames]
        v = stat(*drawn)
        if not math.isnan(v):
            values.append(v)
    if not values:
        return (math.nan, math.nan)
    lo, hi = np.quantile(values, [(1 - confidence) / 2, (1 + confidence) / 2])
    return (float(lo), float(hi))


def _recall(pos: np.ndarray, neg: np.ndarray) -> float:
    """Weighted recall from rows ``[weight, correct]`` of found (pos) and not-found (neg) units."""
    tp = float((pos[:, 0] * pos[:, 1]).sum()) if len(pos) else 0.0
    fn = float((neg[:, 0] * (1 - neg[:, 1])).sum()) if len(neg) else 0.0
    return tp / (tp + fn) if tp + fn > 0 else math.nan


def validate_coding(coded: pd.DataFrame, second: pd.DataFrame | None = None, *, confidence: float = 0.95,
                    reps: int = 2000, seed: int = DEFAULT_SEED) -> pd.DataFrame:
    """Precision, recall and inter-coder agreement from coded sheets (:func:`read_coding`).

    Parameters
    ----------
    coded : DataFrame
        The first coder's sheet: the estimates use its codes.
    second : DataFrame, optional
        A second coder's sheet of the same sample (joined on ``item``): Cohen's κ and raw agreement over the
        items both coded.
    confidence : float
        Level of every interval.
    reps, seed
        Bootstrap resamples and their seed (recall and κ intervals).

    Returns
    -------
    pandas.DataFrame
        One row per ``what`` and measure: ``what``; ``measure`` (``precision``, ``recall``, ``kappa``,
        ``agreement``, ``coded``); ``estimate``; ``ci_low``, ``ci_high``; ``n`` (units the estimate rests on);
        ``method``.

        - precision: weighted share of found units coded 1 (weights = inverse inclusion probability);
          interval: Wilson score at Kish's effective sample size (the plain Wilson interval when all weights are
          equal);
        - recall (only when units the instrument did not find were sampled): weighted found-and-right ÷
          (found-and-right + missed); interval: percentile bootstrap, resampling found and not-found units
          separately;
        - kappa, agreement: Cohen's κ (as ``sklearn.metrics.cohen_kappa_score``) and the share of items coded
          alike; κ interval: percentile bootstrap over items; agreement interval: Wilson;
        - coded: items coded / items in the sheet.
    """
    check_columns(coded, ["item", "what", "predicted", "weight", "correct"], what="coded sheet")
    rows = []
    for what, sheet in coded.groupby("what", sort=True):
        done = sheet.dropna(subset=["correct"])
        rows.append(dict(what=what, measure="coded", estimate=len(done) / max(len(sheet), 1), ci_low=np.nan,
                         ci_high=np.nan, n=len(sheet), method="items coded / items in the sheet"))
        found = done[done["predicted"].astype(int) == 1]
        missed = done[done["predicted"].astype(int) == 0]
        w, y = found["weight"].astype(float).to_numpy(), found["correct"].astype(float).to_numpy()
        if len(found):
            p = float((w * y).sum() / w.sum())
            n_eff = float(w.sum() ** 2 / (w ** 2).sum())
            lo, hi = wilson_interval(p * n_eff, n_eff, confidence=confidence)
            rows.append(dict(what=what, measure="precision", estimate=p, ci_low=lo, ci_high=hi, n=len(found),
                             method=f"weighted share coded 1; Wilson {confidence:.0%} interval at effective "
                                    f"n={n_eff:.1f}"))
        if len(found) and len(missed):
            pos = np.column_stack([w, y])
            neg = np.column_stack([missed["weight"].astype(float), missed["correct"].astype(float)])
            lo, hi = _bootstrap(_recall, [pos, neg], reps=reps, confidence=confidence, seed=seed)
            rows.append(dict(what=what, measure="recall", estimate=_recall(pos, neg), ci_low=lo, ci_high=hi,
                             n=len(done), method=f"weighted ratio estimate; percentile bootstrap ({reps} "
                                                 f"resamples, seed {seed})"))
    if second is not None:
        check_columns(second, ["item", "correct"], what="second coder's sheet")
        both = coded[["item", "what", "correct"]].merge(second[["item", "correct"]], on="item",
                                                         suffixes=("_1", "_2")).dropna()
        for what, pair in both.groupby("what", sort=True):
            a, b = pair["correct_1"].astype(int).to_numpy(), pair["correct_2"].astype(int).to_numpy()
            kappa = cohen_kappa(a, b)
            lo, hi = _bootstrap(lambda ab: cohen_kappa(ab[:, 0], ab[:, 1]), [np.column_stack([a, b])],
                                reps=reps, confidence=confidence, seed=seed)
            rows.append(dict(what=what, measure="kappa", estimate=kappa, ci_low=lo, ci_high=hi, n=len(a),
                             method=f"Cohen's kappa; percentile bootstrap ({reps} resamples, seed {seed})"))
            agree = float(np.mean(a == b))
            lo, hi = wilson_interval(agree * len(a), len(a), confidence=confidence)
            rows.append(dict(what=what, measure="agreement", estimate=agree, ci_low=lo, ci_high=hi, n=len(a),
                             method=f"share of items coded alike; Wilson {confidence:.0%} interval"))
    out = pd.DataFrame(rows, columns=RESULT_COLUMNS)
    order = {"precision": 0, "recall": 1, "kappa": 2, "agreement": 3, "coded": 4}
    out = out.sort_values(["what", "measure"], key=lambda s: s.map(order) if s.name == "measure" else s,
                          kind="stable").reset_index(drop=True)
    for col in ("estimate", "ci_low", "ci_high"):
        out[col] = out[col].astype(float).round(4)
    return out


def methods_paragraph(results: pd.DataFrame, *, confidence: float = 0.95, design: str = "") -> str:
    """One paragraph for a methods section from :func:`validate_coding`'s table.

    ``design`` is prepended as given (e.g. "A random sample of 200 sentences, stratified by level and year
    (seed 0),").
    """
    check_columns(results, RESULT_COLUMNS, what="results")
    parts = []
    level = f"{confidence:.0%}"
    for what, rows in results.groupby("what", sort=True):
        r = rows.set_index("measure")
        bits = []
        if "precision" in r.index:
            x = r.loc["precision"]
            bits.append(f"precision {x.estimate:.2f} ({level} Wilson CI {x.ci_low:.2f}–{x.ci_high:.2f}, "
                        f"n = {int(x.n)})")
        if "recall" in r.index:
            x = r.loc["recall"]
            bits.append(f"recall {x.estimate:.2f} ({level} bootstrap CI {x.ci_low:.2f}–{x.ci_high:.2f}, "
                        f"n = {int(x.n)})")
        if "kappa" in r.index:
            x, g = r.loc["kappa"], r.loc["agreement"]
            bits.append(f"agreement between two coders Cohen's κ = {x.estimate:.2f} ({level} bootstrap CI "
                        f"{x.ci_low:.2f}–{x.ci_high:.2f}; {g.estimate:.0%} of {int(g.n)} items coded alike)")
        if bits:
            parts.append(f"For {what}, " + "; ".join(bits) + ".")
    lead = (design.strip() + " " if design else "") + ("was coded by hand. " if design else "")
    tail = (" Precision weights each coded unit by the inverse of its inclusion probability in the stratified "
            "sample; recall is estimated from the units the instrument found and a sample of those it did not "
            "find.")
    return (lead + " ".join(parts) + tail).strip()
