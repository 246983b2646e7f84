"""Callbacks: Keras semantics on scripted logs, and inside real ``fit`` calls."""

import os
import warnings

import numpy as np
import pytest

import glassnet as gn
from glassnet import nn
from glassnet.optim.sgd import SGD
from glassnet.training import (
    Callback,
    CSVLogger,
    EarlyStopping,
    History,
    LambdaCallback,
    LearningRateScheduler,
    Model,
    ModelCheckpoint,
    ReduceLROnPlateau,
)


class ScriptedModel:
    """A stand-in for Model: weights are the epoch number, so restores are visible."""

    def __init__(self):
        self.stop_training = False
        self.weights = [np.array(-1.0)]
        self.restored = None
        self.compiled_metrics = []
        self.optimizer = SGD([gn.ones(1, requires_grad=True)], lr=1.0)

    def get_weights(self):
        return [w.copy() for w in self.weights]

    def set_weights(self, weights):
        self.restored = [w.copy() for w in weights]
        self.weights = weights


def run_scripted(callback, values, monitor="val_loss"):
    """Drive a callback like the fit loop does; returns the number of epochs run."""
    model = ScriptedModel()
    callback.set_model(model)
    callback.on_train_begin()
    epochs = 0
    for epoch, value in enumerate(values):
        model.weights = [np.array(float(epoch))]
        callback.on_epoch_end(epoch, {monitor: value})
        epochs += 1
        if model.stop_training:
            break
    callback.on_train_end()
    return epochs, model


# ------------------------------------------------------------------------ EarlyStopping


def test_early_stopping_counts_patience_like_keras():
    # epoch 0 best 1.0; epoch 1 best 0.9; epochs 2 and 3 do not improve -> stop at epoch 3
    stop = EarlyStopping(patience=2)
    epochs, _ = run_scripted(stop, [1.0, 0.9, 0.95, 0.92, 0.8])
    assert epochs == 4
    assert (stop.stopped_epoch, stop.best, stop.best_epoch, stop.wait) == (3, 0.9, 1, 2)


def test_early_stopping_patience_zero_stops_at_first_non_improvement_but_never_at_epoch_0():
    epochs, _ = run_scripted(EarlyStopping(patience=0), [1.0, 1.0, 0.5])
    assert epochs == 2


def test_early_stopping_min_delta():
    # 1.0 -> 0.97 is an improvement of 0.03 < min_delta: counts as no improvement
    epochs, _ = run_scripted(EarlyStopping(min_delta=0.05, patience=1), [1.0, 0.97, 0.5])
    assert epochs == 2
    # 1.0 -> 0.97 improves by more than 0.01, 0.97 -> 0.965 does not: stop at epoch 2
    epochs, _ = run_scripted(EarlyStopping(min_delta=0.01, patience=1), [1.0, 0.97, 0.965, 0.9])
    assert epochs == 3


def test_early_stopping_baseline_only_resets_wait_when_beaten():
    values = [1.0, 0.9, 0.95, 0.94, 0.93]
    # without baseline: epoch 2 and 3 wait, epoch 3 stops (patience 2)
    assert run_scripted(EarlyStopping(patience=2), values)[0] == 4
    # baseline 0.5 is never beaten: the wait counter is never reset; epoch 2 stops
    stop = EarlyStopping(patience=2, baseline=0.5)
    assert run_scripted(stop, values)[0] == 3
    assert stop.best == 0.9


def test_early_stopping_mode_auto_maximises_accuracy_names():
    stop = EarlyStopping(monitor="val_accuracy", patience=1)
    epochs, _ = run_scripted(stop, [0.5, 0.7, 0.6, 0.9], monitor="val_accuracy")
    assert epochs == 3 and stop.best == 0.7
    stop = EarlyStopping(monitor="val_accuracy", patience=1, mode="min")
    assert run_scripted(stop, [0.5, 0.7, 0.6], monitor="val_accuracy")[0] == 2


def test_early_stopping_start_from_epoch_ignores_the_warm_up():
    stop = EarlyStopping(monitor="loss", patience=0, start_from_epoch=2)
    epochs, _ = run_scripted(stop, [1.0, 2.0, 3.0, 4.0, 5.0], monitor="loss")
    assert epochs == 4 and stop.best == 3.0


def test_early_stopping_restores_best_weights_at_the_end_even_without_stopping():
    stop = EarlyStopping(patience=10, restore_best_weights=True)
    epochs, model = run_scripted(stop, [1.0, 0.4, 0.6, 0.5])
    assert epochs == 4 and stop.stopped_epoch == 0
    assert model.restored[0] == 1.0  # the weights of epoch 1 (val_loss 0.4)


