"""Shapes met on real pages of batch 11 (issue 17, metadata round 8): a government named in full in the report
sentence (现将北京市海淀区人民政府2022年…报告如下), a second lead-in clause (在市委…领导下，省…厅的正确指导下，),
a province's short form as the subject (2023年，浙江坚持…), a report sentence that also announces next year's
plan, a town's report addressed to its county, and a department that
names itself by its tier and cites its own document in full.

The texts are written for these tests (no page text is copied); the names are real places so that the code table
resolves them. Each rule has a case it must leave alone.
"""

from __future__ import annotations

from lawgov_analysis.io import metadata_document as doc

from .conftest import meta_key as meta

_BODY = "\n一、主要举措和成效\n（一）深入学习。将学习列入年度工作要点。\n"


def test_the_report_sentence_names_the_government_with_its_parent():
    m = meta("依据《法治政府建设与责任落实督察工作规定》，现将北京市海淀区人民政府2022年法治政府建设年度情况报告如下。"
             + _BODY)
    assert m == (2022, "海淀区", "北京市", "北京市", "区", "")
    # the parent settles a shared name (朝阳区 in 北京 and in 长春)
    m = meta("依据有关规定，现将吉林省长春市朝阳区人民政府2022年法治政府建设年度情况报告如下。" + _BODY)
    assert m == (2022, "朝阳区", "吉林省", "长春市", "区", "")
    # a chain the code table does not hold together (西湖区 lies in no 北京市) is left empty
    m = meta("依据有关规定，现将北京市西湖区人民政府2022年法治政府建设年度情况报告如下。" + _BODY)
    assert m[1:5] == ("", "", "", "")


def test_a_second_lead_in_clause_before_the_department():
    m = meta("2021年，在市委、市政府的坚强领导下，省交通运输厅的正确指导下，宿州市交通运输局全面落实法治政府建设"
             "各项要求。\n一、主要举措\n")
    assert m == (2021, "宿州市", "安徽省", "宿州市", "部门", "交通运输局")
    # the department as the subject before its own "在…领导下" stays the department (the clause is not cut)
    m = meta("2021年，宿州市交通运输局在市委的领导下，全面落实法治政府建设各项要求。\n一、主要举措\n")
    assert m == (2021, "宿州市", "安徽省", "宿州市", "部门", "交通运输局")


def test_a_provinces_short_form_as_the_subject():
    m = meta("2023年，浙江坚持以习近平法治思想为指导，扎实推进法治政府建设。现将有关情况报告如下。\n一、主要举措\n"
             "（一）省委全面履行领导职责，全省各级政府深入推进依法行政。\n")
    assert m == (2023, "浙江省", "浙江省", "", "省", "")
    m = meta("2023年，广西坚持以习近平法治思想为指导，扎实推进法治政府建设。\n一、主要举措\n"
             "（一）自治区党委全面履行领导职责，全区各级政府深入推进依法行政。\n")
    assert m[1] == "广西壮族自治区" and m[4] == "省"


def test_a_provinces_short_form_is_left_alone_when_it_may_be_a_city_or_another_province_is_named():
    # 吉林 is a province and a city
    m = meta("2023年，吉林坚持以习近平法治思想为指导，扎实推进法治政府建设。\n一、主要举措\n（一）省委全面履行领导职责。\n")
    assert m[1:5] == ("", "", "", "")
    # no provincial tier word (全省/省委) in the text
    m = meta("2023年，浙江坚持以习近平法治思想为指导，扎实推进法治政府建设。\n一、主要举措\n（一）学习借鉴经验。\n")
    assert m[1:5] == ("", "", "", "")
    # another province named in full
    m = meta("2023年，浙江坚持以习近平法治思想为指导，扎实推进法治政府建设。\n一、主要举措\n"
             "（一）学习借鉴江苏省经验，省委全面履行领导职责。\n")
    assert m[1:5] == ("", "", "", "")


def test_the_report_year_beside_next_years_plan():
    m = meta("今年以来，我县坚持以习近平法治思想为指导，持续推进法治政府建设。现将2023年度我县法治政府建设工作情况"
             "总结和2024年法治政府工作计划如下。\n一、工作开展情况\n")
    assert m[0] == 2023 and m[4] == "县"
    assert doc.report_year(["现将2023年度工作情况和2024年工作计划报告如下。"]) == 2023
    # two years of work, none a plan: no year
    assert doc.report_year(["现将2023年、2024年工作情况报告如下。"]) is None
    # a plan of an earlier year is not "next year's": no year
    assert doc.report_year(["现将2024年度工作情况和2023年工作计划执行情况报告如下。"]) is None
    # a year of work to be arranged, not a plan joined to the report: no year (as before)
    assert doc.report_year(["对2024年度工作进行总结，对2025年度工作作出安排，现报告如下"]) is None


