"""The examples/ scripts: each runs in fast mode and shows what its docstring says.

Every example is imported from its file and ``main(fast=True, out_dir=tmp_path)`` is run;
the tests assert on the numbers it returns (convergence, gradients equal to the hand
calculation, accuracies, dead units) and on the PNGs it writes. The accuracy thresholds are
the ones the fast modes reach with their fixed seeds, with a margin.
"""

import gzip
import importlib.util
import inspect
import pathlib
import struct
import subprocess
import sys

import numpy as np
import pytest

EXAMPLES = pathlib.Path(__file__).resolve().parent.parent / "examples"
NAMES = sorted(path.stem for path in EXAMPLES.glob("*.py"))
HAS_MATPLOTLIB = importlib.util.find_spec("matplotlib") is not None
HAS_SKLEARN = importlib.util.find_spec("sklearn") is not None
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


def load_example(name: str):
    """Import examples/<name>.py as a module (the folder is not a package)."""
    spec = importlib.util.spec_from_file_location(f"glassnet_example_{name}",
                                                  EXAMPLES / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def check_plots(paths, out_dir, expected_names) -> None:
    """The example wrote these PNGs into out_dir, each valid and not blank."""
    if not HAS_MATPLOTLIB:
        assert paths == []
        return
    assert sorted(pathlib.Path(p).name for p in paths) == sorted(expected_names)
    import matplotlib.image

    for path in paths:
        path = pathlib.Path(path)
        assert path.parent == pathlib.Path(out_dir)
        with open(path, "rb") as file:
            assert file.read(8) == PNG_SIGNATURE, path
        image = matplotlib.image.imread(path)
        height, width = image.shape[:2]
        assert 150 <= height <= 2000 and 300 <= width <= 2000, (path, image.shape)
        rgb = np.round(image[..., :3] * 255).astype(np.uint32).reshape(-1, 3)
        colours = (rgb[:, 0] << 16) | (rgb[:, 1] << 8) | rgb[:, 2]   # one number per colour
        assert len(np.unique(colours)) > 50, path   # lines, text, colours: not a blank image
        assert rgb.std() > 10, path


# ----------------------------------------------------------------------------- every file


@pytest.mark.parametrize("name", NAMES)
def test_each_example_has_a_docstring_a_main_and_a_command_line(name):
    source = (EXAMPLES / f"{name}.py").read_text()
    module = load_example(name)
    assert module.__doc__ and "What it teaches" in module.__doc__
    assert f"uv run python examples/{name}.py" in module.__doc__
    parameters = inspect.signature(module.main).parameters
    assert list(parameters)[:2] == ["fast", "out_dir"]
    assert parameters["fast"].default is False and parameters["out_dir"].default is None
    assert 'if __name__ == "__main__":' in source
    assert '"--fast"' in source and '"--out"' in source
    assert max(len(line) for line in source.splitlines()) <= 100


def test_the_readme_lists_every_example_with_its_command():
    readme = (EXAMPLES / "README.md").read_text()
    assert len(NAMES) >= 9
    for name in NAMES:
        assert f"uv run python examples/{name}.py" in readme, name


# ----------------------------------------------------------------------------- the examples


def test_perceptron_gates(tmp_path):
    result = load_example("perceptron_gates").main(fast=True, out_dir=tmp_path)
    # AND, by hand: mistakes 2, 3, 3, 2, 1, 0 and the line 0.2 x1 + 0.1 x2 - 0.3 = 0
    assert result["and_errors"] == [2, 3, 3, 2, 1, 0]
    assert result["and_converged"] and result["and_epochs"] == 6
    np.testing.assert_allclose(result["and_weights"], [0.2, 0.1], rtol=1e-6)
    assert result["and_bias"] == pytest.approx(-0.3, rel=1e-6)
    assert result["and_weights_per_epoch"] == [[0.1, 0.1], [0.2, 0.1], [0.2, 0.1],
                                               [0.2, 0.2], [0.2, 0.1], [0.2, 0.1]]
    assert result["and_bias_per_epoch"] == [0.0, -0.1, -0.2, -0.2, -0.3, -0.3]
    # XOR: never converges; the weights repeat from epoch 2 on; half the points wrong
    assert not result["xor_converged"]
    assert len(result["xor_errors"]) == 10 and min(result["xor_errors"]) > 0
    assert result["xor_cycle"] == (2, 3)
    assert result["xor_accuracy"] == 0.5
    # ... but two layers of perceptrons (OR, NAND -> AND) compute it
    assert result["xor_two_layer_predictions"] == result["xor_targets"] == [0, 1, 1, 0]
    check_plots(result["plots"], tmp_path, ["perceptron_gates.png"])


def test_two_node_layer_matches_the_hand_arithmetic(tmp_path, capsys):
    result = load_example("two_node_layer").main(fast=True, out_dir=tmp_path)
    np.testing.assert_allclose(result["z"], [0.95, -1.3], rtol=1e-6)
    np.testing.assert_allclose(result["a"], [0.95, 0.0], atol=1e-7)
    assert result["loss"] == pytest.approx(0.00125, rel=1e-4)     # ((0.95 - 1)^2 + 0) / 2
    np.testing.assert_allclose(result["grad_z"], [-0.05, 0.0], atol=1e-6)
    # dL/dW[i, j] = x_i * dL/dz_j: the switched-off node gets nothing
    np.testing.assert_allclose(result["grad_weight"],
                               [[-0.05, 0], [-0.025, 0], [0.05, 0], [-0.1, 0]], atol=1e-6)
    np.testing.assert_allclose(result["grad_bias"], [-0.05, 0.0], atol=1e-6)
    np.testing.assert_allclose(result["grad_input"], [-0.01, 0.005, -0.015, -0.025],
                               atol=1e-6)
    assert result["loss_after_step"] == pytest.approx(9.453125e-05, rel=1e-3)
    assert max(result["differences"].values()) < 1e-6
    assert result["hand"]["z"] == pytest.approx([0.95, -1.3])
    out = capsys.readouterr().out
    assert "z1 = 1.0*0.2 + 0.5*(-0.1) + (-1.0)*0.3 + 2.0*0.5 + 0.1 = 0.95" in out
    assert "All equal" in out
    check_plots(result["plots"], tmp_path, ["two_node_network.png"])


def test_linear_regression_converges_to_the_least_squares_line(tmp_path):
    result = load_example("linear_regression").main(fast=True, out_dir=tmp_path)
    autograd, formula = result["first_gradient"]["autograd"], result["first_gradient"]["formula"]
    np.testing.assert_allclose(autograd, formula, rtol=1e-5)
    losses = result["loss"]
    assert len(losses) == 1000
    assert losses[0] > 100 and losses[-1] < 0.3                       # noise std 0.5: 0.25
    assert all(later <= earlier + 1e-4 for earlier, later in zip(losses, losses[1:]))
    best_m, best_b = result["least_squares"]
    assert result["m"] == pytest.approx(best_m, abs=2e-3)
    assert result["b"] == pytest.approx(best_b, abs=1e-2)
    assert result["m"] == pytest.approx(2.0, abs=0.05)
    assert result["b"] == pytest.approx(1.0, abs=0.1)
    assert losses[-1] == pytest.approx(result["least_squares_loss"], rel=1e-3)
    too_large = result["too_large_lr_loss"]                            # lr 0.03 diverges
    assert too_large[-1] > 100 * too_large[0]
    check_plots(result["plots"], tmp_path, ["linear_regression.png"])


def test_xor_from_scratch_and_glassnet_give_the_same_numbers(tmp_path):
    result = load_example("xor_from_scratch").main(fast=True, out_dir=tmp_path)
    assert max(result["gradient_differences"].values()) < 1e-12
    np.testing.assert_allclose(result["glassnet_losses"], result["numpy_losses"],
                               rtol=1e-9, atol=1e-12)
    assert result["weight_difference"] < 1e-9
    assert result["numpy_losses"][0] > 0.6 and result["numpy_losses"][-1] < 0.1
    assert result["predictions"] == result["targets"] == [0, 1, 1, 0]
    outputs = np.array(result["glassnet_output"])
    assert np.all(np.abs(outputs - np.array([0, 1, 1, 0])) < 0.2)
    check_plots(result["plots"], tmp_path, ["xor_from_scratch.png"])


def test_students_pass_fail(tmp_path, capsys):
    result = load_example("students_pass_fail").main(fast=True, out_dir=tmp_path)
    tutorial = result["tutorial"]
    assert tutorial["n_test"] == 5
    assert tutorial["test_accuracy"] in {0.0, 0.2, 0.4, 0.6, 0.8, 1.0}
    assert 0 < tutorial["test_loss"] < 5
    assert len(tutorial["new_students"]) == 3
    assert all(0 < p < 1 for p in tutorial["new_students"])
    assert len(tutorial["history"]["loss"]) == 200
    assert tutorial["history"]["loss"][-1] < tutorial["history"]["loss"][0]
    histories = result["raw_vs_scaled"]
    assert histories["standardised"]["loss"][-1] < histories["raw hours"]["loss"][-1]
    assert histories["standardised"]["accuracy"][-1] >= 0.8
    loo = result["leave_one_out"]
    assert set(loo) == {50, 200}
    assert loo[50]["accuracy"] >= 0.8
    # the two students who break the pattern ([8, 6] failed, [3, 4] passed) are
    # mispredicted whenever they are left out
    for run in loo.values():
        assert {9, 11} <= set(run["wrong"])
    assert "Total params: 21" in capsys.readouterr().out
    check_plots(result["plots"], tmp_path, ["students_training.png", "students_boundary.png"])


def test_digits_three_ways(tmp_path):
    result = load_example("digits_three_ways").main(fast=True, out_dir=tmp_path)
    accuracies = result["accuracies"]
    assert accuracies["keras"] >= 0.88
    assert accuracies["pytorch"] >= 0.88
    if HAS_SKLEARN:
        assert accuracies["sklearn"] >= 0.85
    else:
        assert accuracies["sklearn"] is None
    assert len(result["history"]["loss"]) == 5 and "val_accuracy" in result["history"]
    assert result["pytorch_losses"][-1] < result["pytorch_losses"][0] / 3
    matrix = result["confusion_matrix"]
    assert matrix.shape == (10, 10) and matrix.sum() == 360
    assert np.trace(matrix) / 360 == pytest.approx(accuracies["keras"])
    check_plots(result["plots"], tmp_path,
                ["keras_history.png", "confusion_matrix.png", "pytorch_mistakes.png"])


def test_digits_without_scikit_learn_skips_that_part_with_a_message(monkeypatch, capsys):
    example = load_example("digits_three_ways")
    monkeypatch.setitem(sys.modules, "glassnet.sklearn", None)     # import now fails
    X = np.zeros((4, 64), dtype=np.float32)
    y = np.array([0, 1, 0, 1])
    assert example.sklearn_style(X, y, X, y, max_iter=1) == (None, None)
    assert "scikit-learn style: skipped" in capsys.readouterr().out


def test_activation_explorer(tmp_path):
    example = load_example("activation_explorer")
    result = example.main(fast=True, out_dir=tmp_path)
    names = ["sigmoid", "tanh", "relu", "leaky_relu", "elu", "gelu"]
    assert list(result["final_loss"]) == names
    assert all(len(losses) == 3 for losses in result["losses"].values())
    # sigmoid: stuck at chance (log 10 = 2.30); the others learn
    assert result["final_loss"]["sigmoid"] > 2.2
    assert result["test_accuracy"]["sigmoid"] < 0.2
    for name in ("tanh", "relu", "leaky_relu", "elu"):
        assert result["final_loss"][name] < 1.5, name
    assert result["test_accuracy"]["tanh"] > 0.8 and result["test_accuracy"]["elu"] > 0.8
    # vanishing gradients: sigmoid's first layer gets < 1% of the last layer's gradient
    assert result["gradient_ratio"]["sigmoid"] < 0.01
    for name in ("tanh", "relu", "leaky_relu", "elu", "gelu"):
        assert result["gradient_ratio"][name] > 0.5, name
    # dead units: only relu can have them; lr 1.0 kills many more
    for name in names:
        assert len(result["dead"][name]) == 4
    for name in ("sigmoid", "tanh", "leaky_relu", "elu", "gelu"):
        assert result["dead"][name] == [0.0] * 4, name
    assert max(result["dead"]["relu"]) < 0.25
    assert np.mean(result["dying_relu"]["dead"]) > 2 * np.mean(result["dead"]["relu"])
    assert np.mean(result["dying_relu"]["dead"]) > 0.3
    check_plots(result["plots"], tmp_path,
                ["activations.png", "loss_curves.png", "gradient_flow.png"])


def test_activation_explorer_counts_dead_units_with_autograd():
    import glassnet as gn
    from glassnet import nn

    example = load_example("activation_explorer")
    net = example.build_network("relu")
    first = net[0]
    with gn.no_grad():
        first.bias.data[:] = 1000.0            # every unit of layer 1 fires for any input ...
        first.bias.data[:5] = -1000.0          # ... except these 5 of 32, which never can
    fractions = example.dead_fractions(net, np.random.default_rng(0).random((50, 64)))
    assert isinstance(net[1], nn.ReLU)
    assert fractions[0] == 5 / 32


def test_hyperparameter_tuner(tmp_path):
    example = load_example("hyperparameter_tuner")
    result = example.main(fast=True, out_dir=tmp_path)
    table = result["results"]
    assert [row["trial"] for row in table] == [1, 2, 3, 4]
    grid = example.all_combinations(example.SEARCH_SPACE)
    assert len(grid) == 54
    settings = [tuple((key, row[key]) for key in example.SEARCH_SPACE) for row in table]
    assert len(set(settings)) == 4                                  # no trial repeated
    for row in table:
        assert {key: row[key] for key in example.SEARCH_SPACE} in grid
        assert 0.5 < row["val_accuracy"] <= 1.0
    best = max(table, key=lambda row: (row["val_accuracy"], -row["val_loss"]))
    assert result["best"] == {key: best[key] for key in example.SEARCH_SPACE}
    assert result["best_val_accuracy"] == best["val_accuracy"] >= 0.9
    assert result["test_accuracy"] >= 0.85
    check_plots(result["plots"], tmp_path, ["hyperparameter_search.png"])


def test_convnet_digits(tmp_path):
    result = load_example("convnet_digits").main(fast=True, out_dir=tmp_path)
    assert result["parameters"] == 160 + 4640 + 1290     # the summary's counts
    assert len(result["history"]["loss"]) == 4
    assert result["history"]["loss"][-1] < result["history"]["loss"][0] / 2
    assert result["test_accuracy"] >= 0.85
    check_plots(result["plots"], tmp_path, ["convnet_history.png", "convnet_filters.png"])


# ----------------------------------------------------------------------------- MNIST IDX


def write_idx(path, magic, array, gz=False):
    """An IDX file as MNIST ships it: magic, one big-endian uint32 per dimension, bytes."""
    content = struct.pack(f">I{array.ndim}I", magic, *array.shape) + array.tobytes()
    path.write_bytes(gzip.compress(content) if gz else content)
    return path


def tiny_mnist(n, seed):
    """n 12x12 images of 10 classes: a bright 2x2 block at a place that depends on the class."""
    rng = np.random.default_rng(seed)
    labels = np.arange(n) % 10
    images = rng.integers(0, 40, size=(n, 12, 12))
    for k in range(10):
        row, column = divmod(k, 4)
        images[labels == k, 1 + 3 * row:3 + 3 * row, 1 + 3 * column:3 + 3 * column] = 255
    return images.astype(np.uint8), labels.astype(np.uint8)


@pytest.fixture
def mnist_dir(tmp_path):
    folder = tmp_path / "mnist"
    folder.mkdir()
    images, labels = tiny_mnist(300, seed=0)
    write_idx(folder / "train-images-idx3-ubyte.gz", 0x803, images, gz=True)
    write_idx(folder / "train-labels-idx1-ubyte.gz", 0x801, labels, gz=True)
    images, labels = tiny_mnist(100, seed=1)
    write_idx(folder / "t10k-images-idx3-ubyte", 0x803, images)
    write_idx(folder / "t10k-labels-idx1-ubyte", 0x801, labels)
    return folder


def test_mnist_idx_trains_on_the_files_in_a_directory(tmp_path, mnist_dir):
    out = tmp_path / "plots"
    result = load_example("mnist_idx").main(fast=True, out_dir=out, data_dir=mnist_dir)
    assert result["n_train"] == 300 and result["n_test"] == 100
    assert result["image_shape"] == (12, 12)
    assert result["test_accuracy"] >= 0.9
    assert len(result["history"]["loss"]) == 5
    check_plots(result["plots"], out,
                ["mnist_history.png", "mnist_confusion_matrix.png", "mnist_mistakes.png"])


def test_mnist_idx_with_one_pair_of_files_holds_out_a_test_set(mnist_dir):
    result = load_example("mnist_idx").main(
        fast=True, images=mnist_dir / "train-images-idx3-ubyte.gz",
        labels=mnist_dir / "train-labels-idx1-ubyte.gz")
    assert result["n_train"] == 240 and result["n_test"] == 60     # 20% held out
    assert result["test_accuracy"] >= 0.8
    assert result["plots"] == []


def test_mnist_idx_without_files_says_where_to_get_them(tmp_path, capsys):
    example = load_example("mnist_idx")
    with pytest.raises(FileNotFoundError, match="no MNIST directory .*does not download"):
        example.main(fast=True, data_dir=tmp_path / "missing")
    with pytest.raises(FileNotFoundError, match=r"no MNIST training files \(train-images"):
        example.main(fast=True, data_dir=tmp_path)                  # exists, but empty
    assert example.cli(["--dir", str(tmp_path), "--fast"]) == 1
    assert "does not download" in capsys.readouterr().err
    with pytest.raises(SystemExit) as usage:                         # argparse: status 2
        example.cli(["--images", str(tmp_path / "x")])
    assert usage.value.code == 2


def test_mnist_idx_reports_a_bad_file_in_one_line(tmp_path, mnist_dir, capsys):
    example = load_example("mnist_idx")
    swapped = ["--images", str(mnist_dir / "train-labels-idx1-ubyte.gz"),
               "--labels", str(mnist_dir / "train-images-idx3-ubyte.gz")]
    assert example.cli(swapped) == 1
    err = capsys.readouterr().err
    assert "were images and labels swapped?" in err and len(err.strip().splitlines()) == 1


def test_mnist_idx_as_a_script_exits_with_status_1_without_files(tmp_path):
    completed = subprocess.run(
        [sys.executable, str(EXAMPLES / "mnist_idx.py"), "--dir", str(tmp_path / "none")],
        capture_output=True, text=True, timeout=120, cwd=tmp_path)
    assert completed.returncode == 1
    assert completed.stdout == ""
    assert completed.stderr.startswith("mnist_idx: no MNIST directory")
    assert "train-images-idx3-ubyte.gz" in completed.stderr
    assert len(completed.stderr.strip().splitlines()) == 1
