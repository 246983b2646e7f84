"""glassnet.viz plots: valid, non-blank PNGs, the right panels, labels and numbers, and clear
errors. Figures are small and saved at a low dpi to keep the file fast."""

import os
import subprocess
import sys

import numpy as np
import pytest

pytest.importorskip("matplotlib")
import matplotlib.image  # noqa: E402

import glassnet as gn  # noqa: E402
from glassnet import functional as F  # noqa: E402
from glassnet import nn, optim, viz  # noqa: E402
from glassnet.data.datasets import make_blobs, make_moons  # noqa: E402
from glassnet.viz import plots  # noqa: E402

DPI = 60
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


def assert_png(path, min_colours: int = 50) -> np.ndarray:
    """The file is a PNG of a sensible size with real content (not one flat colour)."""
    with open(path, "rb") as file:
        assert file.read(8) == PNG_SIGNATURE
    image = matplotlib.image.imread(path)
    height, width = image.shape[:2]
    assert 100 <= height <= 2000 and 100 <= width <= 2000, image.shape
    rgb = np.round(image[..., :3] * 255).astype(np.uint32).reshape(-1, 3)
    colours = (rgb[:, 0] << 16) | (rgb[:, 1] << 8) | rgb[:, 2]  # one number per colour: fast
    assert len(np.unique(colours)) > min_colours
    assert rgb.std() > 10  # on the 0..255 scale: lines and text on a white background
    return image


def legend_texts(ax) -> list:
    return [text.get_text() for text in ax.get_legend().get_texts()]


def trained_moons_net():
    X, y = make_moons(120, noise=0.15, random_state=0)
    net = nn.Sequential(nn.Linear(2, 16, rng=0), nn.Tanh(), nn.Linear(16, 1, rng=1))
    opt = optim.Adam(net.parameters(), lr=0.05)
    target = y.reshape(-1, 1).astype(np.float32)
    for _ in range(100):
        opt.zero_grad()
        loss = F.binary_cross_entropy_with_logits(net(X), target)
        loss.backward()
        opt.step()
    return net, X, y


# ----------------------------------------------------------------------------- activations


def test_derivatives_come_from_autograd_and_match_the_formulas():
    x = np.linspace(-3, 3, 13)
    y, dy = plots.activation_and_derivative("sigmoid", x)
    np.testing.assert_allclose(dy, y * (1 - y), rtol=1e-12)
    y, dy = plots.activation_and_derivative("tanh", x)
    np.testing.assert_allclose(dy, 1 - y * y, rtol=1e-12)
    _, dy = plots.activation_and_derivative("relu", x)
    np.testing.assert_array_equal(dy, (x > 0).astype(float))
    _, dy = plots.activation_and_derivative("softplus", x)
    np.testing.assert_allclose(dy, 1 / (1 + np.exp(-x)), rtol=1e-12)


def test_plot_activations_draws_each_function_next_to_its_derivative(tmp_path):
    path = tmp_path / "activations.png"
    fig = viz.plot_activations(["sigmoid", "relu"], x_range=(-4, 4), path=path, dpi=DPI)
    assert_png(path)
    assert [ax.get_title() for ax in fig.axes] == [
        "σ(x) = 1 / (1 + e^-x)", "σ'(x) = σ(x)·(1 - σ(x))",
        "relu(x) = max(0, x)", "relu'(x) = 1 if x > 0 else 0"]
    derivative = fig.axes[1].lines[-1]
    x, dy = derivative.get_xdata(), derivative.get_ydata()
    assert x.min() == -4 and x.max() == 4
    assert dy.max() == pytest.approx(0.25)  # sigmoid'(0)
    assert [t.get_text() for t in fig.legends[0].get_texts()] == [
        "activation f(x)", "derivative f'(x), by autograd"]


def test_plot_activations_defaults_to_eight_functions_even_under_no_grad():
    with gn.no_grad():  # the derivatives need a graph: the plot turns grad mode back on
        fig = viz.plot_activations()
    assert len(fig.axes) == 16
    assert gn.is_grad_enabled()


