"""The indicator panel and the year-over-year change table: rules on hand-made texts, the sample, properties."""

from __future__ import annotations

import math

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from lawgov_analysis.measures.metrics import extract_metrics
from lawgov_analysis.measures.panel import (
    CHANGE_COLUMNS,
    META_COLUMNS,
    PANEL_COLUMNS,
    changes,
    mention_roles,
    panel,
    pick_headline,
)

from .conftest import SAMPLE_ID


def _corpus(*texts: str, **meta) -> pd.DataFrame:
    df = pd.DataFrame({"doc_id": [f"d{i}" for i in range(len(texts))], "text": list(texts)})
    for k, v in meta.items():
        df[k] = v
    return df


def _panel(text: str, **kwargs) -> pd.DataFrame:
    corpus = _corpus(text)
    return panel(extract_metrics(corpus), corpus, include_other=True, **kwargs)


def _roles(text: str) -> dict[str, str]:
    corpus = _corpus(text)
    r = mention_roles(extract_metrics(corpus), corpus)
    return dict(zip(r["surface"], r["role"]))


def _only(df: pd.DataFrame, **where) -> pd.Series:
    hit = df
    for k, v in where.items():
        hit = hit[hit[k] == v]
    assert len(hit) == 1, f"{len(hit)} rows for {where}"
    return hit.iloc[0]


# ------------------------------------------------------------------------------------------------ the sample


@pytest.fixture(scope="module")
def sample_metrics(sample_corpus):
    return extract_metrics(sample_corpus)


@pytest.fixture(scope="module")
def sample_panel(sample_metrics, sample_corpus):
    return panel(sample_metrics, sample_corpus)


def test_sample_columns_and_keys(sample_panel):
    assert list(sample_panel.columns) == PANEL_COLUMNS
    assert (sample_panel["doc_id"] == SAMPLE_ID).all()
    assert not sample_panel.duplicated(["doc_id", "indicator_id", "unit"]).any()
    assert "other" not in set(sample_panel["indicator_id"])
    assert (sample_panel["label_zh"].str.len() > 0).all()
    assert (sample_panel["label_zh"] != sample_panel["indicator_id"]).all()  # a Chinese label for every id
    row = sample_panel.iloc[0]
    assert (row["region"], row["province"], row["level"], row["year"]) == ("昌江区", "江西省", "区", 2021)


@pytest.mark.parametrize(
    ("surface", "start", "value", "unit", "rule"),
    [
        ("4860件", 4609, 4860, "件", "total_cue"),        # 全年共受理各类诉讼案件4860件, not 结案4519件
        ("91.87%", 4626, 91.87, "%", "only_mention"),     # 结案率: its own row, not the count's
        ("9187户", 1542, 9187, "户", "only_mention"),     # the total; 其中企业1020户, 个体8167户 are subtotals
        ("61家", 1501, 61, "家", "only_mention"),         # 业主共计61家, 其中42家…, 19家…
        ("2件", 5706, 2, "件", "only_mention"),           # 全年共受理行政复议案件2件
        ("97.46%", 1867, 97.46, "%", "only_mention"),     # 合格率
        ("1253件", 5221, 1253, "件", "total_cue"),        # 共受理各类执行案件1253件, not 执结1110件
    ],
)
def test_sample_headlines(sample_panel, surface, start, value, unit, rule):
    row = _only(sample_panel, start=start)
    assert (row["surface"], row["value"], row["unit"]) == (surface, value, unit)
    # a total beats the other mentions of its id (结案4519件 is court.cases too); alone it is the only mention
    assert row["rule"] == (rule if row["n_mentions"] > 1 else "only_mention")


def test_sample_review_rows(sample_panel):
    received = _only(sample_panel, indicator_id="review.cases", unit="件")
    closed = _only(sample_panel, indicator_id="review.closed", unit="件")
    assert (received["value"], received["start"], closed["value"], closed["start"]) == (2, 5706, 2, 5711)


def test_sample_evidence_is_the_text(sample_panel, sample_text):
    for row in sample_panel.itertuples():
        assert sample_text[row.start:row.end] == row.surface
    assert not sample_panel["section_id"].eq("").any() and sample_panel["sentence_id"].notna().all()


def test_sample_subtotals_never_headlines(sample_metrics, sample_corpus, sample_panel):
    roles = mention_roles(sample_metrics, sample_corpus)
    subtotals = roles[roles["role"] == "subtotal"]
    assert {"1020户", "8167户", "42家", "19家"} <= set(subtotals["surface"])
    assert not set(zip(subtotals["start"], subtotals["end"])) & set(zip(sample_panel["start"], sample_panel["end"]))


