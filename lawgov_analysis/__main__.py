"""``python -m lawgov_analysis`` runs the ``lawgov-analysis`` command."""

from .cli import main

raise SystemExit(main())
