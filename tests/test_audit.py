"""Arithmetic audit: rates, totals with parts, received vs concluded — on the sample and on toy sentences."""

from __future__ import annotations

import pandas as pd
import pytest

from lawgov_analysis.measures.audit import AUDIT_COLUMNS, audit, year_over_year_checks
from lawgov_analysis.measures.metrics import extract_metrics

from .conftest import SAMPLE_ID


def _one(text: str, doc_id: str = "doc") -> pd.DataFrame:
    """A one-report corpus."""
    return pd.DataFrame({"doc_id": pd.Series([doc_id], dtype="str"), "text": pd.Series([text], dtype="str")})


@pytest.fixture(scope="module")
def findings(sample_corpus):
    return audit(extract_metrics(sample_corpus), sample_corpus)


def _audit_text(text: str, **kwargs) -> pd.DataFrame:
    corpus = pd.DataFrame({"doc_id": ["doc"], "text": [text]})
    return audit(extract_metrics(_one(text)), corpus, **kwargs)


def _row(findings: pd.DataFrame, evidence_start: str) -> pd.Series:
    hit = findings[findings["evidence"].str.startswith(evidence_start)]
    assert len(hit) == 1, f"no single finding starting with {evidence_start!r}"
    return hit.iloc[0]


def test_columns_and_sorting(findings):
    assert list(findings.columns) == AUDIT_COLUMNS
    assert (findings["doc_id"] == SAMPLE_ID).all()
    assert set(findings["severity"]) <= {"ok", "info", "warning", "error"}


def test_sample_flags_the_closure_rate(findings):
    row = _row(findings, "4519件[4617:4622] / 4860件[4609:4614]")
    assert (row.kind, row.stated, row.severity) == ("rate_mismatch", 91.87, "error")
    assert row.computed == pytest.approx(92.9835, abs=1e-4)
    assert row.difference == pytest.approx(-1.1135, abs=1e-4)
    assert row.evidence == "4519件[4617:4622] / 4860件[4609:4614] vs 91.87%[4626:4632]"


@pytest.mark.parametrize(
    ("evidence", "kind", "stated", "computed"),
    [
        ("385批次[1857:1862] / 395批[1848:1852] vs 97.46%[1867:1873]", "rate_mismatch", 97.46, 97.4684),
        ("1181件[5608:5613] / 1189件[5598:5603] vs 99.3%[5621:5626]", "rate_mismatch", 99.3, 99.3272),
        ("1020户[1552:1557] + 8167户[1560:1565] vs 9187户[1542:1547]", "part_whole_mismatch", 9187, 9187),
        ("42家[1507:1510] + 19家[1517:1520] vs 61家[1501:1504]", "part_whole_mismatch", 61, 61),
        ("21件[3437:3440] of 21件[3430:3433]", "completion_gap", 21, 21),
        ("2件[5711:5713] of 2件[5706:5708]", "completion_gap", 2, 2),
        ("15件[5729:5732] of 15件[5722:5725]", "completion_gap", 15, 15),
    ],
)
def test_sample_passes(findings, evidence, kind, stated, computed):
    row = _row(findings, evidence)
    assert (row.kind, row.severity, row.evidence) == (kind, "ok", evidence)
    assert row.stated == stated and row.computed == pytest.approx(computed, abs=1e-4)


@pytest.mark.parametrize(
    ("evidence", "stated", "computed"),
    [
        ("10件[3455:3458] of 11件[3448:3451]", 11, 10),
        ("4519件[4617:4622] of 4860件[4609:4614]", 4860, 4519),
        ("1110件[5229:5234] of 1253件[5221:5226]", 1253, 1110),
        ("1181件[5608:5613] of 1189件[5598:5603]", 1189, 1181),
    ],
)
def test_sample_completion_gaps_are_information(findings, evidence, stated, computed):
    row = _row(findings, evidence)
    assert (row.kind, row.severity, row.stated, row.computed, row.difference) == \
        ("completion_gap", "info", stated, computed, stated - computed)


def test_sample_has_exactly_one_error(findings):
    assert findings[findings["severity"] == "error"]["evidence"].tolist() == [
        "4519件[4617:4622] / 4860件[4609:4614] vs 91.87%[4626:4632]"]


