"""gn.tune: Optuna search over glassnet models (in memory and SQLite; PostgreSQL is the same
Optuna code path but needs a server, so it is not tested here)."""

import sys

import numpy as np
import pytest

import glassnet as gn
from glassnet import nn
from glassnet.tuning import default_build_fn, tune

optuna = pytest.importorskip("optuna")


@pytest.fixture(scope="module")
def moons():
    return gn.data.make_moons(200, noise=0.2, random_state=0)


def _build_moons(trial):
    """A small binary classifier whose width and learning rate are searched."""
    model = gn.Sequential([nn.Dense(trial.suggest_int("units", 4, 32, log=True),
                                    activation="tanh"),
                           nn.Dense(1, activation="sigmoid")])
    learning_rate = trial.suggest_float("learning_rate", 1e-3, 1e-1, log=True)
    model.compile(optimizer=gn.optim.Adam(learning_rate=learning_rate),
                  loss="binary_crossentropy", metrics=["accuracy"])
    return model


def _summary(study):
    return [(t.number, t.state.name, t.params, t.value, t.user_attrs) for t in study.trials]


class _Recorder(gn.callbacks.Callback):
    """Remembers the fit settings and the epochs it saw, over all trials."""

    def __init__(self):
        super().__init__()
        self.steps, self.epochs = [], 0

    def on_train_begin(self, logs=None):
        self.steps.append(self.params["steps"])

    def on_epoch_end(self, epoch, logs=None):
        self.epochs += 1


# ------------------------------------------------------------------------------------------
# searching
# ------------------------------------------------------------------------------------------


@pytest.mark.slow
def test_small_classification_search_finds_a_good_model(moons):
    X, y = moons
    study = tune(_build_moons, X, y, n_trials=4, epochs=15, metric="accuracy",
                 pruner=optuna.pruners.NopPruner())
    assert study.direction == optuna.study.StudyDirection.MAXIMIZE  # chosen from "accuracy"
    assert study.user_attrs["metric"] == "val_accuracy"
    assert [t.state.name for t in study.trials] == ["COMPLETE"] * 4
    assert sorted(study.best_params) == ["learning_rate", "units"]
    assert 4 <= study.best_params["units"] <= 32
    assert study.best_value >= 0.8  # a tanh MLP on noisy moons after 15 short epochs
    best = study.best_trial
    history = best.user_attrs["history"]
    assert sorted(history) == ["accuracy", "loss", "val_accuracy", "val_loss"]
    assert len(history["val_accuracy"]) == 15
    # the trial's value is its best validation score, at the epoch it records
    assert best.value == max(history["val_accuracy"])
    assert history["val_accuracy"][best.user_attrs["best_epoch"]] == best.value
    assert best.user_attrs["glassnet_seed"] == best.number  # seed 0 + trial number
    # every epoch was reported to Optuna, so the pruner could act on it
    assert list(best.intermediate_values) == list(range(15))


def test_default_search_space_for_classes(moons):
    Xb, yb = gn.data.make_blobs(120, centers=3, random_state=0)
    study = tune(None, Xb, yb, n_trials=3, epochs=2, metric="accuracy")
    assert len(study.trials) == 3 and study.best_value > 1 / 3
    params = study.best_params
    assert {"learning_rate", "n_layers", "activation", "dropout", "batch_size"} <= set(params)
    assert {f"units_{i}" for i in range(params["n_layers"])} <= set(params)
    assert 1e-4 <= params["learning_rate"] <= 1e-1
    assert params["activation"] in ("relu", "tanh", "elu") and 0 <= params["dropout"] <= 0.5
    # the best model is rebuilt from its parameters: three classes -> three softmax outputs
    model = default_build_fn(Xb, yb)(optuna.trial.FixedTrial(params))
    assert model[-1].units == 3 and model.output_activation_name == "softmax"
    assert model[0].units == params["units_0"] and model[0].activation_name == params[
        "activation"]
    # two classes -> one sigmoid output
    X, y = moons
    binary = default_build_fn(X, y)(optuna.trial.FixedTrial(params))
    assert binary[-1].units == 1 and binary.output_activation_name == "sigmoid"


