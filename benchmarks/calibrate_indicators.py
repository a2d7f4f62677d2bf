"""Leave one collection batch out: calibrate the few global constants of the indicator ids (issue 17, round 8).

Rounds 2-7 tuned checks and training sentences on the errors of one real batch at a time; each lifted the batch it
was tuned on and carried next to nothing to the next. This script asks a narrower, honest question: do a *few global*
constants of ``lawgov_analysis.measures.indicator_model`` transfer from batches to a batch not used to choose them?

The constants (``docs/indicators_model.md``, "How rules and model combine"):

- ``FILL_THRESHOLD``: the model's score needed to name an id where no rule matched and the rules say ``other``;
- ``CONTINUE_THRESHOLD`` / ``CONTINUE_MARGIN``: to replace the id a count continues from its sentence;
- ``OVERRIDE_THRESHOLD`` / ``OVERRIDE_MARGIN``: to replace the id of a matching rule;
- ``C`` of the learned component (a multinomial ``LogisticRegression`` since round 11; a ``LinearSVC`` before);
- a bias added to the model's decision value for ``other`` (negative: the model names ``other`` less often);
- a multiplier of the weights of the context features (``opening``, ``lead``, ``heading``, ``reporter``,
  ``audience``) and of the rule-term tokens.

Groups are the collection batches of ``benchmarks/realpages/indicator_labels.csv``, all spent: ``dev``,
``holdout``, ``holdout2``, ``holdout3``, ``holdout4``, ``ind5`` batches 9 and 10 and ``ind6`` batches 11 and 12. For
each batch B the setting with the best mean agreement over the *other* batches is chosen (ties: the setting nearest
the current constants, then the first in grid order) and scored on B; the mean over batches of these scores is the
leave-one-batch-out (LOBO) estimate of what the calibration carries to a new batch, compared with the current
constants' scores on the same batches. The final setting is the best mean over all batches.

The rules, the spec checks and the training table stay as they are (they were written on the errors of all these
batches, so every absolute figure here is in-sample for them; the comparison is between constants, with the rest
held fixed). The page texts are read from ``--texts`` (never committed).

How it stays cheap: the pages are run once through ``extract_metrics`` (mentions, rules, structure); the per-report
call of ``classify_mentions`` is recorded and replayed for each setting with the model's predictions made once per
model setting (one fit per ``C`` and weight multiplier; the ``other`` bias shifts the cached decision values), the
rules' and checks' answers memoised, and the thresholds patched as module constants. The replay with the current
constants reproduces ``extract_metrics`` exactly (checked at the start). Deterministic: a fixed grid, a fixed seed of
the solver, ties broken by distance to the current constants, then grid order.

Also printed: the confusion of ``other`` of the current code on all batches together (gold ``other`` predicted a
specific id, and gold specific ids predicted ``other``, by id).

Run::

    .venv/bin/python benchmarks/calibrate_indicators.py --texts /work/realpages/texts
    .venv/bin/python benchmarks/calibrate_indicators.py --texts /work/realpages/texts --wide

``--wide`` searches C 0.25-2, the multiplier 0.25-1.5 and the bias −0.2…+0.2 (45,360 settings instead of 20,412).

This is a benchmark, not a CI test; it needs the page texts locally.
"""

from __future__ import annotations

import argparse
import hashlib
import itertools
import sys
import time
from collections import Counter
from pathlib import Path

import numpy as np
import pandas as pd

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import eval_indicators_real as ev  # noqa: E402

#: ``(split, batch or None, group name)``: every collection batch with indicator labels, all spent by round 8
GROUPS = (("dev", None, "dev"), ("holdout", None, "holdout"), ("holdout2", None, "holdout2"),
          ("holdout3", None, "holdout3"), ("holdout4", None, "holdout4"), ("ind5", "9", "ind5-b9"),
          ("ind5", "10", "ind5-b10"), ("ind6", "11", "ind6-b11"), ("ind6", "12", "ind6-b12"))
NAMES = [g[2] for g in GROUPS]