def test_early_stopping_state_is_reset_by_on_train_begin():
    stop = EarlyStopping(patience=0)
    run_scripted(stop, [1.0, 2.0])
    assert stop.stopped_epoch == 1
    assert run_scripted(stop, [1.0, 0.5, 0.25])[0] == 3
    assert stop.stopped_epoch == 0 and stop.best == 0.25


def test_early_stopping_warns_with_the_available_keys_when_the_monitor_is_missing():
    stop = EarlyStopping(monitor="val_loss")
    stop.set_model(ScriptedModel())
    stop.on_train_begin()
    with pytest.warns(UserWarning, match=r"'val_loss'.*Available keys: loss, accuracy.*"
                                         r"validation_data"):
        stop.on_epoch_end(0, {"loss": 0.3, "accuracy": 0.9})
    assert not stop.model.stop_training


def test_early_stopping_rejects_bad_settings():
    with pytest.raises(ValueError, match="mode must be 'auto', 'min' or 'max'"):
        EarlyStopping(mode="maximum")
    with pytest.raises(ValueError, match="patience and start_from_epoch must be >= 0"):
        EarlyStopping(patience=-1)


def test_restore_best_weights_makes_evaluate_equal_the_best_val_loss():
    gn.seed(3)
    rng = np.random.default_rng(3)
    X = rng.normal(size=(120, 4)).astype(np.float32)
    y = (X @ np.array([1.0, -2.0, 0.5, 0.0]) + rng.normal(scale=0.5, size=120)).astype(np.float32)
    X_val, y_val = X[90:], y[90:]
    model = nn.Sequential([nn.Dense(8, activation="tanh"), nn.Dense(1)])
    model.compile(optimizer=SGD(learning_rate=0.3), loss="mse")  # noisy on purpose
    stop = EarlyStopping(patience=100, restore_best_weights=True)
    history = model.fit(X[:90], y[:90], epochs=25, batch_size=8, verbose=0,
                        validation_data=(X_val, y_val), callbacks=[stop])
    val_losses = history.history["val_loss"]
    best = int(np.argmin(val_losses))
    assert best != len(val_losses) - 1  # otherwise the test proves nothing
    assert stop.best_epoch == best
    assert model.evaluate(X_val, y_val, batch_size=8, verbose=0) == pytest.approx(
        val_losses[best], abs=1e-6)


def test_early_stopping_inside_fit_runs_patience_plus_one_epochs():
    # the loss is exactly 0 from the start, so no epoch improves on epoch 0
    layer = nn.Linear(2, 1)
    nn.init.zeros_(layer.weight)
    nn.init.zeros_(layer.bias)
    model = Model(layer)
    model.compile(optimizer="sgd", loss="mse")
    history = model.fit(np.ones((6, 2)), np.zeros(6), epochs=20, verbose=0,
                        callbacks=[EarlyStopping(monitor="loss", patience=2)])
    assert len(history.history["loss"]) == 3
    assert history.epoch == [0, 1, 2]


# ------------------------------------------------------------------------ learning rate


def test_reduce_lr_on_plateau_semantics():
    callback = ReduceLROnPlateau(monitor="loss", factor=0.5, patience=2, min_delta=0)
    model = ScriptedModel()
    callback.set_model(model)
    callback.on_train_begin()
    logged = []
    for epoch, value in enumerate([1.0, 1.0, 1.0, 1.0, 0.5, 0.5, 0.5]):
        logs = {"loss": value}
        callback.on_epoch_end(epoch, logs)
        logged.append(logs["learning_rate"])
    # epoch 2: two epochs without improvement -> 0.5; epoch 4 improves; epoch 6 -> 0.25
    assert logged == [1.0, 1.0, 1.0, 0.5, 0.5, 0.5, 0.5]
    assert model.optimizer.lr == 0.25


def test_reduce_lr_on_plateau_cooldown_and_min_lr():
    callback = ReduceLROnPlateau(monitor="loss", factor=0.1, patience=1, cooldown=2,
                                 min_lr=0.05)
    model = ScriptedModel()
    callback.set_model(model)
    callback.on_train_begin()
    rates = []
    for epoch in range(6):
        callback.on_epoch_end(epoch, {"loss": 1.0})
        rates.append(model.optimizer.lr)
    # epoch 1 reduces 1.0 -> 0.1 and starts a cooldown of 2; epoch 2 is in the cooldown; in
    # epoch 3 the counter reaches 0, so it counts again (Keras): max(0.1 * 0.1, min_lr) = 0.05
    assert rates == pytest.approx([1.0, 0.1, 0.1, 0.05, 0.05, 0.05])
    with pytest.raises(ValueError, match=r"factor must be in \(0, 1\), received 1.5"):
        ReduceLROnPlateau(factor=1.5)


