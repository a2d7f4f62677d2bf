"""One place for default folders, the cache location and the seed. Importing this module has no side effects."""

from __future__ import annotations

import os
from pathlib import Path

#: Seed used wherever randomness is involved (topic models, validation samples, word clouds).
DEFAULT_SEED = 0

#: Folder of the bundled sample corpus, relative to the working directory (the repository root).
DEFAULT_CORPUS = Path("data/reports")

#: Folder where ``lawgov-analysis report`` writes HTML and figures.
DEFAULT_REPORTS = Path("reports")

#: Files larger than this are skipped by the loader with the reason "file larger than LIMIT".
MAX_FILE_BYTES = 50 * 1024 * 1024


def cache_dir() -> Path:
    """Folder for on-disk caches: ``$LAWGOV_CACHE_DIR`` if set, else the user cache folder.

    The folder is not created here; callers create it when they first write.
    """
    env = os.environ.get("LAWGOV_CACHE_DIR")
    if env:
        return Path(env).expanduser()
    from platformdirs import user_cache_dir

    return Path(user_cache_dir("lawgov-analysis", appauthor=False))


def notebooks_dir() -> Path:
    """Folder of the curated notebooks that ``lawgov-analysis report`` executes.

    ``$LAWGOV_NOTEBOOKS`` if set, else the package's own ``notebooks`` folder (package data: the same files in a
    source checkout, an editable install and an installed wheel; the repository's top-level ``notebooks`` is a
    link to it). Nothing is created here.
    """
    env = os.environ.get("LAWGOV_NOTEBOOKS")
    if env:
        return Path(env).expanduser()
    return Path(__file__).resolve().parents[1] / "notebooks"
