"""The curated notebooks: stored clean, executed on the sample and on a multi-year fixture corpus."""

from __future__ import annotations

import hashlib
import json
import re
from pathlib import Path

import pytest

from .conftest import ROOT, SAMPLE_DIR

NOTEBOOKS = ["01_corpus_overview", "02_keywords", "03_theme_pufa", "04_theme_saohei", "05_theme_fangguanfu",
             "06_topics", "07_metric_trends"]
NB_DIR = ROOT / "notebooks"


@pytest.mark.parametrize("name", NOTEBOOKS)
def test_notebook_stored_without_outputs_and_parameterised(name):
    nb = json.loads((NB_DIR / f"{name}.ipynb").read_text(encoding="utf-8"))
    code = [c for c in nb["cells"] if c["cell_type"] == "code"]
    assert all(not c["outputs"] and c["execution_count"] is None for c in code)
    tagged = [c for c in code if "parameters" in c.get("metadata", {}).get("tags", [])]
    assert len(tagged) == 1
    source = "".join(tagged[0]["source"])
    for name_ in ("corpus", "out_dir", "seed"):
        assert re.search(rf"^{name_} = ", source, re.MULTILINE)
    assert nb["cells"][0]["cell_type"] == "markdown"
    assert not any(re.search(r"^\s*def ", "".join(c["source"]), re.MULTILINE) for c in code)


def test_notebooks_match_their_builder(tmp_path, monkeypatch):
    """notebooks/*.ipynb are exactly what notebooks/build.py writes (edit the builder, not the files)."""
    import importlib.util

    spec = importlib.util.spec_from_file_location("nb_build", NB_DIR / "build.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    monkeypatch.setattr(module, "HERE", tmp_path)
    module.main()
    for name in NOTEBOOKS:
        assert (tmp_path / f"{name}.ipynb").read_bytes() == (NB_DIR / f"{name}.ipynb").read_bytes(), name


def _digest(folder: Path) -> dict[str, str]:
    return {p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


_CJK_RUN = re.compile(r"[\u4e00-\u9fff]{2,}")


def _check_html(out: Path, *, chinese: list[str]) -> None:
    for name in NOTEBOOKS:
        html = (out / f"{name}.html").read_text(encoding="utf-8")
        assert "data:image/png;base64" in html, name
        assert not re.search(r"""<(?:script|link)[^>]+(?:src|href)=["']https?://""", html), name
        outputs = html.split("jp-OutputArea-output")[1:]
        assert sum(len(_CJK_RUN.findall(chunk[:5000])) for chunk in outputs) >= 10, name  # Chinese in outputs
    overview = (out / "01_corpus_overview.html").read_text(encoding="utf-8")
    for word in chinese:
        assert word in overview, word
        for failure in ("Traceback (most recent call last)", "Glyph", "missing from font"):
            assert failure not in html, (name, failure)
    index = (out / "index.html").read_text(encoding="utf-8")
    for name in NOTEBOOKS:
        assert f"{name}.html" in index
    assert list((out / "figures").glob("*.png")) and list((out / "figures").glob("*.svg"))


@pytest.mark.slow
def test_report_on_sample_is_complete_and_byte_stable(tmp_path):
    from lawgov_analysis.present.report import build_report

    first = tmp_path / "first"
    build_report(corpus=SAMPLE_DIR, out_dir=first, seed=0)
    _check_html(first, chinese=["昌江区"])
    second = tmp_path / "second"
    build_report(corpus=SAMPLE_DIR, out_dir=second, seed=0)
    a, b = _digest(first), _digest(second)
    assert a.keys() == b.keys()
    assert {k for k in a if a[k] != b[k]} == set()


@pytest.mark.slow
def test_report_on_multi_year_fixture(tmp_path, fixture_dir):
    from lawgov_analysis.present.report import build_report

    out = tmp_path / "fixture"
    build_report(corpus=fixture_dir, out_dir=out, seed=0)
    _check_html(out, chinese=["安县", "北区"])
    # with several years the notebooks draw trends
    figures = {p.stem for p in (out / "figures").glob("*.png")}
    assert {"pufa_trend", "saohei_trend", "fangguanfu_trend", "07_metric_trend"} <= figures
