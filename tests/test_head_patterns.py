"""The faster forms of the head readers give what their plain forms gave: the furniture patterns joined into one
alternation, the metadata-row test that first looks for a colon, and the credit-code pattern that jumps from one
"1" to the next."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from lawgov_analysis.io import metadata as md
from lawgov_analysis.io.furniture import furniture_patterns
from lawgov_analysis.io.metadata_clues import coded_place
from lawgov_analysis.io.metadata_document import _ANY_KEY, _ROW, is_metadata_row

SAMPLE = Path("data/reports/changjiang-2021.txt")

FURNITURE_LINES = [
    "今天是：2024年3月5日 星期二", "发布时间：2023-03-30 10:12 来源：区司法局 浏览次数：123", "来源:区政府网站",
    "信息来源：县司法局", "当前位置：首页 > 政务公开 > 法治政府", "【打印】【关闭】", "上一篇：关于…的通知",
    "版权所有：某某县人民政府 网站标识码：3602020001", "2023-03-30 10:12", "分享到：", "字号：[ 大 中 小 ]",
    "abc", "ABC123", "无障碍浏览", "扫一扫在手机打开当前页",
    # not furniture
    "2021年,我区坚持以习近平新时代中国特色社会主义思想为指导。", "一、全区法治政府建设推进情况", "来源", "",
    "昌江区人民政府", "2021年法治政府建设工作报告", "发布机构：昌江区人民政府 索引号：1136020201", "  ",
]


def _any_of(line: str, head: bool, patterns) -> bool:
    line = line.strip()
    if not line:
        return False
    return (any(p.fullmatch(line) for p in patterns.both)
            or (head and any(p.fullmatch(line) for p in patterns.head_only)))


def test_bundled_furniture_is_one_alternation_that_agrees_with_each_pattern():
    patterns = furniture_patterns("furniture.txt")
    assert None not in patterns.joined
    lines = [*FURNITURE_LINES, *SAMPLE.read_text(encoding="utf-8").splitlines()]
    for head in (True, False):
        got = [md.is_furniture(line, head=head) for line in lines]
        assert got == [_any_of(line, head, patterns) for line in lines]
    assert md.is_furniture("信息来源：县司法局", head=True) and not md.is_furniture("信息来源：县司法局", head=False)
    assert md.is_furniture("来源:区政府网站") and md.is_furniture("来源") and not md.is_furniture("昌江区人民政府")


def test_a_furniture_file_with_a_group_reference_is_matched_pattern_by_pattern(tmp_path):
    path = tmp_path / "furniture.txt"
    path.write_text("# mine\n(\\d)\\1次\n(?i)visit.*\nhead: 页(\\d)\n", encoding="utf-8")
    patterns = furniture_patterns(str(path))
    assert patterns.joined == (None, None)      # not joined: each pattern alone
    assert md.is_furniture("11次", furniture=path) and not md.is_furniture("12次", furniture=path)
    assert md.is_furniture("VISIT 3", furniture=path)
    assert md.is_furniture("页3", head=True, furniture=path) and not md.is_furniture("页3", head=False, furniture=path)


def test_a_furniture_file_with_only_head_patterns(tmp_path):
    path = tmp_path / "furniture.txt"
    path.write_text("head: 首页.*\n", encoding="utf-8")
    assert md.is_furniture("首页 > 新闻", head=True, furniture=path)
    assert not md.is_furniture("首页 > 新闻", head=False, furniture=path)


@pytest.mark.parametrize("line", [
    "索 引 号：11360202MB1234567X/2023-00012", "发布机构：昌江区人民政府", "标 题：昌江区2021年法治政府建设工作报告",
    "- 发布机构：区政府 | 成文日期：2022-03-01", "[发文字号]：昌府字〔2022〕1号", "主题分类: 政务公开",
    "时间：2022年 来源：区政府", "现将有关情况报告如下：", "标题", "2021年，我区坚持依法行政", "",
    "名称：X 有效性：有效", "一、发布机构：区政府", "发布机构 区政府",
])
def test_metadata_rows_as_before(line):
    stripped = line.strip().lstrip("-•· |[")
    before = bool(re.match(rf"(?:{_ANY_KEY})\s*[:：]", stripped)) or len(_ROW.findall(stripped)) >= 2
    assert is_metadata_row(line) == before


def test_credit_code_only_standing_alone():
    # 11360202MB1234567X: 1 (机构编制) 1 (机关), division 360202 (昌江区)
    place, note = coded_place(["统一社会信用代码：11360202MB1234567X"])
    assert place is not None and place.code == "360202" and "360202" in note
    assert coded_place(["11360202MB1234567X"])[0].code == "360202"            # at the very start
    assert coded_place(["A11360202MB1234567X"])[0] is None                      # part of a longer code
    assert coded_place(["211360202MB1234567X"])[0] is None
    assert coded_place(["11360202MB1234567XY"])[0] is None
