"""The ``glassnet`` command line.

    glassnet demo                                   train a digits classifier, write plots
    glassnet train data.csv --target label          train on a CSV file, save the model
    glassnet evaluate model.glassnet data.csv       loss and metrics
    glassnet predict model.glassnet data.csv        predictions as CSV
    glassnet explain --example two-node             one input, number by number
    glassnet plot history history.json              pictures (PNG)
    glassnet export model.glassnet --onnx m.onnx    ONNX for other runtimes
    glassnet tune data.csv --target label           hyperparameter search (Optuna)
    glassnet bench --quick                          the benchmark suite

Every command has ``--help`` with an example. Exit codes: 0 on success, 2 on bad usage,
1 on a failure, reported as one line on stderr (the traceback only with ``--debug``).
The commands live in ``glassnet.commands``, one module each.

Example:
    >>> main(["--version"])
    glassnet 0.1.0
    0
"""

from __future__ import annotations

import argparse
import os
import sys

from glassnet import __version__

__all__ = ["build_parser", "main"]


class _Exit(Exception):
    def __init__(self, status):
        self.status = status


class _Parser(argparse.ArgumentParser):
    """argparse that returns instead of exiting, and reports a usage error in one line."""

    def exit(self, status=0, message=None):
        if message:
            self._print_message(message, sys.stderr)
        raise _Exit(status)

    def error(self, message):
        self.exit(2, f"{self.prog}: error: {message} (see '{self.prog} --help')\n")


def build_parser() -> argparse.ArgumentParser:
    """The parser of every command (``glassnet.commands`` registers them).

    Example:
        >>> "train" in build_parser().format_help()
        True
    """
    from glassnet.commands import COMMANDS

    parser = _Parser(
        prog="glassnet",
        description="Neural networks you can see inside: train, evaluate, predict, explain.",
        epilog="example:\n  glassnet demo\n  glassnet COMMAND --help   (each command's options "
               "and examples)",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--version", action="version", version=f"glassnet {__version__}")
    parser.add_argument("--debug", action="store_true",
                        help="show the full traceback on errors")
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND")
    subparsers.required = True
    for _, module in COMMANDS:
        module.register(subparsers)
    return parser


def _parse(parser, argv) -> argparse.Namespace:
    """Parse ``argv``; only ``bench`` accepts arguments of its own (handed on unparsed)."""
    args, rest = parser.parse_known_args(argv)
    if rest and not getattr(args, "forward_rest", False):
        parser.error(f"unrecognized arguments: {' '.join(rest)}")
    args.rest = rest
    check = getattr(args, "usage_check", None)
    problem = check(args) if check else None
    if problem:
        prog = f"{parser.prog} {args.command}"
        parser.exit(2, f"{prog}: error: {problem} (see '{prog} --help')\n")
    return args


def _one_line(error: BaseException) -> str:
    """The error as one line: file errors as 'path: reason', others as their message."""
    if isinstance(error, OSError) and error.filename and error.strerror:
        return f"{error.filename}: {error.strerror}"
    text = " ".join(str(error).split()) or type(error).__name__
    return text


def _silence_stdout() -> None:
    """Point stdout at /dev/null so Python's exit-time flush does not fail a second time."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError, AttributeError):  # not a real file (e.g. captured in tests)
        pass


def main(argv=None) -> int:
    """Run the command line with ``argv`` (default: ``sys.argv[1:]``); return the exit code.

    Example:
        >>> main(["train", "data.csv", "--target", "label", "--hidden", "64,x"])
        2
    """
    parser = build_parser()
    try:
        args = _parse(parser, sys.argv[1:] if argv is None else list(argv))
    except _Exit as stop:
        return stop.status
    try:
        return args.run(args) or 0
    except KeyboardInterrupt:
        print("glassnet: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:  # the reader went away (`glassnet predict ... | head`)
        _silence_stdout()
        return 1
    except Exception as error:  # one clear line, the traceback only on request
        if getattr(args, "debug", False):
            raise
        print(f"glassnet {args.command}: error: {_one_line(error)}", file=sys.stderr)
        return 1


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
