"""Report build: notebooks executed in this interpreter, self-contained byte-stable HTML, escaped text."""

from __future__ import annotations

import hashlib
import json
import logging
import os
import re
import subprocess
import sys
from pathlib import Path

import nbformat
import pandas as pd
import pytest
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook, new_output

from lawgov_analysis.core.config import notebooks_dir
from lawgov_analysis.io.gazetteer import gazetteer_version
from lawgov_analysis.pipeline import catalog
from lawgov_analysis.present.display import show_table, table_html
from lawgov_analysis.report import build as report
from lawgov_analysis.report import execute, notebooks, provenance

from .conftest import log_records

ROOT = Path(__file__).resolve().parents[1]
SCRIPT = "<script>alert('x')</script> 普法宣传"


# ------------------------------------------------------------------------------------------------ display
def test_show_table_escapes_report_text():
    df = pd.DataFrame({"<b>text</b>": [SCRIPT, "a & b"]}, index=["<i>r</i>", "y"])
    out = show_table(df, index=True, caption="<em>KWIC</em>")
    html = out._repr_html_()
    assert "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt; 普法宣传" in html or \
        "&lt;script&gt;alert('x')&lt;/script&gt; 普法宣传" in html
    assert "<script" not in html and "<b>" not in html and "<i>" not in html and "<em>" not in html
    assert "&lt;b&gt;text&lt;/b&gt;" in html and "&lt;i&gt;r&lt;/i&gt;" in html and "a &amp; b" in html
    assert "普法宣传" in repr(out)


def test_table_html_limits_rows():
    df = pd.DataFrame({"sentence": [f"第{i}句" for i in range(5)]})
    html = table_html(df, max_rows=2)
    assert "第1句" in html and "第2句" not in html and "3 more rows of 5" in html
    assert "第4句" in table_html(df, max_rows=None)
    with pytest.raises(TypeError):
        table_html(["not", "a", "frame"])


# ------------------------------------------------------------------------------------------ notebooks dir
def test_notebooks_dir_is_the_package_folder(monkeypatch):
    monkeypatch.delenv("LAWGOV_NOTEBOOKS", raising=False)
    assert notebooks_dir() == ROOT / "lawgov_analysis" / "notebooks"
    assert (ROOT / "notebooks").resolve() == notebooks_dir()  # the top-level folder is a link to the package's
    monkeypatch.setenv("LAWGOV_NOTEBOOKS", "/some/where")
    assert notebooks_dir() == Path("/some/where")


def test_find_notebooks_takes_numbered_notebooks_in_order(tmp_path):
    for name in ["02_keywords.ipynb", "01_corpus_overview.ipynb", "scratch.ipynb", "1_x.ipynb"]:
        (tmp_path / name).write_text("{}", encoding="utf-8")
    assert [p.name for p in notebooks.find_notebooks(tmp_path)] == ["01_corpus_overview.ipynb", "02_keywords.ipynb"]


def test_build_report_without_notebooks_fails_clearly(tmp_path, monkeypatch):
    monkeypatch.setenv("LAWGOV_NOTEBOOKS", str(tmp_path / "empty"))
    with pytest.raises(FileNotFoundError, match="no notebooks"):
        report.build_report(corpus=tmp_path, out_dir=tmp_path / "out")
    with pytest.raises(FileNotFoundError, match="does not exist"):
        report.build_report(corpus=tmp_path, out_dir=tmp_path / "out", notebooks=[tmp_path / "nope.ipynb"])
    (tmp_path / "01_x.ipynb").write_text("{}", encoding="utf-8")
    with pytest.raises(catalog.CorpusInputError, match="no-corpus does not exist"):
        report.build_report(corpus=tmp_path / "no-corpus", out_dir=tmp_path / "out",
                            notebooks=[tmp_path / "01_x.ipynb"])
    assert not (tmp_path / "out").exists()


