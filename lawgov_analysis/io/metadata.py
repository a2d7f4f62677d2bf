"""Which government and year a report is from: read the head of the text, skip page furniture, find the title,
the reporting year, the author (government or department), the region and its level, and say where each came from.

The rule is "empty rather than guessed": a field is filled only when the head states it (a title, an opening
sentence such as "2021年，武清区司法局坚持…", a "来源" line, the file name or the site's domain), and region names
are resolved against the code table of :mod:`.gazetteer`; an ambiguous name is left empty with the reason in
``metadata_note``.

Provenance values (``*_source`` fields): ``title`` (the title line, or the page title of an HTML file),
``opening`` (the first body sentence, or a "来源"/"发布时间" line of the head), ``filename``, ``url`` (the site's
domain), ``gazetteer`` (derived from the region's code) and, in :func:`load_corpus`, ``manifest``.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from pathlib import Path

from ..core.cues import load_cues
from . import metadata_document as doc
from .furniture import furniture_patterns
from .gazetteer import Place, domain_region, former_place, load_gazetteer, resolve_chain
from .metadata_check import metadata_confidence
from .metadata_clues import coded_place, subject_province
from .metadata_complete import complete_from_document, fill_place
from .metadata_names import abbreviates

#: Values of the ``*_source`` provenance fields.
SOURCES = ("manifest", "title", "opening", "document", "filename", "url", "gazetteer", "")
#: Keys of the dict returned by :func:`infer_metadata`.
METADATA_FIELDS = ("title", "author", "department", "region", "region_code", "province", "city", "level", "year",
                   "title_source", "year_source", "region_source", "level_source", "author_source",
                   "metadata_note", "metadata_confidence")

_HEAD_LINES = 40
_HEAD_CHARS = 4000
_HAN = r"\u4e00-\u9fff"
_YEAR = r"(?:19[89]\d|20\d\d)"

# ---------------------------------------------------------------------------------------------------------
# Page furniture


def _furniture_source(furniture: str | Path | None) -> str:
    return str(furniture) if furniture else os.environ.get("LAWGOV_FURNITURE") or "furniture.txt"


def is_furniture(line: str, *, head: bool = True, furniture: str | Path | None = None) -> bool:
    """True when ``line`` (stripped) is page furniture by the pattern list (``resources/furniture.txt``)."""
    line = line.strip()
    if not line:
        return False
    patterns = furniture_patterns(_furniture_source(furniture))
    joined = patterns.joined[1] if head and patterns.head_only else patterns.joined[0]
    if joined is not None:
        return joined.fullmatch(line) is not None
    if any(p.fullmatch(line) for p in patterns.both):
        return True
    return head and any(p.fullmatch(line) for p in patterns.head_only)


def _is_body(line: str) -> bool:
    """A body paragraph: long, or a sentence ending in a full stop; never a bare web address."""
    line = line.strip()
    if re.fullmatch(r"(?:https?://|www\.)\S+", line):
        return False
    return len(line) >= 60 or (len(line) >= 20 and line.endswith(("。", "；", "：", ":")) and "：" not in line[:8])


def strip_furniture(text: str, *, furniture: str | Path | None = None) -> tuple[str, int, int]:
    """Remove page-furniture lines from the head and the tail of ``text``.

    Only lines before the first body paragraph and after the last one are candidates, and only those matching a
    furniture pattern are removed (titles, document numbers and signatures stay); blank lines left at either end
    are dropped with them. Returns ``(text, chars_removed, lines_removed)``; a text without furniture comes back
    unchanged.
    """
    lines = text.split("\n")
    body = [i for i, line in enumerate(lines) if _is_body(line)]
    first, last = (body[0], body[-1]) if body else (len(lines), len(lines))
    drop = {i for i in range(first) if is_furniture(lines[i], head=True, furniture=furniture)}
    drop |= {i for i in range(last + 1, len(lines)) if is_furniture(lines[i], head=False, furniture=furniture)}
    if not drop:
        return text, 0, 0
    kept = [line for i, line in enumerate(lines) if i not in drop]
    lo, hi = 0, len(kept)
    head_dropped = any(i < first for i in drop)
    tail_dropped = any(i > last for i in drop)
    while head_dropped and lo < hi and not kept[lo].strip():
        lo += 1
    while tail_dropped and hi > lo and not kept[hi - 1].strip():
        hi -= 1
    out = "\n".join(kept[lo:hi])
    return out, len(text) - len(out), len(lines) - (hi - lo)


# ---------------------------------------------------------------------------------------------------------
# Reading the head

_TITLE_SUBJECT = re.compile(r"(法治政府|依法行政|法治建设|依法治[省市区县州镇乡]|法治[^，。]{0,6}工作)")
_TITLE_KIND = re.compile(r"(报告|情况|总结|要点|工作$)")
_PREFIX = re.compile(r"^\s*(?:[\[【［(（][^\]】］)）]{1,10}[\]】］)）]\s*)+")
_DOC_NUMBER = re.compile(rf"[{_HAN}]{{0,8}}[〔\[［(（【]{_YEAR}[〕\]］)）】]\s*\d+\s*号")
_ADDRESSEE = re.compile(rf"^[{_HAN}、，, /／]{{2,40}}[:：]$")
_ISSUER_LINE = re.compile(rf"^(?:中共)?([{_HAN}]{{2,30}}(?:人民政府|政府|局|厅|委员会|办公室|委|办|中心|管委会|办事处))(?:党组|党委)?$")
# "2026-01-20 17:01 | 武汉市水务局": the date and the publisher on one line above the title
_DATE_ORG = re.compile(rf"^{_YEAR}-\d{{1,2}}-\d{{1,2}}(?:\s+\d{{1,2}}:\d{{2}}(?::\d{{2}})?)?\s*[|｜]\s*([{_HAN}]{{2,30}})$")
# a publication-date line (its label words are the one list in resources/cues.toml); here the colon is required
_PUBLISHED = re.compile(rf"{load_cues().publication_word}\s*[:：]\s*({_YEAR})\s*[-./年]\s*(\d{{1,2}})")
_BARE_DATE = re.compile(rf"^({_YEAR})-(\d{{1,2}})-\d{{1,2}}(?:\s+\d{{1,2}}:\d{{2}}(?::\d{{2}})?)?$")
_SOURCE_LINE = re.compile(rf"(?:信息)?来源\s*[:：]\s*([{_HAN}]{{2,40}})")
_BOOK_TITLE = re.compile(r"《[^》]{0,80}》")
_BREADCRUMB = re.compile(r"[>＞»]|首页|当前位置|您的位置")
_URL = re.compile(r"https?://[A-Za-z0-9.\-]+(?:/[^\s\"'<>，。]*)?")
_RANGE = re.compile(rf"{_YEAR}\s*年?\s*[—–\-~～至到]+\s*{_YEAR}\s*年?")
_YEAR_WORD = re.compile(rf"(?<!\d)({_YEAR})\s*年(?!\s*以来|\s*[—–\-~～至到])(?:度)?")
_OPENING_YEAR = re.compile(rf"^\s*({_YEAR})\s*年(?:度)?\s*(?:[，,、：:]|是|上半年|全年)")
_SINCE = re.compile(r"^\s*(今年以来|今年|本年度)\s*[，,、]?")
_REPORTED_AS = re.compile(rf"现将[^。]{{0,30}}?({_YEAR})\s*年(?:度)?[^。]{{0,30}}?(?:报告|总结|汇报)如下")
_WE = re.compile(r"^(?:我|全|本)(省|市|区|县|州|镇|乡|街道|旗|局|厅|委|办)(?![委长])")
_SELF_GOV = re.compile(r"^(省|市|区|县|州|镇|乡|街道|旗)(?:人民)?政府(?!办)")
# "县委、县政府坚持…" as the subject of the opening: the report of that tier's government (and its 党委)
_JOINT_GOV = re.compile(r"^(省|市|区|县|州|旗)委[、，,和]?\s*\1?(?:人民)?政府(?!办)")
_SELF_DEPT_START = re.compile(r"^(省|市|区|县|州|镇|乡|旗)(?=[\u4e00-\u9fff])")
_GOV_TAIL = re.compile(r"^(?:人民政府|政府|人民政府办公室?|党委|委员会)?$")
_GOV_WORD = re.compile(r"^(?:人民政府|政府)")
_DEPT = re.compile(rf"^([{_HAN}]{{1,14}}?(?:委员会|办公室|管理局|局|厅|委|办(?!公)|中心|署|管委会))")
_DEPT_STOP = set("在以的和与及坚认深全紧围按始扎积切持着聚把将对为从于是")
_BRANCH = re.compile(rf"^([{_HAN}]{{2,12}}?局)([{_HAN}]{{2,8}}?)分局")
_NOT_DEPT = re.compile(r"法治政府|建设工作|[在的]|党[工]?委$")
# "党委和政府", "党委、政府", "党委政府": the region's party committee and government report together
_PARTY_AND_GOV = re.compile(r"^党委[和、，,]?\s*(?:人民)?政府")
_TOWN = re.compile(rf"^([{_HAN}]{{1,8}}?(?:街道|镇|乡))(?!建设|规划|一体)(?:人民政府|政府|办事处|党委|党工委)?")
_LEVEL_WORD = {"省": "省", "市": "市", "区": "区", "县": "县", "旗": "县", "州": "市", "镇": "乡镇", "乡": "乡镇",
               "街道": "街道", "街": "街道", "局": "部门", "厅": "部门", "委": "部门", "办": "部门"}
# The legacy chain parser: keeps names the table does not know (fictional or abolished units) readable.
_SUFFIX = "[省市区县州盟旗镇乡]"
_CHAIN = re.compile(
    rf"(?P<prov>[{_HAN}]{{2,6}}?(?:省|自治区|特别行政区))?"
    rf"(?P<pref>(?!{_SUFFIX})[{_HAN}]{{1,7}}?(?:自治州|地区|市|州|盟))?"
    rf"(?P<county>(?!{_SUFFIX})[{_HAN}]{{1,7}}?(?:自治县|自治旗|新区|区|县|旗|市))?"
    rf"(?P<town>(?!{_SUFFIX})[{_HAN}]{{1,7}}?(?:街道|镇|乡))?"
)


def _clean_line(line: str) -> str:
    return line.strip().strip("\u3000\ufeff \t").lstrip("•●▪◆■ ").strip()  # "• 来源: 县卫生健康局"


def _clean_title(line: str) -> str:
    line = _PREFIX.sub("", line).strip()
    line = _DOC_NUMBER.sub("", line).strip()
    return line.strip("《》“”\"' ")


def _title_like(line: str) -> bool:
    if _BREADCRUMB.search(line) or doc.is_metadata_row(line):
        return False
    line = _clean_title(line)
    if not (6 <= len(line) <= 100) or line.endswith(("。", "；", "：", ":")) or "。" in line[:-1]:
        return False
    if "，" in line or "," in line:  # titles have no commas; opening sentences do
        return False
    return bool(_TITLE_SUBJECT.search(line) and _TITLE_KIND.search(line))


@dataclass
class _Head:
    lines: list[str]  # non-blank, non-furniture lines of the head
    furniture: list[str]  # furniture lines of the head
    published: int | None = None  # publication year from a 发布时间 line
    source_org: str = ""  # the organisation of a 来源 line
    urls: list[str] = field(default_factory=list)


def _read_head(text: str, furniture: str | Path | None) -> _Head:
    head = _Head([], [])
    for raw in text[:_HEAD_CHARS].split("\n")[: _HEAD_LINES * 2]:
        line = _clean_line(raw)
        if not line:
            continue
        head.urls.extend(_URL.findall(line))
        org = _DATE_ORG.match(line)
        if org:
            head.furniture.append(line)
            head.published = head.published or int(line[:4])
            head.source_org = head.source_org or org.group(1)
            continue
        if is_furniture(line, head=True, furniture=furniture) or _BARE_DATE.match(line):
            head.furniture.append(line)
            m = _PUBLISHED.search(line) or _BARE_DATE.match(line)
            if m and head.published is None:
                head.published = int(m.group(1))
            s = _SOURCE_LINE.search(line)
            if s and not head.source_org:
                head.source_org = re.split(r"发布|时间|日期|作者|点击|浏览|访问|字号", s.group(1))[0]
            continue
        head.lines.append(line)
        if len(head.lines) >= _HEAD_LINES:
            break
    return head


def _find_title(lines: list[str]) -> tuple[str, int]:
    """The title and the index of the line after it (0 when there is no title)."""
    for i, line in enumerate(lines[:24]):  # past line 12 only when no paragraph came first (a long metadata block)
        if _DOC_NUMBER.fullmatch(line) or _ADDRESSEE.match(line) or doc.is_metadata_row(line):
            continue
        nxt = lines[i + 1] if i + 1 < len(lines) else ""
        # A title split over two lines: "兴国县人民政府" / "关于2022年度…的报告", or "…法治政府建设" / "工作报告".
        issuer_line = line.split()[-1] if line.split() else ""  # "中共兴国县委 兴国县人民政府": the government
        if _ISSUER_LINE.match(issuer_line) and nxt.startswith("关于") and _title_like(issuer_line + nxt):
            return _clean_title(issuer_line + nxt), i + 2
        if re.search(rf"关于\s*{_YEAR}\s*年度?$", line) and 0 < len(nxt) <= 30 and _title_like(line + nxt):
            return _clean_title(line + nxt), i + 2  # "天津市交通运输委员会关于2023年度" / "法治政府建设情况的报告"
        if (_ISSUER_LINE.match(line) and re.match(rf"^{_YEAR}\s*年", nxt) and len(nxt) <= 40
                and _TITLE_SUBJECT.search(nxt) and not _is_body(nxt)):
            return _clean_title(line + nxt), i + 2  # "四川省交通运输厅" / "2025年法治政府部门建设工作情况"
        if (not _title_like(line) and nxt and len(nxt) <= 16 and not _is_body(nxt) and "法治" in line
                and _title_like(line + nxt)):
            return _clean_title(line + nxt), i + 2  # "柳江区卫生健康局2025年法治政府" / "建设年度报告"
        if _title_like(line):
            if nxt and len(nxt) <= 12 and nxt.endswith(("报告", "总结")) and not _TITLE_KIND.search(line[-2:]):
                return _clean_title(line + nxt), i + 2
            return _clean_title(line), i + 1
        if _is_body(line) and not _title_follows(lines[i + 1:i + 7]):
            break
    return "", 0


def _title_follows(lines: list[str]) -> bool:
    """A title comes within the next lines, with no paragraph before it: the line before was a slogan, a long
    breadcrumb or a covering letter ("根据…现将我局《…》随文上报。" / 特此报告。 / 湖州市交通运输局 / 2025年1月15日)."""
    for j, line in enumerate(lines):
        if re.match(r"^(?:[一二三四五六七八九十]+、|[（(][一二三四五六七八九十]+[）)]|\d+[.、])", line):
            return False
        nxt = lines[j + 1] if j + 1 < len(lines) else ""
        if _title_like(line) or ("法治" in line and len(nxt) <= 16 and _title_like(line + nxt)):
            return True
        if len(line) >= 60:
            return False
    return False


_OPENING_PREFIX = re.compile(
    rf"^\s*(?:(?:{_YEAR}\s*年(?:度)?(?:以来|来)?|今年以来|今年|本年度|一年来|过去一年)\s*[，,、]?|[，,、])\s*"
    rf"|^也?是[^，,。；]{{2,30}}?(?:一年|之年)\s*[，,]\s*"  # "2022年，是具有特殊意义的一年，番禺区…"
    rf"|^在[^，,。；]{{1,60}}?(?:下|中|期间)\s*[，,]\s*|^[^在，,。；]{{2,30}}?的[^，,。；]{{0,6}}(?:指导|领导|支持)下\s*[，,]\s*"
    rf"|^为[^，,。；]{{2,30}}?[，,]\s*(?=[^，,。；]{{0,12}}[，,])")
_OPENING_TOWN = re.compile(
    rf"^([{_HAN}]{{2,6}}?(?:街道|镇|乡))(?=坚持|深入|认真|全面|紧紧|围绕|以|在|按照|始终|扎实|积极|切实|持续|"
    rf"着力|聚焦|严格|大力|不断|进一步|党委|人民政府|政府|党工委|办事处|法治|工作|在|领导班子)")


_BARE_TIER = re.compile(r"^(街道|镇|乡)(?=按照|坚持|深入|认真|全面|紧紧|围绕|始终|扎实|积极|切实|持续|着力|聚焦|严格|党工委|党委)")
# "…的坚实引领，我乡积极作为", "…之年，一年来我镇…", "…的保障作用，我街严格按照…" (我街: Guangdong's short form)
_COMMA_WE = re.compile(r"[，,]\s*(?:一年来|今年以来|今年)?\s*我(镇|乡|街道|街(?!道))(?![委长])")
_SUBJECT_VERB = (r"(?=坚持|深入|认真|全面|紧紧|围绕|始终|扎实|积极|切实|持续|着力|聚焦|严格|不断|进一步|大力|"
                 r"以习近平|按照|统筹)")


def _opening_clauses(opening: str) -> list[str]:
    """The opening's clause, then those of its later sentences that open like a report ("2022年，在市委…领导下，
    全县…" after "法治是安邦治国的基石…。", "在…领导下，江苏省各级政府…" after "2020年是…收官之年。")."""
    sentences = [x for x in re.split("。", opening) if x.strip()]
    later = [x for x in sentences[1:3] if re.match(rf"^\s*(?:{_YEAR}\s*年|在|一年来|今年)", x)]
    return [_opening_clause(x) for x in [opening, *later]] if opening else []