def test_learning_rate_scheduler_sets_the_optimizer_rate_each_epoch():
    model = Model(nn.Linear(1, 1, rng=0))
    model.compile(optimizer=SGD(learning_rate=0.1), loss="mse")
    seen = []
    schedule = LearningRateScheduler(lambda epoch, lr: 0.1 * 0.5 ** epoch)
    spy = LambdaCallback(on_epoch_begin=lambda epoch, logs: seen.append(model.optimizer.lr))
    history = model.fit(np.ones((4, 1)), np.ones(4), epochs=3, verbose=0,
                        callbacks=[schedule, spy])
    assert seen == pytest.approx([0.1, 0.05, 0.025])
    assert history.history["learning_rate"] == pytest.approx([0.1, 0.05, 0.025])
    bad = LearningRateScheduler(lambda epoch, lr: None)
    with pytest.raises(ValueError, match="the schedule must return a finite number"):
        model.fit(np.ones((4, 1)), np.ones(4), epochs=1, verbose=0, callbacks=[bad])


# ------------------------------------------------------------------------ checkpoints, logs


def _weights_in(path, like):
    other = Model(nn.Linear(2, 1, rng=99))
    other.load_weights(path)
    return other.get_weights()[0]


def test_model_checkpoint_save_best_only(tmp_path):
    model = Model(nn.Linear(2, 1, rng=0))
    path = str(tmp_path / "best.safetensors")
    saver = ModelCheckpoint(path, monitor="val_loss", save_best_only=True, save_weights_only=True)
    saver.set_model(model)
    saver.on_train_begin()
    first = model.get_weights()[0]
    saver.on_epoch_end(0, {"val_loss": 1.0})
    model.module.weight.data += 1.0                    # worse epoch: not saved
    saver.on_epoch_end(1, {"val_loss": 2.0})
    np.testing.assert_array_equal(_weights_in(path, model), first)
    model.module.weight.data += 1.0                    # better epoch: saved
    saver.on_epoch_end(2, {"val_loss": 0.5})
    np.testing.assert_array_equal(_weights_in(path, model), first + 2.0)
    assert saver.best == 0.5


def test_model_checkpoint_formats_the_filepath_and_saves_every_epoch(tmp_path):
    layer = nn.Linear(2, 1)
    nn.init.zeros_(layer.weight)
    nn.init.zeros_(layer.bias)
    model = Model(layer)  # zero weights, zero targets: the loss stays 0.0
    model.compile(optimizer="sgd", loss="mse")
    pattern = str(tmp_path / "ckpt" / "w-{epoch:02d}-{loss:.1f}.safetensors")
    saver = ModelCheckpoint(pattern, save_weights_only=True)
    model.fit(np.zeros((4, 2)), np.zeros(4), epochs=2, verbose=0, callbacks=[saver])
    assert sorted(os.listdir(tmp_path / "ckpt")) == ["w-01-0.0.safetensors",
                                                     "w-02-0.0.safetensors"]
    missing = ModelCheckpoint(str(tmp_path / "{val_accuracy}.safetensors"),
                              save_weights_only=True)
    with pytest.raises(KeyError, match="no value for 'val_accuracy'; available: epoch, loss"):
        model.fit(np.zeros((4, 2)), np.zeros(4), epochs=1, verbose=0, callbacks=[missing])


def test_model_checkpoint_save_freq_in_batches(tmp_path):
    model = Model(nn.Linear(2, 1, rng=0))
    model.compile(optimizer="sgd", loss="mse")
    saver = ModelCheckpoint(str(tmp_path / "b{epoch}-{batch}.safetensors"),
                            save_weights_only=True, save_freq=3)
    model.fit(np.zeros((10, 2)), np.zeros(10), batch_size=2, epochs=2, verbose=0,
              callbacks=[saver])
    # 5 batches per epoch, every third batch overall: batches 3 (epoch 1), 1 and 4 (epoch 2)
    assert sorted(os.listdir(tmp_path)) == ["b1-3.safetensors", "b2-1.safetensors",
                                            "b2-4.safetensors"]
    with pytest.raises(ValueError, match="save_freq must be 'epoch' or a positive number"):
        ModelCheckpoint("x", save_freq="batch")


def test_csv_logger_writes_one_row_per_epoch_and_appends(tmp_path):
    path = tmp_path / "log.csv"
    model = Model(nn.Linear(2, 1, rng=0))
    model.compile(optimizer="sgd", loss="mse", metrics=["mae"])
    X, y = np.ones((4, 2)), np.ones(4)
    model.fit(X, y, epochs=2, verbose=0, callbacks=[CSVLogger(path)])
    model.fit(X, y, epochs=1, verbose=0, callbacks=[CSVLogger(path, separator=";",
                                                              append=True)])
    lines = path.read_text().strip().splitlines()
    assert lines[0] == "epoch,loss,mae"
    assert len(lines) == 4 and lines[1].startswith("0,") and lines[3].startswith("0;")


