"""Round-7b spec checks of lawgov_analysis.measures.indicator_checks (issue 17; docs/indicators_model.md, "Round 7b").

The sentences are written for these tests (shapes of real pages, numbers invented); each pair shows a check firing
and the neighbouring wording it must leave alone.
"""

from __future__ import annotations

import pytest

from lawgov_analysis.measures import indicator_checks as ic

CITY = "2023年,区城市管理局坚持依法行政,全面提升城市管理水平。"
PROCURATORATE = "2022年,区人民检察院在区委领导下,全院检察干警依法履行检察职能,各项检察工作取得新进展。"


def _span(sentence: str, number: str) -> tuple[int, int]:
    """The span of ``number`` and the unit character after it in ``sentence``."""
    k = sentence.index(number)
    return k, k + len(number) + 1


@pytest.mark.parametrize("found, text, sentence, number, unit, expected", [
    # only what is explicitly online is services.online
    ("services.online", CITY, "全区36个部门1520项事项实现“综合一窗受理”", "1520", "项", "services.items"),
    ("services.online", CITY, "全区1520项事项实现全程网办", "1520", "项", "services.online"),
    ("services.online", CITY, "上线“一件事一次办”平台事项210件", "210", "件", "services.online"),
    # how fast and where services are delivered; "one thing" packages named after the number
    ("other", CITY, "创新审批模式,审批效率提升63%", "63", "%", "services.items"),
    ("other", CITY, "缩短政务服务事项办理时间,平均压缩比71.5%", "71.5", "%", "services.items"),
    ("other", CITY, "全区政务服务事项进驻率由81%提升至95%", "81", "%", "services.items"),
    ("other", CITY, "推动12件“一件事”落地实施", "12", "件", "services.items"),
    ("power.streamlining", CITY, "行政许可事项精简率达37%", "37", "%", "power.streamlining"),
    # a procuratorate's suggestions or hearings counted by another body; its own cases stay
    ("procuratorate.cases", CITY, "按期办理检察院发来的检察建议4件", "4", "件", "other"),
    ("procuratorate.cases", CITY, "派员参加检察院公开听证2次", "2", "次", "other"),
    ("procuratorate.cases", PROCURATORATE, "制发检察建议35件", "35", "件", "procuratorate.cases"),
    ("procuratorate.cases", CITY, "办理检察机关公益诉讼3件", "3", "件", "procuratorate.cases"),
    # government bodies reorganised; bodies inspected are not
    ("enforcement.cases", CITY, "将7家园区管理机构整合为4家", "7", "家", "organisation.restructuring"),
    ("other", CITY, "对县政府58个议事协调机构开展分类清理", "58", "个", "organisation.restructuring"),
    ("enforcement.cases", CITY, "检查培训机构26家", "26", "家", "enforcement.cases"),
    # 双随机 spot checks and their rates
    ("services.items", CITY, "推行“双随机一公开”监管,部门联合检查比例达63.2%", "63.2", "%",
     "enforcement.cases"),
    ("services.items", CITY, "政务服务事项按时办结率达99.2%", "99.2", "%", "services.items"),
    # a law lecture for the government itself; one for villagers stays an event
    ("pufa.events", CITY, "举办县政府专题法律讲座5次", "5", "次", "pufa.exams"),
    ("pufa.events", CITY, "召开县政府全体会议学习《行政复议法》,举行3场法治专题讲座", "3", "场", "pufa.exams"),
    ("pufa.events", CITY, "举办县政府专题法律讲座进村民小组5次", "5", "次", "pufa.events"),
    # study whose object, named earlier in the sentence, is law; a meeting that decides stays a meeting
    ("organisation.meetings", CITY, "把学习宪法作为中心组学习的重要内容,全年开展中心组学习6次", "6", "次",
     "pufa.exams"),
    ("organisation.meetings", CITY, "把学习宪法作为重要内容,召开常务会议研究部署6次", "6", "次",
     "organisation.meetings"),
    ("organisation.meetings", CITY, "全年开展中心组学习6次", "6", "次", "organisation.meetings"),
])
def test_round7b_checks(found, text, sentence, number, unit, expected):
    start, end = _span(sentence, number)
    assert ic.check_indicator(found, text=text, sentence=sentence, span=(start, end), unit=unit) == expected


def test_round7b_leaves_ids_it_does_not_read():
    sentence = "全区1520项事项实现“综合一窗受理”"
    assert ic.check_indicator("court.cases", text=CITY, sentence=sentence, span=(2, 7), unit="项") == "court.cases"


def test_round7b_suggestions_sent_stay_with_the_procuratorate():
    # a report that does not name itself as the procuratorate's twice still sends its own suggestions
    sentence = "立案办理公益诉讼案件23件,发出诉前检察建议19件"
    start, end = _span(sentence, "19")
    assert ic.check_indicator("procuratorate.cases", text="", sentence=sentence, span=(start, end),
                              unit="件") == "procuratorate.cases"


@pytest.mark.parametrize("found, sentence, number, unit, expected", [
    # a campaign taking lectures into places is an event, even when 机关 is one of the places
    ("pufa.events", "开展法治讲座进机关、进学校活动8场", "8", "场", "pufa.events"),
    # lawyers stationed in villages are no service hall's entry rate
    ("other", "组织法律服务团队进驻村居32个", "32", "个", "other"),
])
def test_round7b_leaves_neighbouring_wording(found, sentence, number, unit, expected):
    start, end = _span(sentence, number)
    assert ic.check_indicator(found, text=CITY, sentence=sentence, span=(start, end), unit=unit) == expected
