"""The perceptron: Rosenblatt's rule on AND by hand, learning, XOR's failure, conventions."""

import warnings

import numpy as np
import pytest

import glassnet as gn
from glassnet.exceptions import NotFittedError
from glassnet.perceptron import ConvergenceWarning, Perceptron

X_GATES = np.array([[0, 0], [0, 1], [1, 0], [1, 1]])
Y_AND = np.array([0, 0, 0, 1])
Y_OR = np.array([0, 1, 1, 1])
Y_NAND = np.array([1, 1, 1, 0])
Y_XOR = np.array([0, 1, 1, 0])


def _fit_without_warnings(model, X, y, **kwargs):
    """Fit and fail on any warning (a converging fit must not warn)."""
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        return model.fit(X, y, **kwargs)


def _separable_blobs(n=60, seed=0, margin=0.5):
    """2-D points labelled by the line x0 + 2 x1 = 1, keeping only those at least `margin` away."""
    rng = np.random.default_rng(seed)
    X = rng.uniform(-3.0, 3.0, size=(4 * n, 2))
    signed = (X @ np.array([1.0, 2.0]) - 1.0) / np.sqrt(5.0)  # signed distance to the line
    keep = np.abs(signed) >= margin
    return X[keep][:n], (signed[keep][:n] > 0).astype(int)


# ------------------------------------------------------------------ the worked example: AND


def test_and_by_hand_epoch_by_epoch():
    # Rosenblatt's rule with learning_rate = 0.1, w = [0, 0], b = 0, samples in order.
    #   z = w . x + b,  y_hat = 1 if z >= 0 else 0,  error = y - y_hat,
    #   w <- w + 0.1 * error * x,  b <- b + 0.1 * error
    #
    # Epoch 1
    #   x=[0,0] y=0: z = 0            -> y_hat=1, error=-1: w=[0, 0],     b=-0.1
    #   x=[0,1] y=0: z = 0 - 0.1      -> y_hat=0, error= 0
    #   x=[1,0] y=0: z = 0 - 0.1      -> y_hat=0, error= 0
    #   x=[1,1] y=1: z = 0 + 0 - 0.1  -> y_hat=0, error=+1: w=[0.1, 0.1], b=0.0    (2 mistakes)
    # Epoch 2
    #   x=[0,0] y=0: z = 0            -> 1, error=-1: w=[0.1, 0.1], b=-0.1
    #   x=[0,1] y=0: z = 0.1 - 0.1=0  -> 1, error=-1: w=[0.1, 0.0], b=-0.2
    #   x=[1,0] y=0: z = 0.1 - 0.2    -> 0, error= 0
    #   x=[1,1] y=1: z = 0.1 + 0 - 0.2-> 0, error=+1: w=[0.2, 0.1], b=-0.1       (3 mistakes)
    # Epoch 3
    #   x=[0,0]: z = -0.1 -> 0 ok
    #   x=[0,1]: z = 0.1 - 0.1 = 0 -> 1, error=-1: w=[0.2, 0.0], b=-0.2
    #   x=[1,0]: z = 0.2 - 0.2 = 0 -> 1, error=-1: w=[0.1, 0.0], b=-0.3
    #   x=[1,1]: z = 0.1 - 0.3     -> 0, error=+1: w=[0.2, 0.1], b=-0.2          (3 mistakes)
    # Epoch 4
    #   x=[0,0]: -0.2 ok;  x=[0,1]: 0.1 - 0.2 = -0.1 ok
    #   x=[1,0]: z = 0.2 - 0.2 = 0 -> 1, error=-1: w=[0.1, 0.1], b=-0.3
    #            (naive floating point gets 0.2 - 0.20000000000000004 = -5.6e-17 here, says 0
    #             and "converges" one epoch early on a rounding error; glassnet counts it as 0)
    #   x=[1,1]: z = 0.2 - 0.3 = -0.1 -> 0, error=+1: w=[0.2, 0.2], b=-0.2       (2 mistakes)
    # Epoch 5
    #   x=[0,0]: -0.2 ok
    #   x=[0,1]: z = 0.2 - 0.2 = 0 -> 1, error=-1: w=[0.2, 0.1], b=-0.3
    #   x=[1,0]: 0.2 - 0.3 = -0.1 ok;  x=[1,1]: 0.2 + 0.1 - 0.3 = 0 -> 1 ok       (1 mistake)
    # Epoch 6: z = -0.3, -0.2, -0.1, 0 -> 0, 0, 0, 1: no mistake, converged.
    p = Perceptron(learning_rate=0.1).fit(X_GATES.astype(np.float64), Y_AND, record=True)

    assert p.errors_ == [2, 3, 3, 2, 1, 0]
    assert p.n_iter_ == 6 and p.converged_ is True
    end_of_epoch = {step["epoch"]: step for step in p.history_ if step["sample"] == 3}
    np.testing.assert_array_equal(end_of_epoch[1]["w_after"], [0.1, 0.1])
    assert end_of_epoch[1]["b_after"] == 0.0
    np.testing.assert_allclose(end_of_epoch[2]["w_after"], [0.2, 0.1], rtol=0, atol=1e-15)
    assert end_of_epoch[2]["b_after"] == pytest.approx(-0.1, abs=1e-15)

    np.testing.assert_array_equal(p.weights_, [0.2, 0.1])  # 0.1 * [2, 1], exact in float64
    assert p.bias_ == 0.1 * -3 == pytest.approx(-0.3, abs=1e-15)
    np.testing.assert_array_equal(p.predict(X_GATES), Y_AND)
    assert p.score(X_GATES, Y_AND) == 1.0


