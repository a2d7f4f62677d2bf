"""The page-furniture pattern list (``resources/furniture.txt`` or the user's file), compiled once per file.

:func:`lawgov_analysis.io.metadata.is_furniture` asks whether a line fully matches one of the patterns. Asking
each pattern in turn was a tenth of the loading time; the patterns are also joined into one alternation, which a
line fully matches exactly when it fully matches one of them (``re.fullmatch`` backtracks into the next
alternative). A list that cannot be joined without changing what a pattern means (a group reference such as
``\\1``, global inline flags, a group name used twice) is matched pattern by pattern.
"""

from __future__ import annotations

import contextlib
import re
from dataclasses import dataclass
from functools import lru_cache

from ..core.resources import read_lines

__all__ = ["FurniturePatterns", "furniture_patterns"]

_UNJOINABLE = re.compile(r"\\[1-9]|\(\?P=|\(\?\(|\(\?[aiLmsux]+\)")


@dataclass(frozen=True)
class FurniturePatterns:
    """The compiled patterns of one furniture file.

    ``both``: patterns for the head and the tail of a text; ``head_only``: those written ``head: …``;
    ``joined``: ``both`` as one alternation and ``both + head_only`` as one, or ``(None, None)`` when the
    list cannot be joined.
    """

    both: tuple[re.Pattern, ...]
    head_only: tuple[re.Pattern, ...]
    joined: tuple[re.Pattern | None, re.Pattern | None] = (None, None)


def _alternation(patterns: tuple[re.Pattern, ...]) -> re.Pattern | None:
    if not patterns or any(_UNJOINABLE.search(p.pattern) for p in patterns):
        return None
    with contextlib.suppress(re.error):
        return re.compile("|".join(f"(?:{p.pattern})" for p in patterns))
    return None


@lru_cache(maxsize=8)
def furniture_patterns(source: str) -> FurniturePatterns:
    """The patterns of furniture file ``source`` (a resource name or a path, read with
    :func:`~lawgov_analysis.core.resources.read_lines`): one regular expression per line, ``head:`` first for
    those that apply to the head only."""
    both, head = [], []
    for line in read_lines(source):
        if line.startswith("head:"):
            head.append(re.compile(line[5:].strip()))
        else:
            both.append(re.compile(line))
    tail_re, head_re = _alternation(tuple(both)), _alternation(tuple(both + head))
    joinable = tail_re is not None and (not head or head_re is not None)
    return FurniturePatterns(tuple(both), tuple(head), (tail_re, head_re) if joinable else (None, None))
