"""glassnet train / evaluate / predict on small CSV files written by the tests."""

import csv
import json

import numpy as np
import pytest

import glassnet as gn
from tests.cli.helpers import SPECIES, write_csv


def read_rows(path):
    with open(path, newline="") as file:
        return list(csv.reader(file))


# ----------------------------------------------------------------------------- train


def test_train_classifier_reports_and_saves_labels(cli, data_dir, tmp_path):
    out = tmp_path / "m.glassnet"
    result = cli("train", data_dir / "flowers.csv", "--target", "species", "--hidden",
                 "8,4", "--epochs", "30", "--lr", "0.02", "--out", out, "--quiet")
    assert result.code == 0, result.err
    assert "data: flowers.csv, 90 rows, 4 features, target 'species'" in result.out
    assert "task: classification, 3 classes (setosa, versicolor, virginica)" in result.out
    test_line = next(line for line in result.out.splitlines() if line.startswith("test"))
    assert test_line.startswith("test (18 rows): loss: ")  # 20% of 90 rows held out
    assert float(test_line.split("accuracy: ")[1]) >= 0.9
    model = gn.load(out)  # a plain model file: gn.load reads it
    assert [layer.units for layer in model.layers] == [8, 4, 3]
    from glassnet.commands.models import load_model_file

    _, info = load_model_file(str(out))
    assert (info.task, info.target, info.features, info.classes) == (
        "classify", "species", ["a", "b", "c", "d"], SPECIES.tolist())


def test_train_is_repeatable_with_a_seed(cli, data_dir, tmp_path):
    for name in ("one", "two"):
        assert cli("train", data_dir / "flowers.csv", "--target", "species", "--epochs", "3",
                   "--seed", "7", "--quiet", "--out", tmp_path / f"{name}.glassnet").code == 0
    one, two = gn.load(tmp_path / "one.glassnet"), gn.load(tmp_path / "two.glassnet")
    for a, b in zip(one.state_dict().values(), two.state_dict().values()):
        np.testing.assert_array_equal(a, b)


def test_train_writes_history_json(flower_model, data_dir):
    history = json.loads((data_dir / "history.json").read_text())
    assert sorted(history) == ["accuracy", "loss", "val_accuracy", "val_loss"]
    assert len(history["loss"]) == 40 and history["loss"][-1] < history["loss"][0]


def test_train_regression_predicts_in_the_targets_units(cli, data_dir, tmp_path):
    out = tmp_path / "line.glassnet"
    result = cli("train", data_dir / "line.csv", "--target", "price", "--hidden", "none",
                 "--epochs", "150", "--lr", "0.05", "--batch-size", "16", "--quiet",
                 "--out", out)
    assert result.code == 0, result.err
    assert "task: regression (numeric target)" in result.out
    r2 = float(result.out.split("r2: ")[1].split()[0])
    assert r2 > 0.99
    # no hidden layer: the folded model is the linear function price = 3 x - 0.2 w + 7
    layer = gn.load(out).layers[0]
    np.testing.assert_allclose(layer.weight.data.ravel(), [3.0, -0.2], atol=0.05)
    np.testing.assert_allclose(layer.bias.data, [7.0], atol=0.5)


def test_task_override_and_integer_labels(cli, data_dir, tmp_path):
    result = cli("train", data_dir / "moons.csv", "--target", "label", "--task", "regress",
                 "--epochs", "2", "--quiet", "--out", tmp_path / "r.glassnet")
    assert result.code == 0 and "task: regression" in result.out
    result = cli("train", data_dir / "moons.csv", "--target", "label", "--epochs", "2",
                 "--quiet", "--out", tmp_path / "c.glassnet")
    assert result.code == 0 and "task: classification, 2 classes (0, 1)" in result.out


def test_train_on_every_row_with_test_size_0(cli, data_dir, tmp_path):
    result = cli("train", data_dir / "flowers.csv", "--target", "species", "--epochs", "2",
                 "--test-size", "0", "--quiet", "--out", tmp_path / "m.glassnet")
    assert result.code == 0
    assert "training (90 rows): loss:" in result.out