@pytest.mark.parametrize(
    ("text", "kind", "severity"),
    [
        ("全年受理案件200件，办结150件，办结率75%。", "rate_mismatch", "ok"),
        ("全年受理案件200件，办结150件，办结率80%。", "rate_mismatch", "error"),
        ("抽检300批，合格290批次，合格率96.66%。", "rate_mismatch", "ok"),       # 96.666… truncated
        ("抽检300批，合格290批次，合格率96.67%。", "rate_mismatch", "ok"),       # … or rounded
        ("抽检300批，合格290批次，合格率96.5%。", "rate_mismatch", "error"),
        ("抽检300批，不合格10批，合格率96.67%。", "rate_mismatch", "ok"),        # the complement
        ("新增市场主体500户，其中企业120户，个体380户。", "part_whole_mismatch", "ok"),
        ("新增市场主体500户，其中企业220户，个体380户。", "part_whole_mismatch", "error"),
        ("清理文件48件，其中废止12件、修改7件。", "part_whole_mismatch", "warning"),
        ("收到申请30件，已办结28件。", "completion_gap", "info"),
        ("受理复议案件5件，审结5件。", "completion_gap", "ok"),
    ],
)
def test_toy_checks(text, kind, severity):
    got = _audit_text(text)
    got = got[got["kind"] == kind]
    assert got["severity"].tolist() == [severity]


@pytest.mark.parametrize(
    "text",
    [
        "出庭应诉率达100%。",                                       # a rate with nothing to recompute it from
        "受理案件4860件，同比增长12.5%。",                           # a change, not a rate
        "排查纠纷1189件，调解成功率99.3%，其中重大纠纷41件。",        # one part is not a breakdown
        "接种疫苗34万余剂次，完成率达100%以上。",                     # no numerator
        "新增市场主体500余户，其中企业120户，个体380户。",            # a hedged total is not checked exactly
    ],
)
def test_no_check_without_evidence(text):
    got = _audit_text(text)
    assert got[got["kind"].isin(["rate_mismatch", "part_whole_mismatch"])].empty


def test_passes_can_be_left_out(sample_corpus):
    only = audit(extract_metrics(sample_corpus), sample_corpus, passes=False)
    assert "ok" not in set(only["severity"]) and len(only) == 5


def test_empty_tables():
    corpus = pd.DataFrame({"doc_id": ["doc"], "text": ["没有数字。"]})
    out = audit(extract_metrics(_one("没有数字。")), corpus)
    assert out.empty and list(out.columns) == AUDIT_COLUMNS


def test_missing_columns_are_named():
    with pytest.raises(ValueError, match="metrics is missing column"):
        audit(pd.DataFrame({"doc_id": []}), pd.DataFrame({"doc_id": [], "text": []}))


# ------------------------------------------------------------------------------------------ year over year

_Y1 = "全年共受理行政复议案件110件，办结100件。全年共举办法治讲座40场。结案率90%。新增市场主体5000户。"
_Y2 = ("全年共受理行政复议案件120件，同比增长9.1%。全年共举办法治讲座{talks}场，较上年增加5场。"
       "结案率92%，同比提高2个百分点。新增市场主体6000户，比上年增长{growth}%。")


def _two_years(y2: str = _Y2.format(talks=45, growth=20), **meta) -> pd.DataFrame:
    base = dict(doc_id=["a-2020", "a-2021"], region=["安县", "安县"], region_code=["360222", "360222"],
                province=["江西省", "江西省"], city=["示例市", "示例市"], level=["县", "县"], year=[2020, 2021],
                department=["", ""], text=[_Y1, y2])
    base.update(meta)
    return pd.DataFrame(base)


def _yoy(corpus: pd.DataFrame, **kwargs) -> pd.DataFrame:
    got = audit(extract_metrics(corpus), corpus, **kwargs)
    return got[got["kind"] == "year_over_year"]


def test_year_over_year_consistent_series():
    got = _yoy(_two_years())
    assert (got["doc_id"] == "a-2021").all() and (got["severity"] == "ok").all()
    assert sorted(zip(got["stated"], got["computed"])) == [(40.0, 40.0), (90.0, 90.0), (110.0, 109.9908),
                                                          (5000.0, 5000.0)]
    row = got[got["stated"] == 110].iloc[0]
    assert row.evidence == "9.1%[20:24] of 120件[11:15] vs a-2020: 110件[11:15]"
    text_y1, text_y2 = _two_years()["text"]
    assert text_y2[20:24] == "9.1%" and text_y2[11:15] == "120件" and text_y1[11:15] == "110件"