def test_default_search_space_for_regression():
    X, y = gn.data.make_line(100, random_state=0)
    X = (X - 5.0) / 3.0
    study = tune(None, X, y, n_trials=3, epochs=2, metric="mae")
    assert study.direction == optuna.study.StudyDirection.MINIMIZE
    assert study.user_attrs["metric"] == "val_mae"
    assert all(np.isfinite(t.value) for t in study.trials)
    history = study.best_trial.user_attrs["history"]
    assert study.best_value == min(history["val_mae"])
    model = default_build_fn(X, y)(optuna.trial.FixedTrial(study.best_params))
    assert model[-1].units == 1 and model.output_activation_name == "linear"
    two_outputs = default_build_fn(X, np.stack([y, -y], axis=1))(
        optuna.trial.FixedTrial(study.best_params))
    assert two_outputs[-1].units == 2


def test_same_seed_gives_the_same_trials_and_scores(moons):
    X, y = moons
    first = tune(None, X, y, n_trials=3, epochs=2, seed=7)
    again = tune(None, X, y, n_trials=3, epochs=2, seed=7)
    other = tune(None, X, y, n_trials=3, epochs=2, seed=8)
    assert _summary(first) == _summary(again)  # params, values and histories, bit for bit
    assert [t.params for t in first.trials] != [t.params for t in other.trials]


# ------------------------------------------------------------------------------------------
# storage: SQLite keeps the study, and a second call continues it
# ------------------------------------------------------------------------------------------


def test_sqlite_storage_persists_and_resumes(moons, tmp_path):
    X, y = moons
    url = f"sqlite:///{tmp_path / 'tune.db'}"
    first = tune(_build_moons, X, y, n_trials=2, epochs=2, storage=url, study_name="moons")
    assert len(first.trials) == 2
    resumed = tune(_build_moons, X, y, n_trials=2, epochs=2, storage=url, study_name="moons")
    assert [t.number for t in resumed.trials] == [0, 1, 2, 3]  # 2 + 2 trials in one study
    stored = optuna.load_study(study_name="moons", storage=url)
    assert [t.params for t in stored.trials] == [t.params for t in resumed.trials]
    assert len(stored.trials[3].user_attrs["history"]["val_loss"]) == 2
    # the resumed run does not replay the first run's proposals
    assert stored.trials[2].params not in (stored.trials[0].params, stored.trials[1].params)
    assert stored.best_value == min(t.value for t in stored.trials)


def test_resuming_with_another_metric_is_refused(moons, tmp_path):
    X, y = moons
    url = f"sqlite:///{tmp_path / 'tune.db'}"
    tune(_build_moons, X, y, n_trials=1, epochs=1, storage=url, study_name="s")
    with pytest.raises(ValueError, match=r"the study 's' already optimises 'val_loss' "
                                         r"\(minimize\); received metric='val_accuracy' "
                                         r"\(maximize\)"):
        tune(_build_moons, X, y, n_trials=1, epochs=1, storage=url, study_name="s",
             metric="accuracy")
    with pytest.raises(optuna.exceptions.DuplicatedStudyError):
        tune(_build_moons, X, y, n_trials=1, epochs=1, storage=url, study_name="s",
             load_if_exists=False)


# ------------------------------------------------------------------------------------------
# pruning and failing trials
# ------------------------------------------------------------------------------------------