# ------------------------------------------------------------------------------------------ input check
def test_corpus_kind_names_what_it_is_given(tmp_path, fixture_dir):
    assert catalog.corpus_kind(fixture_dir) == "folder"
    assert catalog.corpus_kind(fixture_dir / "manifest.csv") == "manifest"
    assert catalog.corpus_kind(fixture_dir / "anxian-2019.txt") == "file"
    for bad, message in [(None, "no corpus given"), ("", "no corpus given"), (tmp_path / "nope", "does not exist")]:
        with pytest.raises(catalog.CorpusInputError, match=message):
            catalog.corpus_kind(bad)
    empty = tmp_path / "empty"
    empty.mkdir()
    (empty / "notes.md").write_text("not a report", encoding="utf-8")
    with pytest.raises(catalog.CorpusInputError, match="holds no report") as info:
        catalog.corpus_kind(empty)
    assert "\n" not in str(info.value) and str(empty) in str(info.value)
    other = tmp_path / "other.csv"
    other.write_text("a,b\n1,2\n", encoding="utf-8")
    with pytest.raises(catalog.CorpusInputError, match="neither a manifest"):
        catalog.corpus_kind(other)


@pytest.mark.parametrize("suffix", [".parquet", ".csv"])
def test_report_reads_what_ingest_out_writes(tmp_path, fixture_dir, fixture_corpus, suffix):
    """``lawgov-analysis ingest PATH --out corpus.parquet`` (or .csv) is a corpus ``report`` accepts."""
    from lawgov_analysis.cli import main

    target = tmp_path / f"corpus{suffix}"
    assert main(["ingest", str(fixture_dir), "--out", str(target)]) == 0
    assert catalog.corpus_kind(target) == "table"
    table = catalog.read_corpus_table(target)
    assert table["doc_id"].tolist() == sorted(fixture_corpus["doc_id"])
    assert table["text"].tolist() == fixture_corpus.sort_values("doc_id")["text"].tolist()
    assert str(table["year"].dtype) == "Int64" and table["year"].tolist() == [2019, 2020, 2021]
    # the same corpus whichever form it is given in
    assert provenance.corpus_fingerprint(target)["corpus_reports"] == "3"


@pytest.mark.slow
def test_a_store_is_reused_as_it_is(tmp_path, fixture_dir):
    from lawgov_analysis import build_store

    store = tmp_path / "store"
    build_store(fixture_dir, store, n_jobs=1, progress=False)
    assert catalog.corpus_kind(store) == "store"
    before = sorted(p.relative_to(store).as_posix() for p in store.rglob("*"))
    nbdir = tmp_path / "notebooks"
    nbdir.mkdir()
    write_test_notebook(nbdir / "01_test.ipynb")
    report.build_report(corpus=store, out_dir=tmp_path / "out", notebooks=[nbdir / "01_test.ipynb"])
    prov = json.loads((tmp_path / "out" / "provenance.json").read_text(encoding="utf-8"))
    assert prov["corpus_reports"] == "3" and prov["corpus"] == store.as_posix()
    assert prov["corpus_hash"] == provenance.corpus_fingerprint(fixture_dir)["corpus_hash"]
    assert sorted(p.relative_to(store).as_posix() for p in store.rglob("*")) == before  # used, not rebuilt


def test_reading_view_hides_code_behind_a_switch():
    nb = new_notebook(cells=[new_markdown_cell("# 标题"), new_code_cell("x = 1")])
    hidden = execute.notebook_html(nb, title="t")
    shown = execute.notebook_html(nb, title="t", show_code=True)
    def switch(page):
        return re.search(r'<input[^>]*id="lawgov-show-code"[^>]*>', page).group(0)

    assert 'type="checkbox"' in switch(hidden) and "checked" not in switch(hidden)
    assert "checked" in switch(shown)
    assert "#lawgov-show-code:not(:checked) ~ main .jp-CodeCell .jp-Cell-inputWrapper{display:none}" in hidden
    assert "<script" not in hidden.split("<body", 1)[1].split("</main>")[0]


