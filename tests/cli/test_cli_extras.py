"""glassnet export, tune and bench: thin commands over optional parts."""

import importlib.util
import sys

import numpy as np
import pytest


def needs_module(name: str, reason: str):
    if importlib.util.find_spec(name) is None:
        pytest.skip(reason)


# ----------------------------------------------------------------------------- export


def test_export_onnx_matches_predict(cli, flower_model, data_dir, tmp_path):
    pytest.importorskip("onnx")
    needs_module("glassnet.io.onnx_export", "glassnet.io.onnx_export is not written yet")
    out = tmp_path / "flowers.onnx"
    result = cli("export", flower_model, "--onnx", out)
    assert result.code == 0, result.err
    assert result.out == f"wrote {out}\n"
    onnxruntime = pytest.importorskip("onnxruntime")
    from glassnet.commands.models import load_model_file

    model, info = load_model_file(flower_model)
    X = np.loadtxt(data_dir / "flowers.csv", delimiter=",", skiprows=1, usecols=range(4),
                   dtype=np.float32)
    session = onnxruntime.InferenceSession(str(out), providers=["CPUExecutionProvider"])
    (onnx_output,) = session.run(None, {session.get_inputs()[0].name: X})
    np.testing.assert_allclose(onnx_output, model.predict(X), rtol=1e-4, atol=1e-6)


def test_export_with_input_shape_and_errors(cli, flower_model, tmp_path):
    pytest.importorskip("onnx")
    needs_module("glassnet.io.onnx_export", "glassnet.io.onnx_export is not written yet")
    result = cli("export", flower_model, "--onnx", tmp_path / "m.onnx", "--input-shape", "1,4")
    assert result.code == 0, result.err
    result = cli("export", flower_model, "--onnx", tmp_path / "missing" / "m.onnx")
    assert result.code == 1 and "missing" in result.one_line_error()


def test_export_without_the_exporter_module(cli, flower_model, tmp_path, monkeypatch):
    monkeypatch.setitem(sys.modules, "glassnet.io.onnx_export", None)
    result = cli("export", flower_model, "--onnx", tmp_path / "m.onnx")
    assert result.code == 1
    assert "no ONNX exporter" in result.one_line_error()


# ----------------------------------------------------------------------------- tune


def test_tune_reports_the_best_trial_and_saves_it(cli, data_dir, tmp_path):
    pytest.importorskip("optuna")
    needs_module("glassnet.tuning", "glassnet.tuning is not written yet")
    storage = f"sqlite:///{tmp_path / 'tune.db'}"
    out = tmp_path / "best.glassnet"
    argv = ["tune", data_dir / "flowers.csv", "--target", "species", "--trials", "2",
            "--epochs", "2", "--storage", storage, "--study-name", "flowers"]
    result = cli(*argv, "--out", out)
    assert result.code == 0, result.err
    lines = result.out.splitlines()
    assert lines[0] == "study 'flowers': 2 trials (2 complete)"
    assert lines[1].startswith("best val_loss: ")
    assert {line.split(":")[0].strip() for line in lines[2:-1]} >= {"learning_rate",
                                                                    "n_layers", "units_0"}
    assert lines[-1] == f"saved {out} (the best settings, trained on all 90 rows)"
    predicted = cli("predict", out, data_dir / "flowers.csv")
    assert predicted.code == 0 and predicted.out.splitlines()[0] == "species,predicted_species"
    # the same study continues in the same storage
    result = cli(*argv)
    assert result.code == 0, result.err
    assert result.out.splitlines()[0] == "study 'flowers': 4 trials (4 complete)"


def test_tune_bad_storage_is_one_line(cli, data_dir):
    pytest.importorskip("optuna")
    needs_module("glassnet.tuning", "glassnet.tuning is not written yet")
    result = cli("tune", data_dir / "flowers.csv", "--target", "species", "--trials", "1",
                 "--storage", "tune.db")
    assert result.code == 1
    assert "storage must be a database URL" in result.one_line_error()


# ----------------------------------------------------------------------------- bench


def test_bench_forwards_its_arguments(cli, monkeypatch):
    from glassnet.commands import bench

    calls = []

    class FakeSuite:
        @staticmethod
        def main(argv, prog):
            calls.append((argv, prog))
            return 0

    monkeypatch.setattr(bench, "import_benchmarks", lambda: FakeSuite)
    result = cli("bench", "--quick", "--cases", "1,2", "--debug")
    assert result.code == 0
    assert calls == [(["--quick", "--cases", "1,2", "--debug"], "glassnet bench")]


def test_bench_help_is_the_suites_help(cli):
    from glassnet.commands.bench import import_benchmarks

    try:
        import_benchmarks()
    except Exception:
        pytest.skip("the benchmarks package is not in this checkout")
    result = cli("bench", "--help")
    assert result.code == 0
    assert "usage: glassnet bench" in result.out and "example: glassnet bench" in result.out
    result = cli("bench", "--cases", "99")
    assert result.code == 2 and "unknown case" in result.err


def test_bench_outside_a_checkout_exits_1(cli, monkeypatch):
    monkeypatch.setitem(sys.modules, "benchmarks", None)
    result = cli("bench", "--quick")
    assert result.code == 1
    line = result.one_line_error()
    assert "run 'glassnet bench' from a checkout of the glassnet repository" in line
