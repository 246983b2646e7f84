"""The Keras-style Model: fit/evaluate/predict behaviour, exact numbers, bad input, output."""

import math
import re

import numpy as np
import pytest

import glassnet as gn
import glassnet.functional as F
from glassnet import nn
from glassnet.exceptions import NotFittedError
from glassnet.optim.adam import Adam
from glassnet.optim.rmsprop import RMSprop
from glassnet.optim.sgd import SGD
from glassnet.training import (
    LambdaCallback,
    LearningRateScheduler,
    Model,
    TerminateOnNaN,
    TrainingDivergedError,
)


def zero_linear(in_features=1, out_features=1):
    layer = nn.Linear(in_features, out_features)
    nn.init.zeros_(layer.weight)
    nn.init.zeros_(layer.bias)
    return layer


def regression_data(n=64, features=3, seed=0):
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(n, features)).astype(np.float32)
    y = (X @ np.arange(1, features + 1) + 0.1 * rng.normal(size=n)).astype(np.float32)
    return X, y


class Recorder(nn.Module):
    """Wraps a layer and records the rows it sees, separately in train and eval mode."""

    def __init__(self, layer):
        super().__init__()
        self.layer = layer
        self.seen = {True: [], False: []}

    def forward(self, x):
        self.seen[self.training].append(np.array(x.data))
        return self.layer(x)


# ------------------------------------------------------------------------ compile


def test_compile_names_and_defaults_follow_keras():
    model = Model(nn.Linear(2, 1, rng=0))
    model.compile(optimizer="adam", loss="mean_squared_error")
    assert isinstance(model.optimizer, Adam) and model.optimizer.lr == 1e-3
    model.compile(optimizer="sgd", loss="mse")
    assert model.optimizer.lr == 0.01
    model.compile(loss="mae")                       # Keras's default optimizer
    assert isinstance(model.optimizer, RMSprop) and model.optimizer.lr == 1e-3


@pytest.mark.parametrize("kwargs, error, message", [
    ({"optimizer": "adamax", "loss": "mse"}, ValueError,
     r"Unknown optimizer 'adamax'\. Valid names: adagrad, adam, adamw, rmsprop, sgd"),
    ({"loss": "mean_sqared_error"}, ValueError,
     r"Unknown loss 'mean_sqared_error'\. Valid names: .*binary_crossentropy.*mse.*"
     r"sparse_categorical_crossentropy"),
    ({"loss": "mse", "metrics": ["acuracy"]}, ValueError,
     r"Unknown metric 'acuracy'\. Valid names: .*accuracy"),
    ({"optimizer": 0.1, "loss": "mse"}, TypeError, "optimizer must be a name"),
    ({"loss": 3}, TypeError, "loss must be a name"),
    ({"loss": "mse", "loss_weights": [1.0, 2.0]}, ValueError, "loss_weights must be a number"),
])
def test_compile_rejects_unknown_names_listing_the_valid_ones(kwargs, error, message):
    with pytest.raises(error, match=message):
        Model(nn.Linear(2, 1)).compile(**kwargs)


def test_loss_names_in_both_conventions_and_keras_class_names():
    from glassnet.training import losses

    assert losses.get("MSE") is losses.get("mean_squared_error")
    assert losses.get("BinaryCrossentropy") is losses.get("binary_cross_entropy")
    assert losses.get("SparseCategoricalCrossentropy").name == "sparse_categorical_crossentropy"
    assert losses.get("cross_entropy").fused_activation == "softmax"
    assert losses.get("huber").fused_activation is None


def test_keras_style_optimizer_without_parameters_is_bound_on_the_first_fit():
    gn.seed(0)
    model = nn.Sequential([nn.Dense(4, activation="relu"), nn.Dense(1)])  # nothing built yet
    optimizer = SGD(learning_rate=0.05)
    model.compile(optimizer=optimizer, loss="mse")
    X, y = regression_data()
    history = model.fit(X, y, epochs=3, verbose=0)
    assert model._keras().optimizer is optimizer
    assert sum(len(g["params"]) for g in optimizer.param_groups) == 4
    assert history.history["loss"][-1] < history.history["loss"][0]


