"""Score metadata inference on real report pages (``benchmarks/realpages/pages.csv``).

The page texts are not in the repository (see ``benchmarks/realpages/README.md``); point ``--texts`` at the
folder that holds them as ``<sha16>.txt``. Each text is copied under its sha16 name into a temporary folder and
loaded with :func:`lawgov_analysis.load_corpus`, as a researcher's folder would hold it: no manifest, no URL
(``--with-url`` adds a manifest with the page's ``url`` column, the situation after ``lawgov-analysis fetch``).

Per field (year, region, level, province, city) the table gives ``n`` (pages whose truth is known), ``right``
(filled and equal to the truth), ``wrong`` (filled and different), ``empty``, ``right_pct`` = right / n and
``wrong_pct`` = wrong / n. Then: the three key fields together (year, region, level), department named and right
on 部门 pages, and ``author`` being a name (a government or department: at most 30 characters, ending in a
government or department suffix, no sentence punctuation).

    python benchmarks/eval_realpages.py --texts /work/realpages/texts --split dev
    python benchmarks/eval_realpages.py --texts /work/realpages/texts --split holdout --with-url --errors
    python benchmarks/eval_realpages.py --split dev --batch 2
    python benchmarks/eval_realpages.py --split holdout3      # batch 3: score once before and once after tuning
    python benchmarks/eval_realpages.py --split holdout5      # batch 5: held out while tuning on batches 1-4
    python benchmarks/eval_realpages.py --split holdout7      # batch 7: held out while tuning on batches 1-6
"""

from __future__ import annotations

import argparse
import logging
import re
import shutil
import sys
import tempfile
from pathlib import Path

import pandas as pd

ROOT = Path(__file__).resolve().parent
PAGES = ROOT / "realpages" / "pages.csv"
FIELDS = ["year", "region", "level", "province", "city"]
KEY_FIELDS = ["year", "region", "level"]
# A name of a government or of one of its departments ends like this.
# a prefecture is a 市, 州 (伊犁州, 自治州) or 盟; 州 and 盟 were added when batch 25 gave 伊犁州 (eleventh session)
_NAME_END = re.compile(r"(人民政府|政府|办事处|街道|[省市区县旗镇乡州盟]|局|厅|委|委员会|办公室|办|中心|管委会|署|院|所|站|队|部)$")
# Common short forms of department names, for comparing a department with the truth.
_DEPT_SHORT = [("市场监督管理局", "市场监管局"), ("人力资源和社会保障局", "人社局"), ("人力资源社会保障局", "人社局"),
               ("人力资源和社会保障厅", "人社厅"), ("卫生健康委员会", "卫生健康委"), ("人民政府办公室", "政府办公室"),
               ("人力社保局", "人社局"), ("卫健委", "卫生健康委"), ("人力资源保障局", "人社局"),
               ("政务服务管理办公室", "政务办")]


def load_pages(split: str, batch: str = "all") -> pd.DataFrame:
    """The pages of ``split`` and ``batch`` (1-10 or all; see the README).

    ``split`` is dev, holdout (batches 1-2), holdout3 ... holdout8 (batches 3-8), holdout9 (batches 9-10, held out), tune (every
    page of batches 1 and 2: their dev pages and the old holdout pages, spent and used for tuning since batch 3),
    tune4 (batches 1-4), tune6 (batches 1-6), tune7 (batches 1-7: everything except batch 8) or all (every
    metadata batch; rows of other splits, e.g. ``indicators``, are never scored here).
    """
    pages = pd.read_csv(PAGES, dtype=str, keep_default_na=False)
    if split == "tune":
        pages = pages[pages["batch"].isin(["1", "2"])]
    elif split == "tune4":
        pages = pages[pages["batch"].isin(["1", "2", "3", "4"])]
    elif split == "tune6":
        pages = pages[pages["batch"].isin(["1", "2", "3", "4", "5", "6"])]
    elif split == "tune7":
        pages = pages[pages["batch"].isin(["1", "2", "3", "4", "5", "6", "7"])]
    elif split == "all":
        pages = pages[pages["batch"].isin(["1", "2", "3", "4", "5", "6", "7", "8"])]
    else:
        pages = pages[pages["split"] == split]
    if batch != "all":
        pages = pages[pages["batch"] == batch]
    return pages.reset_index(drop=True)


