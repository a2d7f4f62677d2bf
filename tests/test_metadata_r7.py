"""Shapes met on real pages of batch 10 (issue 17, metadata round 7): a government's office as the subject of the
opening (区政府办坚持…), a town's own party committee as the subject (乡党委坚持…), a department titled by its short
name whose 来源 line writes it in full with its government (市政务服务办 + 来源：天津市人民政府政务服务办公室).

The texts are written for these tests (no page text is copied); the names are real places so that the code table
resolves them. Each rule has a case it must leave alone.
"""

from __future__ import annotations

from lawgov_analysis.io import metadata_document as doc
from lawgov_analysis.io.metadata import infer_metadata
from lawgov_analysis.io.metadata_names import abbreviates

from .conftest import meta_key as meta


def test_a_governments_office_as_subject_is_a_department():
    m = meta("2023年，在县委、县政府的领导下，县政府办紧扣中心工作，推进依法行政。现将有关情况报告如下：\n"
             "一、主要工作\n")
    assert m == (2023, "", "", "", "部门", "人民政府办公室")


def test_the_government_as_subject_stays_the_government():
    m = meta("2023年，县政府坚持依法行政，推进法治政府建设。现将有关情况报告如下：\n一、主要工作\n")
    assert m[4] == "县"
    assert m[5] == ""


def test_a_towns_own_party_committee_is_the_town_not_a_department():
    assert doc.self_level(["一、工作开展情况", "乡党委坚持把法治学习列入中心组学习计划。"])[0] == "乡镇"
    assert doc.self_level(["街道党工委坚持每季度研究法治工作。"])[0] == "街道"
    assert doc.self_level(["县委坚持把法治学习列入计划。"]) == ("", "")
    assert doc.self_level(["交通运输局坚持依法行政。"])[0] == "部门"


def test_a_short_title_with_the_full_name_in_the_source_line():
    m = meta("市商务委2023年法治政府建设情况报告\n来源：重庆市商务委员会 发布时间：2024-03-01\n"
             "2023年，市商务委坚持依法行政，推进商务领域法治建设。\n一、主要工作\n")
    assert m == (2023, "重庆市", "重庆市", "重庆市", "部门", "商务委员会")


def test_a_source_line_of_another_department_is_not_the_reporters():
    m = meta("市商务委2023年法治政府建设情况报告\n来源：重庆市司法局 发布时间：2024-03-01\n"
             "2023年，市商务委坚持依法行政，推进商务领域法治建设。\n一、主要工作\n")
    assert m[1] == ""
    assert m[4] == "部门"


def test_an_ending_written_short_abbreviates_the_full_name():
    assert abbreviates("政务服务办", "政务服务办公室")
    assert abbreviates("卫生健康委", "卫生健康委员会")
    assert not abbreviates("政务服务办", "政务服务办")
    assert not abbreviates("商务局", "商务委员会")


def test_xinjiangs_autonomous_names_without_zu_have_short_forms():
    from lawgov_analysis.io.gazetteer import load_gazetteer

    gaz = load_gazetteer()
    assert [p.name for p in gaz.lookup("伊犁州")] == ["伊犁哈萨克自治州"]
    assert [p.name for p in gaz.lookup("博尔塔拉州")] == ["博尔塔拉蒙古自治州"]
    assert [p.name for p in gaz.lookup("察布查尔县")] == ["察布查尔锡伯自治县"]
    assert gaz.lookup("伊犁") == []
    m = meta("2023年，伊犁州交通运输局在州党委、政府的领导下，推进依法行政。现将我局2023年度情况报告如下：\n一、主要工作\n")
    assert m == (2023, "伊犁哈萨克自治州", "新疆维吾尔自治区", "伊犁哈萨克自治州", "部门", "交通运输局")


def test_a_web_address_line_is_not_the_opening():
    text = ("关于2022年度法治政府建设情况的报告\n2023年1月5日 09时10分\nhttp://www.example.gov.cn/a/b/123.shtml\n"
            "在市委、市政府的坚强领导下，我县坚持依法行政，推进法治政府建设各项工作。现将有关情况报告如下：\n一、主要工作\n")
    m = infer_metadata(text.replace("2023年1月5日 09时10分", "2023年1月5日 09时10分\n来源：泸定县人民政府"),
                       filename="x.txt")
    assert (m["year"], m["region"], m["level"]) == (2022, "泸定县", "县")
    m = infer_metadata(text, filename="x.txt")  # no 来源 line: the county is named nowhere
    assert (m["region"], m["level"]) == ("", "县")


