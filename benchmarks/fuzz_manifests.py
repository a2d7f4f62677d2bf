"""Load N random hostile folders (random manifests — columns, cells, encodings, CSV or .xlsx — and random report
files and attachments, broken ones included) and count what happened.

The generator and the invariants are those of the test suite (``tests/fuzz_inputs.py``): ``load_corpus`` returns
or raises a documented one-line error (FileNotFoundError, ValueError); every file under the folder is in the
ingest account. The script prints the outcomes, the documented errors by message kind, the unexplained
exceptions (the goal is 0) and how many files were accounted for. Not part of the tests.

Usage: ``python benchmarks/fuzz_manifests.py [N] [--seed 0]`` (default 1,000 folders).
"""

from __future__ import annotations

import argparse
import collections
import logging
import random
import re
import sys
import tempfile
import time
import traceback
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from lawgov_analysis.io.corpus import load_corpus  # noqa: E402
from tests.fuzz_inputs import DOCUMENTED, check_load, write_case  # noqa: E402


def _kind(message: str) -> str:
    """A documented error's message without its paths, names and numbers, to count kinds."""
    for phrase in ("no report files", "a manifest needs a 'path' column", "the manifest is empty"):
        if phrase in message:
            return phrase
    if "cannot read the manifest (" in message:
        reason = message.split("cannot read the manifest (", 1)[1]
        return "cannot read the manifest (" + re.sub(r"\d+", "N", re.sub(r"'[^']*'", "'…'", reason))[:80]
    return re.sub(r"\d+", "N", message)[:100]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("n", nargs="?", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()
    logging.disable(logging.WARNING)  # the per-cell warnings are in the ingest account
    outcomes: collections.Counter = collections.Counter()
    documented: collections.Counter = collections.Counter()
    unexplained: collections.Counter = collections.Counter()
    files_loaded = accounted = files_stopped = 0
    start = time.perf_counter()
    for seed in range(args.seed, args.seed + args.n):
        with tempfile.TemporaryDirectory() as tmp:
            folder = write_case(random.Random(seed), Path(tmp))
            try:
                outcome, on_disk, seen = check_load(folder)
            except Exception as exc:  # an invariant failed or an undocumented exception escaped
                key = f"{type(exc).__name__}: {str(exc)[:160]}"
                if not unexplained[key]:
                    print(f"seed {seed}: {key}", file=sys.stderr)
                    traceback.print_exc(limit=-4)
                unexplained[key] += 1
                continue
            outcomes[outcome] += 1
            if outcome == "loaded":
                files_loaded += on_disk
                accounted += seen
                continue
            files_stopped += on_disk
            try:
                load_corpus(folder)
            except DOCUMENTED as exc:
                documented[f"{type(exc).__name__}: {_kind(str(exc))}"] += 1
    elapsed = time.perf_counter() - start
    print(f"{args.n} random folders in {elapsed:.0f} s: " + ", ".join(f"{n} {k}" for k, n in outcomes.most_common()))
    for kind, n in documented.most_common():
        print(f"  {n:4d}  {kind}")
    print(f"unexplained exceptions: {sum(unexplained.values())}")
    for kind, n in unexplained.most_common():
        print(f"  {n:4d}  {kind}")
    print(f"files accounted for in the ingest account of the folders that loaded: {accounted} of {files_loaded}")
    print(f"files in folders stopped by a documented error: {files_stopped}")
    return 1 if unexplained else 0


if __name__ == "__main__":
    raise SystemExit(main())