#: the grid. Model settings: (C, as factors of the package's own C, and the context and rule-term weight
#: multiplier); the ``other`` bias is applied to the scores of each fitted model. Threshold settings: every
#: combination of the five combine constants. With round 8's SVM (C = 0.5) the factors give C 0.25, 0.5 and 1.
GRID_C = (0.5, 1.0, 2.0)
GRID_CONTEXT = (0.5, 1.0, 1.5)
GRID_OTHER_BIAS = (-0.2, -0.1, 0.0, 0.1)
#: ``--wide``: the model settings of a second, wider look (run after the first; see docs/indicators_model.md)
WIDE_C = (0.5, 1.0, 2.0, 4.0)
WIDE_CONTEXT = (0.25, 0.5, 1.0, 1.5)
WIDE_OTHER_BIAS = (-0.2, -0.1, 0.0, 0.1, 0.2)
GRID_FILL = (-0.5, -0.45, -0.4, -0.35, -0.3, -0.25, -0.2)
GRID_CONTINUE = tuple(itertools.product((-0.25, 0.0, 0.25), (0.25, 0.5, 0.75)))
GRID_OVERRIDE = tuple(itertools.product((0.1, 0.3, 0.5), (0.6, 0.8, 1.0)))
#: the smaller searches also scored leave one batch out (the constants free in each; the others stay current)
SUBSETS = (("FILL_THRESHOLD",), ("other_bias",), ("CONTINUE_THRESHOLD", "CONTINUE_MARGIN"),
           ("OVERRIDE_THRESHOLD", "OVERRIDE_MARGIN"),
           ("FILL_THRESHOLD", "CONTINUE_THRESHOLD", "CONTINUE_MARGIN", "OVERRIDE_THRESHOLD", "OVERRIDE_MARGIN"),
           ("C",), ("context",), ("C", "context", "other_bias"),
           ("C", "context", "other_bias", "FILL_THRESHOLD", "CONTINUE_THRESHOLD", "CONTINUE_MARGIN",
            "OVERRIDE_THRESHOLD", "OVERRIDE_MARGIN"))
SHORT = {"FILL_THRESHOLD": "fill", "other_bias": "other-bias", "CONTINUE_THRESHOLD": "continue",
         "CONTINUE_MARGIN": "continue", "OVERRIDE_THRESHOLD": "override", "OVERRIDE_MARGIN": "override", "C": "C",
         "context": "context"}
#: the context features whose weights the multiplier scales (tags of ``indicator_model._NGRAMS``)
CONTEXT_TAGS = frozenset("sphda")