def _short_city(clause: str) -> str:
    """A prefecture-level city named by its short form as the subject (株洲深入贯彻… → 株洲市), else ``""``."""
    m = re.match(rf"^([{_HAN}]{{2,3}}?){_SUBJECT_VERB}", clause)
    if not m:
        return ""
    if doc.is_province_short_name(m.group(1)):  # "吉林深入实施…" may be the province's report
        return ""
    cands = [p for p in load_gazetteer().lookup(m.group(1) + "市") if p.level == "市"]
    return cands[0].name if len(cands) == 1 else ""


def _opening_clause(opening: str) -> str:
    """The opening sentence without its lead-in: "2025年以来，在…领导下，我镇…" → "我镇…"."""
    clause = opening
    for _ in range(6):
        stripped = _OPENING_PREFIX.sub("", clause, count=1)
        if stripped == clause:
            break
        clause = stripped
    return clause.lstrip("，, ")


def _named_in_head(lines: list[str], level: str) -> Place | None:
    """The one place of ``level`` (区/县/市) named at least twice in the head, and no other of that level."""
    gaz = load_gazetteer()
    counts: dict[str, int] = {}
    text = "\n".join(lines)
    for name in gaz.names_in(text):
        counts[name] = counts.get(name, 0) + 1
    same_level = {n: c for n, c in counts.items() if any(p.level == level for p in gaz.lookup(n))}
    if len(same_level) != 1:
        return None
    (name, count), = same_level.items()
    if count < 2:
        return None
    res = resolve_chain([name], context=text)
    return res.place if res.place is not None and res.place.level == level else None


