"""Opening subjects met on a fresh set of real pages (issue 17, the indicator holdout's 25 pages): who reports when
the opening sentence's subject is a field's 系统/机关, a department after a "是…的一年" lead-in, or 我街/我镇 after
a comma; and a covering letter addressed to two bodies (中共X县委、X县人民政府/上级局：).

The texts are written for these tests (no page text is copied); the names are real places so that the code table
resolves them. Each rule has a case it must leave alone.
"""

from __future__ import annotations

from lawgov_analysis.io import metadata_document as doc
from lawgov_analysis.io.metadata import infer_metadata

from .conftest import meta_key as meta


def test_system_tier_needs_a_known_field():
    assert doc.system_tier("全省生态环境系统在省委、省政府的领导下") == "省"
    assert doc.system_tier("全市公安机关以规范执法为主线") == "市"
    assert doc.system_tier("全省各行业系统在省委的领导下") == ""
    assert doc.system_tier("全市各级行政机关坚持依法行政") == ""
    assert doc.system_tier("在省委领导下，全省生态环境系统") == ""


def test_provincial_system_as_subject_is_a_department_without_its_own_name():
    m = meta("2019年，全省生态环境系统在省委、省政府和生态环境部的正确领导下，深入贯彻总书记对浙江工作的重要指示精神，"
             "坚持依法行政，为法治浙江建设作出积极贡献。\n一、执法监督工作取得新成效\n")
    assert m == (2019, "浙江省", "浙江省", "", "部门", "")


def test_the_provinces_administrative_organs_are_the_government():
    m = meta("2019年，全省各级行政机关在省委的坚强领导下，深入贯彻总书记对浙江工作的重要指示精神，坚持依法行政，"
             "为法治浙江建设作出积极贡献。\n一、依法行政工作取得新成效\n")
    assert m == (2019, "浙江省", "浙江省", "", "省", "")


def test_a_system_of_no_known_field_stays_the_government():
    m = meta("2019年，全省各行业系统在省委的坚强领导下，深入贯彻总书记对浙江工作的重要指示精神，坚持依法行政，"
             "为法治浙江建设作出积极贡献。\n")
    assert m[4] == "省"


def test_a_citys_organs_of_a_field_after_a_year_is_lead_in():
    m = meta("2023年是全面落实规划的关键之年，全市公安机关以规范执法为主线，认真落实市委市政府的部署，"
             "推进执法规范化建设。\n一、加强学习\n")
    assert m == (2023, "", "", "", "部门", "公安局")  # a city's 公安机关 are its 公安局 (round 7)


def test_addressed_to_the_county_and_a_superior_bureau_then_the_county_bureau_reports():
    m = infer_metadata("中共德清县委、德清县人民政府/湖州市交通运输局：\n2021年，县交通运输局在县委县政府和市局党委的"
                       "坚强领导下，坚持依法行政，现将有关情况报告如下：\n", filename="x.txt")
    assert (m["region"], m["city"], m["level"], m["department"], m["author"]) == (
        "德清县", "湖州市", "部门", "交通运输局", "德清县交通运输局")


def test_addressed_to_two_bodies_then_we_the_county_is_the_county():
    m = meta("中共德清县委、德清县人民政府/湖州市人民政府：\n2021年，在县委县政府的坚强领导下，我县坚持依法行政，"
             "德清县各项工作取得新成效，现将有关情况报告如下：\n")
    assert m == (2021, "德清县", "浙江省", "湖州市", "县", "")


def test_department_after_a_special_year_lead_in():
    m = meta("2023年，是极不平凡的一年，余杭区民政局围绕民生保障主线，坚持依法行政，各项工作取得新进展。\n")
    assert m == (2023, "余杭区", "浙江省", "杭州市", "部门", "民政局")


def test_special_year_lead_in_then_no_named_subject_stays_empty():
    m = meta("2023年，是极不平凡的一年，民政工作围绕民生保障主线，坚持依法行政，各项工作取得新进展。\n")
    assert m == (2023, "", "", "", "", "")