@pytest.mark.parametrize("kwargs, message", [
    ({"names": ["relu", "swish"]}, "expected activation names from"),
    ({"names": []}, "expected activation names from"),
    ({"x_range": (5, -5)}, "low < high"),
])
def test_plot_activations_rejects_bad_arguments(kwargs, message):
    with pytest.raises(ValueError, match=message):
        viz.plot_activations(**kwargs)


# ----------------------------------------------------------------------------- history


def test_plot_history_has_a_panel_per_metric_with_train_and_validation(tmp_path):
    history = {"loss": [0.9, 0.6, 0.4, 0.3], "accuracy": [0.5, 0.7, 0.8, 0.9],
               "val_loss": [1.0, 0.7, 0.6, 0.65], "val_accuracy": [0.4, 0.6, 0.7, 0.7]}
    path = tmp_path / "history.png"
    fig = viz.plot_history(history, path=path, dpi=DPI)
    assert_png(path)
    assert [ax.get_title() for ax in fig.axes] == ["loss", "accuracy"]
    loss_ax = fig.axes[0]
    assert legend_texts(loss_ax) == ["train", "validation"]
    assert loss_ax.get_xlabel() == "epoch"
    np.testing.assert_array_equal(loss_ax.lines[0].get_xdata(), [1, 2, 3, 4])
    np.testing.assert_allclose(loss_ax.lines[1].get_ydata(), history["val_loss"])


def test_plot_history_takes_a_history_object_and_a_metric_subset():
    class History:
        history = {"loss": [1.0, 0.5], "mae": [0.8, 0.4]}

    fig = viz.plot_history(History(), metrics=["mae"])
    assert [ax.get_title() for ax in fig.axes] == ["mae"]
    assert legend_texts(fig.axes[0]) == ["train"]


def test_plot_history_names_the_available_keys_for_a_missing_metric():
    with pytest.raises(ValueError, match=r"no values for \['accuracy'\].*\['loss'\]"):
        viz.plot_history({"loss": [1.0]}, metrics=["accuracy"])
    with pytest.raises(ValueError, match="non-empty dict"):
        viz.plot_history({})


# ----------------------------------------------------------------------------- decision boundary


def test_decision_boundary_of_a_glassnet_module(tmp_path):
    net, X, y = trained_moons_net()
    path = tmp_path / "boundary.png"
    fig = viz.plot_decision_boundary(net, X, y, resolution=60, path=path, dpi=DPI)
    assert_png(path, min_colours=200)
    ax = fig.axes[0]
    with gn.no_grad():
        predicted = (net(X).data.ravel() > 0).astype(int)  # logit > 0 <=> p > 0.5
    wrong = int((predicted != y).sum())
    accuracy = 1 - wrong / len(y)
    assert accuracy > 0.8
    assert ax.get_title() == f"Decision boundary (accuracy {accuracy:.2f}, {wrong} misclassified)"
    assert legend_texts(ax) == ["class 0", "class 1", f"misclassified ({wrong})"]
    assert ax.get_xlabel() == "x1 (feature 0)" and ax.get_ylabel() == "x2 (feature 1)"
    assert len(fig.axes) == 2  # the map and its colour bar (probability of class 1)
    assert net.training  # put back in training mode after evaluation


def test_decision_boundary_of_predict_proba_models_and_plain_functions():
    X, y = make_blobs(60, centers=3, random_state=1)
    centres = np.stack([X[y == k].mean(axis=0) for k in range(3)])

    class NearestCentre:  # scikit-learn style: classes_ names the predict_proba columns
        classes_ = np.array([10, 20, 30])

        def predict_proba(self, X):
            scores = -((X[:, None, :] - centres) ** 2).sum(axis=-1)
            return np.exp(scores - scores.max(axis=1, keepdims=True))

    fig = viz.plot_decision_boundary(NearestCentre(), X, y * 10 + 10, resolution=30)
    assert legend_texts(fig.axes[0]) == ["class 10", "class 20", "class 30",
                                         "misclassified (0)"]
    assert len(fig.axes) == 1  # regions of three classes: no probability colour bar

    def always_one(X):
        return np.ones(len(X), dtype=np.int64)

    fig = viz.plot_decision_boundary(always_one, X[:4], [1, 0, 1, 0], resolution=10)
    assert fig.axes[0].get_title() == "Decision boundary (accuracy 0.50, 2 misclassified)"


