"""The curated notebooks as package data, and copying them into a researcher's project.

The notebooks (``NN_description.ipynb``, each paired with a jupytext percent script ``NN_description.py``)
live in the package folder ``lawgov_analysis/notebooks`` (:func:`lawgov_analysis.core.config.notebooks_dir`),
so an installed wheel can build a report and hand the notebooks to a researcher to open in JupyterLab.
"""

from __future__ import annotations

import json
import os
import re
from pathlib import Path

from ..core.config import notebooks_dir

__all__ = ["NOTEBOOK_GLOB", "find_notebooks", "copy_notebooks", "set_parameters"]

#: Notebooks executed by default: ``NN_description.ipynb`` in :func:`notebooks_dir`, in name order.
NOTEBOOK_GLOB = "[0-9][0-9]_*.ipynb"


def find_notebooks(folder: str | os.PathLike | None = None) -> list[Path]:
    """The numbered notebooks (``NN_description.ipynb``) of ``folder`` (default :func:`notebooks_dir`)."""
    folder = Path(folder) if folder is not None else notebooks_dir()
    return sorted(p for p in folder.glob(NOTEBOOK_GLOB) if p.is_file())


def _assign(source: str, values: dict[str, str]) -> str:
    for name, value in values.items():
        source = re.sub(rf"^{re.escape(name)}\s*=.*$", f"{name} = {json.dumps(value, ensure_ascii=False)}",
                        source, count=1, flags=re.MULTILINE)
    return source


def set_parameters(notebook_text: str, values: dict[str, str], *, script: bool = False) -> str:
    """The notebook (or its percent script, ``script=True``) with the ``parameters`` cell's ``name = …``
    lines set to ``values`` (strings, written as Python literals). Other cells are unchanged."""
    if script:
        head, sep, rest = notebook_text.partition('# %% tags=["parameters"]')
        if not sep:
            return notebook_text
        cell, nxt, tail = rest.partition("\n# %%")
        return head + sep + _assign(cell, values) + nxt + tail
    nb = json.loads(notebook_text)
    for cell in nb.get("cells", []):
        if "parameters" in cell.get("metadata", {}).get("tags", []):
            source = "".join(cell["source"]) if isinstance(cell["source"], list) else cell["source"]
            cell["source"] = _assign(source, values).splitlines(keepends=True)
            break
    return json.dumps(nb, ensure_ascii=False, indent=1) + "\n"


def copy_notebooks(dest: str | os.PathLike, *, corpus: str | os.PathLike | None = None,
                   overwrite: bool = False) -> list[Path]:
    """Copy the curated notebooks and their paired scripts into ``dest``, set to read ``corpus``.

    Parameters
    ----------
    dest
        Folder to copy into (created). The notebooks' ``out_dir`` parameter becomes ``figures`` (beside them).
    corpus
        The corpus the notebooks read: a folder, manifest, ``ingest --out`` table or store, written into each
        notebook's ``parameters`` cell as a path relative to ``dest`` (absolute when on another drive).
        None keeps the notebooks' default (the bundled sample of a source checkout).
    overwrite
        Replace notebooks already in ``dest``; otherwise an existing one raises ``FileExistsError``.

    Returns
    -------
    list of Path
        The files written, ``.ipynb`` and ``.py`` of each notebook, in name order.
    """
    dest = Path(dest)
    sources = find_notebooks()
    if not sources:
        raise FileNotFoundError(f"no notebooks matching {NOTEBOOK_GLOB} in {notebooks_dir()}")
    targets = [dest / p.name for p in sources] + [dest / p.with_suffix(".py").name for p in sources]
    clash = [t for t in targets if t.exists()]
    if clash and not overwrite:
        raise FileExistsError(f"{clash[0]} exists (pass overwrite=True / --force to replace the notebooks)")
    values = {"out_dir": "figures", "store": ""}
    if corpus is not None:
        target = Path(corpus).resolve()
        dest.mkdir(parents=True, exist_ok=True)
        try:
            values["corpus"] = Path(os.path.relpath(target, dest.resolve())).as_posix()
        except ValueError:  # another drive on Windows
            values["corpus"] = target.as_posix()
    dest.mkdir(parents=True, exist_ok=True)
    written = []
    for nb in sources:
        out = dest / nb.name
        out.write_text(set_parameters(nb.read_text(encoding="utf-8"), values), encoding="utf-8", newline="\n")
        written.append(out)
        script = nb.with_suffix(".py")
        if script.is_file():
            out_py = dest / script.name
            out_py.write_text(set_parameters(script.read_text(encoding="utf-8"), values, script=True),
                              encoding="utf-8", newline="\n")
            written.append(out_py)
    return sorted(written)