# ------------------------------------------------------------------------------------ volatile metadata
def test_strip_volatile_removes_timestamps_and_timing_lines():
    nb = new_notebook()
    nb.metadata["papermill"] = {"start_time": "2026-01-01T00:00:00", "duration": 3.2}
    injected = new_code_cell("seed = 0")
    injected.metadata["tags"] = ["injected-parameters"]
    injected.metadata["papermill"] = {"duration": 0.1}
    injected.metadata["execution"] = {"iopub.status.busy": "2026-01-01T00:00:01"}
    injected["id"] = "a1b2c3"
    code = new_code_cell("x")
    code.outputs = [
        new_output("stream", name="stdout", text="17 of 124 sentences\n"),
        new_output("stream", name="stdout", text="carry the theme\n"),
        new_output("stream", name="stderr", text="Building prefix dict from the default dictionary ...\n"
                   "Loading model cost 0.612 seconds.\nPrefix dict has been built successfully.\n"),
        new_output("stream", name="stderr", text="real warning\n 50%|#####     | 1/2 [00:01<00:01, 1.2it/s]\n"),
        new_output("stream", name="stderr", text="/x/tqdm/auto.py:21: TqdmWarning: IProgress not found. Please "
                   "update jupyter and ipywidgets.\n  from .autonotebook import tqdm as notebook_tqdm\n"),
        new_output("execute_result", data={"text/plain": "<TopicModel object at 0x7f12ab34cd56>"},
                   execution_count=1),
    ]
    nb.cells = [injected, code]
    out = execute.strip_volatile(nb)
    assert "papermill" not in out.metadata
    assert out.cells[0]["id"] == "injected-parameters"
    assert "papermill" not in out.cells[0].metadata and "execution" not in out.cells[0].metadata
    texts = [(o["name"], o["text"]) for o in out.cells[1].outputs if o["output_type"] == "stream"]
    assert texts == [("stdout", "17 of 124 sentences\ncarry the theme\n"), ("stderr", "real warning\n")]
    assert out.cells[1].outputs[-1]["data"]["text/plain"] == "<TopicModel object at 0x…>"


def test_provenance_has_versions_hashes_seed_and_no_clock(fixture_dir):
    prov = provenance.provenance(fixture_dir, 7)
    for key in ("package", "git_commit", "python", "jieba_version", "seed", "corpus_hash", "corpus_reports",
                "resources", "font"):
        assert key in prov
    assert prov["seed"] == "7" and prov["corpus_reports"] == "3"
    assert re.fullmatch(r"[0-9a-f]{64}", prov["corpus_hash"])
    for name in provenance.PROVENANCE_RESOURCES:
        assert name in prov["resources"]
    assert provenance.provenance(fixture_dir, 7) == prov
    assert prov["gazetteer"] == gazetteer_version()  # which code table gave region_code/province/city
    # no wall-clock time anywhere; the gazetteer's "divisions as of <date>" is the data's date, not a clock
    text = json.dumps({k: v for k, v in prov.items() if k != "gazetteer"}, ensure_ascii=False)
    assert not re.search(r"20\d\d-\d\d-\d\d|\d\d:\d\d:\d\d", text)


def test_provenance_table_from_the_loaded_corpus(fixture_corpus, fixture_dir):
    table = provenance.provenance_table(corpus=fixture_corpus, seed=0)
    assert list(table.columns) == ["field", "value"]
    fields = dict(zip(table["field"], table["value"]))
    assert fields["seed"] == "0" and fields["corpus_reports"] == "3"
    assert "resource lexicon.txt" in fields and "resource stopwords_general.txt" in fields
    # the same hash whether the corpus is given loaded or as its folder
    assert fields["corpus_hash"] == provenance.corpus_fingerprint(fixture_dir)["corpus_hash"]


