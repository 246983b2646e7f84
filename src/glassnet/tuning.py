"""Hyperparameter search with Optuna: train many versions of a model, keep the best settings.

``gn.tune`` is the ``tune`` function of this module (the module is called ``tuning`` so that
``glassnet.tune`` is always the function, never a module).

A network has settings that training does not learn: the learning rate, the number and
width of the hidden layers, the dropout rate, the batch size. ``tune`` searches them for
you. Each *trial* picks a value for every setting, trains the model on the training part of
the data and scores it on the validation part (the held-out rows, never trained on). The
*study* is the record of all trials; Optuna's sampler (TPE, "Tree-structured Parzen
Estimator") looks at the trials so far and proposes the next settings near the good ones,
which finds good settings in far fewer trials than a grid. A *pruner* stops a trial early
when, after some epoch, its score is worse than the median of earlier trials at that epoch:
no time is spent finishing a hopeless run.

The study lives in Optuna's storage:

* in memory (``storage=None``): gone when Python exits;
* an SQLite file (``storage="sqlite:///tune.db"``): kept on disk; run ``tune`` again with
  the same ``study_name`` and the search continues where it stopped;
* a database server (``storage="postgresql://user:password@host/db"``, needs a driver such
  as ``pip install psycopg2-binary``): several machines run ``tune`` with the same
  ``study_name`` and share one study, each running its own trials. This is how a search
  outgrows one machine; give each worker its own ``seed`` (or ``seed=None``) so that they
  do not all try the same settings. The glassnet test suite cannot start a PostgreSQL
  server, so this path is exercised only through SQLite, which uses the same code in Optuna.

Example (optuna is optional: ``pip install 'glassnet[tune]'``):
    >>> import glassnet as gn
    >>> X, y = gn.data.make_moons(80, noise=0.1, random_state=0)
    >>> study = gn.tune(None, X, y, n_trials=2, epochs=1)       # the default MLP search space
    >>> len(study.trials), sorted(study.best_params)[:3]
    (2, ['activation', 'batch_size', 'dropout'])
"""

from __future__ import annotations

import math
from numbers import Integral, Real

import numpy as np

from glassnet import backend
from glassnet.data.splits import train_test_split
from glassnet.training.callbacks import Callback, _higher_is_better
from glassnet.training.model import TrainingDivergedError

__all__ = ["tune", "default_build_fn"]

_INSTALL_HINT = "pip install 'glassnet[tune]'"
_DIRECTIONS = ("minimize", "maximize")


def _import_optuna():
    try:
        import optuna
    except ImportError as error:
        raise ImportError(f"tune needs the optuna package: {_INSTALL_HINT}") from error
    return optuna


# ------------------------------------------------------------------------------------------
# the default search space: an MLP for classification or regression, chosen from y
# ------------------------------------------------------------------------------------------


def _is_classification(y: np.ndarray) -> bool:
    """Integer (or bool) labels in one column: classification. Float targets: regression."""
    return y.dtype.kind in "iub" and (y.ndim == 1 or (y.ndim == 2 and y.shape[1] == 1))