# ------------------------------------------------------------------------------------------------ the rule


@pytest.mark.parametrize(
    ("text", "unit", "value", "rule"),
    [
        ("全区举办法治讲座12场。全年共举办法治讲座30场。", "场", 30, "total_cue"),
        ("全区举办法治讲座12场。累计举办法治讲座30场。", "场", 30, "total_cue"),
        ("受理诉讼案件400件，其中刑事案件150件，民事案件250件。", "件", 400, "only_mention"),
        ("全年举办法治讲座30场。力争明年举办法治讲座50场。", "场", 30, "only_mention"),
        ("全年举办法治讲座30场，预计年底举办法治讲座40场。", "场", 30, "only_mention"),
        ("受理行政复议案件120件，同比增长8.6%。", "件", 120, "only_mention"),
        # the home section (most mentions) wins over an earlier mention in the preamble
        ("全区举办法治讲座5场。\n一、普法工作\n举办法治讲座10场，开展法治讲座20场。\n二、其他工作\n法治讲座8场。",
         "场", 10, "first_in_home_section"),
    ],
)
def test_headline_rule(text, unit, value, rule):
    row = _only(_panel(text), unit=unit)
    assert (row["value"], row["rule"]) == (value, rule)


def test_rate_and_count_never_share_a_row():
    got = _panel("共受理诉讼案件4860件，结案4519件，结案率91.87%。")
    assert sorted(zip(got["unit"], got["value"])) == [("%", 91.87), ("件", 4860.0)]
    assert len(set(got["indicator_id"])) == 1


def test_a_change_is_not_a_level():
    got = _panel("受理行政复议案件120件，同比增长8.6%。")
    assert got["unit"].tolist() == ["件"] and got.attrs["without_headline"] == []


def test_keys_with_only_targets_are_listed_not_dropped():
    got = _panel("下一步，将举办法治讲座50场。")
    assert got.empty and list(got.columns) == PANEL_COLUMNS
    [missing] = got.attrs["without_headline"]
    assert (missing["unit"], missing["n_mentions"], missing["roles"]) == ("场", 1, "target")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("全年共受理诉讼案件400件，其中刑事案件150件，民事案件250件。",
         {"400件": "total", "150件": "subtotal", "250件": "subtotal"}),
        ("全年共举办法治讲座30场；其中线上法治讲座10场。", {"30场": "total", "10场": "subtotal"}),
        ("举办法治讲座30场。其中，线上法治讲座10场。", {"30场": "level", "10场": "subtotal"}),
        ("举办法治讲座30场，其中线上10场。举办法治讲座20场。", {"30场": "level", "10场": "subtotal", "20场": "level"}),
        ("全年举办法治讲座30场。力争明年举办法治讲座50场。", {"30场": "total", "50场": "target"}),
        ("下一步，将举办法治讲座50场。", {"50场": "target"}),
        ("全年共收到群众留言投诉21件，较上年减少3件。", {"21件": "total", "3件": "change"}),
        ("全年共收到群众留言投诉21件，比去年少3件。", {"21件": "total", "3件": "change"}),
        ("全年共收到群众留言投诉21件，比2020年多3件。", {"21件": "total", "3件": "change"}),
        ("结案率91.87%，同比下降3个百分点。", {"91.87%": "level", "3个": "change"}),
        ("加强公共法律服务，为群众提供咨询600人次。", {"600人次": "level"}),   # 公共 is not 共
    ],
)
def test_roles(text, expected):
    assert _roles(text) == expected


@pytest.mark.parametrize(
    ("cues", "sections", "expected"),
    [
        ([False], ["二"], (0, "only_mention")),
        ([False, False], ["0", "二"], (0, "first_mention")),              # the home section 一 has none of them
        ([False, False, False], ["0", "一", "一"], (1, "first_in_home_section")),
        ([False, True, True], ["0", "0", "一"], (2, "total_cue")),       # a total in the home section first
        ([True, False, True], ["0", "一", "二"], (0, "total_cue")),      # else the earliest total
    ],
)
def test_pick(cues, sections, expected):
    assert pick_headline(list(range(len(cues))), cues, sections, "一") == expected


def test_other_is_left_out_unless_asked():
    corpus = _corpus("全区举办法治讲座12场，种植树木300棵。")
    m = extract_metrics(corpus)
    m.loc[m["surface"] == "300棵", "indicator_id"] = "other"   # whatever the rules say, take it as unmapped
    assert "other" in set(m["indicator_id"]) and len(set(m["indicator_id"])) == 2
    assert "other" not in set(panel(m, corpus)["indicator_id"])
    assert "other" in set(panel(m, corpus, include_other=True)["indicator_id"])