def test_corpus_fingerprint_changes_with_the_text(tmp_path):
    (tmp_path / "a-2020.txt").write_text("一、普法\n普法宣传。\n", encoding="utf-8")
    first = provenance.corpus_fingerprint(tmp_path)["corpus_hash"]
    (tmp_path / "a-2020.txt").write_text("一、普法\n普法宣传活动。\n", encoding="utf-8")
    assert provenance.corpus_fingerprint(tmp_path)["corpus_hash"] != first


# ------------------------------------------------------------------------------------------ full build
def write_test_notebook(path: Path) -> Path:
    """Tiny notebook: parameters, a Chinese figure saved and shown, a report line with <script>."""
    nb = new_notebook()
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    params = new_code_cell('corpus = "data/reports"\nout_dir = "reports/figures"\nseed = 0')
    params.metadata["tags"] = ["parameters"]
    nb.cells = [
        new_markdown_cell("# 测试：普法主题"),
        new_code_cell("import os\nimport sys\n\nimport pandas as pd\n\n"
                      "from lawgov_analysis.present.display import show_table\n"
                      "from lawgov_analysis.present.plots import plot_term_bars, plot_wordcloud\n"
                      "from lawgov_analysis.present.save import save_figure"),
        params,
        # the kernel is this interpreter (venv) with a fixed hash seed, whatever python is on PATH
        new_code_cell(f"assert sys.prefix == {sys.prefix!r}, sys.prefix\n"
                      "assert os.environ['PYTHONHASHSEED'] == '0'\nprint(seed, hash('法治'))\n"
                      # the kernel runs in the report folder; corpus is relative to it
                      "assert out_dir == 'figures' and os.path.isdir(corpus) and not os.path.isabs(corpus)"),
        new_code_cell("terms = pd.DataFrame({'term': ['法治', '普法', '案', '法'], 'count': [5, 3, 2, 1]})\n"
                      "fig = plot_term_bars(terms, title='高频词')\nsave_figure(fig, 'terms', out_dir)\n"
                      "save_figure(plot_wordcloud(terms, width=300, height=200, seed=seed), 'cloud', out_dir)\n"
                      "fig"),
        new_code_cell(f"show_table(pd.DataFrame({{'sentence': [{SCRIPT!r}]}}))"),
    ]
    nbformat.write(nb, path)
    return path


