"""Report: execute the curated notebooks (package data in ``notebooks/``) into HTML pages with provenance."""
