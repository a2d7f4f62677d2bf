"""Provenance of a report: package, Python and library versions, git commit, resource hashes, a corpus hash
and the seed — and no wall-clock time, so two builds of the same inputs give the same bytes."""

from __future__ import annotations

import hashlib
import platform
import subprocess
from collections.abc import Sequence
from importlib import metadata, resources
from pathlib import Path

from ..core.config import DEFAULT_SEED
from ..pipeline.catalog import is_corpus_table, read_corpus_table

__all__ = ["PROVENANCE_RESOURCES", "resource_hashes", "corpus_fingerprint", "provenance", "provenance_table"]

#: Resource files whose hashes the provenance block lists first (the others in ``resources/`` follow).
PROVENANCE_RESOURCES = ("lexicon.txt", "stopwords_general.txt", "stopwords_boilerplate.txt")

_LIBRARIES = ("jieba", "pandas", "numpy", "scikit-learn", "matplotlib", "wordcloud", "networkx", "papermill",
              "nbconvert")

def _sha256_bytes(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


#: What the report is built from: the commit recorded in the provenance is the last one touching these.
_INPUT_PATHS = ("lawgov_analysis", "notebooks", "data", "pyproject.toml")


def _git_commit(repo: Path) -> str | None:
    """The last commit that changed the report's inputs, with ``+dirty`` when they have uncommitted edits.

    Using the inputs' commit rather than ``HEAD`` keeps a committed ``reports/`` byte-stable: committing the
    rebuilt reports does not change what the next rebuild records.
    """
    if not (repo / ".git").exists():
        return None
    try:
        last = subprocess.run(["git", "-C", str(repo), "log", "-1", "--format=%H", "--", *_INPUT_PATHS],
                              capture_output=True, text=True, timeout=10, check=True).stdout.strip()
        dirty = subprocess.run(["git", "-C", str(repo), "status", "--porcelain", "--untracked-files=no", "--",
                                *_INPUT_PATHS], capture_output=True, text=True, timeout=10, check=True).stdout
    except (OSError, subprocess.SubprocessError):
        return None
    if not last:
        return None
    return last + ("+dirty" if dirty.strip() else "")


def _version(dist: str) -> str:
    try:
        return metadata.version(dist)
    except metadata.PackageNotFoundError:
        return "not installed"


def resource_hashes() -> dict[str, str]:
    """sha256 (first 16 hex digits) of each file in ``lawgov_analysis/resources/``; ``absent`` for the
    lexicon and stopword files when they do not exist."""
    folder = resources.files("lawgov_analysis").joinpath("resources")
    out = {name: "absent" for name in PROVENANCE_RESOURCES}
    if folder.is_dir():
        for entry in sorted(folder.iterdir(), key=lambda e: e.name):
            if entry.is_file() and not entry.name.startswith((".", "__")):
                out[entry.name] = _sha256_bytes(entry.read_bytes())[:16]
    return out


def _table_fingerprint(df) -> dict[str, str]:
    from ..core.validate import check_columns

    check_columns(df, ["doc_id", "sha256"], what="corpus")
    # The metadata (from a manifest or inferred) is part of the corpus: the same texts with another year or
    # region give other results, so they give another hash.
    meta = [c for c in _FINGERPRINT_METADATA if c in df.columns]
    values = df[["doc_id", "sha256", *meta]].astype("string").fillna("")
    pairs = sorted("\t".join(row) for row in values.itertuples(index=False, name=None))
    digest = _sha256_bytes("".join(f"{line}\n" for line in pairs).encode("utf-8"))
    return {"corpus_hash": digest, "corpus_reports": str(len(pairs)),
            "corpus_hash_method": "sha256 of sorted doc_id + report sha256 + metadata "
                                  f"({', '.join(meta) or 'none'}) (load_corpus)"}


#: Report metadata hashed into the corpus fingerprint along with the texts.
_FINGERPRINT_METADATA = ("title", "author", "department", "region", "region_code", "province", "city", "level",
                         "year", "source")


def corpus_fingerprint(corpus) -> dict[str, str]:
    """Hash identifying the corpus: sha256 over the sorted ``doc_id`` and ``sha256`` of the loaded reports.

    ``corpus`` is the report table of ``load_corpus`` or a path to load. Falls back to hashing the files under
    the path (sorted relative path and file sha256) when it cannot be loaded.
    Returns ``{"corpus_hash", "corpus_reports", "corpus_hash_method"}``.
    """
    import pandas as pd

    if isinstance(corpus, pd.DataFrame):
        return _table_fingerprint(corpus)
    path = Path(corpus)
    try:
        if is_corpus_table(path):
            return _table_fingerprint(read_corpus_table(path))
        from ..io.corpus import load_corpus

        return _table_fingerprint(load_corpus(path))
    except Exception:  # noqa: BLE001 - provenance must not stop the build; fall back to the raw files
        files = sorted(p for p in path.rglob("*") if p.is_file()) if path.is_dir() else \
            ([path] if path.is_file() else [])
        lines = [f"{p.relative_to(path).as_posix() if path.is_dir() else p.name}\t"
                 f"{_sha256_bytes(p.read_bytes())}\n" for p in files]
        return {"corpus_hash": _sha256_bytes("".join(lines).encode("utf-8")), "corpus_reports": str(len(files)),
                "corpus_hash_method": "sha256 of sorted file path + file sha256 (files)"}


def provenance(corpus, seed: int = DEFAULT_SEED, notebooks: Sequence[Path] = ()) -> dict:
    """Everything that determines the report, without wall-clock time: versions, commit, hashes, seed.

    ``corpus`` is a corpus path or the loaded report table. Values are strings, except ``resources`` and
    ``notebooks`` (file name → first 16 hex digits of its sha256).
    """
    import pandas as pd

    from .. import __version__

    repo = Path(__file__).resolve().parents[2]
    info = {
        "package": f"lawgov-analysis {__version__}",
        "git_commit": _git_commit(repo) or "unavailable",
        "python": platform.python_version(),
        **{f"{lib}_version": _version(lib) for lib in _LIBRARIES},
        "seed": str(seed),
    }
    if not isinstance(corpus, pd.DataFrame):
        info["corpus"] = Path(corpus).as_posix()
    info.update(corpus_fingerprint(corpus))
    info["resources"] = resource_hashes()
    from ..io.gazetteer import gazetteer_version

    info["gazetteer"] = gazetteer_version()  # the region-code table behind region_code, province and city
    if notebooks:
        info["notebooks"] = {Path(p).name: _sha256_bytes(Path(p).read_bytes())[:16] for p in notebooks}
    try:
        from ..present.style import font_family, font_path

        info["font"] = f"{font_family()} ({font_path().name})"
    except Exception:  # noqa: BLE001 - a missing font is reported by the figures themselves
        info["font"] = "unavailable"
    return info


def provenance_table(corpus, seed: int = DEFAULT_SEED):
    """:func:`provenance` as a two-column table for a notebook's closing cell: ``field, value``.

    Nested entries are flattened (``resource lexicon.txt``). No wall-clock time, so the table is identical
    on every rebuild from the same code, resources, corpus and seed.
    """
    import pandas as pd

    rows = []
    for key, value in provenance(corpus, seed).items():
        if isinstance(value, dict):
            prefix = "resource" if key == "resources" else key
            rows.extend((f"{prefix} {k}", v) for k, v in value.items())
        else:
            rows.append((key, value))
    return pd.DataFrame(rows, columns=["field", "value"])