def test_fit_before_compile_and_predict_before_build_are_clear():
    model = Model(nn.Sequential([nn.Dense(2)]))
    with pytest.raises(RuntimeError, match=r"you must call compile\(optimizer=..., loss=...\)"):
        model.fit(np.ones((2, 2)), np.ones(2))
    with pytest.raises(NotFittedError, match="this model has not yet been built"):
        model.predict(np.ones((2, 2)))
    model.compile(loss="mse")
    with pytest.raises(NotFittedError, match="has not yet been built.*input_shape"):
        model.evaluate(np.ones((2, 2)), np.ones((2, 2)))
    with pytest.raises(NotFittedError, match="has not yet been built"):
        model.summary()


# ------------------------------------------------------------------------ exact numbers


def test_sample_weight_gives_keras_sum_over_batch_size():
    model = Model(zero_linear())                     # predicts 0 for everything
    model.compile(optimizer="sgd", loss="mse")
    X, y = np.zeros((2, 1)), np.array([1.0, 2.0])    # squared errors 1 and 4
    assert model.evaluate(X, y, verbose=0) == pytest.approx(2.5)
    # (1 * 1 + 3 * 4) / 2 samples
    assert model.evaluate(X, y, sample_weight=np.array([1.0, 3.0]), verbose=0) == \
        pytest.approx(6.5)
    assert model.train_on_batch(X, y, sample_weight=[1.0, 3.0]) == pytest.approx(6.5)


def test_class_weight_weights_each_sample_by_its_class():
    layer = nn.Dense(1, activation="sigmoid", input_dim=2)
    nn.init.zeros_(layer.weight)
    nn.init.zeros_(layer.bias)                       # p = 0.5: every sample costs ln 2
    model = Model(layer)
    model.compile(optimizer="sgd", loss="binary_crossentropy")
    X, y = np.zeros((3, 2)), np.array([0, 1, 1])
    loss = model.train_on_batch(X, y, class_weight={0: 1.0, 1: 3.0})
    assert loss == pytest.approx((1 + 3 + 3) * math.log(2) / 3, rel=1e-6)
    # combined with sample_weight, the weights multiply
    nn.init.zeros_(layer.weight)
    nn.init.zeros_(layer.bias)
    loss = model.train_on_batch(X, y, class_weight={1: 3.0}, sample_weight=[2.0, 1.0, 0.0])
    assert loss == pytest.approx((2 + 3) * math.log(2) / 3, rel=1e-6)


def test_sample_weight_works_with_loss_modules_and_functions_returning_per_sample_losses():
    X, y, w = np.zeros((2, 1)), np.array([1.0, 2.0]), np.array([1.0, 3.0])
    model = Model(zero_linear())
    model.compile(optimizer="sgd", loss=nn.MSELoss())
    assert model.evaluate(X, y, sample_weight=w, verbose=0) == pytest.approx(6.5)
    model.compile(optimizer="sgd", loss=lambda p, t: ((p - t) ** 2).mean(axis=1))
    assert model.evaluate(X, y, sample_weight=w, verbose=0) == pytest.approx(6.5)
    model.compile(optimizer="sgd", loss=lambda p, t: ((p - t) ** 2).mean())
    with pytest.raises(ValueError, match="need one loss value per sample"):
        model.evaluate(X, y, sample_weight=w, verbose=0)