def test_a_towns_report_addressed_to_its_county():
    m = meta("中共宣汉县委员会、宣汉县人民政府：\n2023年，我乡法治政府建设工作在县委、县政府的正确领导下，认真贯彻落实"
             "有关部署。现将我乡法治政府建设工作开展情况报告如下：\n一、主要举措\n")
    assert m == (2023, "", "四川省", "达州市", "乡镇", "")
    # the committee and the government of the addressee differ: nothing taken from it
    m = meta("中共宣汉县委员会、达川区人民政府：\n2023年，我乡法治政府建设工作在县委、县政府的正确领导下，认真贯彻落实"
             "有关部署。\n一、主要举措\n")
    assert m == (2023, "", "", "", "乡镇", "")


def test_a_department_named_by_its_tier_that_cites_its_own_document():
    text = ("一、2021年度推进法治政府建设的主要举措和成效\n（一）健全法治工作机制\n1.加强党对法治建设的领导。"
            "制定出台《萧山区农业农村局2021年法治工作要点》，明确了2021年度区农业农村局法治建设重点工作任务。\n")
    assert meta(text) == (2021, "萧山区", "浙江省", "杭州市", "部门", "农业农村局")
    # the government speaks (我区): a county report citing one of its departments' documents
    assert meta(text.replace("制定出台", "我区制定出台"))[1:5] == ("", "", "", "")
    # the department is named only in full: no sign the text speaks as that department
    assert meta(text.replace("区农业农村局法治", "萧山区农业农村局法治"))[1:5] == ("", "", "", "")


def test_a_former_district_the_code_table_no_longer_lists():
    # 渝北区 (500112) is not in the 2025-12-31 table: its province and city come from former_divisions.csv
    m = meta("渝北区2021年度法治政府建设情况报告\n一、主要举措\n2021年，我区坚持依法行政。\n")
    assert m == (2021, "渝北区", "重庆市", "重庆市", "区", "")
    # 江北区 of 重庆市 beside the table's 江北区 of 宁波市: the former unit only when the text names 重庆市
    m = meta("江北区2021年度法治政府建设情况报告\n一、主要举措\n2021年，我区坚持依法行政，落实《重庆市法治政府建设"
             "实施方案（2021—2025年）》。\n")
    assert m == (2021, "江北区", "重庆市", "重庆市", "区", "")
    m = meta("江北区2021年度法治政府建设情况报告\n一、主要举措\n2021年，我区坚持依法行政，落实《四川省法治政府建设"
             "实施方案（2021—2025年）》。\n")
    assert m == (2021, "江北区", "", "", "区", "")


def test_a_branch_in_a_former_district():
    # batch 25 (eleventh session): the city bureau's branch in 渝北区, which the 2025 table no longer lists; the
    # district is the region (not "公安局渝北区"), its province and city from former_divisions.csv
    text = ("重庆市公安局渝北区分局关于2023年法治政府建设情况的报告\n按照有关规定，现将分局2023年法治政府建设情况"
            "报告如下：\n一、主要举措\n")
    assert meta(text) == (2023, "渝北区", "重庆市", "重庆市", "部门", "公安局渝北区分局")
    # a branch in a district the table lists is resolved by its code, as before
    assert meta(text.replace("重庆市公安局渝北区", "重庆市公安局渝中区"))[1:] == (
        "渝中区", "重庆市", "重庆市", "部门", "公安局渝中区分局")


def test_former_place_reads_the_resource_and_a_users_file(tmp_path, monkeypatch):
    from lawgov_analysis.io.gazetteer import former_place

    place = former_place("渝北区")
    assert (place.code, place.level, place.province, place.city) == ("500112", "区", "重庆市", "重庆市")
    assert former_place("两江新区") is None and former_place("海淀区") is None
    own = tmp_path / "former.csv"
    own.write_text("# mine\ncode,name,province,city,listed_now_as\n371202,莱城区,山东省,莱芜市,371116 莱芜区\n",
                   encoding="utf-8")
    assert former_place("莱城区", source=own).city == "莱芜市"
    assert former_place("渝北区", source=own) is None
    monkeypatch.setenv("LAWGOV_FORMER_DIVISIONS", str(own))
    assert former_place("莱城区").province == "山东省" and former_place("渝北区") is None
