"""``glassnet bench``: the benchmark suite (speed and memory against PyTorch and scikit-learn).

Every argument is handed to ``benchmarks.cli.main`` (``glassnet bench --help`` shows its
options). The ``benchmarks`` package is not installed with glassnet: it sits at the root of
the repository, so run this from a checkout of it (or with glassnet installed from one).
"""

from __future__ import annotations

import os
import sys

from glassnet.commands import common


def register(subparsers) -> None:
    """Add the ``bench`` command to ``subparsers`` (see the module docstring)."""
    parser = common.add_command(
        subparsers, "bench", "Run the benchmark suite (from a repository checkout).",
        ["glassnet bench --quick --cases 1,2 --out bench-results/"],
        description=__doc__.split("\n\n", 1)[1], add_help=False, debug=False)
    parser.set_defaults(run=run, forward_rest=True)


def _checkouts() -> list:
    """Folders that may hold benchmarks/: the current one and the checkout of this glassnet."""
    package = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    return [os.getcwd(), os.path.dirname(os.path.dirname(package))]


def import_benchmarks():
    """``benchmarks.cli``, found on sys.path or in a repository checkout."""
    try:
        from benchmarks import cli
    except ImportError:
        for folder in _checkouts():
            if os.path.isfile(os.path.join(folder, "benchmarks", "cli.py")):
                sys.path.insert(0, folder)
                try:
                    from benchmarks import cli
                except ImportError:
                    sys.path.remove(folder)
                    continue
                return cli
        raise common.CommandError(
            "the benchmark suite is not installed with glassnet; run 'glassnet bench' from a "
            "checkout of the glassnet repository (it has a benchmarks/ folder)") from None
    return cli


def run(args) -> int:
    """Run ``glassnet bench`` with the parsed ``args``; returns the exit code."""
    return import_benchmarks().main(list(args.rest), prog="glassnet bench")