def test_train_with_optimizer_activation_and_dropout(cli, data_dir, tmp_path):
    result = cli("train", data_dir / "flowers.csv", "--target", "species", "--epochs", "2",
                 "--optimizer", "sgd", "--lr", "0.1", "--activation", "tanh", "--dropout",
                 "0.1", "--out", tmp_path / "m.glassnet")
    assert result.code == 0, result.err
    assert "dropout (Dropout)" in result.out  # the summary lists the layers
    assert "Epoch 2/2" in result.out  # the progress display, one line per epoch when piped
    model = gn.load(tmp_path / "m.glassnet")
    assert model.layers[0].activation_name == "tanh"
    assert model._keras().get_compile_config()["optimizer"]["class_name"] == "SGD"


# ----------------------------------------------------------------------------- errors


def test_unknown_target_names_the_columns(cli, data_dir, tmp_path):
    result = cli("train", data_dir / "flowers.csv", "--target", "kind",
                 "--out", tmp_path / "m.glassnet")
    assert result.code == 1
    line = result.one_line_error()
    assert line.startswith("glassnet train: error: ")
    assert "no column named 'kind'" in line
    assert "the columns are 'a', 'b', 'c', 'd', 'species'" in line
    assert not (tmp_path / "m.glassnet").exists()


def test_bad_csv_names_row_and_column(cli, tmp_path):
    path = write_csv(tmp_path / "bad.csv", ["x", "y", "label"],
                     [[1, 2, "a"], [3, "abc", "b"], [5, 6, "a"]])
    result = cli("train", path, "--target", "label")
    assert result.code == 1
    assert "row 3, column 'y': could not read 'abc' as a number" in result.one_line_error()
    ragged = tmp_path / "ragged.csv"
    ragged.write_text("x,y,label\n1,2,a\n3,4\n")
    result = cli("train", ragged, "--target", "label")
    assert result.code == 1
    assert "row 3: expected 3 fields (as in the header), got 2" in result.one_line_error()


def test_regress_on_text_labels_is_an_error(cli, data_dir):
    result = cli("train", data_dir / "flowers.csv", "--target", "species", "--task", "regress")
    assert result.code == 1
    assert "--task regress needs a numeric target" in result.one_line_error()


def test_missing_or_foreign_model_file(cli, data_dir, tmp_path):
    result = cli("evaluate", tmp_path / "none.glassnet", data_dir / "flowers.csv")
    assert result.code == 1
    assert result.one_line_error().endswith("none.glassnet: no such model file")
    foreign = tmp_path / "foreign.glassnet"
    foreign.write_bytes(b"not a model at all")
    result = cli("predict", foreign, data_dir / "flowers.csv")
    assert result.code == 1
    assert "foreign.glassnet" in result.one_line_error()


# ----------------------------------------------------------------------------- evaluate


def test_evaluate_prints_loss_metrics_and_confusion_matrix(cli, flower_model, data_dir):
    result = cli("evaluate", flower_model, data_dir / "flowers.csv")  # target from the model
    assert result.code == 0, result.err
    lines = result.out.splitlines()
    assert lines[0].endswith("flowers.csv: 90 rows, target 'species'")
    assert lines[1].startswith("loss: ") and lines[2].startswith("accuracy: ")
    assert float(lines[2].split()[1]) >= 0.95
    header = lines[4].split()
    assert header == ["true", "\\", "predicted", "setosa", "versicolor", "virginica"]
    counts = np.array([[int(v) for v in line.split()[1:]] for line in lines[5:8]])
    assert counts.sum() == 90 and counts.sum(axis=1).tolist() == [30, 30, 30]
    assert np.trace(counts) / 90 == pytest.approx(float(lines[2].split()[1]))


def test_evaluate_needs_the_target_and_known_labels(cli, flower_model, tmp_path):
    no_target = write_csv(tmp_path / "x.csv", ["a", "b", "c", "d"], [[0, 0, 0, 0]])
    result = cli("evaluate", flower_model, no_target)
    assert result.code == 1
    assert "no column named 'species'" in result.one_line_error()
    new_label = write_csv(tmp_path / "y.csv", ["a", "b", "c", "d", "species"],
                          [[0, 0, 0, 0, "rose"]])
    result = cli("evaluate", flower_model, new_label)
    assert result.code == 1
    assert "labels ['rose'] were not seen in training" in result.one_line_error()


