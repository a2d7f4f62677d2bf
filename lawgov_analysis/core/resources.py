"""Read the package's data files (``lawgov_analysis/resources/``) with :mod:`importlib.resources`.

Resource files are plain UTF-8 text. Lines starting with ``#`` are a header (what the file is, where it came
from) or comments; blank lines are ignored.
"""

from __future__ import annotations

import hashlib
from importlib import resources
from pathlib import Path


def resource_text(name: str) -> str:
    """Return the text of ``lawgov_analysis/resources/<name>``."""
    return resources.files("lawgov_analysis").joinpath("resources", name).read_text(encoding="utf-8")


def read_lines(source: str | Path) -> list[str]:
    """Entry lines of a resource name (``"lexicon.txt"``) or of a user file path, without comments or blanks."""
    if isinstance(source, Path) or (isinstance(source, str) and ("/" in source or "\\" in source)):
        text = Path(source).read_text(encoding="utf-8-sig")
    else:
        text = resource_text(source)
    out = []
    for line in text.splitlines():
        line = line.strip()
        if line and not line.startswith("#"):
            out.append(line)
    return out


def text_hash(text: str) -> str:
    """Short, stable sha256 hex digest of a string (used for cache keys and provenance)."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]
