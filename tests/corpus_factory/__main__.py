"""``python -m tests.corpus_factory OUT [KIND [SIZE]]``: write one corpus, or every kind at its default size."""

import sys
from pathlib import Path

from . import write_all, write_corpus

target = Path(sys.argv[1] if len(sys.argv) > 1 else "generated_corpora")
if len(sys.argv) > 2:
    print(write_corpus(sys.argv[2], target, size=int(sys.argv[3]) if len(sys.argv) > 3 else None))
else:
    for kind, path in write_all(target).items():
        print(kind, path, len(list(path.glob("*.txt"))))