def test_loss_weights_and_regularization_are_part_of_the_loss():
    layer = nn.Dense(2, use_bias=False, input_dim=2, kernel_regularizer=nn.regularizers.L2(0.1))
    layer.weight.data[...] = [[1.0, 2.0], [3.0, 4.0]]
    model = Model(layer)
    model.compile(optimizer="sgd", loss="mse", loss_weights=2.0)
    # zero inputs and targets: the data loss is 0; the penalty is 0.1 * (1 + 4 + 9 + 16)
    assert model.evaluate(np.zeros((3, 2)), np.zeros((3, 2)), verbose=0) == pytest.approx(3.0)
    model.compile(optimizer="sgd", loss="mse", loss_weights=2.0)
    X = np.ones((1, 2))                              # outputs [4, 6], squared errors 16, 36
    assert model.evaluate(X, np.zeros((1, 2)), verbose=0) == pytest.approx(2 * 26 + 3.0)


def test_evaluate_returns_a_float_a_list_or_a_dict():
    model = Model(zero_linear())
    model.compile(optimizer="sgd", loss="mse")
    X, y = np.zeros((2, 1)), np.array([1.0, 3.0])
    loss = model.evaluate(X, y, verbose=0)
    assert isinstance(loss, float) and loss == 5.0
    model.compile(optimizer="sgd", loss="mse", metrics=["mae", "rmse"])
    assert model.evaluate(X, y, verbose=0) == pytest.approx([5.0, 2.0, math.sqrt(5.0)])
    logs = model.evaluate(X, y, verbose=0, return_dict=True)
    assert list(logs) == ["loss", "mae", "rmse"] and all(isinstance(v, float)
                                                         for v in logs.values())
    assert model.test_on_batch(X, y) == pytest.approx([5.0, 2.0, math.sqrt(5.0)])


def test_epoch_loss_is_over_samples_not_a_mean_of_batch_means():
    layer = zero_linear()
    model = Model(layer)
    model.compile(optimizer="sgd", loss="mse")
    X, y = np.zeros((3, 1)), np.array([1.0, 1.0, 4.0])
    # batches of 2 and 1: per-sample losses 1, 1, 16 -> (1 + 1 + 16) / 3 = 6 (not 8.5)
    assert model.evaluate(X, y, batch_size=2, verbose=0) == pytest.approx(6.0)


# ------------------------------------------------------------------------ fusion


def _sigmoid_pair(weight, bias):
    """The same model ending in a sigmoid, trained fused and unfused."""
    fused = nn.Sequential([nn.Dense(1, activation="sigmoid", input_dim=2)])
    plain = nn.Sequential([nn.Linear(2, 1), nn.Sigmoid()])
    for layer in (fused[0], plain[0]):
        layer.weight.data[...] = weight
        layer.bias.data[...] = bias
    fused.compile(optimizer=SGD(fused.parameters(), lr=0.1), loss="binary_crossentropy")
    plain.compile(optimizer=SGD(plain.parameters(), lr=0.1),
                  loss=lambda p, t: F.binary_cross_entropy(p, t))
    return fused, plain


def test_fused_and_unfused_binary_cross_entropy_agree_on_moderate_logits():
    rng = np.random.default_rng(0)
    X, y = rng.normal(size=(16, 2)), rng.integers(0, 2, 16)
    fused, plain = _sigmoid_pair([[1.5], [-2.0]], [0.3])
    assert fused.evaluate(X, y, verbose=0) == pytest.approx(plain.evaluate(X, y, verbose=0),
                                                            rel=1e-5)
    fused.fit(X, y, epochs=2, batch_size=4, shuffle=False, verbose=0)
    plain.fit(X, y, epochs=2, batch_size=4, shuffle=False, verbose=0)
    np.testing.assert_allclose(fused.get_weights()[0], plain.get_weights()[0], rtol=1e-4)
    probabilities = fused.predict(X)                  # still probabilities
    np.testing.assert_allclose(probabilities, plain.predict(X), rtol=1e-5)
    assert probabilities.min() > 0 and probabilities.max() < 1