def default_build_fn(X, y):
    """The search space ``tune`` uses when ``build_fn`` is None: an MLP fitted to ``y``.

    Integer labels 0..K-1 give a classifier (one sigmoid output for K = 2, K softmax
    outputs otherwise, metric "accuracy"); float targets give a regressor (linear outputs,
    mean squared error, metric "mae"). Each trial chooses:

        learning_rate   1e-4 .. 1e-1, log scale (Adam)
        n_layers        1 .. 3 hidden layers
        units_<i>       8 .. 128 units in hidden layer i, log scale
        activation      "relu", "tanh" or "elu"
        dropout         0 .. 0.5 after each hidden layer
        batch_size      16, 32, 64 or 128

    Rebuild the best model with ``build(optuna.trial.FixedTrial(study.best_params))``.
    Standardise the features first (``gn.data.standardize``): the search cannot fix
    badly scaled inputs.

    Args:
        X: the features, (samples, features).
        y: class labels (integers from 0) or float targets, (samples,) or (samples, outputs).

    Returns:
        ``build(trial)``, returning a compiled ``gn.Sequential``.

    Example:
        >>> import numpy as np
        >>> import optuna
        >>> build = default_build_fn(np.zeros((4, 3)), np.array([0, 1, 2, 1]))
        >>> params = {"learning_rate": 0.01, "n_layers": 1, "units_0": 16,
        ...           "activation": "relu", "dropout": 0.0, "batch_size": 32}
        >>> model = build(optuna.trial.FixedTrial(params))
        >>> model[-1]
        Dense(in_features=16, units=3, activation='softmax')
    """
    X, y = np.asarray(X), np.asarray(y)
    if X.ndim != 2:
        raise ValueError(f"tune: the default search space builds an MLP, which needs 2-D X "
                         f"(samples, features); received shape {X.shape}. Pass your own "
                         f"build_fn for other inputs")
    head, loss, metric = _output_head(y)

    def build(trial):
        from glassnet import nn, optim
        from glassnet.nn.container import Sequential

        learning_rate = trial.suggest_float("learning_rate", 1e-4, 1e-1, log=True)
        n_layers = trial.suggest_int("n_layers", 1, 3)
        units = [trial.suggest_int(f"units_{i}", 8, 128, log=True) for i in range(n_layers)]
        activation = trial.suggest_categorical("activation", ["relu", "tanh", "elu"])
        dropout = trial.suggest_float("dropout", 0.0, 0.5)
        trial.suggest_categorical("batch_size", [16, 32, 64, 128])  # read by tune's fit
        layers = []
        for width in units:
            layers.append(nn.Dense(width, activation=activation))
            if dropout > 0:
                layers.append(nn.Dropout(dropout))
        model = Sequential([*layers, nn.Dense(*head)])
        model.compile(optimizer=optim.Adam(learning_rate=learning_rate), loss=loss,
                      metrics=[metric])
        model.build((None, X.shape[1]))
        return model

    return build


def _output_head(y: np.ndarray) -> tuple:
    """((units, activation), loss, metric) of the output layer for targets ``y``."""
    if not _is_classification(y):
        outputs = 1 if y.ndim == 1 else int(np.prod(y.shape[1:]))
        return (outputs, None), "mse", "mae"
    labels = y.reshape(-1)
    if len(labels) == 0 or labels.min() < 0:
        raise ValueError(f"tune: class labels must be integers from 0, received a minimum of "
                         f"{labels.min() if len(labels) else 'nothing (empty y)'}")
    classes = int(labels.max()) + 1
    if classes <= 2:
        return (1, "sigmoid"), "binary_crossentropy", "accuracy"
    return (classes, "softmax"), "sparse_categorical_crossentropy", "accuracy"


# ------------------------------------------------------------------------------------------
# one trial: fit, report the validation metric each epoch, maybe stop early
# ------------------------------------------------------------------------------------------


class _TrialReporter(Callback):
    """Reports the validation metric to Optuna after every epoch and stops a pruned trial.

    Also keeps the epoch logs (the trial's history) and the best value seen.
    """

    def __init__(self, trial, metric: str, maximize: bool):
        super().__init__()
        self.trial = trial
        self.metric = metric
        self.maximize = maximize
        self.history = {}
        self.best = None
        self.best_epoch = None
        self.pruned_at = None

    def on_epoch_end(self, epoch, logs=None):
        logs = logs or {}
        for key, value in logs.items():
            self.history.setdefault(key, []).append(float(value))
        if self.metric not in logs:
            raise ValueError(f"tune: metric {self.metric!r} is not in the training logs; "
                             f"available: {', '.join(sorted(logs))}. Compile the model with "
                             f"that metric or choose one of these")
        value = float(logs[self.metric])
        if not math.isfinite(value):
            return
        self.trial.report(value, epoch)
        if self.best is None or (value > self.best if self.maximize else value < self.best):
            self.best, self.best_epoch = value, epoch
        if self.trial.should_prune():
            self.pruned_at = epoch
            self.model.stop_training = True


