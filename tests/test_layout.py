"""The package's shape: layers import downward only (import-linter, also run by ``make lint``), no private name
crosses a module, no module grows past a file a newcomer reads in one sitting, the public API is real."""

from __future__ import annotations

import ast
import importlib
from pathlib import Path

import pytest

import lawgov_analysis

PACKAGE = Path(lawgov_analysis.__file__).resolve().parent
MODULES = sorted(p for p in PACKAGE.rglob("*.py") if "notebooks" not in p.parts)
MAX_LINES = 800


def _private_imports(path: Path) -> list[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and (node.level or (node.module or "").startswith("lawgov_analysis")):
            for alias in node.names:
                if alias.name.startswith("_") and not alias.name.startswith("__"):
                    found.append(f"{path.relative_to(PACKAGE)}:{node.lineno} imports {alias.name}")
        elif isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name) and node.attr.startswith("_") \
                and not node.attr.startswith("__") and node.value.id in {"tk", "tokens", "structure", "store",
                                                                        "audit_module", "panel", "metrics"}:
            found.append(f"{path.relative_to(PACKAGE)}:{node.lineno} uses {node.value.id}.{node.attr}")
    return found


def test_no_private_name_is_imported_from_another_module():
    offenders = [x for p in MODULES for x in _private_imports(p)]
    assert offenders == []


def test_the_private_name_check_finds_one(tmp_path):
    bad = tmp_path / "bad.py"
    bad.write_text("from .panel import _pick\nx = tk._tokenizer\n", encoding="utf-8")
    assert [x.split(" ", 1)[1] for x in _private_imports_rel(bad)] == ["imports _pick", "uses tk._tokenizer"]


def _private_imports_rel(path: Path) -> list[str]:
    global PACKAGE
    old, PACKAGE = PACKAGE, path.parent
    try:
        return _private_imports(path)
    finally:
        PACKAGE = old


@pytest.mark.parametrize("path", MODULES, ids=lambda p: str(p.relative_to(PACKAGE)))
def test_no_module_is_longer_than_a_sitting(path):
    assert len(path.read_text(encoding="utf-8").splitlines()) <= MAX_LINES


def test_layers_contract_holds():
    """The import-linter contracts hold. Run in a child process: import-linter configures logging with
    ``dictConfig``, which disables every logger already created in the calling process (ours included)."""
    import subprocess
    import sys

    root = PACKAGE.parent
    assert (root / "pyproject.toml").is_file()
    script = ("import sys; from importlinter.cli import lint_imports; "
              "sys.exit(lint_imports(config_filename='pyproject.toml'))")
    done = subprocess.run([sys.executable, "-c", script], cwd=root, capture_output=True, text=True)
    assert done.returncode == 0, done.stdout + done.stderr


def test_every_public_name_resolves_and_is_documented():
    for name in lawgov_analysis.__all__:
        obj = getattr(lawgov_analysis, name)
        if name != "__version__":
            assert (obj.__doc__ or "").strip(), f"{name} has no docstring"


def test_old_module_paths_are_gone():
    for old in ("corpus", "metrics", "plotting", "store"):
        with pytest.raises(ModuleNotFoundError):
            importlib.import_module(f"lawgov_analysis.{old}")