def test_decision_boundary_of_a_keras_style_model():
    from glassnet.training.model import Model

    net, X, y = trained_moons_net()
    model = Model(nn.Sequential(net, nn.Sigmoid()))  # predict() gives probabilities
    fig = viz.plot_decision_boundary(model, X, y, resolution=20)
    reference = viz.plot_decision_boundary(net, X, y, resolution=20)  # logits
    assert fig.axes[0].get_title() == reference.axes[0].get_title()
    assert fig.axes[1].get_ylabel() == "predicted P(class 1); black line: 0.5"


def test_decision_boundary_draws_into_a_given_axes():
    from matplotlib.figure import Figure

    fig = Figure()
    left, right = fig.subplots(1, 2)
    X = np.array([[0.0, 0.0], [1.0, 1.0]])
    returned = viz.plot_decision_boundary(lambda X: X[:, 0], X, [0, 1], resolution=10, ax=right)
    assert returned is fig
    assert right.get_title().startswith("Decision boundary") and left.get_title() == ""


def test_predicted_labels_reads_probabilities_logits_and_labels():
    labels, p = plots.predicted_labels(np.array([[-3.0], [2.0]]), np.array([0, 1]))  # logits
    assert labels.tolist() == [0, 1]
    np.testing.assert_allclose(p, 1 / (1 + np.exp([3.0, -2.0])))
    labels, p = plots.predicted_labels(np.array([[0.9, 0.1], [0.2, 0.8]]), np.array([0, 1]))
    assert labels.tolist() == [0, 1] and p.tolist() == [0.1, 0.8]
    labels, p = plots.predicted_labels(np.array([2, 0, 1]), np.array([0, 1, 2]))
    assert labels.tolist() == [2, 0, 1] and p is None


@pytest.mark.parametrize("X, message", [
    (np.zeros((5, 3)), r"expected X with 2 features.*received shape \(5, 3\)"),
    (np.zeros((2, 2, 2)), r"received shape \(2, 2, 2\)"),
    (np.zeros(4), r"received shape \(4,\)"),
])
def test_decision_boundary_needs_two_dimensional_data(X, message):
    with pytest.raises(ValueError, match=message):
        viz.plot_decision_boundary(lambda X: X[:, 0], X, np.zeros(len(X)))


def test_decision_boundary_checks_labels_and_model():
    X = np.zeros((4, 2))
    with pytest.raises(ValueError, match=r"one label per row of X \(4\)"):
        viz.plot_decision_boundary(lambda X: X[:, 0], X, [0, 1])
    with pytest.raises(TypeError, match="expected a model.*received int"):
        viz.plot_decision_boundary(3, X, [0, 1, 0, 1])


# ----------------------------------------------------------------------------- confusion matrix


def test_confusion_matrix_from_labels_writes_the_counts(tmp_path):
    y_true = [0, 0, 1, 1, 1, 2, 2, 2, 2]
    y_pred = [0, 1, 1, 1, 2, 2, 2, 2, 0]
    path = tmp_path / "confusion.png"
    fig = viz.plot_confusion_matrix(y_true, y_pred, class_names=["cat", "dog", "emu"],
                                    path=path, dpi=DPI)
    assert_png(path)
    ax = fig.axes[0]
    # rows: truth, columns: prediction
    counts = [[1, 1, 0], [0, 2, 1], [1, 0, 3]]
    assert [t.get_text() for t in ax.texts] == [str(c) for row in counts for c in row]
    assert (ax.get_xlabel(), ax.get_ylabel()) == ("Predicted", "True")
    assert [t.get_text() for t in ax.get_xticklabels()] == ["cat", "dog", "emu"]
    assert ax.get_title() == "Confusion matrix\naccuracy 0.667 on 9 samples"


