"""Score metadata inference on the hand-written report heads in ``tests/heads/heads.yaml``.

Run ``python -m tests.heads_eval`` (add ``--errors`` to list every wrong or missed value). For each field the
table gives: ``n`` heads whose truth is known, ``right`` (filled and equal to the truth), ``wrong`` (filled but
different from the truth, including a value where the truth is "cannot be known"), ``empty`` (left empty where
the truth is known), ``coverage`` = right / n and ``wrong_rate`` = wrong / all heads, ``precision`` =
right / filled.
"""

from __future__ import annotations

import argparse
import inspect
from pathlib import Path

import pandas as pd
import yaml

HEADS_FILE = Path(__file__).resolve().parent / "heads" / "heads.yaml"
FIELDS = ["year", "region", "level", "region_code", "province", "city", "department"]


def load_heads(path: Path = HEADS_FILE) -> list[dict]:
    """The heads with their truth (``year`` as int or ``None``; other fields as strings)."""
    heads = yaml.safe_load(path.read_text(encoding="utf-8"))
    for head in heads:
        truth = head["truth"]
        truth["year"] = int(truth["year"]) if str(truth.get("year", "")).strip() else None
        for field in FIELDS[1:]:
            truth[field] = str(truth.get(field) or "")
    return heads


def predict(heads: list[dict]) -> list[dict]:
    """Run ``infer_metadata`` on each head (passing the head's ``source`` as ``url`` when the function takes one)."""
    from lawgov_analysis.io.corpus import infer_metadata

    accepts = inspect.signature(infer_metadata).parameters
    out = []
    for head in heads:
        kwargs = {"filename": head.get("filename", "")}
        if "url" in accepts:
            kwargs["url"] = head.get("source", "")
        meta = dict(infer_metadata(head["text"], **kwargs))
        if "city" not in meta and "parent_region" in meta:  # the API before region codes
            meta["city"] = meta["parent_region"]
        out.append(meta)
    return out


def score(heads: list[dict], predictions: list[dict]) -> pd.DataFrame:
    """One row per field: n, right, wrong, empty, coverage, wrong_rate, precision."""
    rows = []
    for field in FIELDS:
        right = wrong = empty = known = 0
        for head, meta in zip(heads, predictions):
            truth = head["truth"][field]
            value = meta.get(field)
            value = None if value is None or (isinstance(value, float) and pd.isna(value)) else value
            filled = value not in (None, "")
            if truth not in (None, ""):
                known += 1
                if not filled:
                    empty += 1
                elif value == truth:
                    right += 1
                else:
                    wrong += 1
            elif filled:
                wrong += 1
        filled_total = right + wrong
        rows.append(dict(field=field, n=known, right=right, wrong=wrong, empty=empty,
                         coverage=round(right / known, 3) if known else 1.0,
                         wrong_rate=round(wrong / len(heads), 3),
                         precision=round(right / filled_total, 3) if filled_total else 1.0))
    return pd.DataFrame(rows)


def errors(heads: list[dict], predictions: list[dict]) -> pd.DataFrame:
    """Every field where the prediction differs from the truth: id, field, truth, predicted."""
    rows = []
    for head, meta in zip(heads, predictions):
        for field in FIELDS:
            truth, value = head["truth"][field], meta.get(field)
            value = None if value in ("",) else value
            if (truth or None) != (value or None):
                rows.append(dict(id=head["id"], field=field, truth=truth, predicted=value,
                                 note=meta.get("metadata_note", "")))
    return pd.DataFrame(rows, columns=["id", "field", "truth", "predicted", "note"])


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--errors", action="store_true", help="also list every wrong or missed value")
    parser.add_argument("--file", type=Path, default=HEADS_FILE,
                        help="heads to score (default tests/heads/heads.yaml; tests/heads/holdout.yaml is held out)")
    args = parser.parse_args(argv)
    heads = load_heads(args.file)
    predictions = predict(heads)
    shown = args.file.resolve()
    print(f"{len(heads)} heads in {shown.relative_to(Path.cwd()) if shown.is_relative_to(Path.cwd()) else shown}")
    print(score(heads, predictions).to_string(index=False))
    if args.errors:
        with pd.option_context("display.max_rows", 500, "display.width", 200, "display.max_colwidth", 80):
            print(errors(heads, predictions).to_string(index=False))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