def test_and_history_records_every_visit_with_the_rule():
    p = Perceptron(learning_rate=0.1).fit(X_GATES.astype(np.float64), Y_AND, record=True)
    history = p.history_
    assert len(history) == 6 * 4
    assert [step["epoch"] for step in history[:5]] == [1, 1, 1, 1, 2]
    assert [step["sample"] for step in history[:4]] == [0, 1, 2, 3]
    # Epoch 1 (see the worked example): errors -1, 0, 0, +1.
    assert [step["error"] for step in history[:4]] == [-1, 0, 0, 1]
    assert [step["prediction"] for step in history[:4]] == [1, 0, 0, 0]
    # Epoch 4, x=[1,0]: z is exactly 0 (a tie), so the perceptron fires and is wrong.
    tie = history[3 * 4 + 2]
    assert (tie["epoch"], tie["sample"], tie["z"]) == (4, 2, 0.0)
    assert (tie["prediction"], tie["error"]) == (1, -1)
    for step in history:
        assert step["error"] == step["y"] - step["prediction"]
        assert step["prediction"] == (1 if step["z"] >= 0 else 0)
        np.testing.assert_allclose(
            step["w_after"], step["w_before"] + 0.1 * step["error"] * step["x"], atol=1e-15
        )
        assert step["b_after"] == pytest.approx(step["b_before"] + 0.1 * step["error"], abs=1e-15)
    # The recorded arrays are copies: changing them does not touch the model.
    history[-1]["w_after"][:] = 99.0
    np.testing.assert_array_equal(p.weights_, [0.2, 0.1])


def test_history_is_none_unless_recorded():
    assert Perceptron().fit(X_GATES, Y_AND).history_ is None


def test_and_in_float32_by_default_follows_the_same_steps():
    p = Perceptron(learning_rate=0.1).fit(X_GATES, Y_AND)  # integer X -> float32
    assert p.weights_.dtype == np.float32
    assert p.errors_ == [2, 3, 3, 2, 1, 0]
    np.testing.assert_array_equal(p.weights_, np.float32(0.1) * np.array([2, 1], np.float32))
    assert p.bias_ == pytest.approx(-0.3, rel=1e-6)
    assert isinstance(p.bias_, float)
    np.testing.assert_array_equal(p.decision_function(X_GATES) == 0, [False, False, False, True])