# ------------------------------------------------------------------------------------------------ metadata


def test_metadata_from_the_corpus_and_missing_columns_are_na():
    corpus = _corpus("全年共举办法治讲座30场。", "全年共举办法治讲座40场。", region=["安县", "北区"],
                     region_code=["360222", "360202"], year=[2020, 2021], department=["", "司法局"])
    got = panel(extract_metrics(corpus), corpus)
    assert got[["doc_id", "region", "region_code", "year", "department"]].values.tolist() == [
        ["d0", "安县", "360222", 2020, ""], ["d1", "北区", "360202", 2021, "司法局"]]
    assert got["city"].isna().all() and got["province"].isna().all() and got["level"].isna().all()
    assert str(got["year"].dtype) == "Int64"


def test_labels_can_be_overridden():
    corpus = _corpus("全年共举办法治讲座30场。")
    m = extract_metrics(corpus)
    iid = m["indicator_id"].iloc[0]
    assert panel(m, corpus, labels={iid: "讲座"})["label_zh"].tolist() == ["讲座"]
    assert panel(m, corpus, labels={})["label_zh"].tolist() == [iid]


# ------------------------------------------------------------------------------------------------ wide


def test_wide_form(tmp_path):
    corpus = _corpus("共受理诉讼案件4860件，结案率91.87%。全年共举办法治讲座30场。", "没有数字。",
                     "全年共举办法治讲座40场。", region=["甲", "乙", "丙"], year=[2021, 2021, 2022])
    long = panel(extract_metrics(corpus), corpus)
    wide = panel(extract_metrics(corpus), corpus, wide=True)
    assert list(wide.columns[:1 + len(META_COLUMNS)]) == ["doc_id", *META_COLUMNS]
    cols = list(wide.columns[1 + len(META_COLUMNS):])
    assert cols == sorted(cols, key=lambda c: tuple(c.split("|")))
    assert len(cols) == len(set(zip(long["indicator_id"], long["unit"])))
    assert wide["doc_id"].tolist() == ["d0", "d1", "d2"]  # every report, the one without numbers too
    assert wide.iloc[1, 1 + len(META_COLUMNS):].isna().all()
    for row in long.itertuples():
        assert wide.set_index("doc_id").loc[row.doc_id, f"{row.indicator_id}|{row.unit}"] == row.value
    wide.to_csv(tmp_path / "p.csv", index=False)
    wide.to_excel(tmp_path / "p.xlsx", index=False)
    back = pd.read_excel(tmp_path / "p.xlsx")
    assert list(back.columns) == list(wide.columns) and back.shape == wide.shape


def test_empty_inputs():
    corpus = _corpus("没有数字。")
    got = panel(extract_metrics(corpus), corpus)
    assert got.empty and list(got.columns) == PANEL_COLUMNS
    wide = panel(extract_metrics(corpus), corpus, wide=True)
    assert list(wide.columns) == ["doc_id", *META_COLUMNS] and len(wide) == 1
    ch = changes(extract_metrics(corpus), corpus)
    assert ch.empty and list(ch.columns) == CHANGE_COLUMNS


def test_missing_columns_are_named():
    with pytest.raises(ValueError, match="metrics is missing column"):
        panel(pd.DataFrame({"doc_id": []}), _corpus())


def test_reports_missing_from_the_corpus_are_named():
    corpus = _corpus("全年共举办法治讲座30场。")
    m = extract_metrics(corpus)
    with pytest.warns(UserWarning, match="not in the corpus: d0"):
        got = panel(m, corpus.iloc[0:0])
    assert got["value"].tolist() == [30.0] and got["region"].isna().all()


# ------------------------------------------------------------------------------------------------ changes


