"""gn.save / gn.load and model files: round trips, bad files, atomic saves, resuming."""

import json
import os
import signal
import subprocess
import sys
import textwrap

import numpy as np
import pytest

import glassnet as gn
from glassnet import nn
from glassnet.exceptions import ModelFileError
from glassnet.io import load_arrays, save_arrays
from glassnet.io.model_file import load_model


def _model(seed=0):
    gn.seed(seed)
    model = gn.Sequential([nn.Dense(8, activation="relu", input_dim=4), nn.Dropout(0.1),
                           nn.BatchNorm1d(), nn.Dense(3, activation="softmax")])
    model.compile(optimizer=gn.optim.Adam(learning_rate=0.01),
                  loss="sparse_categorical_crossentropy", metrics=["accuracy"])
    return model


def _data(n=64):
    rng = np.random.default_rng(1)
    X = rng.normal(size=(n, 4)).astype(np.float32)
    return X, (X[:, 0] + X[:, 1] > 0).astype(np.int64) + (X[:, 2] > 1)


def test_state_dict_round_trip_keeps_structure_types_and_dtypes(tmp_path):
    state = {
        "model": {"0.weight": np.arange(6, dtype=np.float64).reshape(2, 3),
                  "0.bias": gn.tensor([1.0, 2.0])},
        "optimizer": {"state": {0: {"step": 3, "exp_avg": np.ones(2, np.float32)}},
                      "param_groups": [{"lr": 0.1, "betas": (0.9, 0.999), "params": [0]}]},
        "epoch": 7, "note": "xor", "done": False, "nothing": None,
        "labels": np.array([1, 2, 3]),
    }
    gn.save(state, tmp_path / "state.glassnet")
    loaded = gn.load(tmp_path / "state.glassnet")
    assert loaded["model"]["0.weight"].dtype == np.float64
    assert np.array_equal(loaded["model"]["0.weight"], state["model"]["0.weight"])
    assert loaded["model"]["0.bias"].dtype == np.float32  # tensors are stored as arrays
    assert list(loaded["optimizer"]["state"]) == [0]  # integer keys stay integers
    assert loaded["optimizer"]["param_groups"][0]["betas"] == (0.9, 0.999)  # tuples stay
    assert (loaded["epoch"], loaded["note"], loaded["done"], loaded["nothing"]) == (7, "xor",
                                                                                    False, None)
    assert loaded["labels"].dtype == np.int64


def test_pytorch_style_state_dict_round_trip(tmp_path):
    net = nn.Sequential(nn.Linear(2, 4, rng=0), nn.Tanh(), nn.Linear(4, 1, rng=1))
    gn.save(net.state_dict(), tmp_path / "xor.glassnet")
    other = nn.Sequential(nn.Linear(2, 4, rng=5), nn.Tanh(), nn.Linear(4, 1, rng=6))
    other.load_state_dict(gn.load(tmp_path / "xor.glassnet"))
    x = gn.tensor([[0.0, 1.0], [1.0, 1.0]])
    assert np.array_equal(net(x).data, other(x).data)


def test_objects_that_are_not_data_are_refused(tmp_path):
    with pytest.raises(TypeError, match=r"cannot store a builtin_function_or_method at "
                                        r".fn.*never pickled"):
        gn.save({"fn": print}, tmp_path / "bad.glassnet")
    assert not (tmp_path / "bad.glassnet").exists()


def test_model_round_trip_predicts_identically_and_keeps_compile(tmp_path):
    model = _model()
    X, y = _data()
    model.fit(X, y, epochs=3, batch_size=16, verbose=0)
    model.save(tmp_path / "m.glassnet")
    loaded = gn.load(tmp_path / "m.glassnet")
    assert type(loaded) is gn.Sequential
    assert np.array_equal(model.predict(X), loaded.predict(X))  # batch-norm buffers too
    assert isinstance(loaded._keras().optimizer, gn.optim.Adam)
    assert loaded._keras().optimizer.lr == pytest.approx(0.01)
    loss, accuracy = loaded.evaluate(X, y, verbose=0)
    assert [loss, accuracy] == pytest.approx(model.evaluate(X, y, verbose=0))


