"""The curated notebooks: kept as .ipynb paired with percent scripts, stored clean, and executed on the sample
and on generated corpora of every shape (panel, cross-section, missing metadata, one report, 60 reports)."""

from __future__ import annotations

import ast
import hashlib
import json
import re
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path

import pandas as pd
import pytest

from .conftest import ROOT, SAMPLE_DIR
from .corpus_factory import corpus_spec, truth, write_corpus

NOTEBOOKS = ["01_corpus_overview", "02_keywords", "03_theme", "06_topics", "07_metric_trends",
             "08_text_reuse"]  # the sources
#: The pages a report builds: the theme notebook once per theme (report.NOTEBOOK_PAGES).
PAGES = ["01_corpus_overview", "02_keywords", "03_theme_pufa", "04_theme_saohei", "05_theme_fangguanfu",
         "06_topics", "07_metric_trends", "08_text_reuse"]
NB_DIR = ROOT / "notebooks"
THEMES = ("pufa", "saohei", "fangguanfu")


# ------------------------------------------------------------------------------------------ the sources
def test_every_numbered_notebook_is_listed():
    assert sorted(p.stem for p in NB_DIR.glob("[0-9][0-9]_*.ipynb")) == NOTEBOOKS
    assert not (NB_DIR / "build.py").exists()  # the notebooks are the source, not a generator of them


@pytest.mark.parametrize("name", NOTEBOOKS)
def test_notebook_stored_without_outputs_and_parameterised(name):
    nb = json.loads((NB_DIR / f"{name}.ipynb").read_text(encoding="utf-8"))
    code = [c for c in nb["cells"] if c["cell_type"] == "code"]
    assert all(not c["outputs"] and c["execution_count"] is None for c in code)
    assert all(not c.get("metadata", {}).get("execution") for c in nb["cells"])
    tagged = [c for c in code if "parameters" in c.get("metadata", {}).get("tags", [])]
    assert len(tagged) == 1
    source = "".join(tagged[0]["source"])
    for name_ in ("corpus", "store", "out_dir", "seed"):
        assert re.search(rf"^{name_} = ", source, re.MULTILINE), name_
    assert nb["cells"][0]["cell_type"] == "markdown"
    # reusable code belongs in the package: no function or class defined in a notebook
    assert not any(re.search(r"^\s*(def|class) ", "".join(c["source"]), re.MULTILINE) for c in code)
    # every notebook reads the store, opens with a computed summary and closes with the versions
    joined = ["".join(c["source"]) for c in code]
    assert any("db = open_corpus(store or corpus)" in s for s in joined)
    assert any("describe_" in s and "Markdown(" in s for s in joined[:6])
    assert "provenance_table" in joined[-1]
    assert nb["metadata"]["jupytext"]["formats"] == "ipynb,py:percent"
    # the public API: the package is imported from its top level, and every name imported is a real export
    import lawgov_analysis

    imports = [node for s in joined for node in ast.walk(ast.parse(s)) if isinstance(node, ast.ImportFrom)
               and (node.module or "").startswith("lawgov_analysis")]
    assert [node.module for node in imports] == ["lawgov_analysis"]
    for node in imports:
        if node.module == "lawgov_analysis":
            assert all(alias.name in lawgov_analysis.__all__ for alias in node.names), name


@pytest.mark.parametrize("name", NOTEBOOKS)
def test_notebook_and_its_percent_script_are_in_sync(name):
    """notebooks/NN_x.py (jupytext percent format) has the same cells as NN_x.ipynb: edit either, then
    ``jupytext --sync notebooks/NN_x.ipynb``."""
    import jupytext

    nb = jupytext.read(NB_DIR / f"{name}.ipynb")
    script = jupytext.read(NB_DIR / f"{name}.py", fmt="py:percent")
    cells = [(c.cell_type, c.source.strip(), sorted(c.metadata.get("tags", []))) for c in nb.cells]
    paired = [(c.cell_type, c.source.strip(), sorted(c.metadata.get("tags", []))) for c in script.cells]
    assert cells == paired


