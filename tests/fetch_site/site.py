"""A small government website served from localhost for the fetch tests.

Every page is made here (no network): listing pages with three kinds of pagination, UTF-8 and GBK article
pages with navigation and footers, pages whose body is only an attachment link (.docx, .pdf, .doc), a
robots.txt disallowing /private/, a 500 that succeeds on retry, a slow page past the timeout, a redirect, a
404, one report under two URLs, an oversized file, a non-report page and a .wps that is not an OLE document.
``EXPECTED`` gives each URL's final state and ``TEXTS`` the exact text each fetched report must have.
"""

from __future__ import annotations

import io
import os
import time
from pathlib import Path

from .word97 import word97_doc

NAV = """<header><div class="top">今天是：2024年3月28日 星期四</div>
<nav><ul><li><a href="/">网站首页</a></li><li><a href="/zwgk/">政务公开</a></li><li><a href="/hdjl/">互动交流</a></li>
<li><a href="/bsfw/">办事服务</a></li></ul></nav>
<div class="breadcrumb">当前位置：<a href="/">首页</a> &gt; <a href="/zwgk/">政务公开</a> &gt; 法治政府建设年度报告</div></header>"""
FOOTER = """<footer><p>主办单位：示范区人民政府办公室　承办：示范区大数据中心　版权所有</p>
<p>网站标识码：3302060001　备案号：浙ICP备12345678号　<a href="/sitemap.html">网站地图</a></p></footer>"""

PARAS = {
    "utf8": [
        "2021年，示范区坚持以习近平新时代中国特色社会主义思想为指导，全面贯彻落实法治政府建设实施纲要，依法全面履行政府职能。",
        "一、主要举措和成效",
        "全区共梳理权责清单2678项，政务服务事项共计1481项，行政复议案件办结率达到100%。",
        "二、存在的不足和下一步工作打算",
        "行政执法水平参差不齐，我们将继续加大法治政府建设工作力度，推动依法行政再上新台阶。",
    ],
    "gbk": [
        "2022年，平安县在县委坚强领导下，深入学习贯彻习近平法治思想，扎实推进法治政府建设各项工作。",
        "一、推进法治政府建设的主要举措",
        "全年审查规范性文件35件，办理行政复议案件42件，行政机关负责人出庭应诉率100%。",
        "二、存在的问题",
        "基层执法力量薄弱，法治宣传教育的针对性有待提高。",
    ],
    "moved": [
        "2023年，市司法局认真落实法治政府建设各项任务，统筹推进严格规范公正文明执法。",
        "一、主要工作",
        "全年开展行政执法案卷评查3轮，评查案卷620卷，组织执法人员培训1200人次。",
        "二、下一步打算",
        "持续深化行政执法体制改革，加快构建行政执法协调监督工作体系。",
    ],
    "flaky": [
        "2019年，青山镇围绕法治政府建设目标任务，坚持依法决策、依法行政。",
        "一、基本情况",
        "全镇调解矛盾纠纷156件，调解成功率98%，开展普法宣传活动24场。",
    ],
    "docx": [
        "东湖街道2021年法治政府建设情况报告",
        "2021年，东湖街道以提升基层治理法治化水平为目标，推进各项工作落实。",
        "一、主要做法",
        "全年化解信访积案12件，社区法律顾问覆盖率100%。",
    ],
    "pdf": [
        "北山区2020年法治政府建设年度报告",
        "2020年北山区全面推进依法行政，重大行政决策全部经过合法性审查。",
        "共办理行政应诉案件58件。",
    ],
    "doc": [
        "南湖乡2024年法治政府建设工作情况报告",
        "2024年，南湖乡持续推进法治乡村建设，全年开展法律进村活动36次。",
        "一、存在问题",
        "乡村两级法治力量仍然不足。",
    ],
}


def _article(title: str, paras: list[str], *, charset: str = "utf-8", date: str = "2022-03-28 10:15") -> str:
    body = "\n".join(f"<p>{p}</p>" for p in paras)
    return f"""<!DOCTYPE html><html><head><meta http-equiv="Content-Type" content="text/html; charset={charset}">
<title>{title}_示范区人民政府</title></head><body>{NAV}
<div class="main"><div class="article"><h1>{title}</h1>
<div class="info">发布时间：{date}　来源：区司法局　浏览次数：<span>1024</span></div>
<div class="content">{body}</div></div>
<div class="share">分享到：<a href="#">微信</a> <a href="#">微博</a>　<a href="javascript:window.print()">打印本页</a></div>
</div>{FOOTER}</body></html>"""


def _stub(title: str, link: str, name: str) -> str:
    return f"""<!DOCTYPE html><html><head><meta charset="utf-8"><title>{title}</title></head><body>{NAV}
<div class="main"><div class="article"><h1>{title}</h1><div class="info">发布日期：2022-01-20</div>
<div class="content"><p>附件：<a href="{link}">{name}</a></p></div></div></div>{FOOTER}</body></html>"""