def test_confusion_matrix_from_a_matrix_normalised_by_row():
    fig = viz.plot_confusion_matrix(np.array([[8, 2], [1, 3]]), normalize=True)
    assert [t.get_text() for t in fig.axes[0].texts] == ["0.80", "0.20", "0.25", "0.75"]
    assert fig.axes[1].get_ylabel() == "fraction of the true class"


def test_confusion_matrix_takes_scores_and_string_labels():
    fig = viz.plot_confusion_matrix([1, 0], np.array([[0.2, 0.8], [0.9, 0.1]]))
    assert [t.get_text() for t in fig.axes[0].texts] == ["1", "0", "0", "1"]
    fig = viz.plot_confusion_matrix(["b", "a", "b"], ["b", "b", "b"])
    assert [t.get_text() for t in fig.axes[0].get_yticklabels()] == ["a", "b"]


@pytest.mark.parametrize("args, message", [
    ((np.zeros((2, 3)),), r"square matrix.*received shape \(2, 3\)"),
    (([0, 1], [0]), "same, non-zero length; received 2 and 1"),
    ((np.eye(2), None, ["a", "b", "c"]), "expected 2 class_names"),
])
def test_confusion_matrix_rejects_bad_input(args, message):
    with pytest.raises(ValueError, match=message):
        viz.plot_confusion_matrix(*args)


# ----------------------------------------------------------------------------- digits


def test_plot_digits_titles_and_red_frames_for_mistakes(tmp_path):
    rng = np.random.default_rng(0)
    images = rng.integers(0, 17, size=(12, 64)).astype(float)
    y_true = np.arange(12) % 10
    y_pred = y_true.copy()
    y_pred[[2, 5]] = [7, 1]
    path = tmp_path / "digits.png"
    fig = viz.plot_digits(images, y_true, y_pred, n=8, path=path, dpi=DPI)
    assert_png(path)
    assert len(fig.axes) == 8
    assert fig.axes[0].get_title() == "pred 0 / true 0"
    assert fig.axes[2].get_title() == "pred 7 / true 2"
    red = matplotlib.colors.to_rgba(plots.RED)
    framed = [ax.spines["left"].get_edgecolor() == red for ax in fig.axes]
    assert framed == [False, False, True, False, False, True, False, False]
    assert fig.axes[5].title.get_color() == plots.RED
    assert fig.get_suptitle() == "8 images: 2 mistakes (red)"


def test_plot_digits_shapes_and_scores():
    fig = viz.plot_digits(np.zeros((2, 28, 28)), y_pred=np.array([[0.1, 0.9], [0.8, 0.2]]))
    assert [ax.get_title() for ax in fig.axes] == ["pred 1", "pred 0"]
    assert fig.axes[0].images[0].get_array().shape == (28, 28)
    fig = viz.plot_digits(np.zeros((1, 784)))  # 784 pixels: 28 x 28
    assert fig.axes[0].images[0].get_array().shape == (28, 28)
    with pytest.raises(ValueError, match="shape=\\(8, 8\\) does not hold 60 pixels"):
        viz.plot_digits(np.zeros((1, 60)), shape=(8, 8))
    with pytest.raises(ValueError, match="expected y_true with one label per image \\(2\\)"):
        viz.plot_digits(np.zeros((2, 64)), y_true=[1])


# ----------------------------------------------------------------------------- network