def _year_free(title: str) -> str:
    """A title without what carries other years: document numbers, 《quoted titles》 and ranges (2021—2025年)."""
    return _RANGE.sub("", _BOOK_TITLE.sub("", _DOC_NUMBER.sub("", title)))


def _title_year(title: str) -> int | None:
    m = _YEAR_WORD.search(_year_free(title))
    return int(m.group(1)) if m else doc.enclosed_report_year(title)  # 关于报送《X2023年度…报告》的报告


# ---------------------------------------------------------------------------------------------------------
# Issuers: "江西省景德镇市昌江区人民政府", "景德镇市司法局", "武汉市江汉区民族街道"


@dataclass
class _Issuer:
    names: list[str] = field(default_factory=list)  # gazetteer names, outermost first
    town: str = ""
    department: str = ""
    self_level: str = ""  # "区" for "区司法局" (a department of an unnamed government of that tier)
    legacy: dict | None = None  # names the table does not know, parsed by suffix
    text: str = ""  # the issuer as written

    @property
    def empty(self) -> bool:
        return not (self.names or self.town or self.department or self.self_level or self.legacy)


def _dept_at(rest: str, *, strict: bool) -> str:
    m = _DEPT.match(rest)
    if not m:
        return ""
    dept = m.group(1)
    if dept[0] in _DEPT_STOP or any(ch in _DEPT_STOP for ch in dept[:2]) or dept in ("委", "办"):
        return ""
    if _NOT_DEPT.search(dept):  # "法治政府建设工作在市委": a clause running into 市委, not a department
        return ""
    if strict and rest[len(dept):] and not re.match(r"^(?:关于|$)", rest[len(dept):]):
        return ""
    return dept


