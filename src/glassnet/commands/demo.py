"""``glassnet demo``: train a digits classifier on built-in data (see ``glassnet.demo``)."""

from __future__ import annotations

from glassnet.commands import common


def register(subparsers) -> None:
    """Add the ``demo`` command to ``subparsers`` (see the module docstring)."""
    from glassnet import demo

    parser = common.add_command(
        subparsers, "demo", "Train a digits classifier on built-in data and show everything.",
        ["glassnet demo", "glassnet demo --out my-demo --seed 1 --epochs 20",
         "glassnet demo xor      # the perceptron on AND/XOR, then a 2-4-1 network on XOR"],
        description=demo.__doc__.split("\n\n", 1)[1])
    parser.add_argument("story", nargs="?", choices=("digits", "xor"), default="digits",
                        help="digits (the default) or xor")
    parser.add_argument("--seed", type=int, default=0, help="random seed (default: 0)")
    parser.add_argument("--out", default="glassnet-demo",
                        help="folder for the model, metrics and plots (default: glassnet-demo)")
    parser.add_argument("--epochs", type=common.positive_int, default=40,
                        help="training epochs (default: 40)")
    parser.add_argument("--no-plots", dest="plots", action="store_false",
                        help="skip the PNG plots")
    parser.add_argument("--quiet", action="store_true",
                        help="no progress display (the results are still printed)")
    parser.set_defaults(run=run)


def run(args) -> int:
    """Run ``glassnet demo`` with the parsed ``args``; returns the exit code."""
    from glassnet import demo

    if args.story == "xor":
        demo.run_xor_demo(seed=args.seed)
        return 0
    demo.run_digits_demo(args.out, seed=args.seed, epochs=args.epochs,
                         verbose=0 if args.quiet else "auto", plots=args.plots)
    return 0