def test_resumed_training_equals_uninterrupted_training(tmp_path):
    X, y = _data()
    reference = _model()
    reference.fit(X, y, epochs=4, batch_size=16, verbose=0)

    first = _model()
    first.fit(X, y, epochs=2, batch_size=16, verbose=0)
    first.save(tmp_path / "ckpt.glassnet")  # weights, Adam moments, shuffling stream
    resumed = gn.load(tmp_path / "ckpt.glassnet")
    resumed.fit(X, y, epochs=4, initial_epoch=2, batch_size=16, verbose=0)
    for mine, theirs in zip(resumed.get_weights(), reference.get_weights()):
        assert np.array_equal(mine, theirs)


def test_custom_module_cannot_save_its_architecture(tmp_path):
    class XORNet(nn.Module):
        def __init__(self):
            super().__init__()
            self.layer = nn.Linear(2, 1)

        def forward(self, x):
            return self.layer(x)

    with pytest.raises(ValueError, match=r"XORNet.*custom nn.Module.*state_dict"):
        gn.save(XORNet(), tmp_path / "net.glassnet")


def test_foreign_safetensors_file_is_refused_by_gn_load(tmp_path):
    save_arrays(tmp_path / "foreign.safetensors", {"w": np.ones(2, np.float32)})
    with pytest.raises(ModelFileError, match=r"not written by glassnet.*load_arrays"):
        gn.load(tmp_path / "foreign.safetensors")


def _rewrite_metadata(path, **changes):
    arrays, metadata = load_arrays(path)
    metadata.update(changes)
    save_arrays(path, arrays, metadata)


def test_newer_format_version_is_refused(tmp_path):
    path = tmp_path / "m.glassnet"
    _model().save(path)
    _rewrite_metadata(path, format_version="99")
    with pytest.raises(ModelFileError, match=r"format 99, newer than this glassnet.*upgrade"):
        gn.load(path)


def test_corrupted_structure_and_unknown_classes_are_refused(tmp_path):
    path = tmp_path / "m.glassnet"
    model = _model()
    model.save(path)
    _rewrite_metadata(path, structure="{not json")
    with pytest.raises(ModelFileError, match="structure is missing or corrupted"):
        gn.load(path)

    model.save(path)
    arrays, metadata = load_arrays(path)
    structure = json.loads(metadata["structure"])
    structure["architecture"]["config"]["layers"][0]["class_name"] = "os.system"
    save_arrays(path, arrays, {**metadata, "structure": json.dumps(structure)})
    with pytest.raises(ModelFileError, match=r"cannot rebuild the model.*'os.system'"):
        gn.load(path)


def test_truncated_file_is_refused(tmp_path):
    path = tmp_path / "m.glassnet"
    _model().save(path)
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 2])
    with pytest.raises(ModelFileError, match="m.glassnet"):
        gn.load(path)


def test_load_model_refuses_a_state_file(tmp_path):
    gn.save({"a": 1}, tmp_path / "s.glassnet")
    with pytest.raises(ModelFileError, match="holds a saved 'state', not a model"):
        load_model(tmp_path / "s.glassnet")


def test_a_crash_mid_save_leaves_the_previous_file_intact(tmp_path, monkeypatch):
    path = tmp_path / "m.glassnet"
    model = _model()
    model.save(path)
    before = path.read_bytes()

    def crash(*args, **kwargs):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr("glassnet.io.atomic.os.fsync", crash)
    with pytest.raises(OSError, match="No space left"):
        model.save(path)
    assert path.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["m.glassnet"]