def parse_issuer(text: str, *, strict: bool = True) -> _Issuer:
    """Split an issuer into region names (from the table), town, department.

    ``strict`` (titles): the whole string must be an issuer. Otherwise (opening sentences) the issuer is the
    start of the string and the rest is ignored.
    """
    s = re.sub(r"^(?:关于|中共|中国共产党|国家税务总局)+", "", text.strip())
    s = _drop_party_committee(s)
    gaz = load_gazetteer()
    out = _Issuer(text=s)
    i = 0
    while i < len(s):
        name = gaz.longest_name_at(s, i)
        if not name:
            break
        out.names.append(name)
        i += len(name)
    rest = s[i:]
    if out.names:
        # A town after the county: "武清区杨村街道", "浮梁县湘湖镇人民政府"
        m = _TOWN.match(rest)
        gov_town = _TOWN.match(rest[_GOV_WORD.match(rest).end():]) if _GOV_WORD.match(rest) else None
        if m and not _GOV_WORD.match(rest):
            out.town = m.group(1)
            rest = rest[m.end():]
        elif gov_town and rest[_GOV_WORD.match(rest).end():].startswith(gov_town.group(0)):
            out.town = gov_town.group(1)  # "鲤城区人民政府金龙街道办事处"
            rest = rest[_GOV_WORD.match(rest).end() + gov_town.end():]
        joint = _PARTY_AND_GOV.match(rest)
        if joint:  # "宁夏回族自治区党委和政府全面学习…": the government's report, not a department's
            rest = "政府" + rest[joint.end():]
        gov = _GOV_WORD.match(rest)
        after_gov = rest[gov.end():] if gov else rest
        branch = _BRANCH.match(rest)  # "株洲市生态环境局攸县分局", "温州市生态环境局泰顺分局": a county's branch
        where = [n for n in (branch.group(2), *(branch.group(2) + x for x in ("县", "区", "市", "自治县")))
                 if gaz.lookup(n) or former_place(n)] if branch else []  # 重庆市公安局渝北区分局: a former district
        if len(where) == 1:
            out.names.append(where[0])
            out.department = branch.group(0)
            return out
        dept = _dept_at(after_gov if gov else rest, strict=strict)
        if gov and not dept and re.match(r"^(?:办公室|办)(?=关于|$)" if strict else r"^办公室", after_gov):
            dept = after_gov[: 3 if after_gov.startswith("办公室") else 1]
        if gov and dept:
            dept = rest[: gov.end()] + dept  # 人民政府办公室
            out.department = dept
            rest = rest[len(dept):]
        elif dept and not gov:
            out.department = dept
            rest = rest[len(dept):]
        elif gov:
            rest = after_gov
        if strict and rest and not re.fullmatch(r"(?:关于)?", rest):
            if not out.department and not out.town:
                return _legacy_issuer(s) or _Issuer(text=s)
        return out
    m = _SELF_DEPT_START.match(s)
    if m:
        dept = _dept_at(s[1:], strict=strict)
        if dept:
            out.self_level, out.department = _LEVEL_WORD[m.group(1)], dept
            return out
    return (_legacy_issuer(s) or out) if strict else out


