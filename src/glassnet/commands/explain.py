"""``glassnet explain``: one input through a network, number by number.

With ``--example NAME`` it prints a canned example from the tutorials: "two-node" (4 inputs
-> 2 ReLU nodes, z = x.W + b, then ReLU, the loss, the backward pass and one SGD step),
"xor" (a 2-2-1 sigmoid network on XOR) or "perceptron" (Rosenblatt's rule on AND, epoch
by epoch). With a model file and a CSV it explains one row of the file: the forward pass
and, when the file has the target column, the loss, every gradient and one optimizer step.
"""

from __future__ import annotations

from glassnet.commands import common, models


def register(subparsers) -> None:
    """Add the ``explain`` command to ``subparsers`` (see the module docstring)."""
    from glassnet.viz.explain import EXAMPLES

    parser = common.add_command(
        subparsers, "explain", "Follow one input through a network, number by number.",
        ["glassnet explain --example two-node",
         "glassnet explain model.glassnet data.csv --row 3 --all"],
        description=__doc__.split("\n\n", 1)[1])
    parser.add_argument("model", nargs="?", help="a model file (with DATA)")
    parser.add_argument("data", nargs="?", help="a CSV file with the model's feature columns")
    parser.add_argument("--example", choices=EXAMPLES, default=None,
                        help="a canned example instead of a model and data")
    parser.add_argument("--row", type=int, default=0,
                        help="which data row to explain, counting from 0 (default: 0)")
    parser.add_argument("--target", default=None,
                        help="the target column (default: the one the model was trained on)")
    parser.add_argument("--all", action="store_true", dest="show_all",
                        help="show every unit and weight of wide layers")
    parser.add_argument("--lr", type=common.positive_float, default=0.1,
                        help="learning rate of the gradient descent step shown (default: 0.1)")
    parser.add_argument("--precision", type=common.positive_int, default=4,
                        help="digits printed (default: 4)")
    parser.set_defaults(run=run, usage_check=check_usage)


def check_usage(args) -> str | None:
    """The usage error of this command's arguments, or None (the parser reports it)."""
    if args.example and (args.model or args.data):
        return "give either --example NAME or MODEL DATA, not both"
    if not args.example and not (args.model and args.data):
        return "give MODEL DATA (a model file and a CSV) or --example NAME"
    if args.row < 0:
        return f"--row counts from 0, received {args.row}"
    return None


def run(args) -> int:
    """Run ``glassnet explain`` with the parsed ``args``; returns the exit code."""
    from glassnet.viz.explain import explain_example, explain_row

    if args.example:
        print(explain_example(args.example, show_all=args.show_all,
                              precision=args.precision))
        return 0
    model, info = models.load_model_file(args.model)
    table = models.read_table(args.data, info, args.target)
    if args.row >= len(table.X):
        raise common.CommandError(f"{args.data} has {len(table.X)} data rows (0 to "
                                  f"{len(table.X) - 1}); received --row {args.row}")
    y = None
    line = f"Row {args.row} of {args.data} (line {args.row + 2} of the file, after the header)"
    if table.labels is not None:
        if info is None:
            info = models.guess_info(model, model.predict(table.X[:1]).reshape(1, -1))
        y = models.target_values(table, info, args.data)[args.row]
        line += f", target {table.target} = {table.labels[args.row]}"
        if info.task == "classify":
            line += f" (class index {int(y)})"
    print(line + "\n")
    explanation = explain_row(model, table.X[args.row], y, show_all=args.show_all,
                              lr=args.lr, precision=args.precision)
    print(explanation)
    if info is not None and info.task == "classify":
        labels, _ = models.decode_outputs(explanation.output.reshape(1, -1), info)
        print(f"\nPredicted: {labels[0]}")
    return 0
