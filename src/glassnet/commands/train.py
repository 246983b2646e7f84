"""``glassnet train data.csv --target COL``: a multi-layer perceptron on a CSV table.

What happens, in order:

1. read the CSV (``glassnet.data.read_csv``): every column but the target is a feature;
2. choose the task: text labels or at most 20 distinct whole numbers -> classification
   (softmax output, sparse categorical cross-entropy, accuracy), otherwise regression (one
   linear output, mean squared error, MAE and R^2); ``--task`` overrides;
3. hold out ``--test-size`` of the rows (stratified by class when possible);
4. standardise the features (and a regression target) with the training rows' mean/std;
5. train ``Dense(h, activation) x hidden -> output`` with the Keras-style fit loop;
6. fold the scaling into the first (and last) layer, so the model reads raw columns and
   predicts in the target's own units, then report the test metrics and save the model
   with its class labels.
"""

from __future__ import annotations

import os

import numpy as np

from glassnet.commands import common, models

EXAMPLES = [
    "glassnet train iris.csv --target species --hidden 16 --epochs 100",
    "glassnet train data.csv --target label --hidden 64,32 --epochs 50 --out model.glassnet "
    "--history history.json",
    "glassnet train houses.csv --target price --task regress --lr 0.003",
]


def register(subparsers) -> None:
    """Add the ``train`` command to ``subparsers`` (see the module docstring)."""
    from glassnet.training.model import OPTIMIZERS

    parser = common.add_command(
        subparsers, "train", "Train a network on a CSV file and save it.", EXAMPLES,
        description=__doc__.split("\n\n", 1)[1])
    parser.add_argument("data", help="CSV file with a header row")
    parser.add_argument("--target", required=True, help="the column to predict")
    parser.add_argument("--task", choices=("auto", "classify", "regress"), default="auto",
                        help="classification or regression (default: chosen from the target)")
    parser.add_argument("--hidden", type=common.layer_sizes, default=(64,),
                        help="hidden layer sizes, e.g. 64,32, or none (default: 64)")
    parser.add_argument("--activation", default="relu",
                        choices=("relu", "tanh", "sigmoid", "leaky_relu", "elu", "gelu",
                                 "silu", "softplus"),
                        help="activation of the hidden layers (default: relu)")
    parser.add_argument("--dropout", type=common.fraction, default=0.0,
                        help="dropout rate after each hidden layer (default: 0)")
    parser.add_argument("--optimizer", choices=sorted(OPTIMIZERS), default="adam",
                        help="default: adam")
    parser.add_argument("--lr", type=common.positive_float, default=None,
                        help="learning rate (default: the optimizer's, 0.001 for adam)")
    parser.add_argument("--epochs", type=common.positive_int, default=50, help="default: 50")
    parser.add_argument("--batch-size", type=common.positive_int, default=32,
                        help="default: 32")
    parser.add_argument("--test-size", type=common.fraction, default=0.2,
                        help="fraction of rows held out for the test metrics (default: 0.2; "
                             "0 trains on every row)")
    parser.add_argument("--validation-split", type=common.fraction, default=0.0,
                        help="fraction of the training rows for validation curves (default: 0)")
    parser.add_argument("--seed", type=int, default=0, help="random seed (default: 0)")
    parser.add_argument("--out", default="model.glassnet",
                        help="where to save the model (default: model.glassnet)")
    parser.add_argument("--history", metavar="JSON", default=None,
                        help="also write the loss/metric curves (for 'glassnet plot history')")
    parser.add_argument("--quiet", action="store_true", help="no progress display")
    parser.set_defaults(run=run)


def build_network(n_features: int, n_outputs: int, hidden, activation: str,
                  output_activation, dropout: float = 0.0):
    """``Dense(h, activation) [Dropout] ... -> Dense(n_outputs, output_activation)``.

    Example:
        >>> net = build_network(4, 3, (8,), "relu", "softmax")
        >>> [type(layer).__name__ for layer in net.layers], net.num_parameters()
        (['Dense', 'Dense'], 67)
    """
    from glassnet import nn

    layers, width = [], n_features
    for size in hidden:
        layers.append(nn.Dense(size, activation=activation, input_dim=width))
        if dropout:
            layers.append(nn.Dropout(dropout))
        width = size
    layers.append(nn.Dense(n_outputs, activation=output_activation, input_dim=width))
    return nn.Sequential(layers)


def make_optimizer(name: str, lr):
    """The optimizer by name with Keras's settings; ``lr`` replaces the learning rate.

    Without ``lr`` the name itself is returned (``compile`` resolves it).

    Example:
        >>> make_optimizer("adam", None)
        'adam'
        >>> optimizer = make_optimizer("sgd", 0.5)
        >>> type(optimizer).__name__, optimizer.lr
        ('SGD', 0.5)
    """
    from glassnet import optim
    from glassnet.training.model import OPTIMIZERS

    if lr is None:
        return name
    class_name, settings = OPTIMIZERS[name]
    return getattr(optim, class_name)(**{**settings, "lr": lr})