def _listing(links: list[tuple[str, str]], pager: str) -> str:
    items = "\n".join(f'<li><a href="{href}" title="{text}">{text}</a><span>2022-03-28</span></li>'
                      for href, text in links)
    return f"""<!DOCTYPE html><html><head><meta charset="utf-8"><title>法治政府建设年度报告_示范区人民政府</title></head>
<body>{NAV}<div class="list"><ul>{items}</ul></div><div class="page">{pager}</div>{FOOTER}</body></html>"""


def _font() -> str:
    import mplfonts

    return os.path.join(os.path.dirname(mplfonts.__file__), "fonts", "SimHei.ttf")  # only to write a test PDF


def _pdf(lines: list[str]) -> bytes:
    from fpdf import FPDF

    pdf = FPDF()
    pdf.add_page()
    pdf.add_font("cjk", fname=_font())
    pdf.set_font("cjk", size=11)
    for line in lines:
        pdf.multi_cell(0, 8, line, new_x="LMARGIN", new_y="NEXT")
    return bytes(pdf.output())


def _docx(lines: list[str]) -> bytes:
    import docx

    document = docx.Document()
    for line in lines:
        document.add_paragraph(line)
    buf = io.BytesIO()
    document.save(buf)
    return buf.getvalue()


HTML_UTF8 = "text/html; charset=utf-8"
HTML_BARE = "text/html"  # no charset in the header: the page's meta charset decides


def build_site(max_bytes: int) -> dict[str, tuple[int, str, bytes]]:
    """Path → (status, content type, body) for every static URL of the site."""
    art1 = _article("示范区2021年法治政府建设年度报告", PARAS["utf8"]).encode("utf-8")
    site = {
        "/robots.txt": (200, "text/plain", b"User-agent: *\nDisallow: /private/\n"),
        "/fzzf/index.html": (200, HTML_UTF8, _listing([
            ("art1.html", "示范区2021年法治政府建设年度报告"),
            ("art2.html", "平安县2022年法治政府建设情况报告"),
            ("notice.html", "关于开展2022年度“八五”普法中期检查的通知"),
            ("/private/art3.html", "示范区2020年法治政府建设年度报告（内部）"),
        ], '<a href="index.html">首页</a> <a href="index_1.html">下一页</a> <a href="index_2.html">尾页</a>'
        ).encode("utf-8")),
        "/fzzf/index_1.html": (200, HTML_UTF8, _listing([
            ("stub-docx.html", "东湖街道2021年法治政府建设情况报告"),
            ("stub-pdf.html", "北山区2020年法治政府建设年度报告"),
            ("stub-doc.html", "南湖乡2024年法治政府建设工作情况报告"),
            ("missing.html", "西岭镇2021年法治政府建设情况报告"),
            ("moved.html", "示范市司法局2023年法治政府建设情况报告"),
            ("copy.html", "示范区2021年法治政府建设年度报告（转载）"),
        ], '<script>createPageHTML(4, 1, "index", "html");</script>').encode("utf-8")),
        "/fzzf/index_2.html": (200, HTML_UTF8, _listing([
            ("flaky.html", "青山镇2019年法治政府建设情况报告"),
            ("slow.html", "白水县2021年法治政府建设情况报告"),
            ("/files/huge.pdf", "示范区2022年法治政府建设年度报告（全文下载）"),
        ], '<a href="index_1.html">上一页</a> <a href="index_3.html">下一页</a>').encode("utf-8")),
        # Past --max-pages 3: never requested.
        "/fzzf/index_3.html": (200, HTML_UTF8, _listing([
            ("never.html", "远山县2019年法治政府建设情况报告")], "").encode("utf-8")),
        "/fzzf/art1.html": (200, HTML_UTF8, art1),
        "/fzzf/copy.html": (200, HTML_UTF8, art1),
        "/fzzf/art2.html": (200, HTML_BARE, _article("平安县2022年法治政府建设情况报告", PARAS["gbk"],
                                                     charset="gb2312").encode("gbk")),
        "/fzzf/art4.html": (200, HTML_UTF8, _article("示范市司法局2023年法治政府建设情况报告",
                                                     PARAS["moved"]).encode("utf-8")),
        "/fzzf/notice.html": (200, HTML_UTF8, _article("关于开展2022年度“八五”普法中期检查的通知", [
            "各镇街、各部门：为了解“八五”普法规划实施情况，现就开展中期检查有关事项通知如下。",
            "请于5月31日前报送自查材料。"]).encode("utf-8")),
        "/private/art3.html": (200, HTML_UTF8, _article("示范区2020年法治政府建设年度报告", PARAS["utf8"])
                               .encode("utf-8")),
        "/fzzf/stub-docx.html": (200, HTML_UTF8, _stub("东湖街道2021年法治政府建设情况报告", "/files/dh2021.docx",
                                                       "东湖街道2021年法治政府建设情况报告.docx").encode("utf-8")),
        "/fzzf/stub-pdf.html": (200, HTML_UTF8, _stub("北山区2020年法治政府建设年度报告", "/files/bs2020.pdf",
                                                      "北山区2020年法治政府建设年度报告.pdf").encode("utf-8")),
        "/fzzf/stub-doc.html": (200, HTML_UTF8, _stub("南湖乡2024年法治政府建设工作情况报告", "/files/nh2024.doc",
                                                      "南湖乡2024年法治政府建设工作情况报告.doc").encode("utf-8")),
        "/files/dh2021.docx": (200, "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
                               _docx(PARAS["docx"])),
        "/files/bs2020.pdf": (200, "application/pdf", _pdf(PARAS["pdf"])),
        "/files/nh2024.doc": (200, "application/msword", word97_doc("\n".join(PARAS["doc"]))),
        "/files/huge.pdf": (200, "application/pdf", b"%PDF-1.4\n" + b"0" * (max_bytes + 1024)),
        "/files/old.wps": (200, "application/octet-stream", "示范区2018年依法行政工作报告".encode("gbk") * 40),
        "/fzzf/missing.html": (404, HTML_UTF8, b"<html><body><h1>404 Not Found</h1></body></html>"),
    }
    return site