def test_fused_binary_cross_entropy_stays_finite_when_the_sigmoid_saturates():
    X, y = np.array([[1.0, 1.0], [-1.0, -1.0]]), np.array([0, 1])
    fused, _ = _sigmoid_pair([[50.0], [50.0]], [0.0])  # logits +-100, both wrong
    p = fused.predict(X)[:, 0]
    assert p[0] == 1.0 and p[1] < 1e-40                # saturated: log(1 - p) is -inf
    loss = fused.train_on_batch(X, y)
    assert loss == pytest.approx(100.0, rel=1e-5)      # -log sigmoid(-100) = 100
    weights = fused.get_weights()
    assert all(np.isfinite(w).all() for w in weights)
    assert weights[0][0, 0] < 50.0                     # a real gradient step happened


@pytest.mark.parametrize("loss", ["sparse_categorical_crossentropy", "categorical_crossentropy",
                                  "cross_entropy"])
def test_fused_softmax_cross_entropy_matches_and_survives_extreme_logits(loss):
    rng = np.random.default_rng(1)
    X, labels = rng.normal(size=(8, 3)), rng.integers(0, 4, 8)
    y = np.eye(4)[labels] if loss == "categorical_crossentropy" else labels
    fused = nn.Sequential([nn.Dense(4, activation="softmax", input_dim=3, rng=0)])
    plain = nn.Sequential([nn.Linear(3, 4), nn.Softmax()])
    plain[0].weight.data[...] = fused[0].weight.data
    plain[0].bias.data[...] = fused[0].bias.data
    fused.compile(optimizer="sgd", loss=loss)

    def unfused(p, t):
        return -(p.log() * gn.tensor(np.eye(4)[labels])).sum(axis=1).mean()

    plain.compile(optimizer="sgd", loss=unfused)
    assert fused.evaluate(X, y, verbose=0) == pytest.approx(plain.evaluate(X, labels,
                                                                           verbose=0), rel=1e-5)
    fused[0].weight.data *= 1e4                         # logits of order 1e4
    value = fused.train_on_batch(X, y)
    assert np.isfinite(value) and value > 100
    assert all(np.isfinite(w).all() for w in fused.get_weights())


def test_no_fusion_for_a_custom_forward_or_a_non_matching_loss():
    model = Model(nn.Sequential([nn.Dense(1, activation="sigmoid", input_dim=2)]))
    model.compile(loss="binary_crossentropy")
    assert model._output_head()[0] == "sigmoid"
    model.compile(loss="mse")
    assert model._output_head() == (None, None)
    model.compile(loss="bce_with_logits")
    assert model._output_head() == (None, None)
    model.compile(loss=nn.BCELoss())
    assert model._output_head()[0] == "sigmoid"


# ------------------------------------------------------------------------ data handling


def test_validation_split_holds_out_the_last_rows_before_shuffling():
    X = np.arange(20, dtype=np.float32).reshape(10, 2)
    y = np.arange(10, dtype=np.float32)
    recorder = Recorder(nn.Linear(2, 1, rng=0))
    model = Model(recorder)
    model.compile(optimizer=SGD(learning_rate=1e-4), loss="mse")
    history = model.fit(X, y, epochs=1, batch_size=3, validation_split=0.3, verbose=0)
    trained = np.concatenate(recorder.seen[True])
    validated = np.concatenate([rows for rows in recorder.seen[False] if len(rows) > 1])
    assert sorted(trained[:, 0].tolist()) == [0, 2, 4, 6, 8, 10, 12]
    assert validated[:, 0].tolist() == [14, 16, 18]
    assert history.history["val_loss"][0] == pytest.approx(
        model.evaluate(X[7:], y[7:], verbose=0), rel=1e-6)