def test_plot_network_from_matrices_the_tutorials_two_node_layer(tmp_path):
    W = np.array([[0.2, -0.5], [-0.1, 0.4], [0.3, 0.2], [0.5, -0.3]])
    path = tmp_path / "network.png"
    fig = viz.plot_network([W], biases=[[0.1, -0.2]], path=path, dpi=DPI)
    assert_png(path)
    ax = fig.axes[0]
    assert ax.get_title() == "Network 4-2: 8 weights, 2 biases"
    (edges,) = ax.collections[:1]
    assert len(edges.get_segments()) == 8
    widths = edges.get_linewidths()
    assert widths[np.argmax(np.abs(W.ravel()))] == max(widths)  # |w| = 0.5 is the widest
    colours = edges.get_colors()[:, :3]
    blue = matplotlib.colors.to_rgb(viz.network.POSITIVE)
    assert [tuple(c) == blue for c in colours] == [w > 0 for w in W.ravel()]
    texts = [t.get_text() for t in ax.texts]
    assert "-0.5" in texts and "b=0.1" in texts  # small nets show every value
    assert [t.get_text() for t in fig.legends[0].get_texts()][:2] == [
        "positive weight", "negative weight"]


def test_plot_network_from_a_module_names_the_activations():
    net = nn.Sequential(nn.Linear(2, 4, rng=0), nn.Tanh(), nn.Dense(1, activation="sigmoid"))
    net.build((None, 2))
    fig = viz.plot_network(net)
    ax = fig.axes[0]
    assert ax.get_title() == "Network 2-4-1: 12 weights, 5 biases"
    names = [t.get_text() for t in ax.texts if "unit" in t.get_text()]
    assert names == ["input\n(2 units)", "hidden 1: tanh\n(4 units)", "output: sigmoid\n(1 unit)"]


def test_plot_network_refuses_wide_or_mismatched_nets():
    with pytest.raises(ValueError, match=r"layer 1 has 64 units.*plot_weights"):
        viz.plot_network([np.ones((4, 64)), np.ones((64, 2))])
    with pytest.raises(ValueError, match=r"weight 1 has shape \(5, 2\).*has 3 outputs"):
        viz.plot_network([np.ones((4, 3)), np.ones((5, 2))])
    with pytest.raises(ValueError, match="has no weights yet"):
        viz.plot_network(nn.Sequential(nn.Dense(3)))
    with pytest.raises(ValueError, match="expected 2 layer_names"):
        viz.plot_network([np.ones((2, 1))], layer_names=["in", "hidden", "out"])


# ----------------------------------------------------------------------------- gradient flow


def deep_net(activation: str, initializer: str) -> nn.Sequential:
    layers = [nn.Dense(16, activation=activation, input_dim=8, kernel_initializer=initializer,
                       rng=0)]
    layers += [nn.Dense(16, activation=activation, kernel_initializer=initializer, rng=k)
               for k in range(1, 6)]
    layers.append(nn.Dense(1, kernel_initializer=initializer, rng=9))
    net = nn.Sequential(layers)
    net.build((None, 8))
    return net


def record_gradient_norms(net, X, y, steps: int = 4) -> list:
    opt = optim.SGD(net.parameters(), lr=0.1)
    norms = []
    for _ in range(steps):
        opt.zero_grad()
        loss = F.binary_cross_entropy_with_logits(net(X), y)
        loss.backward()
        norms.append(viz.gradient_norms(net))
        opt.step()
    return norms


def test_gradient_flow_shows_vanishing_gradients_with_sigmoid_not_with_relu(tmp_path):
    rng = np.random.default_rng(0)
    X = rng.normal(size=(64, 8)).astype(np.float32)
    y = (X[:, 0] * X[:, 1] > 0).astype(np.float32).reshape(-1, 1)
    sigmoid = record_gradient_norms(deep_net("sigmoid", "glorot_uniform"), X, y)
    relu = record_gradient_norms(deep_net("relu", "he_normal"), X, y)
    assert list(sigmoid[0]) == [f"{k}.weight" for k in range(7)]

    def first_over_last(norms):
        return np.mean([step["0.weight"] / step["6.weight"] for step in norms])

    # backprop multiplies by sigmoid' <= 0.25 per layer: six layers shrink it ~1000x
    assert first_over_last(sigmoid) < 0.01
    assert first_over_last(relu) > 0.1

    path = tmp_path / "gradient_flow.png"
    fig = viz.plot_gradient_flow({"sigmoid, 6 hidden layers": sigmoid,
                                  "relu + He init, 6 hidden layers": relu},
                                 path=path, dpi=DPI)
    assert_png(path)
    assert [ax.get_title() for ax in fig.axes] == ["sigmoid, 6 hidden layers",
                                                    "relu + He init, 6 hidden layers"]
    assert all(ax.get_yscale() == "log" for ax in fig.axes)
    assert legend_texts(fig.axes[0]) == [f"{k}.weight" for k in range(7)]
    first_line = fig.axes[0].lines[0]
    np.testing.assert_allclose(first_line.get_ydata(), [s["0.weight"] for s in sigmoid])
    assert "vanishing gradients" in fig.get_suptitle()


