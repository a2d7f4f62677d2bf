"""lawgov-analysis: tidy tables and figures from Chinese rule-of-law government annual reports.

Importing the package has no side effects: nothing is printed, logging is not configured, jieba is not loaded.
"""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("lawgov-analysis")
except PackageNotFoundError:  # running from a source tree without installation
    __version__ = "0.0.0"

__all__ = ["__version__"]
