"""Segmenter backends for :func:`lawgov_analysis.text.tokens.tokenize`: rjieba (default) and jieba.

``rjieba``
    The Python binding of jieba-rs, the Rust port of jieba with the same dictionary and HMM model; tens of
    times faster than jieba. Its tokens are made to agree with jieba's (see *Agreement* below).
``jieba``
    jieba itself (``jieba.Tokenizer``), kept to reproduce earlier results exactly.

Both backends are *private* instances: the bundled lexicon and the caller's terms are added to a copy of the
dictionary, never to ``jieba.dt`` or ``rjieba``'s module-level instance. A term gets the frequency written after
it in its lexicon file, else ``max(LEXICON_FREQ, its frequency in jieba's dictionary)``, and adding it
*replaces* its old frequency in the dictionary total (jieba-rs does this itself; for jieba we subtract the old
frequency, as jieba-rs does). One instance per backend and lexicon (keyed by the lexicon's hash) is kept per
process.

Agreement
    jieba-rs 0.11 (in rjieba 0.2.2) differs from jieba 0.42.1 outside Han text: its HMM keeps a run such as
    ``2021-2025``, ``1.2.3``, ``c_d`` or ``86-791`` as one token where jieba cuts it at the symbols (``2021``
    ``-`` ``2025``), and its word blocks also hold the CJK extension characters (U+3400–4DBF, U+9FD6–9FFF,
    …), which end a block in jieba. The rjieba backend therefore segments the text between extension
    characters separately (each of them is one token, as in jieba), and re-cuts every run of ASCII letters,
    digits and ``+#&._%-`` that holds a symbol by jieba's rule for such runs: pieces of
    ``[a-zA-Z0-9]+(?:\\.\\d+)?%?`` and the symbols between them, dictionary words (``c++``, ``AT&T``) kept. ``benchmarks/token_agreement.py`` measures the agreement with jieba on the sample and on generated
    corpora.
"""

from __future__ import annotations

import contextlib
import logging
import math
import re
import threading
from bisect import bisect_left
from itertools import accumulate
from typing import Literal

from ..core.resources import text_hash
from ..core.validate import check_option

logger = logging.getLogger(__name__)

#: The segmenter backends, the default first.
SEGMENTERS = ("rjieba", "jieba")
SegmenterName = Literal["rjieba", "jieba"]
DEFAULT_SEGMENTER: SegmenterName = "rjieba"

#: jieba frequency given to lexicon terms that have none in their file (jieba's own dictionary totals ~6e7).
LEXICON_FREQ = 1_000_000

_LOCK = threading.RLock()
_BASE_TOKENIZER = None
_SEGMENTERS: dict[tuple[str, str], object] = {}
_MAX_SEGMENTERS = 4


def check_segmenter(segmenter: str) -> None:
    """Raise ``ValueError("segmenter must be one of rjieba, jieba, got …")`` for an unknown backend."""
    check_option("segmenter", segmenter, SEGMENTERS)


def segmenter_version(name: SegmenterName = DEFAULT_SEGMENTER) -> str:
    """The backend and its installed version, e.g. ``"rjieba 0.2.2"`` or ``"jieba 0.42.1"``.

    Record it wherever tokens are stored (cache keys, store index, provenance): tokens of two backends or two
    versions must not be mixed.
    """
    check_segmenter(name)
    if name == "jieba":
        import jieba

        return f"jieba {jieba.__version__}"
    from importlib.metadata import version

    return f"rjieba {version('rjieba')}"


def lexicon_key(entries: dict[str, int | None]) -> str:
    """Hash of a lexicon (term → frequency or None), the key of its segmenter instances and caches."""
    return text_hash("\n".join(f"{t}\t{'' if f is None else f}" for t, f in sorted(entries.items())))


# ---------------------------------------------------------------------------------------------------- jieba
@contextlib.contextmanager
def _quiet_jieba():
    """Silence jieba's "Building prefix dict…" messages without touching the root logger or its handlers."""
    jieba_logger = logging.getLogger("jieba")
    old = jieba_logger.level
    jieba_logger.setLevel(logging.WARNING)
    try:
        yield
    finally:
        jieba_logger.setLevel(old)


