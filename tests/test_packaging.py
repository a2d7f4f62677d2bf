"""The installed wheel works on its own: built from this tree, installed into a separate folder, it builds a
report from a corpus in an unrelated folder (the notebooks and resources come from the wheel)."""

from __future__ import annotations

import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from .conftest import ROOT, write_fixture_corpus


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("wheel")
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "--quiet",
                    "-w", str(out), str(ROOT)], check=True, cwd=out)
    [found] = out.glob("lawgov_analysis-*.whl")
    return found


def test_the_wheel_holds_the_notebooks_and_resources(wheel):
    names = set(zipfile.ZipFile(wheel).namelist())
    for stem in ("01_corpus_overview", "03_theme", "07_metric_trends"):
        assert f"lawgov_analysis/notebooks/{stem}.ipynb" in names
        assert f"lawgov_analysis/notebooks/{stem}.py" in names
    for resource in ("themes.toml", "indicators.toml", "lexicon.txt"):
        assert f"lawgov_analysis/resources/{resource}" in names
    assert not any(n.startswith(("tests/", "benchmarks/", "data/")) for n in names)


@pytest.mark.slow
def test_installed_wheel_builds_a_report_from_an_unrelated_folder(wheel, tmp_path):
    target = tmp_path / "site"
    subprocess.run([sys.executable, "-m", "pip", "install", "--no-deps", "--quiet", "--target", str(target),
                    str(wheel)], check=True)
    work = tmp_path / "elsewhere"
    write_fixture_corpus(work / "my_reports")
    env = dict(os.environ, PYTHONPATH=str(target), LAWGOV_NOTEBOOKS="")
    env.pop("LAWGOV_NOTEBOOKS")
    where = subprocess.run([sys.executable, "-c", "import lawgov_analysis; print(lawgov_analysis.__file__)"],
                           env=env, cwd=work, capture_output=True, text=True, check=True).stdout.strip()
    assert Path(where).resolve().is_relative_to(target.resolve())
    done = subprocess.run([sys.executable, "-m", "lawgov_analysis", "report", "--corpus", "my_reports", "--out",
                           "html"], env=env, cwd=work, capture_output=True, text=True, timeout=900)
    assert done.returncode == 0, done.stderr[-2000:]
    pages = sorted(p.name for p in (work / "html").glob("*.html"))
    assert "index.html" in pages and "01_corpus_overview.html" in pages and len(pages) >= 8
    assert "安县" in (work / "html" / "01_corpus_overview.html").read_text(encoding="utf-8")
