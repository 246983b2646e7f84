"""glassnet demo: the digits classifier, its report and its files (run once per module)."""

import contextlib
import csv
import io
import json
import re
import sys

import numpy as np
import pytest

import glassnet as gn
from glassnet.cli import main
from tests.cli.helpers import PNG_SIGNATURE

pytestmark = pytest.mark.slow

FILES = ["model.glassnet", "test.csv", "metrics.json", "history.json"]
PLOTS = ["history.png", "confusion_matrix.png", "digits.png", "weights.png"]


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    """(exit code, stdout, output folder) of ``glassnet demo --out DIR --quiet``.

    scikit-learn is hidden while it runs: the demo must work with the default install.
    """
    folder = tmp_path_factory.mktemp("demo") / "glassnet-demo"
    stdout = io.StringIO()
    hidden = sys.modules.get("sklearn", "absent")
    sys.modules["sklearn"] = None  # (patching all of sys.modules would drop what the demo
    try:                           # imports, e.g. matplotlib, and break later tests)
        with contextlib.redirect_stdout(stdout):
            code = main(["demo", "--out", str(folder), "--quiet"])
    finally:
        if hidden == "absent":
            del sys.modules["sklearn"]
        else:
            sys.modules["sklearn"] = hidden
    return code, stdout.getvalue(), folder


def test_demo_reports_summary_accuracy_and_confusion_matrix(demo):
    code, out, _ = demo
    assert code == 0
    assert "Digits: 1797 handwritten digits of 8x8 pixels (built in); training on 1437, " \
           "testing on 360" in out
    shapes = re.findall(r"\(Dense\)\s+\(None, (\d+)\)", out)
    assert shapes == ["128", "64", "10"] and "Total params: 17,226" in out
    accuracy_line = next(line for line in out.splitlines() if line.startswith("Test accuracy"))
    accuracy = float(accuracy_line.split()[2])
    assert accuracy >= 0.97
    lines = out.splitlines()
    start = lines.index("Confusion matrix (rows: true digit, columns: predicted digit):")
    assert lines[start + 1].split()[3:] == [str(d) for d in range(10)]
    matrix = np.array([[int(v) for v in line.split()[1:]] for line in lines[start + 2:
                                                                              start + 12]])
    assert matrix.sum() == 360
    assert np.trace(matrix) / 360 == pytest.approx(accuracy, abs=1e-4)


def test_demo_writes_its_files(demo):
    _, out, folder = demo
    for name in FILES:
        assert (folder / name).is_file(), name
    metrics = json.loads((folder / "metrics.json").read_text())
    assert metrics["test_accuracy"] >= 0.97 and metrics["seed"] == 0
    assert metrics["epochs"] == 40 and metrics["test_rows"] == 360
    assert np.trace(metrics["confusion_matrix"]) / 360 == pytest.approx(
        metrics["test_accuracy"])
    history = json.loads((folder / "history.json").read_text())
    assert sorted(history) == ["accuracy", "loss", "val_accuracy", "val_loss"]
    assert len(history["loss"]) == 40 and history["loss"][-1] < history["loss"][0] / 10
    assert f"Wrote into {folder}" in out


def test_demo_writes_its_plots(demo):
    pytest.importorskip("matplotlib")
    _, _, folder = demo
    for name in PLOTS:
        data = (folder / name).read_bytes()
        assert data[:8] == PNG_SIGNATURE, name
        assert len(data) > 10_000, name


def test_demo_model_reads_raw_pixels_of_test_csv(demo):
    _, _, folder = demo
    with open(folder / "test.csv", newline="") as file:
        rows = list(csv.reader(file))
    assert rows[0][:2] == ["pixel_0_0", "pixel_0_1"] and rows[0][-1] == "digit"
    table = np.array(rows[1:], dtype=np.float32)
    X, y = table[:, :-1], table[:, -1].astype(int)
    assert X.shape == (360, 64) and X.max() == 16.0
    model = gn.load(folder / "model.glassnet")
    accuracy = float((model.predict(X).argmax(axis=1) == y).mean())
    metrics = json.loads((folder / "metrics.json").read_text())
    assert accuracy == pytest.approx(metrics["test_accuracy"])


def test_demo_output_feeds_predict_and_explain(demo, cli):
    _, _, folder = demo
    result = cli("evaluate", folder / "model.glassnet", folder / "test.csv")
    assert result.code == 0, result.err
    metrics = json.loads((folder / "metrics.json").read_text())
    assert f"accuracy: {metrics['test_accuracy']:.4f}" in result.out
    result = cli("explain", folder / "model.glassnet", folder / "test.csv", "--row", "0")
    assert result.code == 0, result.err
    assert "Dense, 64 inputs -> 128 units, activation relu" in result.out
    assert "... (126 more units)" in result.out  # wide layers are summarised without --all


def test_demo_without_matplotlib_skips_the_plots(cli, tmp_path):
    hidden = sys.modules.get("matplotlib")
    sys.modules["matplotlib"] = None  # import matplotlib now raises ImportError
    try:
        result = cli("demo", "--out", tmp_path / "demo", "--epochs", "1", "--quiet")
    finally:
        if hidden is None:
            del sys.modules["matplotlib"]
        else:
            sys.modules["matplotlib"] = hidden
    assert result.code == 0, result.err
    assert "(plots skipped: plotting needs matplotlib: pip install 'glassnet[plot]')" in \
        result.out
    assert sorted(p.name for p in (tmp_path / "demo").iterdir()) == sorted(FILES)