def test_year_over_year_inconsistent_series_are_findings():
    got = _yoy(_two_years(_Y2.format(talks=60, growth=10)))
    bad = got[got["severity"] != "ok"].sort_values("stated")
    assert bad["severity"].tolist() == ["warning", "warning"]
    assert bad[["stated", "computed"]].values.tolist() == [[40.0, 55.0], [5000.0, 5454.5455]]
    assert all("a-2020: " in e for e in bad["evidence"])
    assert len(_yoy(_two_years(_Y2.format(talks=60, growth=10)), passes=False)) == 2


def test_year_over_year_tolerance_is_an_option():
    corpus = _two_years(_Y2.format(talks=45, growth=19))   # 6000 / 1.19 = 5042: 0.8 % off
    assert _yoy(corpus)["severity"].tolist().count("warning") == 0
    assert _yoy(corpus, yoy_tolerance=0.001)["severity"].tolist().count("warning") == 1


@pytest.mark.parametrize(
    ("meta", "checks"),
    [
        ({}, 4),                                                                    # same code, level, department
        ({"region_code": ["", ""]}, 4),                                             # no codes: names decide
        ({"region_code": [pd.NA, pd.NA]}, 4),
        ({"region_code": ["360222", "360202"]}, 0),                                  # another government
        ({"region_code": ["", ""], "city": ["示例市", "别的市"]}, 0),                # same name, another city
        ({"department": ["", "司法局"]}, 0),                                         # a department's report
        ({"level": ["县", "区"]}, 0),
        ({"year": [2019, 2021]}, 0),                                                # not consecutive
        ({"year": [2021, 2021]}, 0),
    ],
)
def test_year_over_year_pairs_reports_of_the_same_government(meta, checks):
    assert len(_yoy(_two_years(**meta))) == checks


def test_year_over_year_without_metadata_checks_nothing():
    corpus = _two_years().drop(columns=["year"])
    assert _yoy(corpus).empty
    out = audit(extract_metrics(corpus), corpus)
    assert list(out.columns) == AUDIT_COLUMNS and "year_over_year" not in set(out["kind"])


@pytest.mark.parametrize(
    ("y1", "severity"),
    [
        ("全年新增市场主体5000户，其中企业800户。", ["ok"]),     # 企业 1000 / 1.25 = 800: the same part
        ("全年新增市场主体5000户，其中企业900户。", ["warning"]),
        ("全年新增市场主体5000户。", []),                       # no such part last year: nothing to compare
    ],
)
def test_year_over_year_of_a_part_is_compared_with_the_same_part(y1, severity):
    y2 = "全年新增市场主体6000户，其中企业1000户，同比增长25%。"
    assert _yoy(_two_years(y2, text=[y1, y2]))["severity"].tolist() == severity


def test_checks_choose_what_runs_and_year_over_year_runs_alone():
    corpus = _two_years()
    mets = extract_metrics(corpus)
    full = audit(mets, corpus)
    within = audit(mets, corpus, checks=("rate", "part_whole", "completion"))
    across = year_over_year_checks(mets, corpus)
    assert set(full["kind"]) - set(within["kind"]) == {"year_over_year"}
    assert "year_over_year" not in set(within["kind"]) and set(across["kind"]) == {"year_over_year"}
    pd.testing.assert_frame_equal(across, full[full["kind"] == "year_over_year"].reset_index(drop=True))
    pd.testing.assert_frame_equal(audit(mets, corpus, checks=("year_over_year",)), across)
    only_rates = audit(mets, corpus, checks=["rate"])
    assert set(only_rates["kind"]) <= {"rate_mismatch"}
    assert year_over_year_checks(mets, corpus.drop(columns="year")).empty
    with pytest.raises(ValueError, match="checks must be one of"):
        audit(mets, corpus, checks=("totals",))


def test_year_over_year_from_a_change_table_at_hand_gives_the_same_rows():
    # the store's corpus stage passes its change table: roles are then read only for the reports compared
    from lawgov_analysis.measures.panel import changes

    corpus = pd.concat([_two_years(_Y2.format(talks=60, growth=10)),
                        _two_years(doc_id=["b-2020", "b-2021"], region_code=["360281", "360281"]),
                        _two_years(doc_id=["c-2019", "c-2021"], region_code=["360203", "360203"],
                                   year=[2019, 2021])], ignore_index=True)
    mets = extract_metrics(corpus)
    plain = year_over_year_checks(mets, corpus)
    assert sorted(set(plain["doc_id"])) == ["a-2021", "b-2021"] and len(plain) == 8
    pd.testing.assert_frame_equal(year_over_year_checks(mets, corpus, changes=changes(mets, corpus)), plain)
    none = changes(mets, corpus).iloc[0:0]
    assert year_over_year_checks(mets, corpus, changes=none).empty