def _drop_party_committee(s: str) -> str:
    """"汉中市委汉中市人民政府…" → "汉中市人民政府…"; "淮北市烈山区委烈山区人民政府" → "烈山区人民政府…": a joint
    report of the 党委 and the government is the government's."""
    m = re.match(rf"^([{_HAN}]{{2,20}}?)委[、\s]*", s)
    if not m:
        return s
    committee, rest = m.group(1), s[m.end():]
    if any(rest.startswith(committee[i:]) for i in range(len(committee) - 1)):
        return rest
    return s


def _legacy_issuer(head: str) -> _Issuer | None:
    head = re.sub(r"(?:人民政府|政府|党委|[省市区县]委)$", "", head)
    for cut in range(len(head), 1, -1):
        m = _CHAIN.fullmatch(head[:cut])
        if not m or not any(m.groupdict().values()):
            continue
        rest = head[cut:]
        dept = ""
        if rest:
            dept = _dept_at(rest, strict=True)
            if dept != rest:
                continue
        units = [m.group(k) for k in ("prov", "pref", "county", "town") if m.group(k)]
        return _Issuer(department=dept, legacy={"units": units, "province": m.group("prov") or ""}, text=head)
    return None


def _suffix_level(name: str) -> str:
    if name.endswith(("自治区", "特别行政区", "省")):
        return "省"
    if name.endswith("街道"):
        return "街道"
    for suffix, level in (("自治县", "县"), ("自治旗", "县"), ("旗", "县"), ("县", "县"), ("新区", "区"),
                          ("区", "区"), ("自治州", "市"), ("州", "市"), ("盟", "市"), ("市", "市"),
                          ("镇", "乡镇"), ("乡", "乡镇")):
        if name.endswith(suffix):
            return level
    return ""


def parse_region(head: str) -> dict:
    """Split an issuer (the part of a title before the year) into ``region, city, province, level`` by suffixes.

    ``"江西省景德镇市昌江区"`` → region 昌江区, city 景德镇市, province 江西省, level 区;
    ``"景德镇市司法局"`` → region 景德镇市, level 部门. This reads the names as written, without the code table
    (see :func:`infer_metadata` for resolved regions). Unparseable heads give empty fields.
    """
    empty = {"region": "", "city": "", "province": "", "level": ""}
    issuer = _legacy_issuer(re.sub(r"^(?:关于|中共)+", "", head.strip()))
    if issuer is None:
        return empty
    units = issuer.legacy["units"]
    region = units[-1]
    return {"region": region, "city": units[-2] if len(units) > 1 else "",
            "province": issuer.legacy["province"],
            "level": "部门" if issuer.department else _suffix_level(region)}


