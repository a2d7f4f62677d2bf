"""The documentation site: every public function has a docstring and an API page; the site builds offline."""

from __future__ import annotations

import importlib
import inspect
import re
import subprocess
import sys
from pathlib import Path

import pytest

import lawgov_analysis

ROOT = Path(__file__).resolve().parents[1]
DOCS = ROOT / "docs"
sys.path.insert(0, str(DOCS / "hooks"))
import lawgov_docs  # noqa: E402 - the site's hook module, by path

PUBLIC = [name for name in lawgov_analysis.__all__ if not name.startswith("__")]


def _documented_modules() -> set[str]:
    """Modules the API pages document (their ``api-modules`` markers expanded, plus explicit ``:::`` blocks)."""
    found = set()
    for page in (DOCS / "api").glob("*.md"):
        text = page.read_text(encoding="utf-8")
        for package in re.findall(r"<!-- api-modules: ([\w.]+) -->", text):
            found.update(lawgov_docs.public_modules(package))
        found.update(re.findall(r"^::: ([\w.]+)", text, flags=re.M))
    return found


@pytest.mark.parametrize("name", PUBLIC)
def test_every_public_name_has_a_docstring_and_an_api_page(name):
    obj = getattr(lawgov_analysis, name)
    assert inspect.getdoc(obj), f"{name} has no docstring"
    module = obj.__module__
    assert module in _documented_modules(), f"{name}: its module {module} is on no API page"
    mod = importlib.import_module(module)
    exported = getattr(mod, "__all__", None)
    assert exported is None or name in exported, f"{name} is not in {module}.__all__ (the API page lists __all__)"
    page = DOCS / lawgov_docs.api_page_of(module)
    assert page.is_file(), f"{name}: no page {page}"


def test_every_page_is_in_the_navigation():
    config = (ROOT / "mkdocs.yml").read_text(encoding="utf-8")
    pages = {p.relative_to(DOCS).as_posix() for p in DOCS.rglob("*.md")
             if "hooks" not in p.parts and "reports" not in p.parts and p.name != "style.md"}
    listed = set(re.findall(r":\s*([\w/.-]+\.md)\s*$", config, flags=re.M))
    assert pages == listed


def test_cli_reference_has_every_command():
    text = lawgov_docs.cli_reference()
    for command in ("ingest", "manifest", "keywords", "metrics", "audit", "panel", "themes", "topics", "build",
                    "fetch", "report"):
        assert f"\n## {command}\n" in text
    assert ".dta (Stata 118" in text


def test_readme_is_one_screen_with_two_commands_and_links():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert len(readme.splitlines()) <= 60
    quick = readme.split("## Quick start", 1)[1].split("##", 1)[0]
    commands = re.findall(r"^make \w+", quick.split("```sh", 1)[1].split("```", 1)[0], flags=re.M)
    assert commands == ["make report", "make test"]
    for target in re.findall(r"\]\((docs/[^)#]+)", readme):
        assert (ROOT / target).is_file(), target


@pytest.mark.slow
def test_site_builds_offline_without_warnings(tmp_path):
    site = tmp_path / "site"
    done = subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict", "--site-dir", str(site)],
                          cwd=ROOT, capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr[-3000:]
    assert "WARNING" not in done.stderr
    for page in site.rglob("*.html"):
        if "reports" in page.relative_to(site).parts:
            continue
        text = page.read_text(encoding="utf-8")
        assert not re.search(r"<(?:script|link|img)\b[^>]*(?:src|href)=\"(?:https?:)?//", text), page
    api = "".join(p.read_text(encoding="utf-8") for p in (site / "api").glob("*.html"))
    for name in PUBLIC:
        module = getattr(lawgov_analysis, name).__module__
        assert f'id="{module}.{name}"' in api, name
    cli = (site / "cli.html").read_text(encoding="utf-8")
    assert "usage: lawgov-analysis panel" in cli
