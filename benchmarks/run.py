"""All benchmarks in one run: the corpus against the reference tools' answers and times, then
the explicit synchronous engine against BoolNet on random N-K networks.

    python benchmarks/run.py            # what `make bench` runs
    python benchmarks/run.py --quick    # a smaller sample of each

Each part prints its own table with medians and ratios; see the scripts for their options.
"""
from __future__ import annotations

import argparse
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--quick", action="store_true", help="Fewer models and sizes.")
    args = ap.parse_args()
    parts = [
        ["corpus.py"] + (["--match", "pyboolnet_repo/"] if args.quick else []),
        ["explicit_sync.py"] + (["--sizes", "16", "18", "--runs", "1"] if args.quick else []),
    ]
    code = 0
    for part in parts:
        print(f"\n### {' '.join(part)}", flush=True)
        code |= subprocess.call([sys.executable, str(HERE / part[0]), *part[1:]])
    return code


if __name__ == "__main__":
    sys.exit(main())