def run_loader(pages: pd.DataFrame, texts: Path, *, with_url: bool) -> pd.DataFrame:
    """The corpus table for the pages (one row per page, ``doc_id`` = sha16)."""
    from lawgov_analysis import load_corpus

    missing = [s for s in pages["sha16"] if not (texts / f"{s}.txt").exists()]
    if missing:
        sys.exit(f"{len(missing)} page text(s) missing under {texts}, e.g. {missing[0]}.txt")
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        for sha in pages["sha16"]:
            shutil.copyfile(texts / f"{sha}.txt", folder / f"{sha}.txt")
        if with_url:
            pages[["sha16", "url"]].assign(path=pages["sha16"] + ".txt", doc_id=pages["sha16"]).loc[
                :, ["doc_id", "path", "url"]].to_csv(folder / "manifest.csv", index=False)
        corpus = load_corpus(folder)
    return corpus.set_index("doc_id")


def _norm_dept(name: str) -> str:
    name = re.sub(r"^(?:中共|中国共产党)", "", name).removesuffix("党组")
    for long, short in _DEPT_SHORT:
        name = name.replace(long, short)
    return name


def dept_right(pred: str, truth: str) -> bool:
    """The predicted department is the true one, written in full or with its government left implicit."""
    p, t = _norm_dept(pred), _norm_dept(truth)
    return bool(p) and (p == t or (len(p) >= 3 and t.endswith(p)))


def is_name(author: str) -> bool:
    author = author.strip()
    return (0 < len(author) <= 30 and not re.search(r"[，,。；;：:、（）()《》“”]", author)
            and bool(_NAME_END.search(author)))