def test_a_metadata_table_written_with_cells():
    table = ("| 索引号 | 11-22/2026-00002 | 发文字号 | 无 |\n|---|---|---|---|\n| 关键词 | 发布机构 | 积石山县民政局 | |\n"
             "| 生成日期 | 2026-01-16 | 是否有效 |\n")
    lines = table.splitlines()
    assert [doc.is_metadata_row(ln) for ln in lines] == [True, True, True, True]
    assert doc.metadata_table(lines) == {"publisher": "积石山县民政局"}
    assert not doc.is_metadata_row("| 2025年 | 全年受理 | 120件 |")
    m = meta(table + "2025年，我局坚持依法行政，紧紧围绕县委、县政府决策部署推进法治建设。现报告如下：\n一、主要工作\n")
    assert m == (2025, "积石山保安族东乡族撒拉族自治县", "甘肃省", "临夏回族自治州", "部门", "民政局")


def test_an_unnamed_town_gets_the_province_and_city_of_the_county_leading_it():
    m = meta("2022年，我镇在新兴县委、县政府的坚强领导下，坚持依法行政，推进法治政府建设。现将有关情况报告如下：\n"
             "一、主要工作\n")
    assert m == (2022, "", "广东省", "云浮市", "乡镇", "")


def test_a_leading_name_several_places_share_gives_nothing():
    from lawgov_analysis.io import metadata_clues as clues

    assert clues.leading_government(["我街道在朝阳区委、区政府的坚强领导下，坚持依法行政。"]) == (None, "")
    assert clues.leading_government(["在新兴县委、县政府和云安区委、区政府的领导下"]) == (None, "")
    assert clues.leading_government(["在县委、县政府的坚强领导下"]) == (None, "")
    m = meta("2022年，我街道在朝阳区委、区政府的坚强领导下，坚持依法行政，推进法治政府建设。现将有关情况报告如下：\n"
             "一、主要工作\n")
    assert m[1:4] == ("", "", "")


def test_a_prefecture_tier_department_names_its_autonomous_prefecture_once():
    m = meta("州统计局2023年度法治政府建设情况报告\n2023年，在州委、州政府的正确领导下，州统计局坚持依法统计，"
             "为恩施州高质量发展提供法治保障。\n一、主要工作\n")
    assert m == (2023, "恩施土家族苗族自治州", "湖北省", "恩施土家族苗族自治州", "部门", "统计局")


def test_an_autonomous_prefecture_named_beside_another_city_gives_nothing():
    from lawgov_analysis.io import metadata_clues as clues

    two = "在州委、州政府的领导下，学习宜昌市经验，推动恩施州统计工作。"
    assert clues.autonomous_prefecture(two) == (None, "")
    assert clues.autonomous_prefecture("在市委、市政府的领导下，推动恩施州统计工作。") == (None, "")
    assert clues.autonomous_prefecture("在州委、州政府的领导下，推动统计工作。") == (None, "")
    m = meta("州统计局2023年度法治政府建设情况报告\n2023年，在州委、州政府的正确领导下，州统计局坚持依法统计，"
             "学习宜昌市经验，为恩施州高质量发展提供法治保障。\n一、主要工作\n")
    assert m[1:4] == ("", "", "")


def test_a_provincial_department_names_its_province_once_in_a_frame_about_it():
    m = meta("省粮食局关于2022年法治政府建设情况的报告\n2022年，省粮食局深入落实总书记关于中部地区、安徽高质量发展的"
             "重要讲话精神，推进依法行政。现将我局2022年度情况报告如下：\n一、主要工作\n")
    assert m[1:5] == ("安徽省", "安徽省", "", "部门")


def test_a_province_named_as_somewhere_helped_or_beside_another_gives_nothing():
    from lawgov_analysis.io import metadata_clues as clues
    from lawgov_analysis.io.metadata_document import province_short_names

    shorts = province_short_names()
    assert clues.framed_province("我局对口支援、西藏发展工作扎实推进。", shorts) == (None, "")
    assert clues.framed_province("助力安徽高质量发展，学习浙江经验。", shorts) == (None, "")
    assert clues.framed_province("助力安徽高质量发展，赴南京市考察。", shorts) == (None, "")
    assert clues.framed_province("安徽的粮食工作取得进展。", shorts) == (None, "")
    assert clues.framed_province("助力安徽高质量发展。", shorts)[0].name == "安徽省"


def test_a_forestry_and_grassland_bureau_named_by_its_field():
    assert doc.department_by_field("我局紧扣林草事业高质量发展，加强林草资源监管。", "局") == "林业和草原局"
    assert doc.department_by_field("我局推进林业和草原领域依法行政。", "局") == "林业和草原局"
    assert doc.department_by_field("我局推进林业工作。", "局") == "林业局"
    assert doc.department_by_field("我局紧扣林草事业发展，推进水利工作。", "局") == ""