def _files(folder: Path) -> dict[str, str]:
    return {p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.mark.slow
def test_build_report_twice_gives_identical_self_contained_html(tmp_path, fixture_dir, capsys,
                                                                monkeypatch):
    nbdir = tmp_path / "notebooks"
    nbdir.mkdir()
    write_test_notebook(nbdir / "01_test.ipynb")
    out = tmp_path / "reports"

    # first build: in this process; progress is logged (the library prints nothing); with the page bound
    # lowered, the page over it is named in a warning (and still written)
    monkeypatch.setattr(report, "PAGE_MAX_BYTES", 1000)
    with log_records("lawgov_analysis.report.build", logging.INFO) as records:
        index = report.build_report(corpus=fixture_dir, out_dir=out, seed=0, notebooks=[nbdir / "01_test.ipynb"])
    assert index == out / "index.html"
    progress = [r.getMessage() for r in records
                if r.name == "lawgov_analysis.report.build" and "01_test.ipynb" in r.getMessage()]
    assert len(progress) == 1  # one progress line per notebook
    assert progress[0].startswith("[1/1] executed 01_test.ipynb -> ")
    assert capsys.readouterr().out == ""
    warned = [r.getMessage() for r in records
              if r.levelno == logging.WARNING and r.name == report.__name__]
    assert len(warned) == 1
    assert re.fullmatch(r"page 01_test\.html is \d+\.\d\d MB, over the 0\.001 MB a page should keep to "
                        r"\(its figures or tables are too large\)", warned[0])

    page = (out / "01_test.html").read_text(encoding="utf-8")
    assert "data:image/png;base64," in page  # the figure is embedded
    assert "测试：普法主题" in page and "高频词" in page
    # the table is interactive (itables): its escaped cells are in the DataTables data
    assert re.search(r"&lt;script&gt;alert\((&#x27;|')x(&#x27;|')\)&lt;/script&gt; \\\\u666e\\\\u6cd5", page)
    assert "injectModule(" in page and 'class="lawgov-table"' in page
    assert "<script>alert" not in page
    assert not re.search(r"""(src|href)\s*=\s*["']?(https?:)?//""", page, flags=re.I)
    assert "require.js" not in page and "mathjax" not in page.lower()
    assert sorted(p.name for p in (out / "figures").iterdir()) == \
        ["cloud.csv", "cloud.png", "cloud.svg", "terms.csv", "terms.png", "terms.svg"]

    idx = index.read_text(encoding="utf-8")
    for field in ("package", "git_commit", "jieba_version", "lexicon.txt", "stopwords_general.txt",
                  "stopwords_boilerplate.txt", "corpus_hash", "seed"):
        assert field in idx
    assert 'href="01_test.html"' in idx and "figures/terms.png" in idx
    assert not re.search(r"""(src|href)\s*=\s*["']?(https?:)?//""", idx, flags=re.I)
    prov = json.loads((out / "provenance.json").read_text(encoding="utf-8"))
    assert prov["seed"] == "0" and prov["corpus_reports"] == "3"
    first = _files(out)

    # second build: the CLI in a fresh process with the virtualenv NOT activated (its bin not on PATH)
    env = {k: v for k, v in os.environ.items() if k not in {"VIRTUAL_ENV", "PYTHONHASHSEED", "PYTHONPATH"}}
    venv_bin = str(Path(sys.executable).parent)
    env["PATH"] = os.pathsep.join(p for p in env.get("PATH", "").split(os.pathsep) if p != venv_bin)
    env["LAWGOV_NOTEBOOKS"] = str(nbdir)
    # (into another folder: pages must not depend on where the report is written)
    second = tmp_path / "second"
    proc = subprocess.run([sys.executable, "-m", "lawgov_analysis.cli", "report", "--corpus", str(fixture_dir),
                           "--out", str(second), "--seed", "0"], cwd=ROOT, env=env, capture_output=True,
                          text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr[-3000:]
    assert "[1/1]" in proc.stdout
    assert "KeyboardInterrupt" not in proc.stderr and "ERROR" not in proc.stderr, proc.stderr[-2000:]
    assert _files(second) == first  # byte-identical HTML, figures, index and provenance


@pytest.mark.slow
def test_failed_build_leaves_the_report_folder_as_it_was(tmp_path, fixture_dir):
    nbdir = tmp_path / "notebooks"
    nbdir.mkdir()
    write_test_notebook(nbdir / "01_test.ipynb")
    broken = new_notebook(cells=[new_code_cell("raise RuntimeError('cell fails')")])
    broken.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    nbformat.write(broken, nbdir / "02_broken.ipynb")
    out = tmp_path / "reports"
    out.mkdir()
    (out / "index.html").write_text("previous build", encoding="utf-8")
    with pytest.raises(Exception, match="cell fails"):
        report.build_report(corpus=fixture_dir, out_dir=out, notebooks=[nbdir / "01_test.ipynb",
                                                                        nbdir / "02_broken.ipynb"])
    assert [p.name for p in out.iterdir()] == ["index.html"]
    assert (out / "index.html").read_text(encoding="utf-8") == "previous build"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["notebooks", "reports"]  # no temporary folder left
    proc = subprocess.run([sys.executable, "-m", "lawgov_analysis.cli", "report", "--corpus", str(fixture_dir),
                           "--out", str(out)], cwd=ROOT, capture_output=True, text=True, timeout=300,
                          env={**os.environ, "LAWGOV_NOTEBOOKS": str(nbdir)})
    assert proc.returncode == 1 and "RuntimeError: cell fails" in proc.stderr.strip().splitlines()[-1]
    assert (out / "index.html").read_text(encoding="utf-8") == "previous build"


def test_build_report_jobs_must_be_positive(tmp_path, fixture_dir):
    nbdir = tmp_path / "notebooks"
    nbdir.mkdir()
    write_test_notebook(nbdir / "01_test.ipynb")
    with pytest.raises(ValueError, match="jobs must be a positive integer, got 0"):
        report.build_report(corpus=fixture_dir, out_dir=tmp_path / "out", notebooks=[nbdir / "01_test.ipynb"],
                            jobs=0)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["notebooks"]  # nothing left behind


def test_pages_run_side_by_side_only_within_the_memory_budget():
    # weights at 100,000 reports are the measured peaks; at 0 reports every page weighs the base 0.3 GB
    assert report.page_memory("x/07_metric_trends.ipynb", 100_000) == pytest.approx(1.75)
    assert report.page_memory("x/03_theme.ipynb", 50_000) == pytest.approx(0.3 + (2.0 - 0.3) / 2)
    assert report.page_memory("x/99_mine.ipynb", 0) == pytest.approx(0.3)
    assert report.page_memory("x/99_mine.ipynb", 200_000) == pytest.approx(0.3 + 2 * 0.7)
    assert report.can_start(2.8, [], jobs=2)                   # heavier than the budget: alone
    assert not report.can_start(0.8, [2.8], jobs=2)            # 3.6 GB > 3.3
    assert report.can_start(1.6, [1.55], jobs=2)               # 3.15 GB
    assert not report.can_start(0.5, [0.5, 0.5], jobs=2)       # never more than jobs pages
    assert report.can_start(0.5, [0.5, 0.5], jobs=3)
    assert not report.can_start(1.0, [1.0], jobs=2, budget=1.5)


@pytest.mark.slow
def test_pages_built_two_at_a_time_are_byte_identical(tmp_path, fixture_dir):
    nbdir = tmp_path / "notebooks"
    nbdir.mkdir()
    write_test_notebook(nbdir / "01_test.ipynb")
    other = new_notebook(cells=[new_markdown_cell("# 第二页"), new_code_cell(
        "from lawgov_analysis.present.display import show_table\nimport pandas as pd\n"
        "show_table(pd.DataFrame({'x': [1, 2]}), name='02_x', folder='tables')")])
    other.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    nbformat.write(other, nbdir / "02_other.ipynb")
    pages = [nbdir / "01_test.ipynb", nbdir / "02_other.ipynb"]
    built = {}
    for jobs in (1, 2):
        with log_records("lawgov_analysis.report.build", logging.INFO) as records:
            report.build_report(corpus=fixture_dir, out_dir=tmp_path / f"jobs{jobs}", seed=0, notebooks=pages,
                                jobs=jobs)
        assert [r.getMessage()[:5] for r in records if "executed" in r.getMessage()] == ["[1/2]", "[2/2]"]
        built[jobs] = _files(tmp_path / f"jobs{jobs}")
    assert "tables/02_x.csv" in built[1] and "figures/terms.png" in built[1]
    assert built[2] == built[1]     # pages, figures, tables, index and provenance, byte for byte
    broken = new_notebook(cells=[new_code_cell("raise RuntimeError('cell fails')")])
    broken.metadata["kernelspec"] = other.metadata["kernelspec"]
    nbformat.write(broken, nbdir / "03_broken.ipynb")
    with pytest.raises(Exception, match="cell fails"):
        report.build_report(corpus=fixture_dir, out_dir=tmp_path / "jobs2", notebooks=[*pages,
                                                                                   nbdir / "03_broken.ipynb"],
                            jobs=2)
    assert _files(tmp_path / "jobs2") == built[1]   # a failed build leaves the previous report as it was