def _objective(optuna, build_fn, data, settings):
    """The function Optuna calls once per trial: build, fit, return the best score."""
    (X_train, y_train), validation = data

    def objective(trial):
        if settings["seed"] is not None:
            backend.seed(settings["seed"] + trial.number)
            trial.set_user_attr("glassnet_seed", settings["seed"] + trial.number)
        model = build_fn(trial)
        if not callable(getattr(model, "fit", None)):
            raise TypeError(f"tune: build_fn must return a compiled glassnet model "
                            f"(gn.Sequential or gn.Model), returned {type(model).__name__}")
        reporter = _TrialReporter(trial, settings["metric"], settings["maximize"])
        try:
            model.fit(X_train, y_train, validation_data=validation,
                      epochs=trial.params.get("epochs", settings["epochs"]),
                      batch_size=trial.params.get("batch_size", settings["batch_size"]),
                      verbose=settings["fit_verbose"],
                      callbacks=[reporter, *settings["callbacks"]])
        except TrainingDivergedError as error:
            trial.set_user_attr("diverged", str(error))
            raise optuna.TrialPruned(f"training diverged: {error}") from error
        finally:
            trial.set_user_attr("history", reporter.history)
        if reporter.pruned_at is not None:
            trial.set_user_attr("pruned_at_epoch", reporter.pruned_at)
            raise optuna.TrialPruned(f"pruned after epoch {reporter.pruned_at + 1}")
        if reporter.best is None:
            return float("nan")  # Optuna records the trial as failed
        trial.set_user_attr("best_epoch", reporter.best_epoch)
        return reporter.best

    return objective


# ------------------------------------------------------------------------------------------
# checking the arguments
# ------------------------------------------------------------------------------------------


def _positive_int(value, name: str, allow_none: bool = False):
    if value is None and allow_none:
        return None
    if isinstance(value, bool) or not isinstance(value, Integral) or value < 1:
        raise ValueError(f"tune: {name} must be a positive integer"
                         f"{' or None' if allow_none else ''}, received {value!r}")
    return int(value)


def _check_counts(n_trials, timeout, epochs, batch_size, seed, verbose) -> None:
    _positive_int(n_trials, "n_trials", allow_none=True)
    _positive_int(epochs, "epochs")
    _positive_int(batch_size, "batch_size")
    if timeout is not None and (isinstance(timeout, bool) or not isinstance(timeout, Real)
                                or not timeout > 0):
        raise ValueError(f"tune: timeout must be a number of seconds > 0 or None, "
                         f"received {timeout!r}")
    if n_trials is None and timeout is None:
        raise ValueError("tune: give n_trials or timeout (or both); with neither the search "
                         "would never end")
    if seed is not None and (isinstance(seed, bool) or not isinstance(seed, Integral)):
        raise TypeError(f"tune: seed must be an int or None, received {seed!r}")
    if verbose not in (0, 1, 2):
        raise ValueError(f"tune: verbose must be 0 (silent), 1 (one line per trial) or 2 "
                         f"(also one line per epoch), received {verbose!r}")


def _check_data(X, y, validation_split, validation_data, seed):
    """((X_train, y_train), (X_val, y_val)): validation_data, or a shuffled split."""
    if y is None:
        raise ValueError("tune: y is None; pass the targets (labels or values) as an array")
    X, y = np.asarray(X), np.asarray(y)
    if X.ndim < 2 or len(X) != len(y):
        raise ValueError(f"tune: X must be (samples, features...) with one target per sample "
                         f"in y; received X of shape {X.shape} and y of shape {y.shape}")
    if validation_data is not None:
        if not isinstance(validation_data, (tuple, list)) or len(validation_data) != 2:
            raise ValueError("tune: validation_data must be a pair (X_val, y_val)")
        return (X, y), tuple(np.asarray(part) for part in validation_data)
    if isinstance(validation_split, bool) or not isinstance(validation_split, Real) \
            or not 0 < validation_split < 1:
        raise ValueError(f"tune: validation_split must be a fraction in (0, 1) (or pass "
                         f"validation_data), received {validation_split!r}")
    classes = np.unique(y, return_counts=True)[1] if _is_classification(y) else None
    stratify = y.reshape(-1) if classes is not None and classes.min() >= 2 else None
    X_train, X_val, y_train, y_val = train_test_split(
        X, y, test_size=validation_split, random_state=seed, stratify=stratify)
    return (X_train, y_train), (X_val, y_val)


def _check_callbacks(callbacks) -> list:
    callbacks = [] if callbacks is None else list(callbacks)
    for callback in callbacks:
        if not isinstance(callback, Callback):
            raise TypeError(f"tune: callbacks must be glassnet Callbacks (e.g. "
                            f"gn.callbacks.EarlyStopping), received {type(callback).__name__}")
    return callbacks


def _resolve_metric(metric, direction) -> tuple:
    """("val_<name>", "minimize"|"maximize"): the validation key and which way is better."""
    metric = "val_loss" if metric is None else metric
    if not isinstance(metric, str) or not metric:
        raise TypeError(f"tune: metric must be a log name such as 'val_loss' or "
                        f"'val_accuracy', received {metric!r}")
    if not metric.startswith("val_"):
        metric = "val_" + metric  # the score is always measured on the validation rows
    if direction is None:
        direction = "maximize" if _higher_is_better(None, metric) else "minimize"
    if direction not in _DIRECTIONS:
        raise ValueError(f"tune: direction must be 'minimize', 'maximize' or None (chosen from "
                         f"the metric), received {direction!r}")
    return metric, direction