def test_the_governments_own_party_group_or_executive_meeting_gives_its_tier():
    text = ("按照《法治政府建设与责任落实督察工作规定》要求，现将2024年度法治政府建设情况报告如下。\n"
            "一、主要举措和成效\n（一）坚持党的领导。一是深学笃行。市政府第12次党组会专题学习全面依法治国工作会议精神，"
            "市政府常务会议组织会前学法4次。\n二是出台《常德市城市绿化条例》，编制《常德市人民政府2024年立法计划》。\n")
    m = meta(text)
    assert m[:5] == (2024, "常德市", "湖南省", "常德市", "市")
    assert doc.self_level(["县政府常务会议审议规范性文件3件。"])[0] == "县"


def test_an_executive_meeting_in_a_departments_report_is_not_the_government():
    assert doc.self_level(["局党组高度重视。", "县政府常务会议审议通过了我局起草的办法。"]) == ("", "")
    assert doc.self_level(["提请县政府常务会议审议。"]) == ("", "")


def test_a_domain_spelling_a_names_other_reading():
    from lawgov_analysis.io.gazetteer import pinyin_region

    assert pinyin_region("https://changzhi.gov.cn/xxgk/1.shtml", "市").name == "长治市"  # 长: chang, not zhang
    assert pinyin_region("http://www.luhe.gov.cn/a.html", "县").name == "陆河县"  # a first reading keeps its place
    assert pinyin_region("http://www.fubing.gov.cn/a.html", "县") is None  # 阜平县 and 富平县 both read so
    m = infer_metadata("2023年，我市坚持依法行政，推进法治政府建设。\n一、主要举措\n", filename="x.txt",
                       url="https://changzhi.gov.cn/xxgk/1.shtml")
    assert (m["region"], m["level"]) == ("长治市", "市")


def test_the_year_of_the_one_annual_plan_the_first_section_cites():
    lines = ["一、工作开展情况", "（一）深入学习", "镇党委坚持将法治学习列入《2023年度党委理论学习中心组学习计划》，集中学习6次。",
             "二、存在的问题", "下一步将制定《2024年度普法工作要点》。"]
    assert doc.plan_year(lines) == 2023
    m = infer_metadata("\n".join(lines) + "\n", filename="x.txt")
    assert (m["year"], m["year_source"], m["level"]) == (2023, "document", "乡镇")


def test_annual_plans_of_two_years_or_a_period_give_no_year():
    assert doc.plan_year(["一、工作情况", "落实《2022年度普法计划》和《2023年度普法工作要点》。"]) is None
    assert doc.plan_year(["一、工作情况", "落实《法治政府建设实施方案（2021-2025年）》。"]) is None
    assert doc.plan_year(["一、工作情况", "落实《2021—2025年普法规划实施方案》。"]) is None
    assert doc.plan_year(["一、工作情况", "二、下一步", "制定《2024年度普法工作要点》。"]) is None
    assert doc.plan_year(["2022年以来，我镇落实《2021年度普法计划》。"]) is None


def test_a_short_form_that_stands_for_one_name_in_one_province():
    from lawgov_analysis.io.metadata_names import full_department_name

    assert full_department_name("营商局", "", "沈阳市", province="辽宁省")[0] == "营商环境建设局"
    assert full_department_name("营商局", "", "哈尔滨市", province="黑龙江省")[0] == "营商局"
    assert full_department_name("营商局", "", "")[0] == "营商局"
    assert full_department_name("科技局", "", "沈阳市", province="辽宁省")[0] == "科学技术局"


def test_a_shared_name_settled_by_the_province_a_cited_document_names():
    m = infer_metadata("通州区2021年法治政府建设情况报告\n2021年，通州区坚持依法行政，认真贯彻《北京市法治政府建设实施方案》，"
                       "推进各项工作。\n一、主要工作\n", filename="x.txt")
    assert (m["region"], m["region_code"], m["province"], m["city"], m["level"]) == (
        "通州区", "110112", "北京市", "北京市", "区")


def test_a_shared_name_stays_unsettled_when_both_or_neither_candidate_is_named():
    from lawgov_analysis.io import metadata_clues as clues

    assert clues.shared_name_place("通州区", "学习《北京市…办法》和《南通市…办法》。") == (None, "")
    assert clues.shared_name_place("通州区", "通州区坚持依法行政。") == (None, "")
    assert clues.shared_name_place("武清区", "《天津市…办法》") == (None, "")  # one place of that name: not this clue
    m = infer_metadata("通州区2021年法治政府建设情况报告\n2021年，通州区坚持依法行政，推进各项工作。\n一、主要工作\n",
                       filename="x.txt")
    assert (m["region"], m["region_code"], m["province"]) == ("通州区", "", "")


