"""Spec checks on an indicator id, applied after the rules and the learned component have chosen it.

Each check is a boundary of ``docs/spec/indicators.md`` that the id alone cannot see: it reads the mention's
sentence and who reports, and corrects an id whose defining object is absent (round 4 of issue 17; see
``docs/indicators_model.md``).

Names
-----
report_kind(text)                    who reports: ``court``, ``procuratorate``, ``police`` or ``""``
check_indicator(found, ...)          the id after the checks
"""

from __future__ import annotations

import functools
import re

__all__ = ["check_indicator", "report_kind"]

# the police's ids, which a procuratorate's report uses for the suspects it handles
_POLICE_IDS = frozenset({"policing.criminal_cases", "policing.fraud"})
# the 扫黑除恶 campaign named in the sentence (spec: sweep.cases counts its cases and suspects)
_SWEEP_RE = re.compile("扫黑|涉黑|涉恶|黑恶|恶势力|黑社会|保护伞")
# who reports, from the opening of the text (a court's, a procuratorate's or a police report counts its cases
# under its own ids): the kind whose words occur most often, at least _REPORTER_MIN times, in the first
# _REPORTER_SPAN characters (moved here from indicator_model in round 4, which reads it as its reporter feature)
_REPORTER_SPAN = 600
_REPORTER_MIN = 2
_REPORTER_RES = (("court", re.compile("法院|本院|审判|法官|审结")), ("procuratorate", re.compile("检察")),
                 ("police", re.compile("公安|警情|民警|派出所|警务")))
# a normative document is named as such (spec: rules.normative_documents counts 规范性文件 issued, filed or reviewed)
_DOCUMENT_RE = re.compile("文件|规章|规范性|制度")


@functools.lru_cache(maxsize=16)
def report_kind(text: str) -> str:
    """``court``, ``procuratorate`` or ``police`` when the opening of ``text`` is one of theirs, else ``""``: the
    kind whose words occur most often in the first 600 characters, and at least twice (one 申请法院强制执行 in a
    城管局's report does not make it a court's). The learned component reads it as its ``reporter`` feature; a
    report's mentions ask in turn, so the last few answers are kept.

    >>> report_kind("本院全年审结各类案件9876件"), report_kind("区城市管理局申请法院强制执行3件")
    ('court', '')
    """
    head = text[:_REPORTER_SPAN]
    counts = sorted(((len(rx.findall(head)), kind) for kind, rx in _REPORTER_RES), reverse=True)
    return counts[0][1] if counts[0][0] >= _REPORTER_MIN and counts[0][0] > counts[1][0] else ""


def check_indicator(found: str, *, text: str, sentence: str) -> str:
    """The id of a mention after the spec checks.

    - a count of administrative cases in a police report is a public-order case: ``policing.criminal_cases``
      (spec: police public-order cases stay in the police family);
    - criminal cases and suspects in a sentence that names the 扫黑除恶 campaign (涉恶类刑事案件, 打掉“保护伞”3人) are
      ``sweep.cases`` (the most specific id);
    - the suspects and crimes a procuratorate's report counts (职务犯罪39件64人, 电信网络诈骗犯罪198人) are its
      cases: ``procuratorate.cases``, not the police's ids;
    - ``rules.normative_documents`` needs a document in the sentence (文件, 规章, 规范性, 制度); without one the
      id is not known: ``other`` (licences and filings of a 卫健委, 诊所执业登记备案27个, are no normative documents).

    >>> check_indicator("rules.normative_documents", text="", sentence="诊所执业登记备案27个")
    'other'
    """
    if found == "enforcement.cases" and report_kind(text) == "police":
        found = "policing.criminal_cases"
    if found == "policing.criminal_cases" and _SWEEP_RE.search(sentence):
        return "sweep.cases"
    if found in _POLICE_IDS and report_kind(text) == "procuratorate":
        return "procuratorate.cases"
    if found == "rules.normative_documents" and not _DOCUMENT_RE.search(sentence):
        return "other"
    return found