def _split(X, y, test_size: float, seed: int, stratify: bool):
    from glassnet.data import train_test_split

    if test_size == 0:
        return X, X[:0], y, y[:0]
    if len(X) < 2 or round(test_size * len(X)) < 1:
        raise common.CommandError(f"--test-size {test_size} of {len(X)} rows leaves no test "
                                  f"row; use a larger --test-size or 0")
    counts = np.unique(y, return_counts=True)[1] if stratify else None
    keep_classes = stratify and counts.min() >= 2 and test_size * len(X) >= len(counts)
    return train_test_split(X, y, test_size=test_size, random_state=seed,
                            stratify=y if keep_classes else None)


def run(args) -> int:
    """Run ``glassnet train`` with the parsed ``args``; returns the exit code."""
    common.check_folder(args.out, "--out")
    common.check_folder(args.history, "--history")
    table, info, y = models.training_table(args.data, args.target, args.task)
    _describe_data(args, table, info)
    X_train, X_test, y_train, y_test = _split(table.X, y, args.test_size, args.seed,
                                              stratify=info.task == "classify")
    model, history = _fit(args, info, X_train, y_train)
    if len(X_test):
        _report(model, X_test, y_test, "test")
    else:
        _report(model, X_train, y_train, "training")
    models.save_model_file(model, args.out, info)
    print(f"saved {args.out}" + (" (with the class labels)" if info.classes else ""))
    if args.history:
        common.write_json(args.history, {key: [float(v) for v in values]
                                         for key, values in history.history.items()})
        print(f"saved {args.history} (draw it: glassnet plot history {args.history})")
    return 0


def _fit(args, info, X_train, y_train) -> tuple:
    """Standardise, build, compile and fit; then fold the scaling into the model."""
    import glassnet as gn
    from glassnet.data import standardize

    X_scaled, mean, std = standardize(X_train)
    classify = info.task == "classify"
    y_mean, y_std = 0.0, 1.0
    if not classify:  # regression: learn (y - mean) / std, predict y
        y_mean, y_std = float(y_train.mean()), float(y_train.std()) or 1.0
    gn.seed(args.seed)
    model = build_network(X_train.shape[1], len(info.classes) if classify else 1, args.hidden,
                          args.activation, "softmax" if classify else None, args.dropout)
    loss, metrics = (("sparse_categorical_crossentropy", ["accuracy"]) if classify
                     else ("mse", ["mae", "r2"]))
    model.compile(optimizer=make_optimizer(args.optimizer, args.lr), loss=loss,
                  metrics=metrics)
    if not args.quiet:
        model.summary()
    history = model.fit(X_scaled, (y_train - y_mean) / y_std if not classify else y_train,
                        epochs=args.epochs, batch_size=args.batch_size,
                        validation_split=args.validation_split,
                        verbose=0 if args.quiet else "auto")
    fold_scaling(model, mean, std, y_mean, y_std)
    return model, history


def fold_scaling(model, mean, std, y_mean: float = 0.0, y_std: float = 1.0) -> None:
    """Fold input standardisation into the first Dense layer and output scaling into the last.

    The model trained on (x - mean) / std (and targets (y - y_mean) / y_std) then reads raw
    x and predicts raw y; see ``models.fold_input_scaling`` for the algebra.

    Example:
        >>> import glassnet as gn
        >>> model = gn.Sequential([gn.nn.Dense(1, input_dim=2, rng=0)])
        >>> x, mean, std = np.array([[3.0, 4.0]]), np.array([1.0, 2.0]), np.array([2.0, 4.0])
        >>> before = model.predict((x - mean) / std)
        >>> fold_scaling(model, mean, std)
        >>> bool(np.allclose(model.predict(x), before))
        True
    """
    from glassnet.nn import Linear
    from glassnet.tensor import no_grad

    dense = [layer for layer in model.layers if isinstance(layer, Linear)]
    with no_grad():
        models.fold_input_scaling(dense[0], mean, std)
        if (y_mean, y_std) != (0.0, 1.0):
            models.fold_output_scaling(dense[-1], y_mean, y_std)


def _describe_data(args, table, info) -> None:
    name = os.path.basename(args.data)
    count = len(table.feature_names)
    print(f"data: {name}, {len(table.X)} rows, {count} feature{'s' if count != 1 else ''}, "
          f"target {table.target!r}")
    if info.task == "classify":
        shown = ", ".join(map(str, info.classes[:10])) + (", ..." if len(info.classes) > 10
                                                          else "")
        print(f"task: classification, {len(info.classes)} classes ({shown})"
              + ("" if args.task != "auto" else "; --task regress to predict numbers"))
    else:
        print("task: regression (numeric target)"
              + ("" if args.task != "auto" else "; --task classify to treat it as classes"))


def _report(model, X, y, split: str) -> dict:
    logs = model.evaluate(X, y, verbose=0, return_dict=True)
    print(f"{split} ({len(X)} rows): " + " - ".join(f"{k}: {v:.4f}" for k, v in logs.items()))
    return logs
