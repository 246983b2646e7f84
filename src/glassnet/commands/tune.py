"""``glassnet tune data.csv --target COL``: search hyperparameters with Optuna.

Each trial trains a multi-layer perceptron with other settings (learning rate, hidden
layers and units, activation, dropout, batch size: ``glassnet.tuning.default_build_fn``) on
the training rows and scores it on held-out rows. The study is kept in ``--storage``:
an SQLite file ("sqlite:///tune.db": run the command again with the same --study-name to
continue the search) or a PostgreSQL server shared by several machines. With ``--out`` the
best settings are trained again on every row and saved, as ``glassnet train`` saves.
Needs optuna: pip install 'glassnet[tune]'.
"""

from __future__ import annotations

from glassnet.commands import common, models


def register(subparsers) -> None:
    """Add the ``tune`` command to ``subparsers`` (see the module docstring)."""
    parser = common.add_command(
        subparsers, "tune", "Search hyperparameters with Optuna.",
        ["glassnet tune data.csv --target label --trials 20",
         "glassnet tune data.csv --target label --trials 50 --storage sqlite:///tune.db "
         "--study-name digits --out best.glassnet"],
        description=__doc__.split("\n\n", 1)[1])
    parser.add_argument("data", help="CSV file with a header row")
    parser.add_argument("--target", required=True, help="the column to predict")
    parser.add_argument("--task", choices=("auto", "classify", "regress"), default="auto",
                        help="classification or regression (default: chosen from the target)")
    parser.add_argument("--trials", type=common.positive_int, default=20,
                        help="trials to run in this call (default: 20)")
    parser.add_argument("--timeout", type=common.positive_float, default=None,
                        help="start no new trial after this many seconds")
    parser.add_argument("--storage", default=None,
                        help="Optuna storage URL, e.g. sqlite:///tune.db (default: in memory)")
    parser.add_argument("--study-name", default=None, help="continue or share this study")
    parser.add_argument("--metric", default=None,
                        help="validation metric to optimise (default: val_loss)")
    parser.add_argument("--epochs", type=common.positive_int, default=20,
                        help="epochs per trial (default: 20)")
    parser.add_argument("--validation-split", type=common.fraction, default=0.2,
                        help="fraction of rows to score on (default: 0.2)")
    parser.add_argument("--seed", type=int, default=0, help="random seed (default: 0)")
    parser.add_argument("--out", default=None,
                        help="train the best settings on every row and save the model here")
    parser.set_defaults(run=run)


def run(args) -> int:
    """Run ``glassnet tune`` with the parsed ``args``; returns the exit code."""
    from glassnet.data import standardize
    from glassnet.tuning import tune

    common.check_folder(args.out, "--out")
    table, info, y = models.training_table(args.data, args.target, args.task)
    X, mean, std = standardize(table.X)
    y_mean, y_std = 0.0, 1.0
    if info.task == "regress":  # search on (y - mean) / std: one scale for every dataset
        y_mean, y_std = float(y.mean()), float(y.std()) or 1.0
        y = (y - y_mean) / y_std
        print(f"the target is standardised while tuning (mean {y_mean:.4g}, std "
              f"{y_std:.4g}): losses are in units of its variance")
    study = tune(None, X, y, n_trials=args.trials, timeout=args.timeout,
                 storage=args.storage, study_name=args.study_name, metric=args.metric,
                 epochs=args.epochs, validation_split=args.validation_split, seed=args.seed)
    _report(study)
    if args.out:
        _train_best(study, X, y, info, args, (mean, std, y_mean, y_std))
    return 0


def _report(study) -> None:
    states = [trial.state.name.lower() for trial in study.trials]
    counts = ", ".join(f"{states.count(s)} {s}" for s in sorted(set(states)))
    print(f"study {study.study_name!r}: {len(study.trials)} trials ({counts})")
    completed = [t for t in study.trials if t.state.name == "COMPLETE"]
    if not completed:
        raise common.CommandError("no trial completed; try more --trials or --epochs")
    metric = study.user_attrs.get("metric", "score")
    print(f"best {metric}: {study.best_value:.4f} (trial {study.best_trial.number})")
    for name, value in sorted(study.best_params.items()):
        print(f"  {name}: {value:.4g}" if isinstance(value, float) else f"  {name}: {value}")


def _train_best(study, X, y, info, args, scaling) -> None:
    import optuna

    import glassnet as gn
    from glassnet.commands.train import fold_scaling
    from glassnet.tuning import default_build_fn

    params = study.best_params
    gn.seed(args.seed)
    model = default_build_fn(X, y)(optuna.trial.FixedTrial(params))
    model.fit(X, y, epochs=args.epochs, batch_size=params.get("batch_size", 32), verbose=0)
    fold_scaling(model, *scaling)
    models.save_model_file(model, args.out, info)
    print(f"saved {args.out} (the best settings, trained on all {len(X)} rows)")
