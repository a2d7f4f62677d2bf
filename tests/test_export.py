"""Tables written for other software (io/export.py): Stata names and labels, Excel-safe CSV, codebook."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from lawgov_analysis.io.export import (
    panel_codebook,
    read_codebook_entries,
    save_stata,
    stata_name,
    stata_names,
    write_csv,
    write_table,
)

REPO = Path(__file__).resolve().parents[1]
STATA_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_]{0,31}$")


@pytest.fixture(scope="module")
def wide_panel(sample_corpus):
    from lawgov_analysis.measures.metrics import extract_metrics
    from lawgov_analysis.measures.panel import panel

    return panel(extract_metrics(sample_corpus), sample_corpus, wide=True)


@pytest.mark.parametrize("column, name", [
    ("court.cases|件", "court_cases_jian"),
    ("court.cases|%", "court_cases_pct"),
    ("decision.legal_adviser_opinions|份", "legal_adviser_opinions_fen"),
    ("pufa.reach|人次", "pufa_reach_renci"),
    ("safety.inspections|‰", "safety_inspections_permille"),
    ("region_code", "region_code"),
    ("2021", "v2021"),
    ("hits per 10k", "hits_per_10k"),
    ("int", "int_"),
    ("str12", "str12_"),
    ("地区", "diqu"),
])
def test_stata_name(column, name):
    assert stata_name(column) == name


def test_stata_names_valid_unique_for_every_indicator_and_unit():
    from lawgov_analysis.measures.indicators import indicator_labels

    units = ["件", "份", "人次", "%", "元", "个", "项", "平方公里", "场次", "起", "名", "‰", "户"]
    columns = [f"{i}|{u}" for i in indicator_labels()["indicator_id"] for u in units]
    names = stata_names(["doc_id", "region", "year", *columns])
    assert len(names) == len(columns) + 3
    assert all(STATA_NAME.match(n) for n in names.values())
    assert len({n.lower() for n in names.values()}) == len(names)


def test_stata_names_collisions_get_numbered_within_32_chars():
    long = "x" * 40
    names = stata_names([long, long + "|", "a b", "a-b", "a_b"])
    assert list(names.values()) == ["x" * 32, "x" * 30 + "_2", "a_b", "a_b_2", "a_b_3"]


def test_dta_labels_names_and_round_trip(wide_panel, tmp_path):
    path = tmp_path / "panel.dta"
    written = write_table(wide_panel, path)
    assert written == [path, tmp_path / "panel_codebook.csv"]
    with pd.read_stata(path, iterator=True) as reader:
        labels = reader.variable_labels()
    names = stata_names(list(wide_panel.columns))
    assert all(STATA_NAME.match(n) for n in labels)
    assert list(labels) == [names[c] for c in wide_panel.columns]
    assert labels["court_cases_jian"] == "法院受理和审结案件 (件)"
    assert labels["court_cases_pct"] == "法院受理和审结案件 (%)"
    assert labels["region"] == "地区 (region)"
    assert labels["year"] == "报告年度 (year)"
    back = pd.read_stata(path)
    assert back["doc_id"].tolist() == wide_panel["doc_id"].tolist()
    assert back["region"].tolist() == wide_panel["region"].tolist()
    assert re.fullmatch(r"[\u4e00-\u9fff]+", back.loc[0, "region"])
    for column, name in names.items():
        original = wide_panel[column]
        if pd.api.types.is_datetime64_any_dtype(original.dtype):  # published: a Stata date-time, NaT kept
            assert back[name].isna().tolist() == original.isna().tolist(), column
            assert (back[name].dropna() == original.dropna()).all(), column
        elif pd.api.types.is_numeric_dtype(original.dtype):
            np.testing.assert_array_equal(back[name].to_numpy(dtype=float), original.to_numpy(dtype=float,
                                                                                              na_value=np.nan))
        else:  # Stata has no missing string: <NA> comes back as ""
            assert back[name].tolist() == original.fillna("").astype(str).tolist(), column
    assert back.loc[0, "court_cases_jian"] == 4860


def test_dta_of_a_long_table_with_text_nulls_lists_and_long_strings(tmp_path):
    df = pd.DataFrame({
        "doc_id": ["a", "b", "c"],
        "year": pd.array([2021, None, 2023], dtype="Int64"),
        "terms": [("普法", "宣传"), None, ()],
        "text": ["长" * 1500, "短", ""],     # 4500 bytes: a strL
        "flag": [True, False, True],
        "value|件": [1.5, np.nan, 3.0],
    })
    names = save_stata(df, tmp_path / "t.dta")
    assert names["value|件"] == "value_jian"
    back = pd.read_stata(tmp_path / "t.dta")
    assert back["year"].isna().tolist() == [False, True, False]
    assert back["year"].dropna().tolist() == [2021, 2023]
    assert back["terms"].tolist() == ["普法、宣传", "", ""]
    assert back["text"].tolist() == ["长" * 1500, "短", ""]
    assert back["flag"].tolist() == [1, 0, 1]
    with pd.read_stata(tmp_path / "t.dta", iterator=True) as reader:
        assert reader.variable_labels()["value_jian"] == "value|件"
        assert reader.data_label == "lawgov-analysis"


def test_csv_starts_with_bom_and_keeps_chinese(wide_panel, tmp_path):
    path = write_table(wide_panel, tmp_path / "panel.csv")[0]
    region = wide_panel.loc[0, "region"]
    assert re.fullmatch(r"[\u4e00-\u9fff]+", region)
    raw = path.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    assert region.encode() in raw
    back = pd.read_csv(path, encoding="utf-8-sig", dtype={"doc_id": str})
    assert list(back.columns) == list(wide_panel.columns)
    assert back.loc[0, "region"] == region
    assert back.loc[0, "court.cases|件"] == 4860
    # what Excel does: detect the BOM, then decode UTF-8 (without the BOM it would decode the code page)
    assert raw[3:].decode("utf-8").splitlines()[0].startswith("doc_id,region,")
    assert region not in raw.decode("gbk", errors="replace")


def test_csv_without_bom_and_tsv(tmp_path):
    df = pd.DataFrame({"地区": ["长江市"], "n": [1]})
    assert not write_csv(df, tmp_path / "a.csv", bom=False).read_bytes().startswith(b"\xef\xbb\xbf")
    tsv = write_table(df, tmp_path / "a.tsv")[0]
    assert tsv.read_bytes() == "\ufeff地区\tn\n长江市\t1\n".encode()


def test_figure_table_csv_has_a_bom_like_every_csv(tmp_path):
    import matplotlib.pyplot as plt

    from lawgov_analysis.present.save import save_figure

    fig, ax = plt.subplots(figsize=(3, 2))
    ax.bar([0, 1], [3, 5])
    fig.lawgov_table = pd.DataFrame({"level": ["县", "市"], "reports": [3, 5]})
    try:
        written = save_figure(fig, "levels", tmp_path, formats=("png",))
    finally:
        plt.close(fig)
    assert [p.name for p in written] == ["levels.png", "levels.csv"]
    assert written[1].read_bytes() == "\ufefflevel,reports\n县,3\n市,5\n".encode()


def test_codebook_beside_every_wide_panel(wide_panel, tmp_path):
    for suffix in (".csv", ".parquet", ".xlsx", ".dta"):
        written = write_table(wide_panel, tmp_path / f"p{suffix}")
        assert written[1] == tmp_path / "p_codebook.csv"
    book = pd.read_csv(tmp_path / "p_codebook.csv", encoding="utf-8-sig", dtype=str, keep_default_na=False)
    assert list(book.columns) == ["column", "variable", "indicator_id", "unit", "label_zh", "definition"]
    assert book["column"].tolist() == list(wide_panel.columns)
    row = book.set_index("column").loc["court.cases|件"]
    assert (row["variable"], row["indicator_id"], row["unit"], row["label_zh"]) == \
        ("court_cases_jian", "court.cases", "件", "法院受理和审结案件")
    assert row["definition"] == "court cases received and concluded, closure rates"
    assert book.set_index("column").loc["level", "label_zh"] == "层级"
    # a long table gets no codebook
    assert write_table(wide_panel[["doc_id", "region"]], tmp_path / "meta.csv") == [tmp_path / "meta.csv"]


def test_codebook_definitions_match_the_spec():
    spec = (REPO / "docs" / "spec" / "indicators.md").read_text(encoding="utf-8")
    rows = [line for line in spec.splitlines()
            if re.match(r"^\| [a-z_]+(\.[a-z_]+)? \|", line) and not line.startswith("| indicator_id ")]
    from_spec = {c[0]: c[2] for c in ([x.strip() for x in r.strip().strip("|").split("|")] for r in rows)}
    entries = read_codebook_entries().set_index("id")
    bundled = {i: entries.at[i, "definition"] for i in entries.index if "." in i or i == "other"}
    assert bundled == from_spec
    assert not entries.index.duplicated().any()


def test_codebook_labels_from_the_rules_in_use():
    wide = pd.DataFrame(columns=["doc_id", "court.cases|件", "my.count|件"])
    book = panel_codebook(wide, labels={"my.count": "我的指标"})
    assert book["label_zh"].tolist() == ["报告编号", "court.cases", "我的指标"]
    assert panel_codebook(wide)["label_zh"].tolist() == ["报告编号", "法院受理和审结案件", "my.count"]


def test_parquet_and_xlsx_round_trip(wide_panel, tmp_path):
    write_table(wide_panel, tmp_path / "p.parquet")
    pd.testing.assert_frame_equal(pd.read_parquet(tmp_path / "p.parquet"), wide_panel.reset_index(drop=True),
                                  check_dtype=False)
    df = pd.DataFrame({"text": ["a\x0bb 长江"], "n": [1]})
    write_table(df, tmp_path / "t.xlsx")
    assert pd.read_excel(tmp_path / "t.xlsx")["text"].tolist() == ["ab 长江"]


def test_unknown_suffix_names_the_file(tmp_path):
    with pytest.raises(ValueError, match=r"t\.json: the suffix must be one of \.csv, \.tsv"):
        write_table(pd.DataFrame({"a": [1]}), tmp_path / "t.json")


def test_cli_panel_writes_dta_parquet_and_excel_csv(tmp_path):
    sample = REPO / "data" / "reports" / "changjiang-2021.txt"
    for name in ("panel.dta", "panel.parquet", "panel.csv"):
        out = tmp_path / name
        done = subprocess.run([sys.executable, "-m", "lawgov_analysis.cli", "panel", str(sample), "--wide",
                               "--out", str(out)], capture_output=True, text=True, cwd=REPO)
        assert done.returncode == 0, done.stderr
        assert out.is_file() and (tmp_path / "panel_codebook.csv").is_file()
        assert f"wrote 1 rows to {out}" in done.stdout
    assert (tmp_path / "panel.csv").read_bytes().startswith(b"\xef\xbb\xbf")
    with pd.read_stata(tmp_path / "panel.dta", iterator=True) as reader:
        assert reader.variable_labels()["court_cases_jian"] == "法院受理和审结案件 (件)"