@pytest.mark.parametrize("learning_rate", [0.01, 0.1, 0.3, 0.7, 2.5])
def test_from_zero_weights_the_learning_rate_only_scales_w_and_b(learning_rate):
    # w and b are learning_rate * (sums of +-x and +-1), so every decision is the same as
    # with learning_rate=1, where all the arithmetic on 0/1 inputs is exact. glassnet keeps
    # the sums and rounds once, so w is exactly learning_rate * (the integer weights).
    for y in (Y_AND, Y_OR, Y_NAND):
        p = Perceptron(learning_rate=learning_rate).fit(X_GATES.astype(np.float64), y)
        reference = Perceptron(learning_rate=1.0).fit(X_GATES.astype(np.float64), y)
        assert p.errors_ == reference.errors_
        np.testing.assert_array_equal(p.weights_, learning_rate * reference.weights_)
        assert p.bias_ == learning_rate * reference.bias_


def _integer_problems(count, seed=0):
    """Small linearly separable problems on an integer grid, full of exact ties (z = 0)."""
    rng = np.random.default_rng(seed)
    while count:
        n_samples, n_features = int(rng.integers(4, 25)), int(rng.integers(2, 5))
        X = rng.integers(-5, 6, size=(n_samples, n_features))
        normal, offset = rng.integers(-3, 4, size=n_features), rng.integers(-3, 4)
        y = (X @ normal + offset >= 0).astype(int)
        if 0 < y.sum() < n_samples:
            count -= 1
            yield X, y


def test_rounding_never_changes_a_decision_on_integer_data():
    # With learning_rate=1 and integer X every z is an exact integer, so that run is the
    # exact algorithm. Any other learning rate, in float32 or float64, must make exactly the
    # same mistakes. Without the tie handling, about a quarter of these runs go astray.
    for X, y in _integer_problems(60):
        exact = Perceptron(learning_rate=1.0, max_epochs=300).fit(X.astype(np.float64), y)
        assert exact.converged_
        for learning_rate in (0.1, 0.3, 0.7):
            for dtype in (np.float32, np.float64):
                p = Perceptron(learning_rate=learning_rate, max_epochs=300)
                p.fit(X.astype(dtype), y)
                assert p.errors_ == exact.errors_, (X.tolist(), y.tolist(), learning_rate, dtype)
                assert p.score(X, y) == 1.0
                # ... and each weight is learning_rate * (integer weight), rounded once.
                lr = dtype(learning_rate)
                np.testing.assert_array_equal(p.weights_, lr * exact.weights_.astype(dtype))
                assert p.bias_ == float(lr * dtype(exact.bias_))


def test_or_by_hand():
    # Epoch 1: [0,0] z=0 -> 1 wrong (b=-0.1); [0,1] z=-0.1 -> 0 wrong (w=[0,0.1], b=0);
    #          [1,0] z=0 -> 1 ok; [1,1] z=0.1 -> 1 ok.                        (2 mistakes)
    # Epoch 2: [0,0] z=0 -> 1 wrong (b=-0.1); [0,1] z=0 -> 1 ok;
    #          [1,0] z=-0.1 -> 0 wrong (w=[0.1,0.1], b=0); [1,1] ok.          (2 mistakes)
    # Epoch 3: [0,0] z=0 -> 1 wrong (b=-0.1); the others give z = 0, 0, 0.1 -> 1 ok. (1)
    # Epoch 4: z = -0.1, 0, 0, 0.1 -> 0, 1, 1, 1: converged with w=[0.1,0.1], b=-0.1.
    p = _fit_without_warnings(Perceptron(learning_rate=0.1), X_GATES.astype(np.float64), Y_OR)
    assert p.errors_ == [2, 2, 1, 0]
    np.testing.assert_array_equal(p.weights_, [0.1, 0.1])
    assert p.bias_ == -0.1
    np.testing.assert_array_equal(p.decision_function(X_GATES), [-0.1, 0.0, 0.0, 0.1])


# --------------------------------------------------------------------------------- learning