# ---------------------------------------------------------------------------------------- the generator
def test_corpus_factory_is_deterministic_and_shaped(tmp_path):
    a = write_corpus("cross_section", tmp_path / "a")
    b = write_corpus("cross_section", tmp_path / "b")
    files = sorted(p.name for p in a.iterdir())
    assert files == sorted(p.name for p in b.iterdir())
    assert all((a / f).read_bytes() == (b / f).read_bytes() for f in files)
    cross = truth("cross_section")
    assert cross["region_code"].nunique() >= 10 and cross["province"].nunique() >= 8
    assert {"街道", "部门"} <= set(cross["level"]) and set(cross["year"]) <= set(range(2019, 2025))
    assert (cross["title"] == "").any()  # some pages lost their title
    panel = truth("panel")
    assert (panel.groupby("region_code")["year"].nunique() >= 3).all()
    assert (write_corpus("panel", tmp_path / "p") / "manifest.csv").is_file()
    assert truth("missing_metadata")["year"].isna().any()
    assert len(corpus_spec("one")) == 1 and corpus_spec("empty") == []
    assert len(corpus_spec("cross_section", size=60)) == 60
    texts = [r["text"] for r in corpus_spec("panel")]
    assert len(set(texts)) == len(texts) and all("一、" in t and "(一)" in t for t in texts)


# --------------------------------------------------------------------------------------- HTML checks
class _Page(HTMLParser):
    """Text of table cells, of stderr outputs and of every output area of a notebook page."""

    def __init__(self):
        super().__init__()
        self.cells: list[str] = []
        self.stderr: list[str] = []
        self.outputs: list[str] = []
        self._stack: list[str] = []
        self._cell: list[str] | None = None
        self._stderr_depth = 0
        self._output_depth = 0

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag in ("td", "th"):
            self._cell = []
        if tag == "div":
            self._stack.append(tag)
            if a.get("data-mime-type") == "application/vnd.jupyter.stderr" or self._stderr_depth:
                self._stderr_depth += 1
            if "jp-OutputArea-output" in (a.get("class") or "") or self._output_depth:
                self._output_depth += 1

    def handle_endtag(self, tag):
        if tag in ("td", "th") and self._cell is not None:
            self.cells.append("".join(self._cell).strip())
            self._cell = None
        if tag == "div" and self._stack:
            self._stack.pop()
            if self._stderr_depth:
                self._stderr_depth -= 1
            if self._output_depth:
                self._output_depth -= 1

    def handle_data(self, data):
        if self._cell is not None:
            self._cell.append(data)
        if self._stderr_depth:
            self.stderr.append(data)
        if self._output_depth:
            self.outputs.append(data)


_TUPLE_REPR = re.compile(r"^\(.*,\s*\)$|^\('.*'\)$|^\[.*'.*\]$")
_CJK_RUN = re.compile(r"[\u4e00-\u9fff]{2,}")
_ITABLE_DATA = re.compile(r'"data_json": ("(?:[^"\\]|\\.)*")')


def interactive_cells(page: str) -> list[str]:
    """The cells of every interactive table of a page: itables keeps them as JSON inside a script (non-ASCII
    characters as \\u escapes), which the browser renders; decoded here so that checks see what a reader sees."""
    return [str(cell) for found in _ITABLE_DATA.findall(page) for row in json.loads(json.loads(found))
            for cell in row]


def check_pages(out: Path, *, nothing_to_compare: frozenset[str] = frozenset()) -> None:
    """The forbidden strings, no warnings or errors in any output, figures and pages within their limits.

    Pages in ``nothing_to_compare`` need two reports (08_text_reuse on a one-report corpus): they must say so
    instead of showing Chinese text they do not have."""
    from PIL import Image

    assert sorted(p.stem for p in out.glob("*.html")) == [*PAGES, "index"]
    for name in PAGES:
        page = out / f"{name}.html"
        text = page.read_text(encoding="utf-8")
        assert page.stat().st_size < 5 * 1024 * 1024, name
        if name not in nothing_to_compare:   # a figure embedded as an image (not a data URL in the CSS)
            assert re.search(r"<img[^>]+src=\"data:image/png;base64,", text), name
        assert not re.search(r"""<(?:script|link)[^>]+(?:src|href)=["']https?://""", text), name
        assert 'id="lawgov-show-code"' in text  # the reading view switch
        parser = _Page()
        parser.feed(text)
        assert not "".join(parser.stderr).strip(), (name, "".join(parser.stderr)[:500])
        parser.cells.extend(interactive_cells(text))
        outputs = "".join(parser.outputs) + "\n".join(interactive_cells(text))
        for bad in ("$\\mathdefault", "np.int64(", "np.float64(", "Traceback (most recent call last)",
                    "Warning:", "Warning)", "KeyboardInterrupt", "missing from font", "<NA>", "nan%"):
            assert bad not in outputs, (name, bad)
        if name in nothing_to_compare:
            assert "give no direction" in outputs and _CJK_RUN.search(outputs), name  # and the report row
        else:
            assert len(_CJK_RUN.findall(outputs)) >= 10, name  # Chinese rendered in the outputs
        reprs = [c for c in parser.cells if _TUPLE_REPR.match(c)]
        assert not reprs, (name, reprs[:5])
    for png in (out / "figures").glob("*.png"):
        with Image.open(png) as im:
            assert max(im.size) <= 4000, (png.name, im.size)
    index = (out / "index.html").read_text(encoding="utf-8")
    assert all(f"{name}.html" in index for name in PAGES)