def test_a_hopeless_trial_is_pruned(moons):
    X, y = moons

    def build_fn(trial):
        # trials 0 and 1 learn; trial 2's learning rate is far too small to move
        learning_rate = 1e-7 if trial.number == 2 else 0.05
        model = gn.Sequential([nn.Dense(8, activation="tanh"),
                               nn.Dense(1, activation="sigmoid")])
        model.compile(optimizer=gn.optim.Adam(learning_rate=learning_rate),
                      loss="binary_crossentropy")
        return model

    pruner = optuna.pruners.MedianPruner(n_startup_trials=2, n_warmup_steps=1)
    study = tune(build_fn, X, y, n_trials=3, epochs=6, pruner=pruner)
    states = [t.state.name for t in study.trials]
    assert states == ["COMPLETE", "COMPLETE", "PRUNED"]
    bad = study.trials[2]
    assert bad.user_attrs["pruned_at_epoch"] == 1  # the first epoch after the warm-up
    assert len(bad.user_attrs["history"]["val_loss"]) == 2  # stopped: 2 of 6 epochs ran
    assert list(bad.intermediate_values) == [0, 1]
    assert study.best_trial.number in (0, 1)


def test_a_diverging_trial_is_pruned_with_the_reason():
    rng = np.random.default_rng(0)
    X = rng.normal(size=(40, 3)).astype(np.float32) * 100
    y = (X @ np.array([1.0, -2.0, 3.0])).astype(np.float32)

    def build_fn(trial):
        model = gn.Sequential([nn.Dense(1)])
        model.compile(optimizer=gn.optim.SGD(learning_rate=1e3), loss="mse")
        return model

    study = tune(build_fn, X, y, n_trials=1, epochs=6)  # the loss overflows in epoch 4
    trial = study.trials[0]
    assert trial.state.name == "PRUNED"
    assert "training diverged" in trial.user_attrs["diverged"]
    assert len(trial.user_attrs["history"]["loss"]) == 3  # the epochs that ended well


def test_metric_the_model_does_not_log_lists_the_logged_ones(moons):
    X, y = moons

    def build_fn(trial):
        model = gn.Sequential([nn.Dense(1, activation="sigmoid")])
        model.compile(optimizer="adam", loss="binary_crossentropy")
        return model

    with pytest.raises(ValueError, match=r"tune: metric 'val_auc' is not in the training logs; "
                                         r"available: loss, val_loss"):
        tune(build_fn, X, y, n_trials=1, epochs=2, metric="auc")


# ------------------------------------------------------------------------------------------
# fit settings: validation_data, a suggested batch size, callbacks, logging
# ------------------------------------------------------------------------------------------


def test_validation_data_is_what_is_scored(moons):
    X, y = moons
    study = tune(_build_moons, X, y, n_trials=1, epochs=10, metric="accuracy",
                 validation_data=(X, 1 - y))  # every label flipped
    history = study.trials[0].user_attrs["history"]
    assert history["accuracy"][-1] > 0.75 and history["val_accuracy"][-1] < 0.25
    assert study.trials[0].value == max(history["val_accuracy"])


def test_suggested_batch_size_and_epochs_override_the_arguments_and_callbacks_run(moons):
    X, y = moons  # 200 rows, 160 for training after validation_split=0.2

    def build_fn(trial):
        trial.suggest_categorical("batch_size", [80])
        trial.suggest_int("epochs", 3, 3)
        return _build_moons(trial)

    recorder = _Recorder()
    study = tune(build_fn, X, y, n_trials=2, epochs=1, batch_size=16, callbacks=[recorder])
    assert recorder.steps == [2, 2]  # 160 / 80 per epoch, not 160 / 16
    assert recorder.epochs == 6  # 3 suggested epochs x 2 trials
    assert len(study.trials[0].user_attrs["history"]["loss"]) == 3


def test_logging_is_silent_unless_verbose(moons, caplog):
    X, y = moons
    before = optuna.logging.get_verbosity()
    with caplog.at_level("INFO", logger="optuna"):
        tune(_build_moons, X, y, n_trials=1, epochs=1)
        assert "Trial 0 finished" not in caplog.text
        assert optuna.logging.get_verbosity() == before  # restored
        tune(_build_moons, X, y, n_trials=1, epochs=1, verbose=1)
        assert "Trial 0 finished" in caplog.text