def test_shuffle_is_one_permutation_per_epoch_and_slices_it():
    X = np.arange(12, dtype=np.float32).reshape(6, 2)
    recorder = Recorder(nn.Linear(2, 1, rng=0))
    model = Model(recorder, rng=0)
    model.compile(optimizer=SGD(learning_rate=1e-4), loss="mse")
    model.fit(X, np.zeros(6), epochs=2, batch_size=4, verbose=0)
    batches = recorder.seen[True]
    assert [len(b) for b in batches] == [4, 2, 4, 2]
    epoch1 = np.concatenate(batches[:2])[:, 0]
    epoch2 = np.concatenate(batches[2:])[:, 0]
    order = np.random.default_rng(0)
    np.testing.assert_array_equal(epoch1, X[order.permutation(6)][:, 0])
    np.testing.assert_array_equal(epoch2, X[order.permutation(6)][:, 0])
    recorder.seen[True].clear()
    model.fit(X, np.zeros(6), epochs=1, batch_size=4, shuffle=False, verbose=0)
    np.testing.assert_array_equal(np.concatenate(recorder.seen[True])[:, 0], X[:, 0])


def _train_once(seed):
    gn.seed(seed)
    X, y = regression_data()
    model = nn.Sequential([nn.Dense(8, activation="relu"), nn.Dropout(0.2), nn.Dense(1)])
    model.compile(optimizer="adam", loss="mse")
    model.fit(X, y, epochs=3, batch_size=16, validation_split=0.2, verbose=0)
    return model.get_weights()


def test_same_seed_gives_bit_identical_weights():
    first, second, other = _train_once(7), _train_once(7), _train_once(8)
    assert all(np.array_equal(a, b) for a, b in zip(first, second))
    assert not all(np.array_equal(a, b) for a, b in zip(first, other))


def test_training_and_evaluation_modes_switch_and_are_restored():
    recorder = Recorder(nn.Sequential([nn.Linear(2, 2, rng=0), nn.Dropout(0.5)]))
    model = Model(recorder)
    model.compile(optimizer="sgd", loss="mse")
    X, y = np.ones((4, 2)), np.ones((4, 2))
    model.fit(X, y, epochs=1, batch_size=4, validation_data=(X, y), verbose=0)
    assert len(recorder.seen[True]) == 1             # the training batch
    assert len(recorder.seen[False]) >= 2            # the probe and the validation batch
    assert recorder.training                         # the mode it had before fit
    recorder.eval()
    model.predict(X)
    assert not recorder.training
    recorder.train()
    first = model.predict(X)                         # dropout off in predict
    np.testing.assert_array_equal(first, model.predict(X, batch_size=1))
    assert recorder.training


def test_predict_is_batched_numpy_without_a_graph_in_the_parameters_dtype():
    gn.seed(0)
    model = nn.Sequential([nn.Dense(3, activation="softmax", input_dim=4)])
    X = np.random.default_rng(0).normal(size=(50, 4))   # float64 in, float32 out
    out = model.predict(X, batch_size=7)
    assert isinstance(out, np.ndarray) and out.shape == (50, 3) and out.dtype == np.float32
    np.testing.assert_allclose(out.sum(axis=1), 1.0, rtol=1e-6)
    np.testing.assert_allclose(out, model.predict(X, batch_size=1000), rtol=1e-6)
    assert model._keras().predict_on_batch(X).shape == (50, 3)
    assert all(p.grad is None for p in model.parameters())


def test_binary_targets_of_shape_n_are_reshaped_for_one_output():
    model = Model(nn.Dense(1, activation="sigmoid", input_dim=2, rng=0))
    model.compile(optimizer="adam", loss="binary_crossentropy", metrics=["accuracy"])
    X, y = np.array([[0.0, 1.0], [1.0, 0.0]]), np.array([0, 1])
    flat = model.evaluate(X, y, verbose=0)
    column = model.evaluate(X, y.reshape(-1, 1), verbose=0)
    assert flat == column