@pytest.mark.parametrize(
    ("text", "direction", "size", "size_unit", "unit", "current", "previous", "rule"),
    [
        ("全年共收到群众留言投诉21件，较上年减少3件。", "down", -3, "件", "件", 21, 24, "same_sentence"),
        ("全年共收到群众留言投诉21件，比去年多3件。", "up", 3, "件", "件", 21, 18, "same_sentence"),
        ("受理行政复议案件120件，同比增长20%。", "up", 20, "%", "件", 120, 100, "same_sentence"),
        ("受理行政复议案件120件，同比下降20%。", "down", -20, "%", "件", 120, 150, "same_sentence"),
        ("结案率91.87%，同比下降3个百分点。", "down", -3, "个百分点", "%", 91.87, 94.87, "same_sentence"),
        ("结案率92%，同比提高2%。", "up", 2, "%", "%", 92, math.nan, "same_sentence"),   # points or relative?
        ("受理诉讼案件500件。诉讼案件同比增长25%。", "up", 25, "%", "件", 500, 400, "headline"),
    ],
)
def test_changes(text, direction, size, size_unit, unit, current, previous, rule):
    corpus = _corpus(text)
    [row] = list(changes(extract_metrics(corpus), corpus, include_other=True).itertuples())
    assert (row.direction, row.size, row.size_unit, row.unit, row.current, row.current_rule) == \
        (direction, size, size_unit, unit, current, rule)
    assert (math.isnan(previous) and math.isnan(row.previous)) or row.previous == pytest.approx(previous)
    assert text[row.start:row.end] == row.surface
    assert text[row.current_start:row.current_end] == row.current_surface


def test_change_columns_and_metadata():
    corpus = _corpus("受理行政复议案件120件，同比增长20%。", region=["安县"], year=[2021])
    got = changes(extract_metrics(corpus), corpus)
    assert list(got.columns) == CHANGE_COLUMNS
    assert (got["region"].tolist(), got["year"].tolist(), got["comparison_text"].tolist()) == \
        (["安县"], [2021], ["同比增长"])


# ------------------------------------------------------------------------------------------------ properties

_LEVELS = ["全年共受理诉讼案件{n}件", "结案{n}件", "结案率{p}%", "举办法治讲座{n}场", "累计举办法治讲座{n}场",
           "发放宣传资料{n}份", "新增市场主体{n}户，其中企业{m}户", "受理行政复议案件{n}件，同比增长{p}%",
           "调解成功率达到{p}%", "力争举办法治讲座{n}场", "较上年减少{m}件", "排查矛盾纠纷{n}件，成功化解{m}件",
           "网上立案{n}件", "抽检{n}批，合格率为{p}%", "下降{q}个百分点"]


@st.composite
def _reports(draw):
    n_docs = draw(st.integers(1, 3))
    texts = []
    for _ in range(n_docs):
        parts = []
        for _ in range(draw(st.integers(1, 6))):
            tpl = draw(st.sampled_from(_LEVELS))
            parts.append(tpl.format(n=draw(st.integers(1, 99999)), m=draw(st.integers(1, 999)),
                                    p=draw(st.sampled_from(["91.87", "100", "99.3", "8.6", "45"])),
                                    q=draw(st.integers(1, 9))))
            parts.append(draw(st.sampled_from(["，", "。", "；", "。\n"])))
        if draw(st.booleans()):
            parts.insert(0, "一、主要工作\n")
        texts.append("".join(parts))
    return _corpus(*texts, year=[2020 + i for i in range(n_docs)])


@settings(max_examples=15, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.too_slow])
@given(_reports())
def test_properties(corpus):
    m = extract_metrics(corpus)
    got = panel(m, corpus, include_other=True)
    texts = dict(zip(corpus["doc_id"], corpus["text"]))
    # every cell's evidence is exactly the text of its report
    for row in got.itertuples():
        assert texts[row.doc_id][row.start:row.end] == row.surface
    # no % value in a count row, and one row per key
    assert not got.loc[got["unit"] != "%", "surface"].str.contains("[%％]").any()
    assert not got.duplicated(["doc_id", "indicator_id", "unit"]).any()
    # deterministic, whatever the order of the metric rows
    again = panel(m.sample(frac=1, random_state=1), corpus, include_other=True)
    pd.testing.assert_frame_equal(got, again)
    ch = changes(m, corpus, include_other=True)
    for row in ch.itertuples():
        assert texts[row.doc_id][row.start:row.end] == row.surface
    pd.testing.assert_frame_equal(ch, changes(m.sample(frac=1, random_state=2), corpus, include_other=True))


# ------------------------------------------------------------------------------------------------ CLI


def test_cli_panel(fixture_dir, tmp_path, capsys):
    from lawgov_analysis.cli import main

    assert main(["panel", str(fixture_dir), "--out", str(tmp_path / "long.csv")]) == 0
    long = pd.read_csv(tmp_path / "long.csv", dtype={"doc_id": str})
    assert list(long.columns) == PANEL_COLUMNS
    assert set(long["doc_id"]) == {"anxian-2019", "anxian-2020", "beiqu-2021"}
    rate = long[(long["doc_id"] == "anxian-2020") & (long["unit"] == "%")]
    assert rate["value"].tolist() == [97.0] and rate["surface"].tolist() == ["97%"]
    assert main(["panel", str(fixture_dir), "--wide", "--out", str(tmp_path / "wide.xlsx")]) == 0
    wide = pd.read_excel(tmp_path / "wide.xlsx")
    assert wide["doc_id"].tolist() == ["anxian-2019", "anxian-2020", "beiqu-2021"]
    assert wide["year"].tolist() == [2019, 2020, 2021]
    assert list(wide.columns[:1 + len(META_COLUMNS)]) == ["doc_id", *META_COLUMNS]
    assert "wrote 3 rows" in capsys.readouterr().out