# ------------------------------------------------------------------------------------------
# bad arguments: the exception type and a message with the value received
# ------------------------------------------------------------------------------------------


@pytest.mark.parametrize("kwargs, error, match", [
    ({"n_trials": 0}, ValueError, r"n_trials must be a positive integer or None, received 0"),
    ({"n_trials": None}, ValueError, r"give n_trials or timeout"),
    ({"epochs": 0}, ValueError, r"epochs must be a positive integer, received 0"),
    ({"batch_size": 2.5}, ValueError, r"batch_size must be a positive integer, received 2.5"),
    ({"timeout": -1}, ValueError, r"timeout must be a number of seconds > 0 or None, "
                                  r"received -1"),
    ({"validation_split": 1.0}, ValueError, r"validation_split must be a fraction in \(0, 1\)"),
    ({"validation_split": 0}, ValueError, r"validation_split must be a fraction"),
    ({"validation_data": [1, 2, 3]}, ValueError, r"validation_data must be a pair"),
    ({"direction": "up"}, ValueError, r"direction must be 'minimize', 'maximize' or None "
                                      r"\(chosen from the metric\), received 'up'"),
    ({"metric": 3}, TypeError, r"metric must be a log name .*received 3"),
    ({"verbose": 5}, ValueError, r"verbose must be 0 \(silent\), 1 .*received 5"),
    ({"seed": "a"}, TypeError, r"seed must be an int or None, received 'a'"),
    ({"storage": "tune.db"}, ValueError, r"storage must be a database URL such as "
                                         r"'sqlite:///tune.db'"),
    ({"study_name": 5}, TypeError, r"study_name must be a string or None, received 5"),
    ({"callbacks": [object()]}, TypeError, r"callbacks must be glassnet Callbacks"),
])
def test_bad_arguments(moons, kwargs, error, match):
    X, y = moons
    with pytest.raises(error, match=r"^tune: " + match):
        tune(_build_moons, X, y, **{"n_trials": 1, "epochs": 1, **kwargs})


@pytest.mark.parametrize("build_fn, X, y, error, match", [
    (42, np.zeros((4, 2)), np.zeros(4), TypeError, r"build_fn must be a function "
                                                   r"build_fn\(trial\) .*received int"),
    (None, np.zeros((4, 2)), np.zeros(3), ValueError, r"X must be \(samples, features...\) "
     r"with one target per sample in y; received X of shape \(4, 2\) and y of shape \(3,\)"),
    (None, np.zeros(4), np.zeros(4), ValueError, r"X must be .*received X of shape \(4,\)"),
    (None, np.zeros((4, 2)), None, ValueError, r"y is None"),
    (None, np.zeros((10, 2, 2)), np.zeros(10), ValueError, r"the default search space builds "
     r"an MLP, which needs 2-D X \(samples, features\); received shape \(10, 2, 2\)"),
    (None, np.zeros((10, 2)), np.array([0, 1, -1, 0, 1, 0, 1, 0, 1, 0]), ValueError,
     r"class labels must be integers from 0, received a minimum of -1"),
])
def test_bad_data_and_build_fn(build_fn, X, y, error, match):
    with pytest.raises(error, match=r"^tune: " + match):
        tune(build_fn, X, y, n_trials=1, epochs=1)


def test_build_fn_must_return_a_trainable_model(moons):
    X, y = moons
    with pytest.raises(TypeError, match=r"build_fn must return a compiled glassnet model "
                                        r"\(gn.Sequential or gn.Model\), returned Linear"):
        tune(lambda trial: nn.Linear(2, 1), X, y, n_trials=1, epochs=1)


def test_missing_optuna_names_the_extra(moons, monkeypatch):
    X, y = moons
    monkeypatch.setitem(sys.modules, "optuna", None)  # makes `import optuna` raise ImportError
    with pytest.raises(ImportError, match=r"tune needs the optuna package: "
                                          r"pip install 'glassnet\[tune\]'"):
        tune(None, X, y, n_trials=1)
