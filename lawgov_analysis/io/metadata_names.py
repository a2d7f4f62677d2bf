"""A department's full official name, when a report writes only its short form (市科技局, 省发展改革委, 市文广旅局).

Two sources, in this order: the text itself, when it names a department of the report's own government whose
name the short form abbreviates (《资阳市文化广播电视和旅游局2023年普法工作方案》 in a report that says 市文广旅局);
else ``resources/department_names.txt``, the short forms that stand for one full name everywhere (科技局 →
科学技术局). A short form neither source settles (文旅局, which is 文化和旅游局 in one city and 文化广电和旅游局
in the next) stays as written.
"""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

from ..core.resources import read_lines

_HAN = r"\u4e00-\u9fff"
_ENDS = ("委员会", "办公室", "局", "厅", "委", "办")


@lru_cache(maxsize=4)
def _table(source: str) -> dict[tuple[str, str], str]:
    """(short form, province or "" for everywhere) → full name."""
    out = {}
    for line in read_lines(source):
        short, _, rest = line.partition("\t")
        full, _, province = rest.partition("\t")
        if short.strip() and full.strip():
            out[(short.strip(), province.strip())] = full.strip()
    return out


def _split(name: str) -> tuple[str, str]:
    """``("科技", "局")`` for 科技局; 委 and 委员会 count as one ending."""
    for end in _ENDS:
        if name.endswith(end) and len(name) > len(end):
            return name[: -len(end)], "委" if end == "委员会" else "办" if end == "办公室" else end
    return name, ""


def abbreviates(short: str, full: str) -> bool:
    """True when ``short`` is an abbreviation of ``full``: the same ending (局, 委/委员会, 厅, 办/办公室), the same
    first character, and the short stem's characters in order inside a longer full stem that holds no other
    body's name (公安局 does not abbreviate 公安局龙华分局), or the same stem with the ending written short (办 for
    办公室, 委 for 委员会)."""
    s_stem, s_end = _split(short)
    f_stem, f_end = _split(full)
    if not s_end or s_end != f_end or len(f_stem) < len(s_stem) or not s_stem or s_stem[0] != f_stem[0]:
        return False
    if f_stem == s_stem:  # 政务服务办 of 政务服务办公室, 卫生健康委 of 卫生健康委员会: the ending written short
        return len(full) > len(short)
    if re.search("[局厅]|委员会|分$", f_stem):  # 公安局龙华分局: a body inside the department, not its full name
        return False
    it = iter(f_stem)
    return all(ch in it for ch in s_stem)


def full_department_name(department: str, text: str, region: str, *, province: str = "",
                         source: str | Path = "department_names.txt") -> tuple[str, str]:
    """The full name of ``department`` (written without its government, e.g. 文广旅局) and how it was found.

    Returns ``(name, how)``: the one longer name of the same government (``region`` + name) that the text writes and
    ``department`` abbreviates, else for a district's police branch written X公安分局 its official name 公安局X分局, else the table's full
    name (a row naming a province applies only to reports of that ``province``: 营商局 is 营商环境建设局 in 辽宁省),
    else ``(department, "")`` unchanged.
    """
    if not department:
        return department, ""
    if region:
        pattern = rf"{re.escape(region)}([{_HAN}]{{2,16}}?(?:委员会|办公室|局|厅|委|办))"
        found = {m.group(1) for m in re.finditer(pattern, text)}
        longer = {f for f in found if abbreviates(department, f)}
        if len(longer) == 1:
            full = longer.pop()
            return full, f"department {full}: {department} written in full as {region}{full} in the text"
    branch = re.fullmatch(rf"([{_HAN}]{{1,6}}?)公安分局", department)
    if branch and region and (region == branch.group(1) or region[:-1] == branch.group(1)):
        full = f"公安局{branch.group(1)}分局"  # 龙华公安分局 of 龙华区: the city's 公安局龙华分局
        return full, f"department {full}: {department}, the city police's branch in {region}"
    table = _table(str(source))
    full = table.get((department, province), "") if province else ""
    full = full or table.get((department, ""), "")
    if full:
        return full, f"department {full}: the full name of {department}" + (f" in {province}" if (
            department, province) in table and province else "")
    return department, ""
