"""The ``glassnet`` command line.

Every command has ``--help`` with an example. Exit codes: 0 on success, 2 on bad usage,
1 on a failure, reported as one line on stderr (the traceback only with ``--debug``).

Example:
    >>> main(["--version"])
    glassnet 0.1.0
    0
"""

from __future__ import annotations

import argparse
import sys

from glassnet import __version__


class _Parser(argparse.ArgumentParser):
    """argparse, but ``--help``/``--version``/usage errors return instead of killing tests."""

    def exit(self, status=0, message=None):
        if message:
            self._print_message(message, sys.stderr)
        raise _Exit(status)


class _Exit(Exception):
    def __init__(self, status):
        self.status = status


def _command(subparsers, name: str, summary: str, example: str) -> argparse.ArgumentParser:
    parser = subparsers.add_parser(
        name, help=summary, description=summary, epilog=f"example:\n  {example}",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--debug", action="store_true", help="show the full traceback on errors")
    return parser


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="glassnet",
        description="Neural networks you can see inside: train, evaluate, predict, explain.",
        epilog="example:\n  glassnet demo",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--version", action="version", version=f"glassnet {__version__}")
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND")
    subparsers.required = True

    demo = _command(subparsers, "demo",
                    "The perceptron on AND and XOR, then a 2-4-1 network learning XOR.",
                    "glassnet demo")
    demo.add_argument("--seed", type=int, default=0, help="random seed (default 0)")
    demo.set_defaults(run=_run_demo)
    return parser


def main(argv=None) -> int:
    """Run the command line; returns the exit code."""
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
    except _Exit as stop:
        return stop.status
    try:
        return args.run(args) or 0
    except KeyboardInterrupt:
        print("glassnet: interrupted", file=sys.stderr)
        return 130
    except Exception as error:  # one clear line, the traceback only on request
        if getattr(args, "debug", False):
            raise
        print(f"glassnet {args.command}: error: {error}", file=sys.stderr)
        return 1


def _run_demo(args) -> int:
    from glassnet.demo import run_demo

    run_demo(seed=args.seed)
    return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