def test_metric_tables_without_comparison_text():
    # tables written before comparison_text/direction existed carry the wording in comparison
    corpus = _corpus("全年共收到群众留言投诉21件，较上年减少3件。")
    m = extract_metrics(corpus)
    if "comparison_text" in m.columns:
        m = m.assign(comparison=m["comparison_text"]).drop(columns=["comparison_text", "direction"])
    [row] = list(changes(m, corpus, include_other=True).itertuples())
    assert (row.comparison_text, row.direction, row.size, row.previous) == ("较上年减少", "down", -3.0, 24.0)


def _previous_reports_by_pairs(meta: pd.DataFrame) -> dict[str, list[str]]:
    """The definition of the same government's previous-year reports, comparing every pair (the reference)."""
    from lawgov_analysis.core.government import government_key

    keys = dict(zip(meta["doc_id"], government_key(meta)))
    years = dict(zip(meta["doc_id"], meta["year"]))
    out = {}
    for d, y in years.items():
        if pd.isna(y) or keys[d] is pd.NA:
            continue
        prev = [p for p, py in sorted(years.items())
                if not pd.isna(py) and int(py) == int(y) - 1 and keys[p] is not pd.NA and keys[p] == keys[d]]
        if prev:
            out[d] = prev
    return out


@settings(max_examples=60, deadline=None, derandomize=True)
@given(st.lists(st.tuples(st.sampled_from(["", "360202", "469026"]), st.sampled_from(["", "昌江区", "安县"]),
                          st.sampled_from(["", "景德镇市"]), st.sampled_from(["区", "县"]),
                          st.sampled_from(["", "司法局"]), st.sampled_from([None, 2020, 2021, 2022])),
                max_size=14))
def test_previous_reports_match_the_pairwise_definition(rows):
    from lawgov_analysis.measures.panel import previous_reports

    meta = pd.DataFrame([dict(doc_id=f"d{i:02d}", region_code=c, region=r, province="", city=city, level=lv,
                              department=dep, year=y) for i, (c, r, city, lv, dep, y) in enumerate(rows)],
                        columns=["doc_id", "region_code", "region", "province", "city", "level", "department",
                                 "year"])
    meta["year"] = meta["year"].astype("Int64")
    assert previous_reports(meta) == _previous_reports_by_pairs(meta)


def test_a_coded_and_an_uncoded_report_of_one_government_are_one_series():
    from lawgov_analysis.measures.panel import previous_reports

    meta = pd.DataFrame(dict(doc_id=["a2020", "a2021", "b2021"], region_code=["360202", "", ""],
                             region=["昌江区", "昌江区", "珠山区"], province=["江西省"] * 3, city=["景德镇市"] * 3,
                             level=["区"] * 3, department=[""] * 3, year=pd.array([2020, 2021, 2021], "Int64")))
    assert previous_reports(meta) == {"a2021": ["a2020"]}


def test_panel_and_changes_equal_the_two_calls():
    from lawgov_analysis.measures.panel import panel_and_changes

    corpus = pd.DataFrame({
        "doc_id": ["a-2020", "a-2021"], "region": ["安县", "安县"], "region_code": ["360222", "360222"],
        "level": ["县", "县"], "year": [2020, 2021],
        "text": ["全年共受理行政复议案件110件，办结100件。结案率90%。",
                 "全年共受理行政复议案件120件，同比增长9.1%，其中刑事案件30件。结案率92%，同比提高2个百分点。"
                 "下一步，将举办讲座30场。"]})
    mets = extract_metrics(corpus)
    long, moves = panel_and_changes(mets, corpus)
    expected_panel, expected_changes = panel(mets, corpus), changes(mets, corpus)
    pd.testing.assert_frame_equal(long, expected_panel)
    pd.testing.assert_frame_equal(moves, expected_changes)
    assert long.attrs == expected_panel.attrs and len(moves) == 2 and len(long) >= 3
    other = panel_and_changes(mets, corpus, include_other=True, labels={"court.cases": "案件"})
    pd.testing.assert_frame_equal(other[0], panel(mets, corpus, include_other=True, labels={"court.cases": "案件"}))