#: Final state of every URL after one run (relative to the site root).
EXPECTED = {
    "/fzzf/art1.html": ("fetched", ""),
    "/fzzf/art2.html": ("fetched", ""),
    "/fzzf/notice.html": ("skipped", "not a report"),
    "/private/art3.html": ("skipped", "robots.txt disallows"),
    "/fzzf/stub-docx.html": ("fetched", ""),
    "/fzzf/stub-pdf.html": ("fetched", ""),
    "/fzzf/stub-doc.html": ("fetched", ""),
    "/fzzf/missing.html": ("failed", "HTTP 404"),
    "/fzzf/moved.html": ("fetched", ""),
    "/fzzf/copy.html": ("skipped", "duplicate"),
    "/fzzf/flaky.html": ("fetched", ""),
    "/fzzf/slow.html": ("failed", "timed out"),
    "/files/huge.pdf": ("failed", "larger than"),
    "/files/old.wps": ("failed", "legacy format, no converter"),
}

#: Exact text of each fetched report and where it came from.
TEXTS = {
    "/fzzf/art1.html": ("page", "\n".join(PARAS["utf8"])),
    "/fzzf/art2.html": ("page", "\n".join(PARAS["gbk"])),
    "/fzzf/moved.html": ("page", "\n".join(PARAS["moved"])),
    "/fzzf/flaky.html": ("page", "\n".join(PARAS["flaky"])),
    "/fzzf/stub-docx.html": ("attachment", "\n".join(PARAS["docx"])),
    "/fzzf/stub-pdf.html": ("attachment", "\n".join(PARAS["pdf"])),
    "/fzzf/stub-doc.html": ("attachment", "\n".join(PARAS["doc"])),
}


class Site:
    """A request handler for pytest-httpserver that records arrival times of every request."""

    def __init__(self, max_bytes: int, slow_seconds: float):
        self.pages = build_site(max_bytes)
        self.slow_seconds = slow_seconds
        self.arrivals: list[tuple[float, str]] = []
        self.flaky_calls = 0

    def __call__(self, request):
        from werkzeug import Response

        self.arrivals.append((time.monotonic(), request.full_path.rstrip("?")))
        path = request.path
        if path == "/fzzf/moved.html":
            return Response("", status=302, headers={"Location": "/fzzf/art4.html"})
        if path == "/fzzf/flaky.html":
            self.flaky_calls += 1
            if self.flaky_calls == 1:
                return Response("<html><body>Internal Server Error</body></html>", status=500)
            return Response(_article("青山镇2019年法治政府建设情况报告", PARAS["flaky"]), status=200,
                            content_type=HTML_UTF8)
        if path == "/fzzf/slow.html":
            time.sleep(self.slow_seconds)
            return Response(_article("白水县2021年法治政府建设情况报告", PARAS["utf8"]), content_type=HTML_UTF8)
        if path not in self.pages:
            return Response("<html><body>404</body></html>", status=404, content_type=HTML_UTF8)
        status, ctype, body = self.pages[path]
        return Response(body, status=status, headers=[("Content-Type", ctype)])


def write_sources(path: Path, base: str) -> Path:
    """A SOURCES CSV naming three URLs directly, with metadata for one of them."""
    path.write_text(
        "url,region,level,year,department\n"
        f"{base}/fzzf/notice.html,,,,\n"
        f"{base}/files/old.wps,,,,\n"
        f"{base}/fzzf/art1.html,示范区,区,2021,\n",
        encoding="utf-8",
    )
    return path