def test_lambda_callback_and_batch_logs():
    events = []
    callback = LambdaCallback(
        on_train_begin=lambda logs: events.append("begin"),
        on_epoch_end=lambda epoch, logs: events.append(("epoch", epoch, sorted(logs))),
        on_train_batch_end=lambda batch, logs: events.append(("batch", batch, sorted(logs))),
        on_train_end=lambda logs: events.append("end"),
    )
    model = Model(nn.Linear(2, 1, rng=0))
    model.compile(optimizer="sgd", loss="mse", metrics=["mae"])
    model.fit(np.ones((3, 2)), np.ones(3), batch_size=2, epochs=1, verbose=0,
              callbacks=[callback])
    assert events == ["begin", ("batch", 0, ["loss", "mae"]), ("batch", 1, ["loss", "mae"]),
                      ("epoch", 0, ["loss", "mae"]), "end"]
    with pytest.raises(TypeError, match="unknown hook 'on_epoch_finish'"):
        LambdaCallback(on_epoch_finish=print)


def test_a_callback_can_stop_training_mid_epoch():
    class StopAtBatch2(Callback):
        def on_train_batch_end(self, batch, logs=None):
            if batch == 2:
                self.model.stop_training = True

    model = Model(nn.Linear(2, 1, rng=0))
    model.compile(optimizer="sgd", loss="mse")
    history = model.fit(np.ones((10, 2)), np.ones(10), batch_size=2, epochs=5, verbose=0,
                        validation_split=0.2, callbacks=[StopAtBatch2()])
    # the epoch is finished (validation, on_epoch_end), then training stops
    assert history.epoch == [0] and "val_loss" in history.history


def test_history_records_every_key_and_is_set_on_the_model():
    gn.seed(0)
    model = nn.Sequential([nn.Dense(3, activation="softmax")])
    model.compile(optimizer="adam", loss="sparse_categorical_crossentropy",
                  metrics=["accuracy", "precision"])
    X = np.random.default_rng(0).normal(size=(20, 4))
    y = np.arange(20) % 3
    history = model.fit(X, y, epochs=3, validation_split=0.25, verbose=0)
    assert isinstance(history, History)
    assert set(history.history) == {"loss", "accuracy", "precision", "val_loss",
                                    "val_accuracy", "val_precision"}
    assert all(len(values) == 3 for values in history.history.values())
    assert all(isinstance(v, float) for v in history.history["val_accuracy"])
    assert history.epoch == [0, 1, 2] and model.history is history


def test_callbacks_must_be_callback_instances():
    model = Model(nn.Linear(2, 1, rng=0))
    model.compile(optimizer="sgd", loss="mse")
    with pytest.raises(TypeError, match="callbacks must be Callback instances"):
        model.fit(np.ones((2, 2)), np.ones(2), verbose=0, callbacks=[print])


def test_initial_epoch_numbers_epochs_from_there():
    model = Model(nn.Linear(2, 1, rng=0))
    model.compile(optimizer="sgd", loss="mse")
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        history = model.fit(np.ones((2, 2)), np.ones(2), epochs=5, initial_epoch=3, verbose=0)
    assert history.epoch == [3, 4]


def test_model_checkpoint_full_save_resumes_training_exactly(tmp_path):
    from glassnet.io.serialization import load

    X, y = np.random.default_rng(0).normal(size=(12, 3)), np.arange(12) % 2

    def fresh():
        gn.seed(4)
        model = nn.Sequential([nn.Dense(5, activation="relu", input_dim=3),
                               nn.Dense(1, activation="sigmoid")])
        model.compile(optimizer="adam", loss="binary_crossentropy", metrics=["accuracy"])
        return model

    straight = fresh()
    straight.fit(X, y, epochs=4, batch_size=4, shuffle=False, verbose=0)
    path = str(tmp_path / "ckpt.glassnet")
    first = fresh()
    first.fit(X, y, epochs=2, batch_size=4, shuffle=False, verbose=0,
              callbacks=[ModelCheckpoint(path, monitor="loss")])
    resumed = load(path)                            # weights, compile and optimizer state
    np.testing.assert_array_equal(resumed.predict(X), first.predict(X))
    resumed.fit(X, y, epochs=4, initial_epoch=2, batch_size=4, shuffle=False, verbose=0)
    for a, b in zip(resumed.get_weights(), straight.get_weights()):
        np.testing.assert_array_equal(a, b)
