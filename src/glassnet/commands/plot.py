"""``glassnet plot KIND``: draw a picture of a model, its training or its decisions (PNG).

Kinds: ``activations`` (each activation and its derivative), ``history`` (loss and metric
curves from ``train --history`` or the demo's history.json), ``network`` (units and
weighted connections of a small model), ``weights`` (histograms per layer), ``confusion``
(a model's confusion matrix on a CSV) and ``decision-boundary`` (a classifier's regions on
a CSV with two feature columns). Needs matplotlib: pip install 'glassnet[plot]'.
"""

from __future__ import annotations

import json
import os

from glassnet.commands import common, models

KINDS = {
    "activations": ("Each activation function next to its derivative.",
                    "glassnet plot activations --names relu,sigmoid,tanh --out act.png"),
    "history": ("Loss and metric curves per epoch from a history JSON file.",
                "glassnet plot history history.json --out history.png"),
    "network": ("A small model drawn as units and weighted connections.",
                "glassnet plot network model.glassnet --out network.png"),
    "weights": ("Histograms of each layer's weights and biases.",
                "glassnet plot weights model.glassnet --out weights.png"),
    "confusion": ("A classifier's confusion matrix on a CSV file.",
                  "glassnet plot confusion model.glassnet test.csv --out confusion.png"),
    "decision-boundary": ("A classifier's class regions on a CSV with two feature columns.",
                          "glassnet plot decision-boundary model.glassnet moons.csv"),
}


def register(subparsers) -> None:
    """Add the ``plot`` command to ``subparsers`` (see the module docstring)."""
    parser = common.add_command(
        subparsers, "plot", "Draw a model, its training or its decisions as a PNG.",
        [example for _, example in KINDS.values()], description=__doc__.split("\n\n", 1)[1])
    kinds = parser.add_subparsers(dest="kind", metavar="KIND")
    kinds.required = True
    for kind, (summary, example) in KINDS.items():
        sub = common.add_command(kinds, kind, summary, example)
        if kind == "activations":
            sub.add_argument("--names", default=None,
                             help="comma-separated activation names (default: all)")
        elif kind == "history":
            sub.add_argument("history", help="JSON file {name: [value per epoch]}")
        else:
            sub.add_argument("model", help="a model file")
        if kind in ("confusion", "decision-boundary"):
            sub.add_argument("data", help="a CSV file with the model's features and target")
            sub.add_argument("--target", default=None,
                             help="the target column (default: the model's)")
        sub.add_argument("--out", default=f"{kind}.png", help=f"default: {kind}.png")
        sub.add_argument("--dpi", type=common.positive_int, default=100, help="default: 100")
        sub.set_defaults(run=run)


def run(args) -> int:
    """Run ``glassnet plot`` with the parsed ``args``; returns the exit code."""
    from glassnet import viz

    options = {"path": args.out, "dpi": args.dpi}
    if args.kind == "activations":
        names = args.names.split(",") if args.names else None
        viz.plot_activations(**({"names": names} if names else {}), **options)
    elif args.kind == "history":
        viz.plot_history(_read_history(args.history), **options)
    elif args.kind == "network":
        viz.plot_network(models.load_model_file(args.model)[0], **options)
    elif args.kind == "weights":
        viz.plot_weights(models.load_model_file(args.model)[0], **options)
    else:
        _plot_on_data(args, options)
    print(f"wrote {args.out}")
    return 0


def _read_history(path) -> dict:
    if not os.path.isfile(path):
        raise common.CommandError(f"{path}: no such file")
    try:
        with open(path, encoding="utf-8") as file:
            values = json.load(file)
    except (json.JSONDecodeError, UnicodeDecodeError) as error:
        raise common.CommandError(f"{path}: not a JSON file ({error})") from None
    if isinstance(values, dict) and isinstance(values.get("history"), dict):
        values = values["history"]  # a metrics.json that holds the history
    if not isinstance(values, dict) or not values:
        raise common.CommandError(f"{path}: expected a JSON object {{name: [value per "
                                  f"epoch]}}, as 'glassnet train --history' writes")
    return values


class _Classifier:
    """A saved classifier as scikit-learn's plots see one: predict_proba and classes_."""

    def __init__(self, model, classes):
        self.model = model
        self.classes_ = classes

    def predict_proba(self, X):
        import numpy as np

        outputs = self.model.predict(np.asarray(X, dtype=np.float32), batch_size=4096)
        return outputs if outputs.shape[1] > 1 else np.column_stack([1 - outputs, outputs])


def _plot_on_data(args, options) -> None:
    import numpy as np

    from glassnet import viz
    from glassnet.commands.evaluate import load

    model, info, table, outputs = load(args.model, args.data, args.target, True)
    if info.task != "classify":
        raise common.CommandError(f"plot {args.kind} needs a classifier; {args.model} "
                                  f"predicts numbers")
    y = models.target_values(table, info, args.data)
    classes = np.asarray(info.classes if info.classes else range(int(y.max()) + 1))
    if args.kind == "confusion":
        _, proba = models.decode_outputs(outputs, info)
        viz.plot_confusion_matrix(y, proba.argmax(axis=1), class_names=classes.tolist(),
                                  **options)
        return
    if table.X.shape[1] != 2:
        raise common.CommandError(f"plot decision-boundary draws 2 features on a plane; "
                                  f"the model reads {table.X.shape[1]} "
                                  f"({', '.join(table.feature_names)})")
    viz.plot_decision_boundary(_Classifier(model, classes), table.X, classes[y], **options)
