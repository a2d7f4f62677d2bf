"""Punctuation the text layers agree on: bracket and quotation pairs, clause and sentence delimiters.

Sentences (:mod:`lawgov_analysis.text.structure`), metric mentions (:mod:`lawgov_analysis.measures.mentions`,
:mod:`lawgov_analysis.measures.exclusions`), the panel and the audit read the same marks from here.

>>> BRACKET_PAIRS["《"], CLOSERS["）"]
('》', '（')
"""

from __future__ import annotations

__all__ = ["BRACKET_PAIRS", "CLAUSE_DELIMS", "CLOSERS", "HARD_STOPS", "PAREN_PAIRS", "PHRASE_DELIMS",
           "QUOTE_PAIRS", "SENTENCE_DELIMS", "TITLE_PAIRS"]

#: Document titles: 《中华人民共和国行政处罚法》, 〈规划〉.
TITLE_PAIRS: dict[str, str] = {"《": "》", "〈": "〉"}
#: Quotation marks: “三项制度”, ‘两个确立’, 「」, 『』.
QUOTE_PAIRS: dict[str, str] = {"“": "”", "‘": "’", "「": "」", "『": "』"}
#: Parentheses and square brackets, full-width and ASCII: （市、区）, (2021-2025), 【】, [].
PAREN_PAIRS: dict[str, str] = {"（": "）", "(": ")", "【": "】", "[": "]"}
#: Every opening mark → its closing mark.
BRACKET_PAIRS: dict[str, str] = {**TITLE_PAIRS, **QUOTE_PAIRS, **PAREN_PAIRS}
#: Every closing mark → its opening mark.
CLOSERS: dict[str, str] = {close: open_ for open_, close in BRACKET_PAIRS.items()}

#: Marks that end a sentence (a semicolon ends a statement too).
SENTENCE_DELIMS = "。！？!?；;\n"
#: Sentence ends that a semicolon does not count as: a full stop, ! ? or a line break.
HARD_STOPS = "。！？!?\n"
#: Marks that end a clause: sentence ends, commas and colons (a comma between digits, 3,256, is read as a
#: thousands separator by the code that uses this).
CLAUSE_DELIMS = SENTENCE_DELIMS + "，,：:"
#: Clause ends plus the enumeration comma 、 (the narrowest unit: one item of a list).
PHRASE_DELIMS = CLAUSE_DELIMS + "、"