def _fast_tokenizer_class():
    """A ``jieba.Tokenizer`` whose DAG search gives exactly jieba's result, faster.

    ``get_DAG`` binds its lookups locally and ``calc`` reads precomputed ``log(freq) - log(total)`` values
    (the same floating-point operations in the same order as jieba's, so routes and ties are identical);
    everything else — HMM for unknown words, blocks, whitespace — is jieba's own code.
    """
    import jieba

    class FastTokenizer(jieba.Tokenizer):
        _logp: dict | None = None
        _logp_state: tuple | None = None

        def add_word(self, word, freq=None, tag=None):
            self._logp = None
            return super().add_word(word, freq, tag)

        def get_DAG(self, sentence):
            self.check_initialized()
            get = self.FREQ.get
            n = len(sentence)
            dag = {}
            for k in range(n):
                f = get(sentence[k])
                if f is None:
                    dag[k] = [k]
                    continue
                ends = [k] if f else []
                i = k + 1
                while i < n:
                    f = get(sentence[k:i + 1])
                    if f is None:
                        break
                    if f:
                        ends.append(i)
                    i += 1
                dag[k] = ends or [k]
            return dag

        def calc(self, sentence, DAG, route):
            state = (len(self.FREQ), self.total)
            if self._logp is None or self._logp_state != state:
                logtotal = math.log(self.total)
                self._logp = {w: math.log(f) - logtotal for w, f in self.FREQ.items() if f}
                self._logp_state = state
            get = self._logp.get
            default = math.log(1) - math.log(self.total)
            n = len(sentence)
            route[n] = (0, 0)
            for idx in range(n - 1, -1, -1):
                ends = DAG[idx]
                if len(ends) == 1:
                    x = ends[0]
                    route[idx] = (get(sentence[idx:x + 1], default) + route[x + 1][0], x)
                else:  # max((score, x)) as in jieba, without a generator
                    best = None
                    for x in ends:
                        cand = (get(sentence[idx:x + 1], default) + route[x + 1][0], x)
                        if best is None or cand > best:
                            best = cand
                    route[idx] = best

    return FastTokenizer


def base_jieba_tokenizer():
    """jieba's dictionary in a private, initialised ``jieba.Tokenizer`` (built once per process, quietly)."""
    global _BASE_TOKENIZER
    with _LOCK:
        if _BASE_TOKENIZER is None:
            import jieba

            tk = jieba.Tokenizer()
            with _quiet_jieba():
                tk.initialize()
            _BASE_TOKENIZER = tk
        return _BASE_TOKENIZER


def _build_jieba(entries: dict[str, int | None]):
    base = base_jieba_tokenizer()
    tk = _fast_tokenizer_class()()
    tk.FREQ = dict(base.FREQ)
    tk.total = base.total
    tk.initialized = True
    for term, freq in sorted(entries.items()):
        old = tk.FREQ.get(term, 0)
        tk.add_word(term, freq if freq is not None else max(LEXICON_FREQ, old), tag="n")
        tk.total -= old
    return tk


# --------------------------------------------------------------------------------------------------- rjieba
def _jieba_dictionary(terms) -> tuple[dict[str, int], int]:
    """The frequency of each of ``terms`` listed in jieba's dictionary (the last line of a word wins), and the
    surplus of jieba's total over jieba-rs's: jieba adds up every line, jieba-rs counts a repeated word once
    (B超 is listed twice). Read from jieba's ``dict.txt`` without initialising jieba (and without keeping it:
    ~40 MB as a dict); rjieba embeds the same file but cannot be asked for a frequency."""
    import jieba

    wanted = set(terms)
    found: dict[str, int] = {}
    seen: dict[str, int] = {}
    surplus = 0
    with jieba.get_dict_file() as f:
        for raw in f:
            word, _, rest = raw.decode("utf-8").partition(" ")
            freq = int(rest.split(" ", 1)[0])
            if word in seen:
                surplus += seen[word]
            seen[word] = freq
            if word in wanted:
                found[word] = freq
    return found, surplus


# Not a word: "。" never stands in a word block, so this entry can never be matched; it only carries the
# surplus of jieba's dictionary total, so that both backends divide by the same total (same ties).
_SURPLUS_KEY = "。total。"


# Characters of jieba's word blocks (jieba.re_han_default); jieba-rs also puts the CJK extensions there.
_JIEBA_BLOCK = re.compile(r"([\u4E00-\u9FD5a-zA-Z0-9+#&._%\-]+)")
_JIEBA_SKIP = re.compile(r"([a-zA-Z0-9]+(?:\.\d+)?%?)")
_SIMPLE_RUN = re.compile(r"[a-zA-Z0-9]+(?:\.\d+)?%?")
_ALNUM_OR_CHAR = re.compile(r"[a-zA-Z0-9]+|.", re.S)
_EXT = "\u3400-\u4DBF\u9FD6-\u9FFF\uF900-\uFAFF\U00020000-\U0002A6DF\U0002A700-\U0002EBEF\U0002F800-\U0002FA1F"
_SYMBOLS = "+#&._%\\-"
# A run of the non-Han characters of a jieba block that holds a symbol: where the two can cut differently.
_RISKY_RUN = re.compile(f"[A-Za-z0-9{_SYMBOLS}]*[{_SYMBOLS}][A-Za-z0-9{_SYMBOLS}]*")
_RISKY_CHAR = re.compile(f"[{_SYMBOLS}]")
_BREAK = re.compile(f"[{_EXT}]")


