"""`python -m benchmarks`: run the benchmark suite (see benchmarks/README.md)."""

import sys

from benchmarks.cli import main

if __name__ == "__main__":
    sys.exit(main())