def test_gradient_norms_of_a_linear_layer():
    layer = nn.Linear(2, 1, rng=0)
    with pytest.raises(ValueError, match="call loss.backward\\(\\) first"):
        viz.gradient_norms(layer)
    layer(gn.tensor([[3.0, 4.0]])).sum().backward()  # dL/dW = x^T, dL/db = 1
    assert viz.gradient_norms(layer) == {"weight": 5.0}
    assert viz.gradient_norms(layer, biases=True) == {"weight": 5.0, "bias": 1.0}


def test_plot_gradient_flow_accepts_both_layouts_and_rejects_zeros():
    per_step = [{"a": 1.0, "b": 0.1}, {"a": 2.0, "b": 0.2}]
    per_layer = {"a": [1.0, 2.0], "b": [0.1, 0.2]}
    for norms in (per_step, per_layer):
        fig = viz.plot_gradient_flow(norms)
        assert [list(line.get_ydata()) for line in fig.axes[0].lines] == [[1, 2], [0.1, 0.2]]
    with pytest.raises(ValueError, match="every gradient norm is 0"):
        viz.plot_gradient_flow({"a": [0.0, 0.0]})
    with pytest.raises(ValueError, match="non-negative numbers"):
        viz.plot_gradient_flow({"a": [-1.0]})


# ----------------------------------------------------------------------------- weights


def test_plot_weights_one_panel_per_layer(tmp_path):
    net = nn.Sequential(nn.Linear(4, 8, rng=0), nn.ReLU(), nn.Linear(8, 3, rng=1))
    path = tmp_path / "weights.png"
    fig = viz.plot_weights(net, bins=12, path=path, dpi=DPI)
    assert_png(path)
    assert [ax.get_title() for ax in fig.axes] == ["layer 0 (Linear)", "layer 2 (Linear)"]
    ax = fig.axes[0]
    labels = legend_texts(ax)
    assert labels[0].startswith("weight (4, 8), std ") and labels[1].startswith("bias (8,)")
    counts = [patch.get_height() for patch in ax.patches[:12]]
    assert sum(counts) == 32  # every one of the 4 x 8 weights is counted once


def test_plot_weights_from_a_dict_and_errors():
    fig = viz.plot_weights({"W1": np.ones((3, 2)), "b1": np.zeros(2)})
    assert [ax.get_title() for ax in fig.axes] == ["W1", "b1"]
    with pytest.raises(ValueError, match="no parameters"):
        viz.plot_weights(nn.Sequential(nn.Dense(3)))
    with pytest.raises(ValueError, match="bins must be a positive integer"):
        viz.plot_weights({"W": np.ones(3)}, bins=0)


# ----------------------------------------------------------------------------- saving