@pytest.mark.parametrize("y", [Y_AND, Y_OR, Y_NAND], ids=["AND", "OR", "NAND"])
def test_linearly_separable_gates_converge(y):
    p = _fit_without_warnings(Perceptron(), X_GATES, y)
    assert p.converged_ is True
    assert p.errors_[-1] == 0 and all(e > 0 for e in p.errors_[:-1])
    assert p.n_iter_ == len(p.errors_) < 10
    assert p.score(X_GATES, y) == 1.0
    np.testing.assert_array_equal(p.predict(X_GATES), y)


def test_xor_does_not_converge_and_the_warning_says_why():
    p = Perceptron(max_epochs=50)
    with pytest.warns(ConvergenceWarning, match=r"not linearly separable \(like XOR") as caught:
        p.fit(X_GATES, Y_XOR)
    message = str(caught[0].message)
    assert "max_epochs=50" in message and "multi-layer network" in message
    assert p.converged_ is False
    assert p.n_iter_ == 50 and len(p.errors_) == 50
    assert min(p.errors_) > 0
    assert p.score(X_GATES, Y_XOR) <= 0.75  # no straight line gets more than 3 of 4 right


def test_convergence_warning_is_glassnets_user_warning():
    from glassnet import exceptions

    assert ConvergenceWarning is exceptions.ConvergenceWarning
    assert issubclass(ConvergenceWarning, UserWarning)


def test_mistakes_respect_novikoffs_bound_on_separable_data():
    # Novikoff (1962): with a unit vector u (bias folded in as a constant feature 1) that
    # separates the data with margin gamma, and R = max ||(x, 1)||, the rule makes at most
    # (R / gamma)^2 mistakes in total, whatever the order and the learning rate.
    X, y = _separable_blobs()
    u = np.array([1.0, 2.0, -1.0]) / np.linalg.norm([1.0, 2.0, -1.0])
    X1 = np.hstack([X, np.ones((len(X), 1))])
    gamma = np.min(np.where(y == 1, 1, -1) * (X1 @ u))
    R = np.max(np.linalg.norm(X1, axis=1))
    p = _fit_without_warnings(Perceptron(max_epochs=1000), X, y)
    assert p.converged_ and p.score(X, y) == 1.0
    assert 0 < sum(p.errors_) <= (R / gamma) ** 2


# ---------------------------------------------------------------------------------- labels


def test_labels_minus_one_and_one():
    y = np.array([-1, -1, -1, 1])
    p = Perceptron().fit(X_GATES, y)
    np.testing.assert_array_equal(p.classes_, [-1, 1])
    np.testing.assert_array_equal(p.predict(X_GATES), y)
    assert p.predict(X_GATES).dtype == y.dtype
    assert p.errors_ == Perceptron().fit(X_GATES, Y_AND).errors_


def test_string_labels_are_sorted_and_returned():
    y = np.array(["yes", "yes", "yes", "no"])  # NAND: sorted, "no" is class 0 and "yes" 1
    p = Perceptron().fit(X_GATES, y)
    np.testing.assert_array_equal(p.classes_, ["no", "yes"])
    assert p.predict(X_GATES).tolist() == ["yes", "yes", "yes", "no"]
    assert p.score(X_GATES, y) == 1.0
    assert p.score(X_GATES, ["no", "no", "no", "no"]) == 0.25


def test_column_vector_y_and_lists_are_accepted():
    p = Perceptron().fit(X_GATES.tolist(), Y_AND.reshape(-1, 1))
    assert p.weights_.dtype == np.float32
    assert p.score(X_GATES.tolist(), Y_AND.tolist()) == 1.0


def test_dtypes_float64_kept_float32_kept_integers_become_the_default():
    assert Perceptron().fit(X_GATES.astype(np.float64), Y_AND).weights_.dtype == np.float64
    assert Perceptron().fit(X_GATES.astype(np.float32), Y_AND).weights_.dtype == np.float32
    assert Perceptron().fit(X_GATES.astype(bool), Y_AND).weights_.dtype == np.float32


def test_fit_does_not_modify_its_inputs():
    X, y = X_GATES.astype(np.float64), Y_AND.copy()
    Perceptron(shuffle=True, random_state=0).fit(X, y)
    np.testing.assert_array_equal(X, X_GATES)
    np.testing.assert_array_equal(y, Y_AND)