def score(pages: pd.DataFrame, corpus: pd.DataFrame) -> tuple[pd.DataFrame, dict, pd.DataFrame]:
    """Per-field table, summary numbers and the per-page errors."""
    rows, errors = [], []
    for field in FIELDS:
        n = right = wrong = empty = 0
        for page in pages.itertuples():
            truth = getattr(page, field)
            pred = corpus.at[page.sha16, field]
            pred = "" if pd.isna(pred) else str(int(pred)) if field == "year" else str(pred)
            if not truth:
                continue
            n += 1
            if not pred:
                empty += 1
                errors.append((page.sha16, field, truth, "", "empty"))
            elif pred == truth:
                right += 1
            else:
                wrong += 1
                errors.append((page.sha16, field, truth, pred, "wrong"))
        rows.append(dict(field=field, n=n, right=right, wrong=wrong, empty=empty,
                         right_pct=round(100 * right / n, 1) if n else 0.0,
                         wrong_pct=round(100 * wrong / n, 1) if n else 0.0))
    table = pd.DataFrame(rows)
    key = table[table["field"].isin(KEY_FIELDS)]
    dept_pages = pages[pages["level"] == "部门"]
    named = [bool(str(corpus.at[s, "department"])) for s in dept_pages["sha16"]]
    right_dept = [dept_right(str(corpus.at[s, "department"]), t)
                  for s, t in zip(dept_pages["sha16"], dept_pages["department"])]
    for s, t, ok in zip(dept_pages["sha16"], dept_pages["department"], right_dept):
        if not ok:
            errors.append((s, "department", t, str(corpus.at[s, "department"]), "dept"))
    authors = [str(corpus.at[s, "author"]) for s in pages["sha16"]]
    for s, a in zip(pages["sha16"], authors):
        if a and not is_name(a):
            errors.append((s, "author", "", a, "not a name"))
    summary = dict(
        pages=len(pages),
        key_n=int(key["n"].sum()), key_right=int(key["right"].sum()), key_wrong=int(key["wrong"].sum()),
        key_right_pct=round(100 * key["right"].sum() / max(key["n"].sum(), 1), 1),
        key_wrong_pct=round(100 * key["wrong"].sum() / max(key["n"].sum(), 1), 1),
        dept_pages=len(dept_pages), dept_named=sum(named), dept_right=sum(right_dept),
        author_filled=sum(bool(a) for a in authors), author_is_name=sum(is_name(a) for a in authors),
        author_sentence=sum(bool(a) and not is_name(a) for a in authors),
    )
    return table, summary, pd.DataFrame(errors, columns=["sha16", "field", "truth", "predicted", "kind"])


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--texts", type=Path, default=Path("/work/realpages/texts"))
    parser.add_argument("--split", choices=["dev", "holdout", "holdout3", "holdout4", "holdout5", "holdout6",
                                                  "holdout7", "holdout8", "holdout9", "holdout11", "holdout13", "holdout15", "holdout17", "holdout19", "holdout21", "holdout23", "holdout25", "ind-holdout4", "tune", "tune4", "tune6",
                                                  "tune7", "all"],
                        default="dev", help="tune = every page of batches 1-2 (dev + the spent old holdout); "
                        "tune4 = batches 1-4; tune6 = batches 1-6; tune7 = batches 1-7 (everything but batch 8); "
                        "ind-holdout4 = the 25 pages collected for the indicator holdout4 (batch ind9), never "
                        "tuned on for metadata until its first score; holdout9 = batches 9-10, collected in the sixth "
                        "session and held out")
    parser.add_argument("--batch", choices=["1", "2", "3", "4", "5", "6", "7", "8", "9", "10", "11", "12", "13", "14", "15", "16", "17", "18", "19", "20", "21", "22", "23", "24", "25", "26", "all"],
                        default="all",
                        help="score one collection batch only (1: the first 59 pages, 2: the 55 added later, "
                             "3: 62 fresh pages, 4-5: 40 fresh pages each, 6-7: 52 fresh pages each, 8: 51 fresh pages, "
                             "9-10: fresh pages of the sixth session, split holdout9; 11-12: of the seventh, split holdout11; "
                             "13-14: of the eighth, split holdout13; 15-16, 17-18 and 19-20: of the ninth, splits holdout15, holdout17 and holdout19; 21-22 and 23-24: of the tenth, "
                             "splits holdout21 and holdout23; 25-26: of the eleventh, split holdout25)")
    parser.add_argument("--with-url", action="store_true", help="give the loader each page's url in a manifest")
    parser.add_argument("--errors", action="store_true", help="list every wrong or empty value")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.ERROR)
    pages = load_pages(args.split, args.batch)
    corpus = run_loader(pages, args.texts, with_url=args.with_url)
    table, summary, errors = score(pages, corpus)
    mode = "with url" if args.with_url else "folder only (no manifest, no url)"
    print(f"{args.split} (batch {args.batch}): {summary['pages']} pages, {mode}")
    print(table.to_string(index=False))
    print(f"year/region/level filled and right: {summary['key_right_pct']}% ({summary['key_right']}/"
          f"{summary['key_n']}), wrong: {summary['key_wrong_pct']}% ({summary['key_wrong']})")
    print(f"department named on 部门 pages: {summary['dept_named']}/{summary['dept_pages']}, "
          f"right: {summary['dept_right']}/{summary['dept_pages']}")
    print(f"author filled: {summary['author_filled']}/{summary['pages']}, a name: {summary['author_is_name']}, "
          f"a sentence or other text: {summary['author_sentence']}")
    if args.errors and len(errors):
        with pd.option_context("display.width", 200, "display.max_colwidth", 60):
            print(errors.to_string(index=False))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
