"""Per-check contribution and leave-one-split-out estimates of the round-5 indicator checks (issue 17).

Round 5 of the indicator ids (``docs/indicators_model.md``, "Round 5") added checks on the mention's clause and on who
reports (``lawgov_analysis.measures.indicator_checks``) and a rule for counts that continue their sentence
(``indicator_model.combine``); round 6 added six more checks and raised the model's fill threshold; round 7 added
two checks, derived on batch 10. Each was derived on the errors of some spent real splits. This script, on the spent splits of ``benchmarks/realpages/indicator_labels.csv`` only (``dev``, ``holdout``,
``holdout2``, ``holdout3``, ``holdout4``, ``ind5`` batch 9 as ``ind5-b9``, the round-6 tuning batch, and ``ind5``
batch 10 as ``ind5-b10``, held out until round 6 was merged and scored once, spent since):

1. scores the package with every change and without any of them;
2. for each change, its own contribution (the package with all changes against the package without that one);
3. for each split, the score with only the changes whose derivation did not use that split: ``strict`` switches off
   every change whose errors were read on that split while it was written; ``lenient`` only those that could not
   have been written from the other splits alone (see ``DERIVED``).

A change is switched off by making its trigger never match (module attributes patched for the run and restored).

Run::

    .venv/bin/python benchmarks/ablate_indicator_checks.py --texts /work/realpages/texts

This is a benchmark, not a CI test; it needs the page texts locally. It never reads a split it is not given.
"""

from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import eval_indicators_real as ev  # noqa: E402

SPENT = ev.SPENT
_NEVER = re.compile("(?!)")
_ALWAYS = re.compile("")
# change -> (module name, attribute, value that switches it off)
SWITCHES = {
    "police_institutions": [("checks", "_LITIGATION_RE", _ALWAYS)],
    "police_fraud": [("checks", "_FRAUD_RE", _NEVER)],
    "political_study": [("checks", "_POLITICAL_STUDY_RE", _NEVER)],
    "reform_items": [("checks", "_REFORM_RE", _NEVER)],
    "adviser_acts": [("checks", "_ADVISER_ACT_RE", _NEVER)],
    "time_limit": [("checks", "_TIME_LIMIT_RE", _NEVER)],
    "supervision_outputs": [("checks", "_SUPERVISION_RE", _NEVER)],
    "withdrawn": [("checks", "_WITHDRAWN_RE", _NEVER)],
    "licensing": [("checks", "_LICENSING_RE", _NEVER), ("checks", "_LICENSING_UNITS", frozenset())],
    "school_safety": [("checks", "_SCHOOL_RE", _NEVER)],
    "lecture_tour": [("checks", "_OFFICIALS_RE", _ALWAYS)],
    "continuation": [("model", "CONTINUE_THRESHOLD", -0.5), ("model", "CONTINUE_MARGIN", float("-inf"))],
    # round 6
    "officials_courses": [("checks", "_OFFICIAL_BODIES_RE", _NEVER)],
    "materials_cut": [("checks", "_CUT_RE", _NEVER)],
    "right_supervision": [("checks", "_RIGHT_SPAN", 0)],
    "items_cut": [("checks", "_ITEMS_CUT_RE", _NEVER)],
    "documents_cleanup": [("checks", "_CLEANUP_RE", _NEVER)],
    "documents_issued": [("checks", "_ISSUED_RE", _NEVER)],
    "fill_threshold": [("model", "FILL_THRESHOLD", -0.5)],
    # round 7
    "general_study": [("checks", "_GENERAL_STUDY_RE", _NEVER)],
    "media_materials": [("checks", "_PUBLISHED_RE", _NEVER), ("checks", "_SCREENS_RE", _NEVER)],
}
# change -> (splits whose errors were read while writing it: strict; splits it could not be written without: lenient)
DERIVED = {
    "police_institutions": ({"holdout4"}, {"holdout4"}),
    "police_fraud": ({"holdout3"}, {"holdout3"}),
    "political_study": ({"dev", "holdout", "holdout2", "holdout3", "holdout4"}, set()),
    "reform_items": ({"holdout3", "holdout4"}, set()),
    "adviser_acts": ({"holdout3", "holdout4"}, {"holdout4"}),
    "time_limit": ({"holdout3", "holdout4"}, {"holdout3"}),
    "supervision_outputs": ({"holdout3", "holdout4"}, {"holdout4"}),
    "withdrawn": ({"holdout4"}, {"holdout4"}),
    "licensing": ({"holdout2", "holdout3"}, {"holdout3"}),
    "school_safety": ({"holdout3", "holdout4"}, set()),
    "lecture_tour": ({"dev", "holdout3"}, set()),
    "continuation": ({"dev", "holdout", "holdout2", "holdout3", "holdout4"}, {"holdout3", "holdout4"}),
    "officials_courses": ({"ind5-b9", "dev"}, set()),
    "materials_cut": ({"ind5-b9"}, {"ind5-b9"}),
    "right_supervision": ({"ind5-b9"}, {"ind5-b9"}),
    "items_cut": ({"ind5-b9", "holdout3"}, set()),
    "documents_cleanup": ({"ind5-b9", "holdout4"}, set()),
    "documents_issued": ({"ind5-b9", "holdout4"}, set()),
    "fill_threshold": (set(SPENT), {"ind5-b9"}),
    "general_study": ({"ind5-b10"}, {"ind5-b10"}),
    "media_materials": ({"ind5-b10"}, {"ind5-b10"}),
}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--texts", type=Path, required=True, help="folder of <sha16>.txt page texts")
    args = ap.parse_args(argv)

    from lawgov_analysis.measures import indicator_checks, indicator_model
    from lawgov_analysis.measures import metrics as metrics_mod

    modules = {"checks": indicator_checks, "model": indicator_model}
    labels, corpus = ev.load_spent(args.texts)

    def score(off=()) -> dict[str, tuple[int, int]]:
        saved = []
        for name in off:
            for mod, attr, value in SWITCHES[name]:
                saved.append((modules[mod], attr, getattr(modules[mod], attr)))
                setattr(modules[mod], attr, value)
        try:
            clear = getattr(metrics_mod, "clear_caches", None)
            if clear is not None:
                clear()
            found = ev.match(metrics_mod.extract_metrics(corpus), labels)
        finally:
            for mod, attr, value in reversed(saved):
                setattr(mod, attr, value)
        found = found[found["pred_id"].notna()]
        ok = found["pred_id"] == found["indicator_id"]
        return {s: (int(ok[found["split"] == s].sum()), int((found["split"] == s).sum())) for s in SPENT}

    def line(d: dict[str, tuple[int, int]]) -> str:
        return "  ".join(f"{s} {a}/{n} {a / max(1, n):.3f}" for s, (a, n) in d.items())

    full, none = score(), score(tuple(SWITCHES))
    print("with every change:          ", line(full))
    print("without any:                ", line(none))
    for name in SWITCHES:
        d = score((name,))
        print(f"{name:20s} contributes  " + "  ".join(f"{s} {full[s][0] - d[s][0]:+d}" for s in SPENT))
    for k, kind in enumerate(("strict", "lenient")):
        for s in SPENT:
            off = tuple(n for n, sets in DERIVED.items() if s in sets[k])
            a, n = score(off)[s]
            print(f"{kind:7s} leave {s:8s} out: {a}/{n} {a / max(1, n):.3f}  (off: {', '.join(off) or 'none'})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