def test_get_and_set_weights_round_trip_and_errors():
    gn.seed(0)
    model = nn.Sequential([nn.Dense(3, input_dim=2), nn.BatchNorm1d(3), nn.Dense(1)])
    model.build((None, 2))
    keras = model._keras()
    weights = keras.get_weights()
    assert [w.shape for w in weights][:4] == [(2, 3), (3,), (3,), (3,)]
    changed = [w + 1 if w.dtype.kind == "f" else w for w in weights]
    keras.set_weights(changed)
    assert all(np.array_equal(a, b) for a, b in zip(keras.get_weights(), changed))
    with pytest.raises(ValueError, match=r"the model has \d+ weight arrays .*received 1"):
        keras.set_weights(weights[:1])
    bad = list(weights)
    bad[0] = np.zeros((3, 2))
    with pytest.raises(ValueError, match=r"'0.weight' has shape \(2, 3\), received an array "
                                         r"of shape \(3, 2\)"):
        keras.set_weights(bad)


# ------------------------------------------------------------------------ divergence


def _diverging_setup():
    gn.seed(0)
    X, y = regression_data(n=32)
    model = nn.Sequential([nn.Dense(4, activation="relu"), nn.Dense(1)])
    model.compile(optimizer=SGD(learning_rate=0.01), loss="mse")
    ends = []
    record = LambdaCallback(on_epoch_end=lambda epoch, logs: ends.append(model.get_weights()))
    explode = LearningRateScheduler(lambda epoch, lr: 1e10 if epoch >= 2 else 0.01)
    return model, X, y, ends, [record, explode]


def test_divergence_stops_with_a_clear_error_and_keeps_the_last_good_epoch():
    model, X, y, ends, callbacks = _diverging_setup()
    with pytest.raises(TrainingDivergedError, match=r"the loss became (nan|inf) at epoch 3, "
                                                    r"batch \d+.*end of epoch 2 were restored.*"
                                                    r"lower learning rate \(it is 1e\+10\)"):
        model.fit(X, y, epochs=10, batch_size=8, verbose=0, callbacks=callbacks)
    assert len(ends) == 2 and len(model.history.history["loss"]) == 2
    assert all(np.array_equal(a, b) for a, b in zip(model.get_weights(), ends[-1]))
    assert model._keras().optimizer.lr == 0.01        # the optimizer state is restored too


def test_divergence_from_the_first_epoch_restores_the_initial_weights():
    gn.seed(0)
    X, y = regression_data(n=32)
    model = nn.Sequential([nn.Dense(4, activation="relu", input_dim=3), nn.Dense(1)])
    model.build((None, 3))
    initial = model.get_weights()
    model.compile(optimizer=SGD(learning_rate=1e10), loss="mse")
    with pytest.raises(TrainingDivergedError, match="epoch 1, batch .*the initial weights"):
        model.fit(X, y, epochs=5, batch_size=8, verbose=0)
    assert all(np.array_equal(a, b) for a, b in zip(model.get_weights(), initial))


def test_terminate_on_nan_stops_quietly_with_the_same_weights_rule():
    model, X, y, ends, callbacks = _diverging_setup()
    with pytest.warns(UserWarning, match=r"invalid loss (nan|inf), terminating training"):
        history = model.fit(X, y, epochs=10, batch_size=8, verbose=0,
                            callbacks=callbacks + [TerminateOnNaN()])
    assert len(history.history["loss"]) == 2
    assert all(np.array_equal(a, b) for a, b in zip(model.get_weights(), ends[-1]))


# ------------------------------------------------------------------------ bad input


@pytest.fixture
def students_model():
    gn.seed(0)
    model = nn.Sequential([nn.Dense(5, input_shape=(2,), activation="relu", name="hidden"),
                           nn.Dense(3, activation="softmax", name="out")])
    model.compile(optimizer="adam", loss="sparse_categorical_crossentropy",
                  metrics=["accuracy"])
    return model