def test_save_into_a_missing_directory_is_a_clear_error(tmp_path):
    with pytest.raises(FileNotFoundError, match="missing"):
        _model().save(tmp_path / "missing" / "m.glassnet")


TRAIN_SCRIPT = textwrap.dedent("""
    import os, signal, sys
    import numpy as np
    import glassnet as gn
    from glassnet import nn

    def model():
        gn.seed(0)
        m = gn.Sequential([nn.Dense(8, activation="relu", input_dim=4),
                           nn.Dense(3, activation="softmax")])
        m.compile(optimizer="adam", loss="sparse_categorical_crossentropy")
        return m

    rng = np.random.default_rng(1)
    X = rng.normal(size=(64, 4)).astype(np.float32)
    y = (X[:, 0] + X[:, 1] > 0).astype(np.int64) + (X[:, 2] > 1)
    mode, path = sys.argv[1], sys.argv[2]
    if mode == "killed":
        def die(batch, logs):  # SIGKILL in the middle of the fourth epoch
            if model_.history is not None and len(model_.history.epoch) == 3 and batch == 1:
                os.kill(os.getpid(), signal.SIGKILL)
        model_ = model()
        model_.fit(X, y, epochs=6, batch_size=16, verbose=0, callbacks=[
            gn.callbacks.ModelCheckpoint(path),
            gn.callbacks.LambdaCallback(on_train_batch_end=die)])
    elif mode == "resume":
        model_ = gn.load(path)
        model_.fit(X, y, epochs=6, initial_epoch=3, batch_size=16, verbose=0)
        gn.save({"weights": model_.get_weights()}, path + ".final")
    else:
        model_ = model()
        model_.fit(X, y, epochs=6, batch_size=16, verbose=0)
        gn.save({"weights": model_.get_weights()}, path + ".final")
""")


def test_training_killed_mid_epoch_resumes_to_the_same_weights(tmp_path):
    script = tmp_path / "train.py"
    script.write_text(TRAIN_SCRIPT)
    ckpt, ref = str(tmp_path / "ckpt.glassnet"), str(tmp_path / "ref.glassnet")
    env = {**os.environ, "PYTHONHASHSEED": "0"}
    killed = subprocess.run([sys.executable, str(script), "killed", ckpt], env=env,
                            capture_output=True, timeout=120)
    assert killed.returncode == -signal.SIGKILL, killed.stderr.decode()
    assert os.path.exists(ckpt)  # the checkpoint of epoch 3, complete
    for mode, path in (("resume", ckpt), ("uninterrupted", ref)):
        done = subprocess.run([sys.executable, str(script), mode, path], env=env,
                              capture_output=True, timeout=120)
        assert done.returncode == 0, done.stderr.decode()
    resumed = gn.load(ckpt + ".final")["weights"]
    reference = gn.load(ref + ".final")["weights"]
    assert len(resumed) == len(reference) == 4
    for mine, theirs in zip(resumed, reference):
        assert np.array_equal(mine, theirs)


def test_model_files_carry_the_savers_own_metadata(tmp_path):
    from glassnet.io.model_file import read_model, save_model

    model = gn.Sequential([gn.nn.Dense(2, input_dim=3, rng=0)])
    path = tmp_path / "m.glassnet"
    save_model(model, path, metadata={"classes": '["cat", "dog"]'})
    loaded, extra = read_model(path)
    assert extra == {"classes": '["cat", "dog"]'}
    np.testing.assert_array_equal(loaded[0].weight.data, model[0].weight.data)
    with pytest.raises(ValueError, match=r"metadata keys \['kind'\] are glassnet's own"):
        save_model(model, tmp_path / "bad.glassnet", metadata={"kind": "state"})
    with pytest.raises(TypeError, match="metadata must be a dict of strings"):
        save_model(model, tmp_path / "bad.glassnet", metadata={"classes": ["cat"]})
    assert not (tmp_path / "bad.glassnet").exists()