def jieba_nonhan_cut(run: str, hmm: bool = True) -> list[str]:
    """jieba's tokens for a run of non-Han characters (no whitespace) that holds no dictionary word.

    Characters outside jieba's blocks are single tokens. Inside a block, with the HMM jieba cuts pieces of
    ``[a-zA-Z0-9]+(?:\\.\\d+)?%?`` and keeps the characters between two pieces together; without it, runs of
    ``[a-zA-Z0-9]`` and every other character alone. Example: ``jieba_nonhan_cut("2021-2025")`` is
    ``["2021", "-", "2025"]``.
    """
    out: list[str] = []
    for i, block in enumerate(_JIEBA_BLOCK.split(run)):
        if not block:
            continue
        if i % 2:  # a jieba block
            if len(block) == 1:
                out.append(block)
            elif hmm:
                out.extend(x for x in _JIEBA_SKIP.split(block) if x)
            else:
                out.extend(_ALNUM_OR_CHAR.findall(block))
        else:
            out.extend(block)
    return out


class RjiebaSegmenter:
    """A private ``rjieba.Jieba`` with the lexicon added, cutting like jieba (see the module docstring).

    ``lcut(text)`` returns the words of ``text`` in order, whitespace included, so their lengths add up to
    ``len(text)`` (the interface of ``jieba.Tokenizer.lcut`` that :mod:`~lawgov_analysis.text.tokens` uses).
    """

    name = "rjieba"

    def __init__(self, entries: dict[str, int | None]):
        import rjieba

        self.jieba = rjieba.Jieba()
        base, surplus = _jieba_dictionary(t for t, f in entries.items() if f is None)
        if surplus > 0:
            self.jieba.add_word(_SURPLUS_KEY, surplus, "x")
        for term, freq in sorted(entries.items()):
            self.jieba.add_word(term, freq if freq is not None else max(LEXICON_FREQ, base.get(term, 0)), "n")
        self._memo: dict[tuple[str, bool], list[str] | None] = {}

    def _expected(self, got: list[str], hmm: bool) -> list[str] | None:
        """jieba's tokens for a run where rjieba gave ``got`` (None: the same). A dictionary word of the run
        (``c#``, ``AT&T``) stays whole and the pieces between are cut separately, as in jieba's route."""
        want: list[str] = []
        piece: list[str] = []
        for w in [*got, None]:
            if w is None or (len(w) > 1 and self.jieba.has_word(w)):
                if piece:
                    want.extend(jieba_nonhan_cut("".join(piece), hmm))
                    piece = []
                if w is not None:
                    want.append(w)
            else:
                piece.append(w)
        return None if want == got else want

    def _cut(self, text: str, hmm: bool) -> list[str]:
        words = self.jieba.cut(text, hmm)
        if not _RISKY_CHAR.search(text):
            return words
        # a run of jieba's own shape (97.46%, 5G) is cut alike by both: only the others are compared
        runs = [m.span() for m in _RISKY_RUN.finditer(text) if not _SIMPLE_RUN.fullmatch(m.group())]
        if not runs:
            return words
        starts = [0, *accumulate(map(len, words))]
        for a, b in reversed(runs):
            i, j = bisect_left(starts, a), bisect_left(starts, b)
            if starts[i] != a or j >= len(starts) or starts[j] != b:
                continue  # the run starts or ends inside a word (a dictionary word such as B超): jieba's too
            got = words[i:j]
            key = ("\x00".join(got), hmm)
            if key in self._memo:
                want = self._memo[key]
            else:
                want = self._memo[key] = self._expected(got, hmm)
            if want is not None:
                words[i:j] = want
        return words

    def lcut(self, text: str, HMM: bool = True) -> list[str]:  # noqa: N803 (jieba's keyword)
        if not _BREAK.search(text):
            return self._cut(text, HMM)
        # CJK extension characters end jieba's blocks (jieba-rs keeps them inside): cut between them
        words: list[str] = []
        pos = 0
        for m in _BREAK.finditer(text):
            if m.start() > pos:
                words.extend(self._cut(text[pos:m.start()], HMM))
            words.append(m.group())
            pos = m.end()
        if pos < len(text):
            words.extend(self._cut(text[pos:], HMM))
        return words


# ------------------------------------------------------------------------------------------------- factory
def get_segmenter(entries: dict[str, int | None], *, segmenter: SegmenterName = DEFAULT_SEGMENTER,
                  key: str | None = None):
    """The private segmenter of backend ``segmenter`` with jieba's dictionary plus lexicon ``entries``.

    Parameters
    ----------
    entries
        Term → frequency (None: ``max(LEXICON_FREQ, the term's frequency in jieba's dictionary)``).
    segmenter
        ``"rjieba"`` (default) or ``"jieba"``.
    key
        ``lexicon_key(entries)`` if already computed.

    Returns
    -------
    object
        An object with ``lcut(text) -> list[str]`` (words in order, whitespace included): a
        :class:`RjiebaSegmenter` or a ``jieba.Tokenizer``. One per backend and lexicon per process.
    """
    check_segmenter(segmenter)
    key = (segmenter, key or lexicon_key(entries))
    with _LOCK:
        seg = _SEGMENTERS.get(key)
        if seg is not None:
            return seg
        seg = RjiebaSegmenter(entries) if segmenter == "rjieba" else _build_jieba(entries)
        if len(_SEGMENTERS) >= _MAX_SEGMENTERS:
            _SEGMENTERS.pop(next(iter(_SEGMENTERS)))
        _SEGMENTERS[key] = seg
        return seg