# ----------------------------------------------------------------------------- predict


def test_predict_writes_original_labels_and_probabilities(cli, flower_model, data_dir,
                                                          tmp_path):
    out = tmp_path / "predictions.csv"
    result = cli("predict", flower_model, data_dir / "flowers.csv", "--out", out, "--proba")
    assert result.code == 0, result.err
    assert result.out == f"wrote 90 predictions to {out}\n"
    rows = read_rows(out)
    assert rows[0] == ["species", "predicted_species", "proba_setosa", "proba_versicolor",
                       "proba_virginica"]
    assert len(rows) == 91
    right = sum(row[0] == row[1] for row in rows[1:])
    assert right >= 85
    proba = np.array([[float(v) for v in row[2:]] for row in rows[1:]])
    np.testing.assert_allclose(proba.sum(axis=1), 1.0, atol=1e-5)
    predicted = np.array([row[1] for row in rows[1:]])
    assert (SPECIES[proba.argmax(axis=1)] == predicted).all()


def test_predict_without_target_reorders_columns_to_stdout(cli, flower_model, data_dir,
                                                           tmp_path):
    rows = read_rows(data_dir / "flowers.csv")[1:4]
    shuffled = write_csv(tmp_path / "new.csv", ["d", "c", "b", "a", "id"],
                         [[r[3], r[2], r[1], r[0], i] for i, r in enumerate(rows)])
    result = cli("predict", flower_model, shuffled)
    assert result.code == 0, result.err
    lines = result.out.splitlines()
    assert lines[0] == "predicted_species"
    assert lines[1:] == [r[4] for r in rows]  # same labels as the rows in the model's order
    assert "note: ignoring the columns ['id']" in result.err


def test_predict_missing_feature_column(cli, flower_model, tmp_path):
    path = write_csv(tmp_path / "few.csv", ["a", "b"], [[1, 2]])
    result = cli("predict", flower_model, path)
    assert result.code == 1
    assert "the model reads the columns ['c', 'd'], which the file lacks" in \
        result.one_line_error()


def test_predict_regression_and_proba_refused(cli, data_dir, tmp_path):
    model = tmp_path / "line.glassnet"
    assert cli("train", data_dir / "line.csv", "--target", "price", "--epochs", "2", "--quiet",
               "--out", model).code == 0
    result = cli("predict", model, data_dir / "line.csv")
    assert result.code == 0
    lines = result.out.splitlines()
    assert lines[0] == "price,predicted_price" and len(lines) == 121
    assert all(len(line.split(",")) == 2 for line in lines[1:])
    result = cli("evaluate", model, data_dir / "line.csv")
    assert result.code == 0
    assert [line.split(":")[0] for line in result.out.splitlines()[1:]] == ["loss", "mae", "r2"]
    result = cli("predict", model, data_dir / "line.csv", "--proba")
    assert result.code == 1
    assert "--proba needs a classifier" in result.one_line_error()


def test_predict_a_model_saved_from_python(cli, tmp_path):
    from glassnet import nn

    model = gn.Sequential([nn.Dense(3, activation="softmax", input_dim=2, rng=0)])
    model.compile(optimizer="adam", loss="sparse_categorical_crossentropy")
    model.save(tmp_path / "py.glassnet")
    path = write_csv(tmp_path / "p.csv", ["u", "v"], [[1.0, 2.0], [-1.0, 0.5]])
    result = cli("predict", tmp_path / "py.glassnet", path, "--proba")
    assert result.code == 0, result.err
    lines = result.out.splitlines()
    assert lines[0] == "predicted_target,proba_0,proba_1,proba_2"
    expected = model.predict(np.array([[1.0, 2.0], [-1.0, 0.5]])).argmax(axis=1)
    assert [int(line.split(",")[0]) for line in lines[1:]] == expected.tolist()


def test_missing_output_folder_fails_before_training(cli, data_dir, tmp_path):
    out = tmp_path / "no-folder" / "m.glassnet"
    result = cli("train", data_dir / "flowers.csv", "--target", "species", "--out", out)
    assert result.code == 1
    assert result.one_line_error() == (f"glassnet train: error: --out {out}: the folder "
                                       f"'{out.parent}' does not exist")
    assert result.out == ""  # nothing was read or trained