# --------------------------------------------------------------------------------- shuffling


def test_shuffle_with_a_fixed_random_state_is_deterministic():
    X, y = _separable_blobs(n=30, seed=1)
    first = Perceptron(shuffle=True, random_state=7).fit(X, y, record=True)
    second = Perceptron(shuffle=True, random_state=7).fit(X, y, record=True)
    np.testing.assert_array_equal(first.weights_, second.weights_)
    assert first.bias_ == second.bias_ and first.errors_ == second.errors_
    orders = [step["sample"] for step in first.history_]
    assert orders == [step["sample"] for step in second.history_]
    # Each epoch visits every sample once, in a new random order.
    epochs = [orders[i:i + 30] for i in range(0, len(orders), 30)]
    assert all(sorted(epoch) == list(range(30)) for epoch in epochs)
    assert epochs[0] != list(range(30))
    other = Perceptron(shuffle=True, random_state=8).fit(X, y, record=True)
    assert [step["sample"] for step in other.history_][:30] != epochs[0]


def test_shuffle_without_random_state_follows_gn_seed():
    X, y = _separable_blobs(n=30, seed=2)
    gn.seed(123)
    first = Perceptron(shuffle=True).fit(X, y)
    gn.seed(123)
    second = Perceptron(shuffle=True).fit(X, y)
    np.testing.assert_array_equal(first.weights_, second.weights_)
    assert first.errors_ == second.errors_


def test_random_state_is_ignored_without_shuffle():
    X, y = _separable_blobs(n=30, seed=3)
    a = Perceptron(random_state=1).fit(X, y)
    b = Perceptron(random_state=2).fit(X, y)
    np.testing.assert_array_equal(a.weights_, b.weights_)


# ---------------------------------------------------------------- scikit-learn conventions


def test_init_stores_parameters_without_validating():
    p = Perceptron(learning_rate=-1, max_epochs=0, shuffle="maybe", random_state="x")
    assert p.get_params() == {
        "learning_rate": -1, "max_epochs": 0, "random_state": "x", "shuffle": "maybe",
    }


def test_get_params_set_params_round_trip():
    rng = np.random.default_rng(0)
    p = Perceptron(learning_rate=0.5, max_epochs=7, shuffle=True, random_state=rng)
    params = p.get_params(deep=True)
    assert params == {"learning_rate": 0.5, "max_epochs": 7, "random_state": rng, "shuffle": True}
    assert params["random_state"] is rng
    copy = Perceptron().set_params(**params)
    assert copy.get_params() == params
    assert Perceptron(**params).get_params() == params
    returned = copy.set_params(max_epochs=3)
    assert returned is copy and copy.max_epochs == 3


def test_set_params_rejects_unknown_names_and_lists_the_valid_ones():
    valid = r"\['learning_rate', 'max_epochs', 'random_state', 'shuffle'\]"
    with pytest.raises(ValueError, match=rf"Invalid parameter 'lr' for Perceptron.*{valid}"):
        Perceptron().set_params(lr=0.1)
    with pytest.raises(ValueError, match="Did you mean 'max_epochs'"):
        Perceptron().set_params(max_epoch=3)


def test_repr_shows_the_parameters_that_differ_from_the_defaults():
    assert repr(Perceptron()) == "Perceptron()"
    assert repr(Perceptron(learning_rate=1.0, shuffle=True)) == (
        "Perceptron(learning_rate=1.0, shuffle=True)"
    )


def test_fit_returns_self_and_sets_the_fitted_attributes():
    p = Perceptron()
    assert p.fit(X_GATES, Y_AND) is p
    assert p.weights_.shape == (2,)
    assert isinstance(p.bias_, float)
    assert isinstance(p.errors_, list) and all(isinstance(e, int) for e in p.errors_)
    assert isinstance(p.n_iter_, int) and isinstance(p.converged_, bool)
    assert p.n_features_in_ == 2
    np.testing.assert_array_equal(p.classes_, [0, 1])