def _true_governments(kind: str, size: int | None = None) -> dict[str, str]:
    t = truth(kind, size=size)
    return dict(zip(t["doc_id"], t["region_code"].astype(str) + "|" + t["level"] + "|" + t["department"]))


def check_trends(out: Path, governments: dict[str, str]) -> None:
    """Every drawn line joins one true government's reports; every box or point carries its report count."""
    for stem in [f"{t}_trend" for t in THEMES] + ["07_metric_trend"]:
        lineage = out / "figures" / f"{stem}.csv"
        if not lineage.is_file():
            continue
        df = pd.read_csv(lineage, dtype={"doc_id": str, "series": str, "government": str}, keep_default_na=False)
        if "series" in df.columns and (df["series"] != "").any():
            facet = [c for c in ("panel", "label") if c in df.columns][:1]
            for _, line in df[df["series"] != ""].groupby(facet + ["series"]):
                assert line["doc_id"].map(governments).nunique() == 1, (stem, line["doc_id"].tolist())
                assert line["doc_id"].nunique() == len(line)  # one point per report on a line
        else:
            assert "n" in df.columns, (stem, list(df.columns))
            group = [c for c in ("panel", "label") if c in df.columns][:1] + ["group"]
            counted = df.groupby(group)["doc_id"].transform("nunique")
            assert (df["n"] == counted).all(), stem


