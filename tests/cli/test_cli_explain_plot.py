"""glassnet explain and glassnet plot."""

import numpy as np
import pytest

from tests.cli.helpers import PNG_SIGNATURE, SPECIES, write_csv


def fmt(value) -> str:
    """A number as explain prints it here (4 significant digits, no trailing zeros)."""
    return f"{value:.4g}"


# ----------------------------------------------------------------------------- explain


def test_explain_two_node_prints_the_tutorials_numbers(cli):
    result = cli("explain", "--example", "two-node")
    assert result.code == 0, result.err
    text = result.out
    # the tutorials' layer, computed here by hand: Z = X.W + b, then ReLU(Z), MSE to [1, 0]
    x = np.array([1.0, 0.5, -1.0, 2.0])
    W = np.array([[0.2, -0.5], [-0.1, 0.4], [0.3, 0.2], [0.5, -0.3]])
    b = np.array([0.1, -0.2])
    t = np.array([1.0, 0.0])
    z = x @ W + b                       # [1*0.2 + 0.5*(-0.1) - 1*0.3 + 2*0.5 + 0.1, ...]
    a = np.maximum(0.0, z)
    loss = np.mean((a - t) ** 2)        # ((0.95 - 1)^2 + 0^2) / 2
    grad_a = 2 * (a - t) / 2
    grad_z = grad_a * (z > 0)
    grad_W = np.outer(x, grad_z)
    np.testing.assert_allclose(z, [0.95, -1.3])
    assert "z1 = 1.0*0.2 + 0.5*(-0.1) + (-1.0)*0.3 + 2.0*0.5 + 0.1 = 0.95" in text
    assert "z2 = 1.0*(-0.5) + 0.5*0.4 + (-1.0)*0.2 + 2.0*(-0.3) + (-0.2) = -1.3" in text
    assert f"z = [{fmt(z[0])}, {fmt(z[1])}]" in text
    assert f"a = relu(z) = max(0, z) = [{fmt(a[0])}, {a[1]:.1f}]" in text
    assert f"= {fmt(loss)}" in text and loss == pytest.approx(0.00125)
    assert f"dL/dz = dL/da * da/dz = [{fmt(grad_z[0])}, {grad_z[1]:.1f}]" in text
    assert f"dL/dW11 = x1 * dL/dz1 = 1.0 * ({fmt(grad_W[0, 0])}) = {fmt(grad_W[0, 0])}" in text
    new_w = W[0, 0] - 0.1 * grad_W[0, 0]  # one SGD step, lr 0.1: 0.2 - 0.1 * (-0.05)
    assert f"0.weight[0, 0]: 0.2 - 0.1 * ({fmt(grad_W[0, 0])}) = {fmt(new_w)}" in text


def test_explain_xor_and_perceptron_examples(cli):
    result = cli("explain", "--example", "xor")
    assert result.code == 0
    assert "XOR with a 2-2-1 sigmoid network" in result.out
    assert "Backward pass" in result.out
    result = cli("explain", "--example", "perceptron")
    assert result.code == 0
    assert result.out.strip().splitlines()[-1] == (
        "Converged in epoch 6: w = [0.2, 0.1], b = -0.3; predictions for AND: [0, 0, 0, 1]")


def test_explain_show_all(cli):
    short = cli("explain", "--example", "two-node").out
    full = cli("explain", "--example", "two-node", "--all").out
    assert "0.weight: ... (6 more)" in short
    assert "0.weight: ..." not in full and "0.weight[3, 1]: -0.3 - 0.1 * 0.0 = -0.3" in full