def _open_study(optuna, storage, study_name, direction, metric, seed, pruner, load_if_exists):
    """Create the study, or load it to continue a search (checking it searches the same)."""
    if isinstance(storage, str) and "://" not in storage:
        raise ValueError(f"tune: storage must be a database URL such as 'sqlite:///tune.db' "
                         f"or 'postgresql://user:password@host/database', received "
                         f"{storage!r}")
    if study_name is not None and not isinstance(study_name, str):
        raise TypeError(f"tune: study_name must be a string or None, received {study_name!r}")
    pruner = optuna.pruners.MedianPruner() if pruner is None else pruner
    study = optuna.create_study(storage=storage, study_name=study_name, direction=direction,
                                pruner=pruner, load_if_exists=load_if_exists,
                                sampler=optuna.samplers.TPESampler(seed=seed))
    existing = study.user_attrs.get("metric")
    if existing is None:
        study.set_user_attr("metric", metric)
    elif existing != metric or study.direction.name.lower() != direction:
        raise ValueError(f"tune: the study {study.study_name!r} already optimises {existing!r} "
                         f"({study.direction.name.lower()}); received metric={metric!r} "
                         f"({direction}). Use another study_name for a different search")
    if seed is not None and study.trials:
        # a resumed search must not replay the random first proposals of the first run
        study.sampler = optuna.samplers.TPESampler(seed=seed + len(study.trials))
    return study


# ------------------------------------------------------------------------------------------
# the public function
# ------------------------------------------------------------------------------------------