def test_we_the_street_by_its_short_form_after_purpose_clauses():
    m = meta("为深入贯彻上级精神，充分发挥法治的保障作用，我街严格按照区委的部署，全面推进依法行政。"
             "现将我街工作情况总结如下：\n")
    assert m == (None, "", "", "", "街道", "")


def test_we_the_town_after_a_year_is_lead_in_and_one_year_since():
    m = meta("2021年是规划开局之年，也是普法起步之年，一年来我镇全面落实区里的工作要求，深入推进法律进乡村。\n")
    assert m == (2021, "", "", "", "乡镇", "")


def test_a_street_word_not_after_a_comma_and_not_we_gives_no_level():
    m = meta("为深入贯彻上级精神，充分发挥法治的保障作用，各项工作扎实推进。街坊邻里纠纷调处有力，我街道路整治完成。\n")
    assert m == (None, "", "", "", "", "")


def where(text: str) -> tuple:
    m = infer_metadata(text, filename="x.txt")
    return m["region"], m["region_code"], m["province"], m["city"], m["level"]


def test_we_the_ting_is_a_provincial_department_of_the_province_named():
    head = "根据有关规定，现将我{}2020年度法治政府建设情况报告如下：\n2020年，我{}在司法部的正确领导下，认真贯彻{}，扎实推进依法行政。\n"
    cited = "《江西省法治政府建设实施纲要》，对标江西发展目标"
    assert where(head.format("厅", "厅", cited)) == ("江西省", "360000", "江西省", "", "部门")
    assert where(head.format("局", "局", cited)) == ("", "", "", "", "部门")  # 我局: its tier is not said
    assert where(head.format("厅", "厅", "法治政府建设实施纲要")) == ("", "", "", "", "部门")


def test_a_streets_own_documents_by_its_short_form():
    head = ("为全面推进依法行政，充分发挥法治的保障作用，我街严格按照《中共广州市白云区委全面依法治区委员会2020年工作要点》"
            "的要求，推进法治建设。\n一、2020年工作情况\n")
    cited = "制定《黄石街2020年依法治街工作要点》，修订《黄石街议事规则》，决策程序进一步规范。\n"
    assert where(head + cited) == ("黄石街道", "440111006", "广东省", "广州市", "街道")
    uncited = "黄石街2020年依法治街工作扎实开展，黄石街议事规则修订完成。\n"
    assert where(head + uncited) == ("", "", "", "", "街道")


def test_a_towns_own_document_cited_once():
    head = "2021年是规划开局之年，一年来我镇全面落实上级工作要求，深入推进法律进乡村。\n"
    assert where(head + "(一)明确任务。制定《大石镇法律进乡村工作实施方案》，分解任务。\n") == (
        "大石镇", "", "", "", "乡镇")  # four towns have that name: no code
    assert where(head + "(一)明确任务。大石镇法律进乡村工作全面铺开，分解任务。\n") == ("", "", "", "", "乡镇")


def test_year_since_with_that_years_plan_cited_in_the_same_sentence():
    head = "2022年以来，在区委区政府的坚强领导下，我局坚持依法行政，认真贯彻落实{}，扎实推进各项工作。\n一、主要举措\n"
    assert meta(head.format("《2022年法治建设工作要点》"))[0] == 2022
    assert meta(head.format("《法治建设实施纲要》"))[0] is None  # a look back since 2022 may cover several years
    assert meta(head.format("《2021年法治建设工作要点》"))[0] is None


def test_provincial_system_as_subject_on_the_provinces_site_stays_a_department():
    text = ("2019年，全省生态环境系统在省委、省政府和生态环境部的正确领导下，坚持依法行政，推进法治政府建设。\n"
            "一、执法监督工作取得新成效\n")
    m = infer_metadata(text, filename="x.txt", url="http://sthjt.zj.gov.cn/art/2020/1/1/art_1.html")
    assert (m["region"], m["level"]) == ("浙江省", "部门")
    m = infer_metadata("2019年，全省各级政府在省委、省政府的正确领导下，坚持依法行政，推进法治政府建设。\n",
                       filename="x.txt", url="http://www.zj.gov.cn/art/2020/1/1/art_1.html")
    assert (m["region"], m["level"]) == ("浙江省", "省")  # the province's own report