def _title_issuers(title: str) -> list[str]:
    """Candidate issuer strings of a title, most specific first."""
    text = _year_free(_clean_title(title))
    alias = re.match(rf"^([{_HAN}]{{2,10}}[区县市])[（(]([{_HAN}]{{2,10}}[区县市])[)）]", text)
    if alias and load_gazetteer().lookup(alias.group(2)):  # "高新区(新市区)人民政府": the district's own name
        text = alias.group(2) + text[alias.end():]
    m = _YEAR_WORD.search(text)
    before = text[: m.start()] if m else text
    # The issuer ends where the subject begins: 昌江区|法治政府建设年度报告（2021年度）, 昌江区|贯彻落实…
    before = re.split(r"法治政府|依法行政|法治建设|贯彻|落实|[（(]", before)[0]
    after = text[m.end():] if m else ""
    out = []
    joint = re.match(rf"^中共[{_HAN}]{{2,30}}(?:委员会|党组|党委)\s+(?=[{_HAN}])", before)
    if joint:  # "中共渠县教育局委员会 渠县教育局 关于…": the department, not its party committee
        before = before[joint.end():]
    # "中共青岛市交通运输局党组2022年度…": the department of its 党组
    before = re.sub(rf"^中共([{_HAN}]{{2,30}}(?:局|厅|委员会|办公室))(?:党组|党委)", r"\1", before)
    if "关于" in before:
        issuer, _, subject = before.partition("关于")
        out += [subject, issuer]
    else:
        out.append(before)
    if m and not before.strip("关于 "):
        out.append(re.split(r"法治政府|依法行政|法治建设|推进", after)[0])
    return [s.strip() for s in out if s.strip()]


# ---------------------------------------------------------------------------------------------------------
# Putting it together


def _empty() -> dict:
    return {k: "" for k in METADATA_FIELDS} | {"year": None}