def test_refit_starts_again_from_zero():
    p = Perceptron().fit(X_GATES, Y_OR)
    p.fit(X_GATES, Y_AND)
    assert p.errors_ == [2, 3, 3, 2, 1, 0]


def test_predict_agrees_with_the_sign_of_the_decision_function():
    X, y = _separable_blobs(n=40, seed=4)
    p = Perceptron().fit(X, y)
    z = p.decision_function(X)
    assert z.shape == (40,)
    np.testing.assert_array_equal(p.predict(X), p.classes_[(z >= 0).astype(int)])
    np.testing.assert_allclose(z, X @ p.weights_ + p.bias_, rtol=1e-6, atol=1e-6)


# ------------------------------------------------------------------------------------ errors


@pytest.mark.parametrize(
    ("params", "exception", "message"),
    [
        ({"learning_rate": 0}, ValueError, r"learning_rate must be > 0.*received 0"),
        ({"learning_rate": -0.1}, ValueError, r"learning_rate must be > 0.*received -0\.1"),
        ({"learning_rate": float("nan")}, ValueError, r"learning_rate.*received nan"),
        ({"learning_rate": "0.1"}, TypeError, r"learning_rate must be a positive number.*'0\.1'"),
        ({"max_epochs": 0}, ValueError, r"max_epochs must be >= 1, received 0"),
        ({"max_epochs": -5}, ValueError, r"max_epochs must be >= 1, received -5"),
        ({"max_epochs": 2.5}, TypeError, r"max_epochs must be an integer >= 1, received 2\.5"),
        ({"shuffle": "yes"}, TypeError, r"shuffle must be True or False, received 'yes'"),
        ({"random_state": "seed"}, TypeError, r"Perceptron: random_state: .*received str"),
    ],
)
def test_bad_hyperparameters_fail_in_fit_with_the_received_value(params, exception, message):
    p = Perceptron(**params)
    with pytest.raises(exception, match=message):
        p.fit(X_GATES, Y_AND)


def test_x_must_be_2d():
    with pytest.raises(ValueError, match=r"expected X as a 2-D array.*received shape \(4,\)"):
        Perceptron().fit(np.array([0, 1, 2, 3]), Y_AND)
    with pytest.raises(ValueError, match=r"received shape \(2, 2, 1\)"):
        Perceptron().fit(np.zeros((2, 2, 1)), [0, 1])


def test_x_and_y_lengths_must_match():
    with pytest.raises(ValueError, match=r"X with shape \(4, 2\) and y with shape \(3,\)"):
        Perceptron().fit(X_GATES, [0, 0, 1])


def test_empty_x_is_rejected():
    with pytest.raises(ValueError, match=r"0 sample\(s\) \(shape=\(0, 2\)\)"):
        Perceptron().fit(np.zeros((0, 2)), [])
    with pytest.raises(ValueError, match=r"0 feature\(s\) \(shape=\(4, 0\)\)"):
        Perceptron().fit(np.zeros((4, 0)), Y_AND)


@pytest.mark.parametrize("bad", [np.nan, np.inf, -np.inf])
def test_nan_or_inf_in_x_names_the_first_row_and_column(bad):
    X = X_GATES.astype(np.float64)
    X[2, 1] = bad
    X[3, 0] = bad
    with pytest.raises(ValueError, match=rf"NaN or inf; the first is {bad} at row 2, column 1"):
        Perceptron().fit(X, Y_AND)


def test_nan_in_y_names_the_row():
    with pytest.raises(ValueError, match=r"y contains NaN or inf; the first is nan at row 1"):
        Perceptron().fit(X_GATES, [0.0, np.nan, 0.0, 1.0])


def test_more_than_two_classes_are_named():
    with pytest.raises(ValueError, match=r"exactly two classes, but y has 3: \[0, 1, 2\]"):
        Perceptron().fit(X_GATES, [0, 1, 2, 1])
    with pytest.raises(ValueError, match=r"y has 3: \['a', 'b', 'c'\]"):
        Perceptron().fit(X_GATES, ["a", "b", "c", "a"])


