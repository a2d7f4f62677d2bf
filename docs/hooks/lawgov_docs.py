"""MkDocs hooks of the documentation site: pages generated from the code, so they cannot drift from it.

``<!-- cli-reference -->``
    the help text of ``lawgov-analysis`` and of every subcommand (from ``cli.build_parser()``);
``<!-- api-modules: lawgov_analysis.io -->``
    one mkdocstrings block (``::: module``) per public module of the subpackage, in name order;
``<!-- api-exports -->``
    a table of the names exported at the top level (``lawgov_analysis.__all__``) and where each is documented;
``<!-- report-pages -->``
    links to the pages ``make report`` built into ``reports/`` (copied into the site as ``reports/``).
"""

from __future__ import annotations

import html
import importlib
import pkgutil
import re
from pathlib import Path

_API = re.compile(r"<!-- api-modules: ([\w.]+) -->")


def public_modules(package: str) -> list[str]:
    """Dotted names of the public modules of ``package`` and of its subpackages (no ``_private`` ones; a
    subpackage's own ``__init__`` is left out: it re-exports what its modules define), sorted."""
    pkg = importlib.import_module(package)
    found = []
    for m in pkgutil.walk_packages(pkg.__path__, prefix=f"{package}."):
        if any(part.startswith("_") for part in m.name.split(".")) or m.ispkg:
            continue
        found.append(m.name)
    return sorted(found)


def api_page_of(module: str) -> str:
    """The API page (relative to docs/) that documents ``module``."""
    parts = module.split(".")
    return f"api/{parts[1]}.md" if len(parts) > 2 else "api/index.md"


def cli_reference() -> str:
    import argparse

    from lawgov_analysis.cli import build_parser

    parser = build_parser()
    parser.prog = "lawgov-analysis"
    out = ["```text", parser.format_help().rstrip(), "```", ""]
    sub = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
    for name, command in sub.choices.items():
        out += [f"## {name}", "", "```text", command.format_help().rstrip(), "```", ""]
    return "\n".join(out)


def exports_table() -> str:
    import lawgov_analysis

    rows = ["| name | module | page |", "|---|---|---|"]
    for name in lawgov_analysis.__all__:
        if name.startswith("__"):
            continue
        module = getattr(getattr(lawgov_analysis, name), "__module__", None) or \
            f"lawgov_analysis.{lawgov_analysis.EXPORTS[name]}"
        page = api_page_of(module).removeprefix("api/")
        rows.append(f"| [`{name}`]({page}#{module}.{name}) | `{module}` | [{page[:-3]}]({page}) |")
    return "\n".join(rows)


def report_pages(docs_dir: str) -> str:
    folder = Path(docs_dir) / "reports"
    pages = sorted(p for p in folder.glob("*.html") if p.name != "index.html") if folder.is_dir() else []
    if not pages:
        return "No pages built yet: run `make report`, then `make docs`."
    items = ["- [index: every page, the figures and the provenance of the build](reports/index.html)"]
    for p in pages:
        head = p.read_text(encoding="utf-8", errors="replace")[:4000]
        m = re.search(r"<title>(.*?)</title>", head, flags=re.S)
        title = html.unescape(m.group(1)).strip() if m else p.stem
        items.append(f"- [{title}](reports/{p.name})")
    return "\n".join(items)


def on_page_markdown(markdown: str, page, config, files) -> str:  # noqa: ARG001 - MkDocs hook signature
    if "<!-- cli-reference -->" in markdown:
        markdown = markdown.replace("<!-- cli-reference -->", cli_reference())
    if "<!-- report-pages -->" in markdown:
        markdown = markdown.replace("<!-- report-pages -->", report_pages(config["docs_dir"]))
    if "<!-- api-exports -->" in markdown:
        markdown = markdown.replace("<!-- api-exports -->", exports_table())
    return _API.sub(lambda m: "\n\n".join(f"::: {mod}" for mod in public_modules(m.group(1))), markdown)