def infer_metadata(text: str, *, filename: str = "", title_hint: str = "", url: str = "",
                   furniture: str | Path | None = None, domains: str | Path | None = None) -> dict:
    """Infer a report's metadata from the head of its text, its file name and its url.

    Parameters
    ----------
    text
        The report text (page furniture may still be in it; it is skipped, and its 发布时间/来源 lines are used
        as context only).
    filename
        The file name (a year or a title in it is used when the text has none).
    title_hint
        The page title of an HTML file.
    url
        Where the report was published; its domain settles ambiguous region names (``resources/gov_domains.csv``).
    furniture, domains
        Replace the bundled furniture pattern list or domain table with your own file.

    Returns
    -------
    dict
        ``title, author, department, region, region_code, province, city, level, year`` (``int`` or ``None``),
        the provenance fields ``title_source, year_source, region_source, level_source, author_source`` (values
        of :data:`SOURCES`), ``metadata_note`` (why a field was left empty, which source lost a conflict, what
        was inferred from where) and ``metadata_confidence`` (``high``/``medium``/``low``, the rule in
        :mod:`.metadata_check`). A field the text does not state is left empty. A name several places share
        (朝阳区) fills ``region`` with the name and leaves ``region_code`` empty, saying so in the note. Never
        raises on text.
    """
    meta = _empty()
    notes: list[str] = []
    text = text if isinstance(text, str) else ""
    head = _read_head(text, furniture)
    urls = [u for u in [url, *head.urls] if u]
    site_url = urls[0] if urls else ""
    context = ""  # set after the title is found: title, 来源/发布 lines and the first body lines

    # Title
    title, body_from = _find_title(head.lines)
    table = doc.metadata_table(head.lines[:12])
    if table.get("publisher") and not head.source_org:
        head.source_org = table["publisher"]
    if title:
        meta["title"], meta["title_source"] = title, "title"
    elif table.get("title") and _title_like(table["title"]):  # "标 题: 江苏省2022年度…报告" in the table
        meta["title"], meta["title_source"] = _clean_title(table["title"]), "title"
    elif title_hint and _title_like(title_hint):
        meta["title"], meta["title_source"] = _clean_title(title_hint), "title"
    stem = Path(filename).stem if filename else ""
    if not meta["title"] and re.search(f"[{_HAN}]", stem) and _title_like(stem):
        meta["title"], meta["title_source"] = _clean_title(stem), "filename"
    body = [ln for ln in head.lines[body_from:]
            if not (_DOC_NUMBER.fullmatch(ln) or _ADDRESSEE.match(ln) or doc.is_metadata_row(ln))]
    # The opening: the first body paragraph that is not a "根据…现将…报告如下" preamble or a metadata line.
    prose = [ln for ln in body if _is_body(ln) and not (ln.startswith("根据") and re.search("现将|如下", ln))]
    opening = prose[0] if prose else (body[0] if body else "")
    # Parents named around the title settle ambiguous names; names inside 《…》 are other documents' titles.
    context = _BOOK_TITLE.sub("", "\n".join([meta["title"], *head.furniture, *body[:3]]))

    # Year
    if meta["title"]:
        year = _title_year(meta["title"])
        if year:
            meta["year"], meta["year_source"] = year, meta["title_source"]
    opening_year = None
    m = _OPENING_YEAR.match(opening)
    if m:
        opening_year = int(m.group(1))
    else:
        for line in body[:3]:
            r = _REPORTED_AS.search(line)
            if r:
                opening_year = int(r.group(1))
                break
        if opening_year is None and _SINCE.match(opening) and head.published:
            opening_year = head.published
            notes.append(f"year {head.published}: 今年 in the opening, published {head.published}")
    if meta["year"] is None and opening_year:
        meta["year"], meta["year_source"] = opening_year, "opening"
    elif meta["year"] and opening_year and opening_year != meta["year"]:
        notes.append(f"the opening says {opening_year}, the title {meta['year']}; kept the title's")
    if meta["year"] is None:
        ym = re.search(rf"(?<!\d)({_YEAR})(?!\d)", stem)
        if ym:
            meta["year"], meta["year_source"] = int(ym.group(1)), "filename"
    if meta["year"] is None:
        notes.append("no year in the title, opening or file name")

    # Issuer: the title's, else the opening's, else the 来源 line's
    issuer, issuer_source = _Issuer(), ""
    if meta["title"]:
        for candidate in _title_issuers(meta["title"]):
            parsed = parse_issuer(candidate, strict=True)
            if not parsed.empty:
                issuer, issuer_source = parsed, meta["title_source"]
                break
        # "广元市人力资源和社会保障局" / "2023年法治政府建设工作年度报告": the issuer on the line above a repeat of the title
        above = [_ISSUER_LINE.match(a).group(1) for a, b in zip(head.lines[:14], head.lines[1:15])
                 if _ISSUER_LINE.match(a) and b == title]
        if issuer.empty and above:
            parsed = parse_issuer(above[0], strict=True)
            if not parsed.empty:
                issuer, issuer_source = parsed, "title"
    level_hint, level_hint_source = "", ""
    for k, clause in enumerate(_opening_clauses(opening) if issuer.empty else _opening_clauses(opening)[:1]):
        if k and re.match(r"^全[省市区县][^，。]{0,10}系统", clause):  # "全县卫生健康系统…" in a department's report
            break
        system = doc.system_department(clause, doc.we_suffix(text)) if issuer.empty else ""
        if system:  # "全市司法行政系统在市委…" in a 我局 report: the 市司法局, not the city
            issuer, issuer_source = _Issuer(department=system, self_level=system[0], text=system), "opening"
            level_hint, level_hint_source = "部门", "opening"
            break
        tier = doc.system_tier(clause) if issuer.empty and not k else ""
        if tier:  # "全省司法行政系统在省委…领导下" without 我厅: a 省 department whose own name is not given
            issuer, issuer_source = _Issuer(self_level=tier), "opening"
            level_hint, level_hint_source = "部门", "opening"
            break
        w = _WE.match(clause) or _SELF_GOV.match(clause) or _JOINT_GOV.match(clause) or _BARE_TIER.match(clause)
        if w:
            level_hint, level_hint_source = _LEVEL_WORD[w.group(1)], "opening"
            break
        if issuer.empty:
            parsed = parse_issuer(clause, strict=False)
            town = _OPENING_TOWN.match(clause)
            province = subject_province(clause, text, doc.province_short_names())  # "2024年，广东坚持…" + 全省
            city = _short_city(clause) or (province.name if province is not None else "")
            street = doc.short_street(clause)
            if not parsed.empty:
                issuer, issuer_source = parsed, "opening"
            elif town:  # "2025年，下蜀镇坚持…": a town the table cannot place
                issuer = _Issuer(legacy={"units": [town.group(1)], "province": ""}, text=town.group(1))
                issuer_source = "opening"
            elif street:  # "2024年，鹤龙街坚持…": 鹤龙街道 by the short form Guangdong uses
                issuer, issuer_source = _Issuer(legacy={"units": [street], "province": ""}, text=street), "opening"
            elif city:  # "2024年，在省委…领导下，株洲深入贯彻…": the city by its short name
                issuer, issuer_source = _Issuer(names=[city], text=city), "opening"
            if not issuer.empty:
                break
    if not level_hint and issuer.empty and opening:
        w = _COMMA_WE.search(re.split("[。；]", opening)[0])  # "…的坚实引领，我乡积极作为"
        if w:
            level_hint, level_hint_source = _LEVEL_WORD[w.group(1)], "opening"
    if issuer.empty and head.source_org and level_hint:
        parsed = parse_issuer(head.source_org, strict=False)
        if level_hint == "部门" and parsed.names and parsed.department:  # "来源：成都市司法局" + "我局…"
            issuer, issuer_source = parsed, "opening"
        elif level_hint != "部门" and parsed.names:
            # "来源：安吉县人民政府办公室" + "我县…": the county is the author, not its office
            if parsed.town and level_hint in ("乡镇", "街道"):
                issuer = _Issuer(names=parsed.names, town=parsed.town, text="".join(parsed.names) + parsed.town)
            else:
                issuer = _Issuer(names=parsed.names, text="".join(parsed.names))
            issuer_source = "opening"
        elif level_hint in ("乡镇", "街道") and not parsed.names:
            town = _TOWN.match(head.source_org)  # "来源：瑶里镇人民政府" + "我镇…": the town, without a code
            if town and not town.group(1).startswith("某") and _suffix_level(town.group(1)) == level_hint:
                issuer = _Issuer(legacy={"units": [town.group(1)], "province": ""}, text=town.group(1))
                issuer_source = "opening"
    if issuer.empty:  # the signature block: "湖州市交通运输局" / "2025年1月15日"
        signer = doc.signature([_clean_line(ln) for ln in text.split("\n")])
        parsed = parse_issuer(signer, strict=True) if signer else _Issuer()
        if parsed.names or parsed.legacy:
            issuer, issuer_source = parsed, "document"

    if issuer.self_level and not issuer.names and head.source_org:  # "市水务局…报告" + "| 武汉市水务局"
        src = parse_issuer(head.source_org, strict=False)
        if src.names and src.department and (src.department.endswith(issuer.department)
                                             or issuer.department.endswith(src.department)
                                             or abbreviates(issuer.department,  # 政务服务办: 人民政府政务服务办公室
                                                            re.sub(r"^(?:人民)?政府", "", src.department))):
            issuer = src

    # Resolve the region
    place: Place | None = None
    region_how = ""
    if issuer.names:
        res = resolve_chain(issuer.names, context=context, url=site_url, domains=domains,
                            coded=coded_place(head.lines)[0])
        if res.place is not None:
            place, region_how = res.place, res.how
        else:
            notes.append(res.note)
            cands = res.candidates
            former = former_place(issuer.names[-1]) if not cands and not issuer.town else None
            if former is not None:
                # 重庆市公安局渝北区分局: a district the code table no longer lists (its province and city are
                # filled from resources/former_divisions.csv by complete_from_document)
                meta["region"], meta["region_source"] = former.name, issuer_source
                meta["level"], meta["level_source"] = former.level, "gazetteer"
            if cands and len({c.level for c in cands}) == 1:
                meta["level"], meta["level_source"] = cands[0].level, "gazetteer"
            if len(cands) > 1 and not issuer.town:
                # 朝阳区: the name is certain, only its place (and code) is not; what all candidates share is kept
                name = issuer.names[-1]
                meta["region"], meta["region_source"] = name, issuer_source
                meta["province"] = cands[0].province if len({c.province for c in cands}) == 1 else ""
                meta["city"] = cands[0].city if len({c.city for c in cands}) == 1 else ""
                notes.append(f"{name}: the name is shared by {len(cands)} places, so region_code is left empty")
    elif issuer.self_level or (issuer.empty and level_hint):
        site = domain_region(site_url, domains=domains)
        wanted = issuer.self_level or level_hint
        named = _named_in_head(head.lines[:20], wanted) if wanted in ("区", "县", "市") else None
        if site is not None and site.level == wanted:
            place, region_how = site, "url"
        elif named is not None:
            place, region_how = named, "named"
            issuer_source = issuer_source or "opening"
            notes.append(f"{named.name}: the only {wanted} named (twice or more) in the head")
        elif site is not None:
            notes.append(f"the site {site.name} ({site.code}) is a {site.level}, the text a {wanted}: region left empty")
        else:
            notes.append("region not named in the head")
    if place is not None:
        if issuer.town and place.level in ("市", "省"):  # "杭州市北山街道办事处": the county is not named
            meta["region"], meta["province"] = issuer.town, place.province
            meta["city"] = place.city if place.level == "市" else ""
            meta["level"], meta["level_source"] = _suffix_level(issuer.town), issuer_source
            meta["region_source"] = issuer_source
            notes.append(f"{issuer.town}: its county is not named, so no region_code")
        elif issuer.town and place.level in ("区", "县"):
            # Its own 9-digit code comes from the town table (_town_code), with the county as parent.
            meta["region"], meta["province"], meta["city"] = issuer.town, place.province, place.city
            meta["level"], meta["level_source"] = _suffix_level(issuer.town), issuer_source
            notes.append(f"{issuer.town} lies in {place.name} {place.code}")
        else:
            fill_place(meta, place)
            meta["level"], meta["level_source"] = place.level, "gazetteer"
        meta["region_source"] = "url" if region_how == "url" and not issuer.names else issuer_source
        if region_how == "url" and issuer.names:
            notes.append(f"{issuer.names[-1]} resolved to {place.code} by the site's domain")
        elif region_how in ("context", "code"):
            notes.append(f"{issuer.names[-1]} resolved to {place.code} by "
                         + ("a parent named in the head" if region_how == "context" else "the page's division code"))
    elif issuer.legacy:
        units = issuer.legacy["units"]
        meta["region"], meta["region_source"] = units[-1], issuer_source
        meta["city"] = units[-2] if len(units) > 1 else ""
        meta["province"] = issuer.legacy["province"]
        meta["level"], meta["level_source"] = _suffix_level(units[-1]), issuer_source
        notes.append(f"{units[-1]} is not in the region table: no region_code")
    if issuer.department or level_hint == "部门" and issuer.self_level and not issuer.names:  # 全省司法行政系统 + site
        meta["department"] = issuer.department
        meta["level"], meta["level_source"] = "部门", issuer_source
    elif not meta["level"] and level_hint:
        meta["level"], meta["level_source"] = level_hint, level_hint_source
    if not issuer.empty:
        meta["author"], meta["author_source"] = _author_name(issuer), issuer_source
    complete_from_document(meta, notes, text, body, level_hint=level_hint, self_tier=issuer.self_level,
                            site_url=site_url, domains=domains)
    if not meta["region"] and not any("ambiguous" in n or "region" in n or "named" in n for n in notes):
        notes.append("region not named in the head")
    if not meta["level"]:
        notes.append("level not stated in the head")
    meta["metadata_note"] = "; ".join(dict.fromkeys(n for n in notes if n))
    meta["metadata_confidence"] = metadata_confidence(meta)
    return meta


def _author_name(issuer: _Issuer) -> str:
    """The issuer as a name (a government or department), never the sentence it was read from."""
    if issuer.names and issuer.department.endswith("分局") and issuer.names[-1][:2] in issuer.department:
        base = "".join(issuer.names[:-1])  # 株洲市 + 生态环境局攸县分局
    elif issuer.names:
        base = "".join(issuer.names) + issuer.town
    elif issuer.legacy:
        base = "".join(issuer.legacy["units"])
    elif issuer.self_level and not issuer.department.startswith(issuer.self_level):
        base = issuer.text[:1]  # "市" of "市市场监管局…"
    else:
        base = ""
    name = base + issuer.department
    if not issuer.department and not issuer.town and issuer.text.startswith(name) and \
            re.match(r"^(?:人民政府|政府)", issuer.text[len(name):]):
        name += re.match(r"^(?:人民政府|政府)", issuer.text[len(name):]).group(0)
    return name if len(name) <= 30 else ""