def test_a_single_class_is_rejected():
    with pytest.raises(ValueError, match=r"y has 1 class \(\[1\]\).*needs samples of both"):
        Perceptron().fit(X_GATES, [1, 1, 1, 1])


def test_continuous_targets_are_rejected():
    with pytest.raises(ValueError, match=r"y looks continuous \(0\.5 at row 2\)"):
        Perceptron().fit(X_GATES, [0.0, 1.0, 0.5, 1.0])


def test_non_numeric_x_is_a_type_error():
    with pytest.raises(TypeError, match=r"X must hold numbers, received dtype <U1"):
        Perceptron().fit(np.array([["a", "b"], ["c", "d"]]), [0, 1])
    with pytest.raises(TypeError, match=r"X must hold numbers \(float\(\) argument"):
        Perceptron().fit(np.array([[{"a": 1}, 0.0], [1.0, 2.0]], dtype=object), [0, 1])


@pytest.mark.parametrize("method", ["predict", "decision_function"])
def test_using_before_fit_says_call_fit(method):
    message = r"This Perceptron instance is not fitted yet\. Call 'fit'"
    with pytest.raises(NotFittedError, match=message):
        getattr(Perceptron(), method)(X_GATES)
    with pytest.raises(AttributeError, match="not fitted yet"):
        getattr(Perceptron(), method)(X_GATES)


def test_score_before_fit_says_call_fit():
    with pytest.raises(ValueError, match="This Perceptron instance is not fitted yet"):
        Perceptron().score(X_GATES, Y_AND)


def test_predict_with_the_wrong_number_of_features_names_both_widths():
    p = Perceptron().fit(X_GATES, Y_AND)
    with pytest.raises(ValueError, match=r"X has 3 features, but Perceptron is expecting 2"):
        p.predict(np.zeros((5, 3)))
    with pytest.raises(ValueError, match=r"expected X as a 2-D array.*Reshape your data"):
        p.predict(np.array([1.0, 0.0]))
    with pytest.raises(ValueError, match=r"NaN or inf; the first is nan at row 0, column 1"):
        p.predict(np.array([[0.0, np.nan]]))


# ----------------------------------------------------------------- with scikit-learn, if any


def test_sklearn_clone_gives_an_unfitted_copy_with_the_same_parameters():
    base = pytest.importorskip("sklearn.base")
    p = Perceptron(learning_rate=0.5, max_epochs=20, shuffle=True, random_state=3)
    p.fit(X_GATES, Y_OR)
    copy = base.clone(p)
    assert type(copy) is Perceptron and copy is not p
    assert copy.get_params() == p.get_params()
    assert not hasattr(copy, "weights_")
    assert base.is_classifier(p)


def test_runs_inside_a_sklearn_pipeline_with_a_standard_scaler():
    pipeline = pytest.importorskip("sklearn.pipeline")
    preprocessing = pytest.importorskip("sklearn.preprocessing")
    X, y = _separable_blobs(n=60, seed=5)
    X = X * np.array([100.0, 0.01]) + 50.0  # badly scaled features: the scaler fixes them
    model = pipeline.make_pipeline(preprocessing.StandardScaler(), Perceptron(max_epochs=500))
    _fit_without_warnings(model, X, y)
    assert model.score(X, y) == 1.0
    assert model[-1].converged_ is True
    np.testing.assert_array_equal(model.predict(X), y)


def test_passes_sklearn_estimator_checks_except_those_needing_sklearn_classes():
    sklearn = pytest.importorskip("sklearn", minversion="1.6")
    from sklearn.utils.estimator_checks import check_estimator

    # Both need scikit-learn's own classes, which glassnet cannot raise without importing it:
    # its NotFittedError, and a DataConversionWarning for a column-vector y (we accept it).
    expected = {"check_estimators_unfitted", "check_supervised_y_2d"}
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        results = check_estimator(Perceptron(), on_fail=None)
    failed = {r["check_name"]: r["exception"] for r in results if r["status"] == "failed"}
    assert set(failed) <= expected, f"scikit-learn {sklearn.__version__}: {failed}"