def load_groups(texts: Path) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The labels of every group (column ``group``) whose page text is present and intact, and those pages."""
    labels = pd.read_csv(ev.LABELS, dtype={"sha16": str, "unit": str, "indicator_id": str})
    labels["group"] = ""
    for split, batch, name in GROUPS:
        rows = labels["split"] == split
        if batch is not None:
            rows &= labels["batch"].astype(str) == batch
        labels.loc[rows, "group"] = name
    labels = labels[labels["group"] != ""]
    corpus, problems = ev.load_pages(labels, texts)
    for p in problems:
        print("skipped", p, file=sys.stderr)
    return labels[labels["sha16"].isin(set(corpus["doc_id"]))].reset_index(drop=True), corpus


class Replay:
    """The pages run once through ``extract_metrics``; :meth:`run` re-decides every id with given predictions and
    the current module constants, calling the package's own ``classify_mentions`` on the recorded reports."""

    def __init__(self, corpus: pd.DataFrame, labels: pd.DataFrame):
        from lawgov_analysis.measures import indicator_checks, indicator_model, metrics

        self.im, self.checks, self.metrics = indicator_model, indicator_checks, metrics
        self.classify_mentions = metrics.classify_mentions
        self.reports: list[tuple] = []  # (doc_id, text, mentions, classifier, structure)
        doc_of = {hashlib.sha256(t.encode("utf-8")).hexdigest()[:16]: d for d, t in zip(corpus["doc_id"], corpus["text"])}

        def record(text, mentions, classifier, structure, *, predictions=None):
            out = self.classify_mentions(text, mentions, classifier, structure, predictions=predictions)
            sha = hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]
            self.reports.append((doc_of[sha], text, mentions, classifier, structure))
            return out

        metrics.classify_mentions = record
        try:
            self.reference = metrics.extract_metrics(corpus)
        finally:
            metrics.classify_mentions = self.classify_mentions
        # each labelled mention's (report, mention) as ev.match pairs them (the spans never change, only the ids)
        self.ids = [[m.indicator_id for m in r[2]] for r in self.reports]
        pred = pd.DataFrame([(doc, m.start, m.end, m.unit, m.value, (k, j))
                             for k, (doc, _t, ms, _c, _s) in enumerate(self.reports) for j, m in enumerate(ms)],
                            columns=["doc_id", "start", "end", "unit", "value", "indicator_id"])
        found = ev.match(pred, labels)
        keep = found["pred_id"].notna().to_numpy()
        self.where = found.loc[keep, "pred_id"].tolist()
        self.gold = found.loc[keep, "indicator_id"].to_numpy()
        self.group = found.loc[keep, "group"].to_numpy()
        self.masks = {g: self.group == g for g in NAMES}
        self.spans = [[(m.start, m.end, m.unit) for m in r[2]] for r in self.reports]
        # memoised rules and checks: their answers depend only on the mention and what came before it
        self._rules: dict = {}
        self._checked: dict = {}

    def features(self) -> list[pd.DataFrame]:
        """The feature table of every recorded report's mentions (model-independent)."""
        return [self.im.mention_features(text, spans) for (_d, text, *_r), spans in zip(self.reports, self.spans)]

    def predictions(self, model, features: list[pd.DataFrame], other_bias: float) -> list[list]:
        """The model's :class:`Prediction` of every mention, with ``other_bias`` added to the decision value of
        ``other`` (the best id re-chosen among the ids the context supports)."""
        Prediction = self.im.Prediction
        classes = [str(c) for c in model.classes_]
        shift = np.array([other_bias if c == "other" else 0.0 for c in classes])
        out = []
        for f in features:
            if not len(f):
                out.append([])
                continue
            rows = list(f[list(f.columns)].fillna("").astype(str).itertuples(index=False, name=None))
            base = model.predict_rows(rows)
            scores = model.decision_function(f) + shift
            preds = []
            for p, row in zip(base, scores):
                masked = np.array([-np.inf if c in p.unsupported else s for c, s in zip(classes, row)])
                b = int(masked.argmax())
                preds.append(Prediction(classes[b], float(row[b]), dict(zip(classes, row.tolist())), p.unsupported))
            out.append(preds)
        return out

    def run(self, predictions: list[list], params: dict[str, float]) -> np.ndarray:
        """Whether each matched labelled mention gets its gold id, with the combine constants ``params``."""
        im, checks = self.im, self.checks
        saved = {k: getattr(im, k) for k in params}
        original_check = checks.check_indicator
        memo_checks = self._checked

        def check(found, *, text, sentence, span=None, unit="", kind=None):
            key = (found, id(text), sentence, span, unit)  # kind, when given, is report_kind(text)
            hit = memo_checks.get(key)
            if hit is None:
                hit = memo_checks[key] = original_check(found, text=text, sentence=sentence, span=span, unit=unit,
                                                        kind=kind)
            return hit

        for k, v in params.items():
            setattr(im, k, v)
        checks.check_indicator = check
        ids = []
        try:
            for (_d, text, mentions, classifier, structure), preds in zip(self.reports, predictions):
                original_rules = classifier.classify
                memo, owner = self._rules, id(classifier)

                def rules(unit, texts, context, prev_id, inherit, original_rules=original_rules, memo=memo,
                          owner=owner):
                    # the rules' answer depends on these arguments alone (``IndicatorClassifier.classify``)
                    key = (owner, unit, texts, context, prev_id, inherit)
                    if key not in memo:
                        memo[key] = original_rules(unit, texts, context, prev_id, inherit)
                    return memo[key]

                for m in mentions:
                    m.indicator_id = "other"
                classifier.classify = rules
                try:
                    self.classify_mentions(text, mentions, classifier, structure, predictions=preds)
                finally:
                    del classifier.classify
                ids.append([m.indicator_id for m in mentions])
        finally:
            checks.check_indicator = original_check
            for k, v in saved.items():
                setattr(im, k, v)
        return np.array([ids[k][j] for k, j in self.where]) == self.gold

    def per_group(self, ok: np.ndarray) -> np.ndarray:
        """Agreement of each group (in :data:`NAMES` order)."""
        return np.array([ok[self.masks[g]].mean() for g in NAMES])