@pytest.mark.parametrize("x, y, message", [
    (np.ones((4, 3)), np.zeros(4, int),
     r"Dense 'hidden': expected input with 2 features, received shape \(1, 3\)"),
    (np.ones((4, 2)), np.zeros(3, int),
     r"x and y must have the same number of samples: x has shape \(4, 2\), y has shape \(3,\)"),
    (np.ones((0, 2)), np.zeros(0, int), r"x is empty \(shape \(0, 2\)\)"),
    (np.ones(4), np.zeros(4, int), r"x must be 2-D \(samples, features\), received shape \(4,\)"),
    (np.array([[1.0, 2.0], [3.0, np.nan]]), np.zeros(2, int),
     r"fit: x: found NaN at row 1, column 1"),
    (np.ones((3, 2)), np.array([0.0, np.inf, 1.0]), r"fit: y: found infinity at row 1"),
    (np.ones((3, 2)), np.array([0, 3, 5]),
     r"class labels must be in \[0, 2\] for a model with 3 outputs, received labels \[3, 5\]"),
    (np.ones((3, 2)), np.array([0.0, 0.5, 1.5]),
     r"needs integer class labels, received float labels such as \[0.5, 1.5\]"),
    (np.ones((3, 2)), np.array(["a", "b", "c"]), r"y must hold numbers.*encode text labels"),
    (None, np.zeros(2), r"x is None"),
    (np.ones((2, 2)), None, r"y is None"),
])
def test_bad_fit_input_names_what_was_expected_and_received(students_model, x, y, message):
    with pytest.raises((ValueError, TypeError), match=message):
        students_model.fit(x, y, verbose=0)


def test_bad_input_to_predict_and_evaluate(students_model):
    with pytest.raises(ValueError, match=r"Dense 'hidden': expected input with 2 features, "
                                         r"received shape \(\d+, 5\)"):
        students_model.predict(np.ones((3, 5)))
    with pytest.raises(ValueError, match=r"predict: x: found infinity at row 0, column 0"):
        students_model.predict(np.array([[np.inf, 1.0]]))
    with pytest.raises(ValueError, match="evaluate: x and y must have the same number"):
        students_model.evaluate(np.ones((3, 2)), np.zeros(2, int))


@pytest.mark.parametrize("loss, y, message", [
    ("binary_crossentropy", np.array([0.0, 2.0, 3.0]),
     r"binary_crossentropy needs targets in \[0, 1\], received values \[2, 3\]"),
    ("categorical_crossentropy", np.array([0, 1, 0]),
     r"needs one-hot targets of shape \(N, 1\).*use loss='sparse_categorical_crossentropy'"),
    ("mse", np.zeros((3, 2)), r"y has shape \(3, 2\) but the model outputs shape \(N, 1\)"),
    ("sparse_categorical_crossentropy", np.array([0, 1, 1]),
     r"received labels \[1\]; the model has one output: for two classes use a sigmoid"),
])
def test_targets_that_do_not_fit_the_loss(loss, y, message):
    model = Model(nn.Dense(1, input_dim=2, rng=0))
    model.compile(optimizer="sgd", loss=loss)
    with pytest.raises(ValueError, match=message):
        model.fit(np.ones((3, 2)), y, verbose=0)


@pytest.mark.parametrize("kwargs, message", [
    ({"batch_size": 0}, "batch_size must be a positive integer, received 0"),
    ({"validation_split": 1.5}, r"validation_split must be in \[0, 1\), received 1.5"),
    ({"validation_split": 0.9}, "leaves 0 training and 4 validation samples"),
    ({"validation_data": (np.ones((2, 2)),)}, r"validation_data must be \(x_val, y_val\)"),
    ({"sample_weight": np.ones(3)}, r"sample_weight must have one weight per sample, shape "
                                    r"\(4,\), received shape \(3,\)"),
    ({"sample_weight": -np.ones(4)}, "sample weights must be >= 0"),
    ({"class_weight": [1.0, 2.0]}, "class_weight must be a dict"),
    ({"verbose": 3}, "verbose must be 0, 1, 2 or 'auto', received 3"),
    ({"validation_data": (np.ones((2, 3)), np.ones(2))},
     r"expected input with 2 features, received shape \(1, 3\)"),
])
def test_bad_fit_settings(kwargs, message):
    model = Model(nn.Linear(2, 1, rng=0))
    model.compile(optimizer="sgd", loss="mse")
    with pytest.raises((ValueError, TypeError), match=message):
        model.fit(np.ones((4, 2)), np.ones(4), **{"verbose": 0, **kwargs})