def _digest(folder: Path) -> dict[str, str]:
    return {p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


# ------------------------------------------------------------------------------------------- execution
@pytest.mark.slow
def test_report_on_sample_is_complete_and_byte_stable(tmp_path):
    from lawgov_analysis.report.build import build_report

    first = tmp_path / "first"
    build_report(corpus=SAMPLE_DIR, out_dir=first, seed=0)
    check_pages(first, nothing_to_compare=frozenset({"08_text_reuse"}))  # the sample is one report
    assert "昌江区" in interactive_cells((first / "01_corpus_overview.html").read_text(encoding="utf-8"))
    second = tmp_path / "second"
    build_report(corpus=SAMPLE_DIR, out_dir=second, seed=0)
    a, b = _digest(first), _digest(second)
    assert a.keys() == b.keys()
    assert {k for k in a if a[k] != b[k]} == set()
    assert not list(tmp_path.glob(".*"))  # no temporary folder left behind


@pytest.mark.slow
@pytest.mark.parametrize("kind", ["panel", "cross_section", "missing_metadata", "one"])
def test_report_on_generated_corpus(tmp_path, kind):
    from lawgov_analysis.report.build import build_report

    corpus = write_corpus(kind, tmp_path / kind)
    out = tmp_path / "out"
    build_report(corpus=corpus, out_dir=out, seed=0)
    check_pages(out, nothing_to_compare=frozenset({"08_text_reuse"} if kind == "one" else ()))
    check_trends(out, _true_governments(kind))
    overview = (out / "01_corpus_overview.html").read_text(encoding="utf-8")
    n = len(corpus_spec(kind))
    assert f"{n} report" in overview
    figures = {p.stem for p in (out / "figures").glob("*.png")}
    if kind == "panel":  # the same governments over three years: lines along each government
        assert {f"{t}_trend" for t in THEMES} <= figures
        lineage = pd.read_csv(out / "figures" / "pufa_trend.csv", dtype=str, keep_default_na=False)
        assert (lineage["series"] != "").sum() == n
        assert "trends follow each government" in overview
    if kind == "cross_section":  # one report per government: comparisons with n, no line
        lineage = pd.read_csv(out / "figures" / "pufa_trend.csv", dtype=str, keep_default_na=False)
        assert "series" not in lineage.columns or (lineage["series"] == "").all()
        assert "compare governments" in overview
    if kind == "missing_metadata":
        assert "lack year" in overview and "lawgov-analysis manifest" in overview
    if kind == "one":
        assert "07_indicator_mentions" in figures


@pytest.mark.slow
def test_report_on_sixty_reports_summarises(tmp_path):
    """60 reports: summary figures instead of one panel per report, every PNG and page within bounds."""
    from lawgov_analysis.report.build import build_report

    corpus = write_corpus("cross_section", tmp_path / "c60", size=60)
    out = tmp_path / "out"
    build_report(corpus=corpus, out_dir=out, seed=0,
                 notebooks=[NB_DIR / f"{n}.ipynb" for n in ("01_corpus_overview", "03_theme",
                                                            "07_metric_trends")])
    for name in ("01_corpus_overview", "03_theme_pufa", "04_theme_saohei", "05_theme_fangguanfu",
                 "07_metric_trends"):
        assert (out / f"{name}.html").stat().st_size < 5 * 1024 * 1024
    from PIL import Image

    for png in (out / "figures").glob("*.png"):
        with Image.open(png) as im:
            assert max(im.size) <= 4000, (png.name, im.size)
    lengths = pd.read_csv(out / "figures" / "01_lengths.csv", dtype=str, keep_default_na=False)
    assert "n" in lengths.columns  # a distribution with its report counts, not 60 panels
    check_trends(out, _true_governments("cross_section", 60))


def test_report_on_empty_corpus_is_one_line_and_writes_nothing(tmp_path):
    corpus = write_corpus("empty", tmp_path / "empty")
    out = tmp_path / "out"
    proc = subprocess.run([sys.executable, "-m", "lawgov_analysis.cli", "report", "--corpus", str(corpus),
                           "--out", str(out)], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert proc.returncode == 2
    assert proc.stderr.strip().count("\n") == 0 and "holds no report" in proc.stderr, proc.stderr
    assert "Traceback" not in proc.stderr
    assert not out.exists() and [p.name for p in tmp_path.iterdir()] == ["empty"]


# ---------------------------------------------------------------------------------------- the summaries
def _meta(rows):
    return pd.DataFrame(rows, columns=["doc_id", "region", "region_code", "level", "department", "year", "chars"])


def test_corpus_design_tells_panel_from_cross_section():
    from lawgov_analysis.present.summary import corpus_design

    panel = _meta([("a19", "安县", "1", "县", "", 2019, 10), ("a20", "安县", "1", "县", "", 2020, 10),
                   ("b20", "北区", "2", "区", "", 2020, 10), ("b21", "北区", "2", "区", "", 2021, 10)])
    assert corpus_design(panel)["design"] == "panel" and corpus_design(panel)["series"] == 2
    # same region code, another department: another government, so no series
    cross = _meta([("a19", "安县", "1", "县", "", 2019, 10), ("a20", "安县", "1", "部门", "司法局", 2020, 10),
                   ("x", "", "", "", "", 2020, 10)])
    d = corpus_design(cross)
    assert d["design"] == "cross-section" and d["governments"] == 2 and d["unknown_government"] == 1
    assert corpus_design(panel.iloc[:3])["design"] == "mixed"
    assert corpus_design(panel.iloc[:1])["design"] == "single"
    assert corpus_design(panel.iloc[:0])["design"] == "empty"
    assert corpus_design(pd.concat([panel] * 4, ignore_index=True).assign(
        doc_id=[f"d{i}" for i in range(16)]))["per_report"] is False


def test_metadata_completeness_and_corpus_summary_name_the_gaps():
    from lawgov_analysis.present.summary import describe_corpus, metadata_completeness

    corpus = _meta([("a", "安县", "1", "县", "", 2019, 10), ("b", "", "", "", "", None, 30),
                    ("c", "北区", "", "区", "", 2021, 20)])
    # as the store gives it back: repeated strings as categories, years nullable
    corpus = corpus.astype({c: "category" for c in ("region", "region_code", "level", "department")})
    corpus["year"] = corpus["year"].astype("Int64")
    gaps = metadata_completeness(corpus).set_index("field")
    assert gaps.loc["year", "missing"] == 1 and gaps.loc["region_code", "missing"] == 2
    assert gaps.loc["region_code", "examples"] == "b、c" and gaps.loc["level", "share_missing"] == pytest.approx(1 / 3)
    text = describe_corpus(corpus)
    assert text.startswith("3 reports from 2 identified governments; levels 区 1, 县 1, (未填) 1")
    assert "1 lack year" in text and "lawgov-analysis manifest" in text
    assert "compare governments" in text


def test_describe_themes_counts_leaders_and_names_reports():
    from lawgov_analysis.present.summary import describe_themes

    corpus = _meta([("a", "安县", "1", "县", "", 2019, 10), ("b", "北区", "2", "区", "", 2020, 10),
                    ("c", "东区", "3", "区", "", 2021, 10)]).astype({"level": "category"})
    scores = pd.DataFrame({"doc_id": list("aabbcc"), "theme_id": ["pufa", "saohei"] * 3,
                           "label": ["普法", "扫黑除恶"] * 3, "hits_per_10k": [5.0, 1.0, 0.5, 2.0, 9.0, 0.0]})
    assert describe_themes(scores, corpus) == "普法 takes the largest share in 2 of 3 reports (扫黑除恶 in 1)."
    text = describe_themes(scores, corpus, "pufa")
    assert text.startswith("普法: 3 of 3 reports use its terms; 5 hits per 10,000 characters at the median")
    assert "strongest in 东区·2021 (9), weakest in 北区·2020 (0.50)" in text
    assert "by level: 区 4.8 (n=2), 县 5 (n=1)" in text
    one = describe_themes(scores[scores["doc_id"] == "a"], corpus.iloc[:1], "saohei")
    assert one == "扫黑除恶: 1 hits per 10,000 characters in the report, rank 2 of 2 themes."


def test_describe_reuse_gives_shares_by_source_and_names_the_most_reused():
    from lawgov_analysis.present.summary import describe_reuse

    corpus = _meta([("a19", "安县", "1", "县", "", 2019, 100), ("a20", "安县", "1", "县", "", 2020, 100),
                    ("b20", "北区", "2", "区", "", 2020, 100)])
    shares = pd.DataFrame({"doc_id": ["a19", "a20", "b20"], "reused_share": [0.0, 0.5, 0.1],
                           "own_share": [0.0, 0.5, 0.0], "other_share": [0.0, 0.0, 0.1],
                           "higher_share": [0.0, 0.0, 0.0], "peer_share": [0.0, 0.0, 0.3],
                           "main_source": ["", "a19", "a19"]})
    pairs = pd.DataFrame({"relation": ["own", "other", "peer"]})
    text = describe_reuse(shares, pairs, corpus)
    assert text.startswith("3 reports (mixed); 2 passages repeat an earlier or higher report. 2 of 3 reports "
                           "reuse some text; on average 20.0% of a report's characters are reused (own earlier "
                           "reports 16.7%, other governments' earlier reports 3.3%, a higher level 0.0%); 10.0% "
                           "is shared")
    assert text.endswith("Most reused: 安县·2020 (50%, mainly from 安县·2019).")
    none = describe_reuse(shares.iloc[:1], pairs.iloc[:0], corpus.iloc[:1])
    assert none.startswith("1 report (single); 0 passages") and "No report repeats an earlier one" in none
    assert describe_reuse(shares.iloc[:0], pairs.iloc[:0], corpus.iloc[:0]) == "No report to compare."


def test_open_corpus_builds_once_for_a_corpus_run_by_hand(fixture_dir):
    """A notebook run in JupyterLab with ``store = ""`` opens ``open_corpus(store or corpus)``: a store built in
    the cache folder the first time, then reused (nothing rebuilt); a given store is opened as it is."""
    from lawgov_analysis import open_corpus
    from lawgov_analysis.core.config import cache_dir

    store, corpus = "", fixture_dir
    first = open_corpus(store or corpus)
    assert sorted(first.table("corpus")["doc_id"].astype(str)) == ["anxian-2019", "anxian-2020", "beiqu-2021"]
    assert first.path.parent == cache_dir() / "stores"
    again = open_corpus(store or corpus)
    assert again.path == first.path and again.meta["last_build"]["skipped"] == 3
    assert again.meta["last_build"]["built"] == 0
    given = open_corpus(str(first.path))
    assert given.path == first.path and given.meta == again.meta  # opened, not rebuilt


def test_the_theme_notebook_gives_one_page_per_theme():
    from lawgov_analysis.analysis.themes import load_themes
    from lawgov_analysis.report.build import report_pages

    pages = report_pages([NB_DIR / f"{n}.ipynb" for n in NOTEBOOKS])
    assert [stem for _, stem, _, _ in pages] == PAGES
    themed = [(path.stem, title, params["theme"]) for path, _, title, params in pages if params]
    assert [t for _, _, t in themed] == list(THEMES) and {p for p, _, _ in themed} == {"03_theme"}
    labels = load_themes().set_index("theme_id")["label"]
    assert all(labels[theme] in title for _, title, theme in themed)  # each page titled with its theme


def test_metric_trends_page_switches_to_boxes_where_the_plots_do():
    # notebook 07 reads only compact panel columns above max_governments; its default is the plots' own switch
    from lawgov_analysis.present.style import MAX_SERIES

    script = (NB_DIR / "07_metric_trends.py").read_text(encoding="utf-8")
    assert int(re.search(r"^max_governments = (\d+)", script, flags=re.M).group(1)) == MAX_SERIES