SMALL_CALLS = {
    "plot_activations": lambda path: viz.plot_activations(["relu"], path=path, dpi=DPI),
    "plot_history": lambda path: viz.plot_history({"loss": [1.0, 0.5]}, path=path, dpi=DPI),
    "plot_decision_boundary": lambda path: viz.plot_decision_boundary(
        lambda X: X[:, 0], np.array([[0.0, 0.0], [1.0, 1.0]]), [0, 1], resolution=10,
        path=path, dpi=DPI),
    "plot_confusion_matrix": lambda path: viz.plot_confusion_matrix(np.eye(2), path=path,
                                                                     dpi=DPI),
    "plot_digits": lambda path: viz.plot_digits(np.eye(4), path=path, dpi=DPI),
    "plot_network": lambda path: viz.plot_network([np.ones((2, 1))], path=path, dpi=DPI),
    "plot_gradient_flow": lambda path: viz.plot_gradient_flow({"a": [1.0]}, path=path, dpi=DPI),
    "plot_weights": lambda path: viz.plot_weights({"W": np.arange(5.0)}, path=path, dpi=DPI),
}


@pytest.mark.parametrize("name", sorted(SMALL_CALLS))
def test_saving_into_a_missing_directory_is_a_clear_error(tmp_path, name):
    target = tmp_path / "no-such-dir" / "plot.png"
    with pytest.raises(FileNotFoundError, match=f"{name}: cannot save .* does not exist"):
        SMALL_CALLS[name](target)
    assert not (tmp_path / "no-such-dir").exists()


def test_saving_replaces_a_file_and_follows_the_suffix(tmp_path):
    path = tmp_path / "plot.png"
    path.write_bytes(b"old")
    SMALL_CALLS["plot_history"](path)
    assert_png(path)
    assert os.listdir(tmp_path) == ["plot.png"]  # no temporary file left behind
    svg = tmp_path / "plot.svg"
    SMALL_CALLS["plot_history"](svg)
    assert svg.read_text().lstrip().startswith("<?xml")
    with pytest.raises(ValueError, match="unknown image format 'bmpx'"):
        SMALL_CALLS["plot_history"](tmp_path / "plot.bmpx")


# ----------------------------------------------------------------------------- optional matplotlib


@pytest.mark.parametrize("name", sorted(SMALL_CALLS))
def test_without_matplotlib_each_plot_says_which_extra_to_install(monkeypatch, name):
    monkeypatch.setitem(sys.modules, "matplotlib", None)  # makes "import matplotlib" fail
    with pytest.raises(ImportError, match=r"plotting needs matplotlib: pip install "
                                          r"'glassnet\[plot\]'"):
        SMALL_CALLS[name](None)


def test_importing_glassnet_viz_does_not_import_matplotlib():
    code = "import sys, glassnet.viz; print('matplotlib' in sys.modules)"
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                            check=True)
    assert result.stdout.strip() == "False"


def test_gradient_norms_of_huge_float32_gradients_do_not_overflow():
    net = nn.Linear(2, 2, rng=0)
    net.weight.grad = np.full((2, 2), 1e30, dtype=np.float32)  # a diverging run: squares > max
    norms = viz.gradient_norms(net)
    assert norms["weight"] == pytest.approx(2e30, rel=1e-6)


def test_decision_boundary_names_classes_and_axes(tmp_path):
    X, y = make_moons(60, noise=0.1, random_state=0)
    fig = viz.plot_decision_boundary(lambda X: X[:, 1], X, y, resolution=30,
                                     class_names=["fail", "pass"],
                                     feature_names=("hours studied", "hours slept"))
    ax = fig.axes[0]
    assert legend_texts(ax)[:2] == ["fail", "pass"]
    assert (ax.get_xlabel(), ax.get_ylabel()) == ("hours studied", "hours slept")
    fig = viz.plot_decision_boundary(lambda X: X[:, 1], X, y, resolution=30,
                                     class_names={0: "no", 1: "yes"})
    assert legend_texts(fig.axes[0])[:2] == ["no", "yes"]
    with pytest.raises(ValueError, match="no name for class 1"):
        viz.plot_decision_boundary(lambda X: X[:, 1], X, y, resolution=30, class_names=["a"])
    with pytest.raises(ValueError, match="feature_names must be two names"):
        viz.plot_decision_boundary(lambda X: X[:, 1], X, y, resolution=30, feature_names="ab")