# ------------------------------------------------------------------------ output


def test_plain_line_per_epoch_when_stdout_is_not_a_terminal(capsys):
    model = Model(nn.Linear(2, 1, rng=0))
    model.compile(optimizer="sgd", loss="mse", metrics=["mae"])
    X, y = np.ones((8, 2)), np.ones(8)
    model.fit(X, y, epochs=2, validation_split=0.25)             # verbose="auto"
    lines = capsys.readouterr().out.splitlines()
    number = r"\d+\.\d{4}(e-\d+)?"
    pattern = (rf"Epoch @/2 - loss: {number} - mae: {number} - val_loss: {number} - "
               rf"val_mae: {number} - \d+\.\d\ds")
    assert len(lines) == 2
    assert re.fullmatch(pattern.replace("@", "1"), lines[0])
    assert re.fullmatch(pattern.replace("@", "2"), lines[1])
    model.evaluate(X, y)
    assert re.fullmatch(rf"Evaluate - loss: {number} - mae: {number} - \d+\.\d\ds",
                        capsys.readouterr().out.strip())


def test_verbose_zero_prints_nothing(capsys):
    model = Model(nn.Linear(2, 1, rng=0))
    model.compile(optimizer="sgd", loss="mse", metrics=["mae"])
    model.fit(np.ones((8, 2)), np.ones(8), epochs=2, validation_split=0.25, verbose=0)
    model.evaluate(np.ones((8, 2)), np.ones(8), verbose=0)
    model.predict(np.ones((8, 2)))
    assert capsys.readouterr().out == ""


def test_verbose_one_draws_a_progress_bar_with_the_logs(capsys):
    model = Model(nn.Linear(2, 1, rng=0))
    model.compile(optimizer="sgd", loss="mse")
    model.fit(np.ones((8, 2)), np.ones(8), epochs=1, batch_size=4, verbose=1)
    out = capsys.readouterr()
    text = out.out + out.err
    assert "Epoch 1/1" in text and "2/2" in text and re.search(r"loss: \d\.\d{4}", text)


def test_summary_table_counts_trainable_and_non_trainable_weights():
    model = nn.Sequential([nn.Dense(4, input_shape=(3,), name="dense_in"),
                           nn.BatchNorm1d(4), nn.Dense(2, name="dense_out")], name="net")
    lines = []
    model.summary(print_fn=lines.append)
    text = "\n".join(lines)
    assert lines[0] == 'Model: "net"'
    assert re.search(r"dense_in \(Dense\)\s+\(None, 4\)\s+16\n", text)
    assert re.search(r"\(BatchNorm1d\)\s+\(None, 4\)\s+16\n", text)  # 8 weights + 8 running
    assert re.search(r"dense_out \(Dense\)\s+\(None, 2\)\s+10\n", text)
    assert "Total params: 42" in text and "Trainable params: 34" in text
    assert "Non-trainable params: 8" in text


def test_summary_of_a_custom_module_after_fit():
    class Net(nn.Module):
        def __init__(self):
            super().__init__()
            self.hidden = nn.Dense(6, activation="relu", name="h")
            self.out = nn.Dense(1, name="o")

        def forward(self, x):
            return self.out(self.hidden(x))

    model = Model(Net())
    with pytest.raises(NotFittedError):
        model.summary()
    model.compile(optimizer="sgd", loss="mse")
    model.fit(np.ones((4, 5)), np.ones(4), verbose=0)
    lines = []
    model.summary(print_fn=lines.append)
    assert re.search(r"h \(Dense\)\s+\(None, 6\)\s+36", "\n".join(lines))
    assert re.search(r"o \(Dense\)\s+\(None, 1\)\s+7", "\n".join(lines))