def tune(build_fn, X, y, *, n_trials: int | None = 20, storage=None,
         study_name: str | None = None, direction: str | None = None,
         metric: str | None = None, epochs: int = 20, batch_size: int = 32,
         validation_split: float = 0.2, validation_data=None, timeout: float | None = None,
         seed: int | None = 0, load_if_exists: bool = True, verbose: int = 0,
         callbacks=None, pruner=None):
    """Search hyperparameters with Optuna: build, train and score one model per trial.

    ``build_fn(trial)`` builds and compiles a model, asking the trial for the settings to
    try, Keras-Tuner style::

        def build_fn(trial):
            units = trial.suggest_int("units", 8, 128, log=True)
            learning_rate = trial.suggest_float("learning_rate", 1e-4, 1e-1, log=True)
            model = gn.Sequential([nn.Dense(units, activation="relu"),
                                   nn.Dropout(trial.suggest_float("dropout", 0.0, 0.5)),
                                   nn.Dense(10, activation="softmax")])
            model.compile(optimizer=gn.optim.Adam(learning_rate=learning_rate),
                          loss="sparse_categorical_crossentropy", metrics=["accuracy"])
            return model

    With ``build_fn=None`` the search space of ``default_build_fn(X, y)`` is used: an MLP
    (learning rate, hidden layers and units, activation, dropout, batch size) that
    classifies integer labels or regresses float targets.

    Each trial seeds glassnet (``gn.seed(seed + trial.number)``), builds the model, fits it
    on the training rows for ``epochs`` epochs, and after every epoch reports the
    validation ``metric`` to Optuna; a trial the pruner judges hopeless is stopped there
    (and recorded as pruned). The trial's value is the best validation score over its
    epochs. If the trial suggested a parameter named "batch_size" or "epochs", fit uses it
    instead of the arguments. Per trial, ``trial.user_attrs`` keeps "history" (every
    logged number per epoch), "best_epoch" (from 0), "glassnet_seed", and
    "pruned_at_epoch" or "diverged" when the trial was cut short.

    Same seed, same data, same storage state: the same trials with the same scores.

    Args:
        build_fn: ``build_fn(trial)`` returning a compiled ``gn.Sequential``/``gn.Model``,
            or None for the default MLP search space.
        X: the features, (samples, features...).
        y: the targets, one per sample.
        n_trials: trials to run in this call (a resumed study keeps its earlier ones too).
            None: run until ``timeout``. Defaults to 20.
        storage: None (in memory), an Optuna database URL ("sqlite:///tune.db",
            "postgresql://user:password@host/database" for a study shared by several
            machines), or an ``optuna.storages`` object (e.g. ``RDBStorage(url,
            heartbeat_interval=60)`` to recover trials of a crashed worker).
        study_name: the study's name in the storage; reuse it to continue a search.
            None: a new, generated name.
        direction: "minimize" or "maximize"; None chooses from the metric (accuracy, auc,
            precision, recall, f1 and r2 go up, the rest goes down).
        metric: the validation number to optimise, with or without its "val_" prefix:
            "val_loss" (the default), "accuracy", "val_mae", ... The model must log it
            (compile it with that metric).
        epochs: training epochs per trial. Defaults to 20.
        batch_size: rows per gradient step. Defaults to 32.
        validation_split: the fraction of rows held out for scoring, drawn once (shuffled
            with ``seed``, stratified for class labels) and the same in every trial.
            Defaults to 0.2.
        validation_data: ``(X_val, y_val)`` to score on instead of a split of X.
        timeout: stop starting new trials after this many seconds (None: no limit).
        seed: seeds the sampler, the split and glassnet in each trial; None for a random
            search. Defaults to 0.
        load_if_exists: continue the study ``study_name`` if the storage has it (default
            True); False raises Optuna's DuplicatedStudyError instead.
        verbose: 0 silent (the default), 1 Optuna's line per trial, 2 also fit's line per
            epoch.
        callbacks: glassnet callbacks added to every fit (e.g. EarlyStopping).
        pruner: an ``optuna.pruners`` object. Defaults to ``MedianPruner()``: from the
            sixth trial on, stop a trial whose score after an epoch is worse than the
            median of the earlier trials after that epoch. ``optuna.pruners.NopPruner()``
            never prunes.

    Returns:
        The ``optuna.Study``: ``study.best_params``, ``study.best_value``,
        ``study.best_trial``, ``study.trials`` and ``study.trials_dataframe()`` (pandas).

    Raises:
        ImportError: optuna is missing (``pip install 'glassnet[tune]'``).
        ValueError / TypeError: bad arguments, with the value received; a metric the model
            does not log (after the first epoch, listing the logged names); resuming a study
            with another metric or direction.

    Example:
        >>> import glassnet as gn
        >>> from glassnet import nn
        >>> X, y = gn.data.make_moons(100, noise=0.1, random_state=0)
        >>> def build_fn(trial):
        ...     model = gn.Sequential([nn.Dense(trial.suggest_int("units", 4, 16),
        ...                                     activation="tanh"),
        ...                            nn.Dense(1, activation="sigmoid")])
        ...     learning_rate = trial.suggest_float("learning_rate", 1e-3, 1e-1, log=True)
        ...     model.compile(optimizer=gn.optim.Adam(learning_rate=learning_rate),
        ...                   loss="binary_crossentropy", metrics=["accuracy"])
        ...     return model
        >>> study = tune(build_fn, X, y, n_trials=2, epochs=2, metric="accuracy")
        >>> study.direction.name, sorted(study.best_params), len(study.trials)
        ('MAXIMIZE', ['learning_rate', 'units'], 2)
        >>> 0.0 <= study.best_value <= 1.0, len(study.best_trial.user_attrs["history"]["loss"])
        (True, 2)
    """
    optuna = _import_optuna()
    if build_fn is not None and not callable(build_fn):
        raise TypeError(f"tune: build_fn must be a function build_fn(trial) returning a "
                        f"compiled model, or None for the default search space; received "
                        f"{type(build_fn).__name__}")
    _check_counts(n_trials, timeout, epochs, batch_size, seed, verbose)
    metric, direction = _resolve_metric(metric, direction)
    data = _check_data(X, y, validation_split, validation_data, seed)
    if build_fn is None:
        build_fn = default_build_fn(X, y)
    settings = {"seed": seed, "metric": metric, "maximize": direction == "maximize",
                "epochs": epochs, "batch_size": batch_size, "callbacks": _check_callbacks(
                    callbacks), "fit_verbose": 2 if verbose == 2 else 0}
    verbosity = optuna.logging.get_verbosity()
    if verbose == 0:
        optuna.logging.set_verbosity(optuna.logging.WARNING)
    try:
        study = _open_study(optuna, storage, study_name, direction, metric, seed, pruner,
                            load_if_exists)
        study.optimize(_objective(optuna, build_fn, data, settings), n_trials=n_trials,
                       timeout=timeout)
    finally:
        optuna.logging.set_verbosity(verbosity)
    return study
