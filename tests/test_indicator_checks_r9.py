"""Round-9 spec checks of lawgov_analysis.measures.indicator_checks (issue 17; docs/indicators_model.md, "Round 9").

The sentences are written for these tests (shapes of real pages, numbers and places invented); each check is shown
firing on a mention left ``other`` and leaving alone the neighbouring wording it must not move.
"""

from __future__ import annotations

import pytest

from lawgov_analysis.measures import indicator_checks as ic

CITY = "2024年,县政务服务管理局坚持依法行政,持续优化营商环境。"


def _span(sentence: str, number: str) -> tuple[int, int]:
    """The span of ``number`` and the unit character after it in ``sentence``."""
    k = sentence.index(number)
    return k, k + len(number) + 1


def _check(found: str, sentence: str, number: str, unit: str) -> str:
    start, end = _span(sentence, number)
    return ic.check_indicator(found, text=CITY, sentence=sentence, span=(start, end), unit=unit)


@pytest.mark.parametrize("sentence, number, unit, expected", [
    # service items named right after the number, in a sentence about delivering services
    ("深化“一次办好”改革,23个事项实现一次办好", "23", "个", "services.items"),
    ("认真落实省办部署的57个重点事项", "57", "个", "services.items"),
    # ... but not items cancelled or taken over (reform), nor items in a list, nor with no service in the sentence
    ("取消行政许可事项4项,承接上级下放31个事项", "31", "个", "other"),
    ("梳理公布权责清单58个事项", "58", "个", "other"),
    ("年度确定17个重点事项", "17", "个", "other"),
    # units doing the work on service items
    ("全县8个乡镇和29个县级部门完成事项梳理办理", "29", "个", "services.items"),
    ("县本级31个部门960项事项实现“一窗办理”", "31", "个", "services.items"),
    # ... but not units doing other work
    ("全县29个部门参加法治培训", "29", "个", "other"),
    # "one thing" packages and one-stop services counted
    ("全年新推出“一件事”27个", "27", "个", "services.items"),
    ("累计办理“打包办”业务4310笔", "4310", "笔", "services.items"),
    ("共办理企业开办一站式服务520件", "520", "件", "services.items"),
    ("共办理行政复议案件52件", "52", "件", "other"),
    # how much materials, steps or time limits were cut, as a rate
    ("申报材料由64个减少至40个,减少比例达37.5%", "37.5", "%", "services.items"),
    ("压缩办理时限850个工作日,平均优化率达68%", "68", "%", "services.items"),
    ("全区财政支出优化率达12%", "12", "%", "other"),
])
def test_round9_services(sentence, number, unit, expected):
    assert _check("other", sentence, number, unit) == expected


@pytest.mark.parametrize("sentence, number, unit, expected", [
    # rule-of-law demonstration areas or projects created or named
    ("深入开展法治政府建设示范创建,5个地区和项目获得命名", "5", "个", "creation.model_sites"),
    ("县本级等3个综合候选地区、2个单项候选项目入围全省示范创建评审", "2", "个", "creation.model_sites"),
    # ... but not demonstration work counted by something else, nor projects named without a demonstration
    ("开展法治政府示范创建督导,走访14个地区", "14", "个", "other"),
    ("全年新开工7个项目,获得命名表彰", "7", "个", "other"),
])
def test_round9_model_sites(sentence, number, unit, expected):
    assert _check("other", sentence, number, unit) == expected


def test_round9_reads_only_mentions_left_other():
    # an id chosen by the rules or the model is kept, even in a sentence the checks would read
    assert _check("services.online", "全县23个事项实现全程网上办理", "23", "个") == "services.online"
    assert _check("organisation.tasks", "确定法治政府建设示范创建任务6个项目", "6", "个") == "organisation.tasks"


def test_round9_needs_the_mention_place():
    # without the mention's span the clause cannot be read, and the id stays
    sentence = "深化“一次办好”改革,23个事项实现一次办好"
    assert ic.check_indicator("other", text=CITY, sentence=sentence, span=None, unit="个") == "other"


@pytest.mark.parametrize("sentence, number, expected", [
    # government information published, in a sentence about openness
    ("在政务公开专栏公开信息640条,其中政策解读类信息85条", "85", "openness.published"),
    ("局网站栏目共发布信息215条,真正做到“应公开,尽公开”", "215", "openness.published"),
    # ... but legal-education messages stay materials, and so does information with no openness in the sentence
    ("在政务公开专栏推送普法信息96条", "96", "pufa.materials"),
    ("通过微信公众号发布信息120条", "120", "pufa.materials"),
])
def test_round9_openness(sentence, number, expected):
    assert _check("pufa.materials", sentence, number, "条") == expected


@pytest.mark.parametrize("sentence, number, unit, expected", [
    # officials' study whose own clause names general political study and no law: a meeting, wherever it is named
    ("及时在党组会上学习传达,全年召开的18次局党组会均落实了“第一议题”制度", "18", "次", "organisation.meetings"),
    ("举办3期科级干部学习贯彻党的二十大精神专题研讨班", "3", "期", "organisation.meetings"),
    # ... but law study stays law study: law in the clause, or law study named earlier in the sentence
    ("举办3期干部学习贯彻党的二十大精神和宪法专题研讨班", "3", "期", "pufa.exams"),
    ("将学习习近平法治思想作为党组会议“第一议题”,全年落实“第一议题”学习15次", "15", "次", "pufa.exams"),
])
def test_round9_general_study(sentence, number, unit, expected):
    assert _check("pufa.exams", sentence, number, unit) == expected