def test_explain_a_row_of_a_csv(cli, flower_model, data_dir):
    from glassnet.commands.models import load_model_file

    result = cli("explain", flower_model, data_dir / "flowers.csv", "--row", "2")
    assert result.code == 0, result.err
    lines = result.out.splitlines()
    row = (data_dir / "flowers.csv").read_text().splitlines()[3].split(",")
    label = row[-1]
    assert lines[0].endswith(f"flowers.csv (line 4 of the file, after the header), target "
                             f"species = {label} (class index {SPECIES.tolist().index(label)})")
    assert f"x = [{', '.join(str(float(v)) for v in row[:4])}]" in result.out
    assert "Backward pass" in result.out and "sparse categorical crossentropy" in result.out
    model, _ = load_model_file(flower_model)
    probabilities = model.predict(np.array([[float(v) for v in row[:4]]]))[0]
    assert lines[-1] == f"Predicted: {SPECIES[probabilities.argmax()]}"


def test_explain_row_out_of_range(cli, flower_model, data_dir):
    result = cli("explain", flower_model, data_dir / "flowers.csv", "--row", "90")
    assert result.code == 1
    assert "has 90 data rows (0 to 89); received --row 90" in result.one_line_error()


def test_explain_a_row_without_target_is_the_forward_pass(cli, flower_model, tmp_path):
    path = write_csv(tmp_path / "one.csv", ["a", "b", "c", "d"], [[0.1, 0.2, 0.3, 0.4]])
    result = cli("explain", flower_model, path)
    assert result.code == 0, result.err
    assert "Forward pass" in result.out and "Backward pass" not in result.out


# ----------------------------------------------------------------------------- plot


def assert_png(path):
    data = open(path, "rb").read()
    assert data[:8] == PNG_SIGNATURE
    assert len(data) > 5000  # a drawing, not an empty canvas


def test_plot_activations_and_history(cli, flower_model, data_dir, tmp_path):
    pytest.importorskip("matplotlib")
    out = tmp_path / "act.png"
    result = cli("plot", "activations", "--names", "relu,tanh", "--out", out)
    assert result.code == 0, result.err
    assert result.out == f"wrote {out}\n"
    assert_png(out)
    out = tmp_path / "history.png"
    assert cli("plot", "history", data_dir / "history.json", "--out", out).code == 0
    assert_png(out)


def test_plot_network_weights_confusion_and_boundary(cli, flower_model, moons_model,
                                                     data_dir, tmp_path):
    pytest.importorskip("matplotlib")
    for argv in (["network", flower_model], ["weights", flower_model],
                 ["confusion", flower_model, data_dir / "flowers.csv"],
                 ["decision-boundary", moons_model, data_dir / "moons.csv"]):
        out = tmp_path / f"{argv[0]}.png"
        result = cli("plot", *argv, "--out", out, "--dpi", "60")
        assert result.code == 0, result.err
        assert_png(out)


def test_plot_default_output_name(cli, flower_model, tmp_path, monkeypatch):
    pytest.importorskip("matplotlib")
    monkeypatch.chdir(tmp_path)
    assert cli("plot", "weights", flower_model).code == 0
    assert_png(tmp_path / "weights.png")


def test_plot_errors_are_one_line(cli, flower_model, data_dir, tmp_path):
    pytest.importorskip("matplotlib")
    result = cli("plot", "decision-boundary", flower_model, data_dir / "flowers.csv",
                 "--out", tmp_path / "b.png")
    assert result.code == 1
    assert "draws 2 features on a plane; the model reads 4 (a, b, c, d)" in \
        result.one_line_error()
    result = cli("plot", "history", tmp_path / "none.json")
    assert result.code == 1 and "none.json: no such file" in result.one_line_error()
    bad = tmp_path / "bad.json"
    bad.write_text("[1, 2]")
    result = cli("plot", "history", bad)
    assert result.code == 1 and "expected a JSON object" in result.one_line_error()
    result = cli("plot", "activations", "--names", "relu,wiggle", "--out", tmp_path / "a.png")
    assert result.code == 1 and "'wiggle'" in result.one_line_error()
    result = cli("plot", "weights", flower_model, "--out", tmp_path / "no" / "w.png")
    assert result.code == 1 and "does not exist" in result.one_line_error()
