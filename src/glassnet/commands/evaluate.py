"""``glassnet evaluate`` and ``glassnet predict``: a saved model on a CSV file.

Both read the model's feature columns by name (other columns are ignored, with a note).
``evaluate`` needs the target column and prints the loss and metrics (and, for a
classifier, the confusion matrix); ``predict`` writes one CSV row per input row: the
target column when the file has it (as given, for comparison), then the prediction in
the target's own labels or units, then, with ``--proba``, one probability per class.
"""

from __future__ import annotations

import numpy as np

from glassnet.commands import common, models


def register(subparsers) -> None:
    """Add the ``evaluate`` and ``predict`` commands to ``subparsers``."""
    evaluate = common.add_command(
        subparsers, "evaluate", "Loss and metrics of a saved model on a CSV file.",
        ["glassnet evaluate model.glassnet test.csv --target label"])
    evaluate.add_argument("model", help="a model file (from 'glassnet train' or model.save)")
    evaluate.add_argument("data", help="CSV file with the model's feature columns and target")
    evaluate.add_argument("--target", default=None,
                          help="the target column (default: the one the model was trained on)")
    evaluate.add_argument("--batch-size", type=common.positive_int, default=256,
                          help="default: 256")
    evaluate.set_defaults(run=run_evaluate)

    predict = common.add_command(
        subparsers, "predict", "Predict the target for every row of a CSV file.",
        ["glassnet predict model.glassnet new.csv --out predictions.csv",
         "glassnet predict model.glassnet new.csv --proba      # CSV on standard output"],
        description=__doc__.split("\n\n", 1)[1])
    predict.add_argument("model", help="a model file (from 'glassnet train' or model.save)")
    predict.add_argument("data", help="CSV file with the model's feature columns")
    predict.add_argument("--out", default=None,
                         help="the CSV to write (atomically); default: standard output")
    predict.add_argument("--proba", action="store_true",
                         help="add one probability column per class (classifiers)")
    predict.add_argument("--target", default=None,
                         help="the target column to copy into the output if present (default: "
                              "the one the model was trained on)")
    predict.set_defaults(run=run_predict)


def load(model_path, data_path, target=None, require_target=False) -> tuple:
    """``(model, info, table, outputs)``: the model, its facts, the CSV and the outputs."""
    model, info = models.load_model_file(model_path)
    table = models.read_table(data_path, info, target, require_target)
    if table.ignored:
        common.note(f"ignoring the columns {table.ignored} (the model does not read them)")
    outputs = model.predict(table.X, batch_size=256)
    if info is None:
        info = models.guess_info(model, outputs.reshape(len(outputs), -1))
    return model, info, table, outputs


def run_evaluate(args) -> int:
    """Run ``glassnet evaluate`` with the parsed ``args``; returns the exit code."""
    from glassnet.training.metrics import confusion_matrix
    from glassnet.training.model import Model

    model, info, table, outputs = load(args.model, args.data, args.target, True)
    y = models.target_values(table, info, args.data)
    trainer = model if isinstance(model, Model) else model._keras()
    if trainer.loss is None:
        raise common.CommandError(f"{args.model}: the model was saved without a loss "
                                  f"(not compiled); it cannot be evaluated")
    logs = model.evaluate(table.X, y, batch_size=args.batch_size, verbose=0,
                          return_dict=True)
    print(f"{args.data}: {len(table.X)} rows, target {table.target!r}")
    for name, value in logs.items():
        print(f"{name}: {value:.4f}")
    if info.task == "classify":
        _, proba = models.decode_outputs(outputs, info)
        names = info.classes if info.classes else list(range(proba.shape[1]))
        matrix = confusion_matrix(y, proba.argmax(axis=1), num_classes=len(names))
        print("confusion matrix (rows: true class, columns: predicted class):")
        print("\n".join(common.confusion_lines(matrix, names)))
    return 0


def run_predict(args) -> int:
    """Run ``glassnet predict`` with the parsed ``args``; returns the exit code."""
    common.check_folder(args.out, "--out")
    _, info, table, outputs = load(args.model, args.data, args.target)
    predicted, proba = models.decode_outputs(outputs, info)
    if args.proba and proba is None:
        raise common.CommandError(f"--proba needs a classifier; {args.model} predicts numbers")
    name = table.target or info.target or "target"
    header, columns = [], []  # numbers as their shortest exact text (NumPy's str)
    if table.labels is not None:
        header.append(table.target)
        columns.append(table.labels.astype(str))
    if predicted.ndim == 1:
        header.append(f"predicted_{name}")
        columns.append(predicted.astype(str))
    else:  # a regression model with several outputs: one column each
        header += [f"predicted_{name}_{k}" for k in range(predicted.shape[1])]
        columns += list(predicted.T.astype(str))
    if args.proba:
        names = info.classes if info.classes else range(proba.shape[1])
        header += [f"proba_{c}" for c in names]
        columns += list(proba.T.astype(str))
    common.write_csv(args.out, header, np.column_stack(columns).tolist())
    if args.out:
        print(f"wrote {len(predicted)} predictions to {args.out}")
    return 0