def fit_model(im, C: float, context: float):
    """The bundled model refitted with ``C`` and the context and rule-term weights multiplied by ``context``."""
    ngrams, term = im._NGRAMS, im._TERM_WEIGHT
    try:
        im._NGRAMS = tuple((t, lo, hi, w * context if t in CONTEXT_TAGS else w) for t, lo, hi, w in ngrams)
        im._TERM_WEIGHT = term * context
        return im.IndicatorModel(C=C).fit(im.load_training_table())
    finally:
        im._NGRAMS, im._TERM_WEIGHT = ngrams, term


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--texts", type=Path, required=True, help="folder of <sha16>.txt page texts")
    ap.add_argument("--wide", action="store_true",
                    help="the wider grid of model settings (C, context multiplier, other bias): about twice the time")
    args = ap.parse_args(argv)
    factors_c, grid_context, grid_bias = (WIDE_C, WIDE_CONTEXT, WIDE_OTHER_BIAS) if args.wide else \
        (GRID_C, GRID_CONTEXT, GRID_OTHER_BIAS)
    t0 = time.process_time()

    from lawgov_analysis.measures import indicator_model as im
    grid_c = tuple(f * im.IndicatorModel().C for f in factors_c)

    labels, corpus = load_groups(args.texts)
    replay = Replay(corpus, labels)
    current = {"C": im.IndicatorModel().C, "context": 1.0, "other_bias": 0.0, "FILL_THRESHOLD": im.FILL_THRESHOLD,
               "CONTINUE_THRESHOLD": im.CONTINUE_THRESHOLD, "CONTINUE_MARGIN": im.CONTINUE_MARGIN,
               "OVERRIDE_THRESHOLD": im.OVERRIDE_THRESHOLD, "OVERRIDE_MARGIN": im.OVERRIDE_MARGIN}
    features = replay.features()

    # the replay with the current constants and the bundled model equals extract_metrics
    base_preds = replay.predictions(im.default_model(), features, 0.0)
    base_ok = replay.run(base_preds, {})
    reference = np.array([replay.ids[k][j] for k, j in replay.where]) == replay.gold
    if not (base_ok == reference).all():
        print("the replay does not reproduce extract_metrics", file=sys.stderr)
        return 1
    base = replay.per_group(base_ok)
    n = np.array([replay.masks[g].sum() for g in NAMES])
    print(f"{len(labels)} labels, {int(n.sum())} matched on {corpus['doc_id'].nunique()} pages; "
          f"current constants: {current}")

    # the confusion of `other` of the current code, all batches together
    pred_ids = np.array([replay.ids[k][j] for k, j in replay.where])
    gold_other = (replay.gold == "other") & (pred_ids != "other")
    pred_other = (replay.gold != "other") & (pred_ids == "other")
    print(f"\ncurrent code, all batches: gold other {int((replay.gold == 'other').sum())}, predicted other "
          f"{int((pred_ids == 'other').sum())}, both {int(((replay.gold == 'other') & (pred_ids == 'other')).sum())}")
    print(f"gold other predicted specific ({int(gold_other.sum())}):",
          ", ".join(f"{i} {c}" for i, c in sorted(Counter(pred_ids[gold_other]).items(), key=lambda x: (-x[1], x[0]))))
    print(f"gold specific predicted other ({int(pred_other.sum())}):",
          ", ".join(f"{i} {c}" for i, c in sorted(Counter(replay.gold[pred_other]).items(), key=lambda x: (-x[1], x[0]))))

    # every setting's per-group agreement
    thresholds = [{"FILL_THRESHOLD": f, "CONTINUE_THRESHOLD": ct, "CONTINUE_MARGIN": cm,
                   "OVERRIDE_THRESHOLD": ot, "OVERRIDE_MARGIN": om}
                  for f, (ct, cm), (ot, om) in itertools.product(GRID_FILL, GRID_CONTINUE, GRID_OVERRIDE)]
    settings, scores = [], []
    for C, context in itertools.product(grid_c, grid_context):
        model = fit_model(im, C, context)
        for bias in grid_bias:
            preds = replay.predictions(model, features, bias)
            for th in thresholds:
                settings.append({"C": C, "context": context, "other_bias": bias, **th})
                scores.append(replay.per_group(replay.run(preds, th)))
        print(f"  C={C} context x{context}: {len(settings)} settings, {time.process_time() - t0:.0f} s CPU",
              file=sys.stderr)
    scores = np.array(scores)
    # ties: nearest the current constants (sum of absolute differences, C and the multiplier on a log2 scale)
    distance = np.array([sum(abs(np.log2(s[k] / current[k])) if k in ("C", "context") else abs(s[k] - current[k])
                             for k in current) for s in settings])

    def choose(columns: np.ndarray, rows: np.ndarray | None = None) -> int:
        """The best setting (index into ``rows``, or into every setting) by mean agreement over ``columns``."""
        rows = np.arange(len(settings)) if rows is None else rows
        mean = scores[np.ix_(rows, columns)].mean(axis=1)
        best = np.flatnonzero(mean >= mean.max() - 1e-12)
        return int(best[np.argmin(distance[rows][best])])

    def show(s: dict) -> str:
        return (f"C={s['C']:g} ctx×{s['context']:g} other{s['other_bias']:+g} fill={s['FILL_THRESHOLD']:g} "
                f"cont={s['CONTINUE_THRESHOLD']:g}/{s['CONTINUE_MARGIN']:g} "
                f"over={s['OVERRIDE_THRESHOLD']:g}/{s['OVERRIDE_MARGIN']:g}")

    print(f"\n{len(settings)} settings; leave one batch out (chosen on the other {len(NAMES) - 1} batches, mean of their "
          f"agreements):")
    print(f"{'batch':9s} {'n':>4s}  {'current':>7s}  {'LOBO':>7s}  {'diff':>6s}  chosen on the others")
    lobo = np.zeros(len(NAMES))
    for g, name in enumerate(NAMES):
        k = choose(np.array([j for j in range(len(NAMES)) if j != g]))
        lobo[g] = scores[k, g]
        print(f"{name:9s} {n[g]:4d}  {base[g]:7.3f}  {lobo[g]:7.3f}  {lobo[g] - base[g]:+6.3f}  {show(settings[k])}")
    print(f"{'mean':9s} {int(n.sum()):4d}  {base.mean():7.3f}  {lobo.mean():7.3f}  {lobo.mean() - base.mean():+6.3f}"
          f"  (worst batch {np.min(lobo - base):+.3f})")
    pooled_base = float((base * n).sum() / n.sum())
    pooled_lobo = float((lobo * n).sum() / n.sum())
    print(f"{'pooled':9s} {int(n.sum()):4d}  {pooled_base:7.3f}  {pooled_lobo:7.3f}  {pooled_lobo - pooled_base:+6.3f}")

    # the same with a smaller search: only some constants free, the others at their current values
    print("\nleave one batch out with only some constants free (the others at their current values): LOBO − current")
    print(f"{'free':28s} " + " ".join(f"{g[-8:]:>8s}" for g in NAMES) + "      mean  worst  chosen on all batches")
    for free in SUBSETS:
        rows = np.flatnonzero([all(s[k] == current[k] for k in current if k not in free) for s in settings])
        diff = np.zeros(len(NAMES))
        for g in range(len(NAMES)):
            k = rows[choose(np.array([j for j in range(len(NAMES)) if j != g]), rows)]
            diff[g] = scores[k, g] - base[g]
        label = " ".join(dict.fromkeys(SHORT[k] for k in free)) if len(free) < len(current) else "all eight"
        on_all = settings[rows[choose(np.arange(len(NAMES)), rows)]]
        print(f"{label:28s} " + " ".join(f"{d:+8.3f}" for d in diff) + f"  {diff.mean():+8.3f} {diff.min():+6.3f}"
              + "  on all: " + ", ".join(f"{SHORT[k]} {on_all[k]:g}" for k in free))

    k = choose(np.arange(len(NAMES)))
    print(f"\nchosen on all batches: {show(settings[k])}, mean {scores[k].mean():.3f} (current {base.mean():.3f})")
    print("per batch (current → chosen):", "  ".join(f"{g} {b:.3f}→{c:.3f}" for g, b, c in zip(NAMES, base, scores[k])))
    # how flat the optimum is: the best mean with each constant held at its current value
    for key in current:
        held = np.array([s[key] == current[key] for s in settings])
        mean = scores.mean(axis=1)
        print(f"  best mean with {key} at its current value {current[key]:g}: {mean[held].max():.3f}")
    print(f"CPU {time.process_time() - t0:.0f} s", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