def test_a_shared_town_settled_by_the_province_or_city_the_text_names():
    text = ("2024年，西兴街道坚持依法行政，深入学习总书记考察浙江重要讲话精神，建设法治西兴。\n一、主要工作\n")
    m = infer_metadata(text, filename="x.txt")
    assert (m["region"], m["province"], m["city"], m["level"]) == ("西兴街道", "浙江省", "杭州市", "街道")
    text = ("2025年，龙城街道坚持依法行政，深入学习总书记对广东、深圳系列重要讲话精神。\n一、主要工作\n")
    m = infer_metadata(text, filename="x.txt")
    assert (m["region"], m["province"], m["city"]) == ("龙城街道", "广东省", "深圳市")


def test_a_shared_town_stays_unsettled_without_a_distinguishing_name():
    m = infer_metadata("2024年，西兴街道坚持依法行政，建设法治西兴。\n一、主要工作\n", filename="x.txt")
    assert (m["region"], m["province"], m["region_code"]) == ("西兴街道", "", "")
    m = infer_metadata("2025年，龙城街道坚持依法行政，深入学习总书记对广东系列重要讲话精神。\n一、主要工作\n",
                       filename="x.txt")  # 龙岗区 and 龙门县 both lie in 广东省: the city stays unknown
    assert (m["region"], m["city"], m["region_code"]) == ("龙城街道", "", "")


def test_a_covering_letter_takes_the_year_of_the_report_it_encloses():
    assert doc.enclosed_report_year("关于报送《闵行区民政局2022年度法治政府建设情况报告》的报告") == 2022
    assert doc.enclosed_report_year("关于印发《2023年普法工作要点》的通知") is None  # not a report sent up
    assert doc.enclosed_report_year("关于报送《法治政府建设实施纲要（2021-2025年）落实情况报告》的函") is None
    m = infer_metadata("关于报送《闵行区民政局2022年度法治政府建设情况报告》的报告\n"
                       "根据有关要求，我局全面总结了法治政府建设工作。现报告如下：\n一、主要工作\n", filename="x.txt")
    assert m["year"] == 2022


def test_the_year_that_opens_two_sentences_of_the_first_section():
    lines = ["一、主要举措和成效", "1.加强文件管理。严格把关。2021年我镇制发规范性文件2件。",
             "2.开展执法。2021年白沙镇组织执法检查15次。", "二、存在的问题", "2022年我镇将继续努力。"]
    assert doc.body_year(lines) == 2021
    assert doc.body_year(lines[:2]) is None  # one sentence only
    assert doc.body_year(["一、主要举措", "。2021年我镇制发文件2件。2020年我镇制发文件1件。"]) is None
    m = infer_metadata("\n".join(lines) + "\n", filename="x.txt")
    assert m["year"] == 2021


def test_a_provincial_report_naming_its_province_once_in_a_slogan():
    from lawgov_analysis.io import metadata_clues as clues
    from lawgov_analysis.io.metadata_document import province_short_names

    shorts = province_short_names()
    assert clues.framed_province("一体推进法治湖南、法治政府、法治社会建设。", shorts)[0].name == "湖南省"
    assert clues.framed_province("学习法治浙江经验，推进法治政府建设。", shorts) == (None, "")  # learnt from
    assert clues.framed_province("一体推进法治湖南建设，借鉴江西做法。", shorts) == (None, "")
    m = meta("根据有关规定，现将省政府2022年度法治政府建设情况报告如下。\n一、主要工作\n"
             "（一）一体推进法治湖南、法治政府、法治社会建设。\n")
    assert m == (2022, "湖南省", "湖南省", "", "省", "")


def test_a_police_or_justice_system_as_subject_names_its_department_without_wo_ju():
    assert doc.system_department("全市公安机关以规范执法为主线", "") == "市公安局"
    assert doc.system_department("全省公安机关在省委领导下", "") == "省公安厅"
    assert doc.system_department("全省司法行政系统在省委领导下", "") == ""  # without 我厅: no department claimed
    assert doc.system_department("全市卫生健康系统坚持依法行政", "") == ""  # 卫生健康局 or 卫生健康委: not said
    assert doc.system_department("全市卫生健康系统坚持依法行政", "委") == "市卫生健康委"
    m = meta("2023年是全面贯彻党的二十大精神的开局之年，全市公安机关以规范执法为主线，推进法治公安建设。\n一、主要工作\n")
    assert (m[0], m[4], m[5]) == (2023, "部门", "公安局")
