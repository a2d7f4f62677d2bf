"""The ``lawgov-analysis`` command: every subcommand on a small multi-report corpus, through ``main``."""

from __future__ import annotations

import json

import pandas as pd
import pytest

from lawgov_analysis.cli import main


@pytest.fixture(scope="module")
def store_dir(fixture_dir, tmp_path_factory):
    out = tmp_path_factory.mktemp("cli") / "store"
    assert main(["build", str(fixture_dir), "--out", str(out), "--jobs", "1"]) == 0
    return out


def test_build_prints_what_it_did(fixture_dir, tmp_path, capsys):
    assert main(["build", str(fixture_dir), "--out", str(tmp_path / "s"), "--jobs", "1"]) == 0
    out = capsys.readouterr().out
    assert "3 reports; this build: 3 built, 0 unchanged, 0 failed" in out
    assert main(["build", str(fixture_dir), "--out", str(tmp_path / "s"), "--jobs", "1"]) == 0
    assert "0 built, 3 unchanged" in capsys.readouterr().out


def test_build_of_a_missing_folder_is_one_line(tmp_path, capsys):
    assert main(["build", str(tmp_path / "nowhere"), "--out", str(tmp_path / "s")]) == 1
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "nowhere" in err[0]


def test_ingest_accounts_for_every_file(fixture_dir, capsys):
    assert main(["ingest", str(fixture_dir)]) == 0
    out = capsys.readouterr().out
    for stem in ("anxian-2019", "anxian-2020", "beiqu-2021"):
        assert stem in out
    assert "3" in out.splitlines()[-1]


def test_metrics_from_a_store_and_from_files_agree(store_dir, fixture_dir, tmp_path):
    assert main(["metrics", str(store_dir), "--out", str(tmp_path / "a.csv")]) == 0
    assert main(["metrics", str(fixture_dir), "--out", str(tmp_path / "b.csv")]) == 0
    a = pd.read_csv(tmp_path / "a.csv", encoding="utf-8-sig")
    b = pd.read_csv(tmp_path / "b.csv", encoding="utf-8-sig")
    pd.testing.assert_frame_equal(a, b)
    row = a[(a["doc_id"] == "anxian-2019") & (a["unit"] == "场")].iloc[0]
    assert row["value"] == 15 and row["indicator_id"] == "pufa.events"


def test_audit_panel_and_themes_read_the_store(store_dir, tmp_path, capsys):
    assert main(["audit", str(store_dir), "--out", str(tmp_path / "audit.csv")]) == 0
    audit = pd.read_csv(tmp_path / "audit.csv", encoding="utf-8-sig")
    assert set(audit["doc_id"]) <= {"anxian-2019", "anxian-2020", "beiqu-2021"} and len(audit)
    assert main(["panel", str(store_dir), "--out", str(tmp_path / "panel.csv")]) == 0
    panel = pd.read_csv(tmp_path / "panel.csv", encoding="utf-8-sig")
    got = panel[(panel["doc_id"] == "anxian-2020") & (panel["indicator_id"] == "review.cases")]
    assert got["value"].tolist() == [5]
    assert main(["themes", str(store_dir), "--by", "year", "--out", str(tmp_path / "themes.csv")]) == 0
    themes = pd.read_csv(tmp_path / "themes.csv", encoding="utf-8-sig")
    assert {"pufa", "saohei", "fangguanfu"} <= set(themes["theme_id"])
    assert sorted(themes["year"].unique()) == [2019, 2020, 2021]


def test_themes_with_a_user_file_on_a_store_says_how_to_rebuild(store_dir, tmp_path, capsys):
    user = tmp_path / "mine.toml"
    user.write_text('[yingshang]\nlabel = "营商环境"\nterms = ["营商环境"]\n', encoding="utf-8")
    assert main(["themes", str(store_dir), "--themes", str(user)]) == 2
    assert "lawgov-analysis build PATH --themes" in capsys.readouterr().err


def test_keywords_and_topics(store_dir, capsys):
    assert main(["keywords", str(store_dir), "--top", "5"]) == 0
    out = capsys.readouterr().out
    assert "anxian-2019" in out
    assert main(["topics", str(store_dir), "--k", "2"]) == 0
    out = capsys.readouterr().out
    assert "topic 0:" in out and "topic 1:" in out
    assert main(["topics", str(store_dir), "--k", "two"]) == 2


def test_sql_over_the_store(store_dir, tmp_path, capsys):
    query = "select doc_id, count(*) as n from metrics group by doc_id order by doc_id"
    assert main(["sql", str(store_dir), query, "--out", str(tmp_path / "q.csv")]) == 0
    got = pd.read_csv(tmp_path / "q.csv", encoding="utf-8-sig")
    assert got["doc_id"].tolist() == ["anxian-2019", "anxian-2020", "beiqu-2021"]
    from lawgov_analysis import open_corpus

    metrics = open_corpus(store_dir).table("metrics")
    assert got["n"].tolist() == metrics.groupby("doc_id", observed=True).size().tolist()
    assert main(["sql", str(store_dir), "select nonsense from nowhere"]) == 1
    assert main(["sql", str(tmp_path), "select 1"]) == 2


def test_notebooks_are_copied_with_the_corpus_set(fixture_dir, tmp_path, capsys):
    dest = tmp_path / "project"
    assert main(["notebooks", str(dest), "--corpus", str(fixture_dir)]) == 0
    names = sorted(p.name for p in dest.iterdir())
    assert "01_corpus_overview.ipynb" in names and "01_corpus_overview.py" in names
    nb = json.loads((dest / "01_corpus_overview.ipynb").read_text(encoding="utf-8"))
    params = next(c for c in nb["cells"] if "parameters" in c["metadata"].get("tags", []))
    source = "".join(params["source"])
    assert 'corpus = "../' in source and fixture_dir.name in source and 'out_dir = "figures"' in source
    script = (dest / "01_corpus_overview.py").read_text(encoding="utf-8")
    assert f'{fixture_dir.name}"' in script
    assert main(["notebooks", str(dest)]) == 1          # no silent overwrite
    assert main(["notebooks", str(dest), "--force"]) == 0


def test_report_of_a_missing_corpus_is_one_line(tmp_path, capsys):
    assert main(["report", "--corpus", str(tmp_path / "none"), "--out", str(tmp_path / "html")]) == 2
    assert capsys.readouterr().err.strip() == f"lawgov-analysis report: corpus {tmp_path / 'none'} does not exist"
    assert not (tmp_path / "html").exists()


def test_evaluate_metrics_on_the_sample(capsys):
    from .conftest import GOLD_DIR, SAMPLE_DIR

    assert main(["evaluate-metrics", "--gold", str(GOLD_DIR / "seed_metrics.csv"), "--indicators",
                 str(GOLD_DIR / "seed_indicators.csv"), str(SAMPLE_DIR)]) == 0
    out = capsys.readouterr().out
    assert "precision=1.0000 recall=1.0000 f1=1.0000" in out
