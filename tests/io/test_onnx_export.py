"""export_onnx: every supported layer, run by onnxruntime, gives model.predict's numbers."""

import os
import sys

import numpy as np
import pytest

import glassnet as gn
from glassnet import nn
from glassnet.io.onnx_export import SUPPORTED_LAYERS, export_onnx

onnx = pytest.importorskip("onnx")
ort = pytest.importorskip("onnxruntime")

BATCH_SIZES = (1, 3, 8)  # one file, several batch sizes: the batch axis is dynamic


def _inputs(shape, n, seed=0, scale=2.0, dtype=np.float32):
    return (np.random.default_rng(seed).normal(size=(n, *shape[1:])) * scale).astype(dtype)


def _run(path, x, input_name="input"):
    session = ort.InferenceSession(str(path), providers=["CPUExecutionProvider"])
    return session.run(None, {input_name: x})[0]


def _predict(model, x):
    return gn.Model(model).predict(x, batch_size=len(x))


def _assert_matches(model, path, shape, atol=1e-5, scale=2.0):
    """The ONNX file and the glassnet model agree on several batch sizes."""
    for n in BATCH_SIZES:
        x = _inputs(shape, n, seed=n, scale=scale)
        expected = _predict(model, x)
        got = _run(path, x)
        assert got.shape == expected.shape
        assert got.dtype == expected.dtype
        np.testing.assert_allclose(got, expected, rtol=1e-5, atol=atol)


def _ops(path):
    return [node.op_type for node in onnx.load(str(path)).graph.node]


def _trained_batch_norm(layer, shape):
    """Move the running statistics away from (0, 1), so that eval mode is really tested."""
    layer.train()
    for seed in range(3):
        layer(gn.tensor(_inputs(shape, 16, seed=seed, scale=3.0) + 1.5))
    layer.eval()
    if layer.affine:
        layer.weight.data[...] = np.linspace(0.5, 2.0, layer.num_features)
        layer.bias.data[...] = np.linspace(-1.0, 1.0, layer.num_features)
    return layer


# (id, layer factory, input shape with the batch axis first, ONNX operators expected)
CASES = [
    ("linear", lambda: [nn.Linear(4, 3, rng=0)], (None, 4), ["Gemm"]),
    ("linear_no_bias", lambda: [nn.Linear(4, 3, bias=False, rng=0)], (None, 4), ["Gemm"]),
    ("linear_3d", lambda: [nn.Linear(4, 3, rng=0)], (None, 2, 4), ["MatMul", "Add"]),
    ("dense_relu", lambda: [nn.Dense(5, activation="relu", rng=0)], (None, 4),
     ["Gemm", "Relu"]),
    ("dense_softmax", lambda: [nn.Dense(5, activation="softmax", rng=0)], (None, 4),
     ["Gemm", "Softmax"]),
    ("dense_leaky", lambda: [nn.Dense(5, activation=nn.LeakyReLU(0.2), rng=0)], (None, 4),
     ["Gemm", "LeakyRelu"]),
    ("relu", lambda: [nn.ReLU()], (None, 6), ["Relu"]),
    ("leaky_relu", lambda: [nn.LeakyReLU(0.3)], (None, 6), ["LeakyRelu"]),
    ("elu", lambda: [nn.ELU(0.7)], (None, 6), ["Elu"]),
    ("sigmoid", lambda: [nn.Sigmoid()], (None, 6), ["Sigmoid"]),
    ("tanh", lambda: [nn.Tanh()], (None, 6), ["Tanh"]),
    ("softplus", lambda: [nn.Softplus()], (None, 6), ["Softplus"]),
    ("silu", lambda: [nn.SiLU()], (None, 6), ["Sigmoid", "Mul"]),
    ("softmax_dim1", lambda: [nn.Softmax(dim=1)], (None, 6), ["Softmax"]),
    ("softmax_dim_mid", lambda: [nn.Softmax(dim=1)], (None, 3, 4), ["Softmax"]),
    ("log_softmax", lambda: [nn.LogSoftmax()], (None, 6), ["LogSoftmax"]),
    ("identity", lambda: [nn.Linear(6, 2, rng=0), nn.Identity()], (None, 6), ["Gemm"]),
    ("activation_layer", lambda: [nn.Activation("tanh")], (None, 6), ["Tanh"]),
    ("dropout", lambda: [nn.Linear(6, 4, rng=0), nn.Dropout(0.5), nn.ReLU()], (None, 6),
     ["Gemm", "Relu"]),
    ("batch_norm", lambda: [_trained_batch_norm(nn.BatchNorm1d(5), (None, 5))], (None, 5),
     ["BatchNormalization"]),
    ("batch_norm_3d", lambda: [_trained_batch_norm(nn.BatchNorm1d(3), (None, 3, 4))],
     (None, 3, 4), ["BatchNormalization"]),
    ("batch_norm_no_affine",
     lambda: [_trained_batch_norm(nn.BatchNormalization(affine=False, num_features=4),
                                  (None, 4))], (None, 4), ["BatchNormalization"]),
    ("flatten", lambda: [nn.Flatten(), nn.Linear(12, 2, rng=0)], (None, 3, 4),
     ["Flatten", "Gemm"]),
    ("flatten_inner_axes", lambda: [nn.Flatten(2)], (None, 2, 3, 4), ["Reshape"]),
    ("conv2d_nchw", lambda: [nn.Conv2d(2, 3, 3, stride=2, padding=1, rng=0)],
     (None, 2, 7, 7), ["Conv"]),
    ("conv2d_same_no_bias", lambda: [nn.Conv2d(2, 3, (3, 2), padding="same", bias=False,
                                               rng=0)], (None, 2, 6, 5), ["Conv"]),
    ("conv2D_nhwc", lambda: [nn.Conv2D(4, 3, strides=2, padding="same", activation="relu",
                                       rng=0)], (None, 7, 7, 2),
     ["Transpose", "Conv", "Relu", "Transpose"]),
    ("max_pool2d", lambda: [nn.MaxPool2d(2)], (None, 3, 6, 6), ["MaxPool"]),
    ("max_pool2d_padded", lambda: [nn.MaxPool2d(3, stride=2, padding=1)], (None, 2, 7, 7),
     ["MaxPool"]),
    ("avg_pool2d_counting_pad", lambda: [nn.AvgPool2d(3, stride=1, padding=1)],
     (None, 2, 5, 5), ["AveragePool"]),
    ("avg_pool2d_not_counting_pad",
     lambda: [nn.AvgPool2d(3, stride=2, padding=1, count_include_pad=False)],
     (None, 2, 5, 5), ["AveragePool"]),
    ("max_pool2D_same", lambda: [nn.MaxPool2D(2, padding="same")], (None, 7, 7, 3),
     ["Transpose", "MaxPool", "Transpose"]),
    ("average_pooling2D_same", lambda: [nn.AveragePooling2D(3, strides=2, padding="same")],
     (None, 6, 6, 2), ["Transpose", "AveragePool", "Transpose"]),
    ("global_average_pooling", lambda: [nn.GlobalAveragePooling2D()], (None, 4, 5, 3),
     ["Transpose", "GlobalAveragePool", "Flatten"]),
    ("global_max_pooling_keepdims", lambda: [nn.GlobalMaxPooling2D(keepdims=True)],
     (None, 4, 5, 3), ["Transpose", "GlobalMaxPool", "Transpose"]),
    ("nested_sequential", lambda: [nn.Sequential(nn.Linear(4, 3, rng=0), nn.Tanh()),
                                   nn.Linear(3, 1, rng=1)], (None, 4), ["Gemm", "Tanh", "Gemm"]),
]


@pytest.mark.parametrize("layers, shape, ops", [case[1:] for case in CASES],
                         ids=[case[0] for case in CASES])
def test_each_layer_matches_predict_on_several_batch_sizes(tmp_path, layers, shape, ops):
    model = gn.Sequential(layers())
    path = export_onnx(model, tmp_path / "model.onnx", input_shape=shape)
    onnx.checker.check_model(onnx.load(str(path)))
    assert _ops(path) == ops
    _assert_matches(model, path, shape)


@pytest.mark.parametrize("approximate", ["none", "tanh"])
@pytest.mark.parametrize("opset, has_gelu_op", [(17, False), (20, True)])
def test_gelu_is_the_gelu_operator_from_opset_20_and_primitives_before(tmp_path, approximate,
                                                                        opset, has_gelu_op):
    model = gn.Sequential([nn.GELU(approximate)])
    path = export_onnx(model, tmp_path / "gelu.onnx", input_shape=(None, 7),
                       opset_version=opset)
    assert onnx.load(str(path)).opset_import[0].version == opset
    assert ("Gelu" in _ops(path)) is has_gelu_op
    if not has_gelu_op:  # built from Erf (exact) or Tanh (approximation)
        assert ("Erf" if approximate == "none" else "Tanh") in _ops(path)
    _assert_matches(model, path, (None, 7), scale=3.0)


def test_saturating_activations_stay_finite_at_large_inputs(tmp_path):
    # e^100 overflows float32: the runtime's softplus/sigmoid/softmax must not
    model = gn.Sequential([nn.Softplus(), nn.Linear(4, 4, rng=0), nn.Sigmoid(),
                           nn.Softmax()])
    path = export_onnx(model, tmp_path / "big.onnx", input_shape=(None, 4))
    x = np.array([[-100.0, -20.0, 20.0, 100.0]], np.float32)
    got = _run(path, x)
    assert np.isfinite(got).all()
    np.testing.assert_allclose(got, _predict(model, x), rtol=1e-5, atol=1e-6)


def test_consecutive_nhwc_layers_transpose_only_on_entry_and_exit(tmp_path):
    # a small Keras-style CNN: NHWC images, conv/pool, then Flatten in NHWC order
    model = gn.Sequential([nn.Conv2D(4, 3, padding="same", activation="relu", rng=0),
                           nn.MaxPool2D(2), nn.Conv2D(3, 2, activation="tanh", rng=1),
                           nn.Flatten(), nn.Dense(5, activation="softmax", rng=2)])
    shape = (None, 8, 8, 1)
    path = export_onnx(model, tmp_path / "cnn.onnx", input_shape=shape)
    assert _ops(path) == ["Transpose", "Conv", "Relu", "MaxPool", "Conv", "Tanh", "Transpose",
                          "Flatten", "Gemm", "Softmax"]
    _assert_matches(model, path, shape)


def test_pytorch_style_cnn_needs_no_transpose(tmp_path):
    model = nn.Sequential(nn.Conv2d(1, 4, 3, padding=1, rng=0), nn.ReLU(), nn.MaxPool2d(2),
                          nn.Flatten(), nn.Linear(4 * 4 * 4, 3, rng=1), nn.LogSoftmax(dim=1))
    path = export_onnx(model, tmp_path / "cnn.onnx", input_shape=(None, 1, 8, 8))
    assert "Transpose" not in _ops(path)
    _assert_matches(model, path, (None, 1, 8, 8))


@pytest.mark.slow
def test_trained_digits_mlp_gives_the_same_probabilities_and_predictions(tmp_path):
    from glassnet.data import load_digits

    X, y = load_digits()
    X = X / 16.0
    gn.seed(0)
    model = gn.Sequential([nn.Dense(32, activation="relu"), nn.Dropout(0.1),
                           nn.BatchNormalization(), nn.Dense(10, activation="softmax")])
    model.compile(optimizer=gn.optim.Adam(learning_rate=0.01),
                  loss="sparse_categorical_crossentropy", metrics=["accuracy"])
    model.fit(X[:1000], y[:1000], epochs=5, batch_size=64, verbose=0)
    path = export_onnx(model, tmp_path / "digits.onnx")  # the input shape fit saw: (64,)
    graph = onnx.load(str(path)).graph
    assert [d.dim_param or d.dim_value for d in graph.input[0].type.tensor_type.shape.dim] \
        == ["batch", 64]
    assert [d.dim_param or d.dim_value for d in graph.output[0].type.tensor_type.shape.dim] \
        == ["batch", 10]
    for rows in (slice(0, 1), slice(1000, 1017), slice(1000, None)):
        expected = model.predict(X[rows])
        got = _run(path, X[rows])
        np.testing.assert_allclose(got, expected, rtol=1e-5, atol=1e-6)
        assert np.array_equal(got.argmax(axis=1), expected.argmax(axis=1))
    accuracy = float((_run(path, X[1000:]).argmax(axis=1) == y[1000:]).mean())
    assert accuracy > 0.9


def test_a_layer_used_twice_is_exported_twice(tmp_path):
    shared = nn.Linear(3, 3, rng=0)  # one set of weights applied two times
    model = nn.Sequential(shared, nn.Tanh(), shared)
    path = export_onnx(model, tmp_path / "shared.onnx")
    assert _ops(path) == ["Gemm", "Tanh", "Gemm"]
    _assert_matches(model, path, (None, 3))


def test_gn_model_wrapper_and_a_single_layer_export(tmp_path):
    net = nn.Sequential(nn.Linear(3, 4, rng=0), nn.ELU(), nn.Linear(4, 2, rng=1))
    path = export_onnx(gn.Model(net), tmp_path / "wrapped.onnx")
    assert _ops(path) == ["Gemm", "Elu", "Gemm"]
    _assert_matches(net, path, (None, 3))
    single = nn.Dense(2, activation="sigmoid", input_dim=3, rng=0)
    path = export_onnx(single, tmp_path / "single.onnx")
    assert _ops(path) == ["Gemm", "Sigmoid"]
    _assert_matches(single, path, (None, 3))


def test_input_shape_remembered_from_fit_for_a_cnn(tmp_path):
    gn.seed(0)
    model = gn.Sequential([nn.Conv2D(2, 3), nn.GlobalAveragePooling2D(), nn.Dense(1)])
    model.compile(optimizer="sgd", loss="mse")
    model.fit(_inputs((None, 6, 6, 1), 8), np.zeros(8, np.float32), epochs=1, verbose=0)
    path = export_onnx(model, tmp_path / "cnn.onnx")
    dims = onnx.load(str(path)).graph.input[0].type.tensor_type.shape.dim
    assert [d.dim_param or d.dim_value for d in dims] == ["batch", 6, 6, 1]
    _assert_matches(model, path, (None, 6, 6, 1))


def test_float64_model_is_exported_in_float64(tmp_path):
    model = nn.Sequential(nn.Linear(3, 4, rng=0, dtype="float64"), nn.Tanh(),
                          nn.Linear(4, 1, rng=1, dtype="float64"))
    path = export_onnx(model, tmp_path / "double.onnx")
    assert onnx.load(str(path)).graph.input[0].type.tensor_type.elem_type \
        == onnx.TensorProto.DOUBLE
    x = _inputs((None, 3), 5, dtype=np.float64)
    np.testing.assert_allclose(_run(path, x), _predict(model, x), rtol=1e-12)


def test_custom_names_lazy_build_and_training_mode_kept(tmp_path):
    gn.seed(0)
    model = gn.Sequential([nn.Dense(4, activation="relu"), nn.Dropout(0.5), nn.Dense(2)])
    model.train()
    path = export_onnx(model, tmp_path / "named.onnx", input_shape=(1, 5),
                       input_name="features", output_name="scores")
    assert isinstance(path, type(tmp_path)) and path == tmp_path / "named.onnx"
    assert model.built and model[0].in_features == 5  # built by the zero batch
    assert all(m.training for m in model.modules())  # modes restored after the eval trace
    graph = onnx.load(str(path)).graph
    assert (graph.input[0].name, graph.output[0].name) == ("features", "scores")
    x = _inputs((None, 5), 4)
    np.testing.assert_allclose(_run(path, x, "features"), _predict(model, x), rtol=1e-5,
                               atol=1e-6)


def test_dropout_only_model_is_an_identity_graph(tmp_path):
    path = export_onnx(nn.Sequential(nn.Dropout(0.3)), tmp_path / "id.onnx",
                       input_shape=(None, 3))
    assert _ops(path) == ["Identity"]
    x = _inputs((None, 3), 2)
    assert np.array_equal(_run(path, x), x)


def test_overwriting_replaces_the_file_whole(tmp_path):
    path = tmp_path / "model.onnx"
    export_onnx(nn.Sequential(nn.Linear(2, 2, rng=0)), path)
    model = nn.Sequential(nn.Linear(2, 3, rng=1), nn.ReLU())
    export_onnx(model, path)
    assert _ops(path) == ["Gemm", "Relu"]
    assert os.listdir(tmp_path) == ["model.onnx"]


# ------------------------------------------------------------------------------------------
# errors: each names where, what was expected and what was received; no file left behind
# ------------------------------------------------------------------------------------------


class _Custom(nn.Module):
    def __init__(self):
        super().__init__()
        self.fc = nn.Linear(2, 2)

    def forward(self, x):
        return self.fc(x) * 2


@pytest.mark.parametrize("layer, match", [
    (nn.LSTM(3), r"layer '1' of type LSTM \(this layer has no ONNX translation yet\)"),
    (_Custom(), r"layer '1' of type _Custom \(a custom Module: its forward\(\) is Python"),
])
def test_unsupported_layer_names_it_and_lists_the_supported_ones(tmp_path, layer, match):
    model = nn.Sequential(nn.ReLU(), layer)
    with pytest.raises(ValueError, match=match) as error:
        export_onnx(model, tmp_path / "bad.onnx", input_shape=(None, 4, 2))
    assert ("Supported layers: Activation, AveragePooling2D, AvgPool2d, BatchNorm1d, "
            "BatchNormalization, Conv2D, Conv2d, Dense, Dropout, ELU, Flatten, GELU, "
            in str(error.value))
    assert "Linear" in str(error.value) and "GlobalMaxPooling2D" in str(error.value)
    assert os.listdir(tmp_path) == []


def test_custom_module_as_the_model_is_refused(tmp_path):
    with pytest.raises(ValueError, match=r"layer 'model' of type _Custom \(a custom Module"):
        export_onnx(_Custom(), tmp_path / "bad.onnx", input_shape=(None, 2))
    assert os.listdir(tmp_path) == []


def test_custom_activation_function_is_refused(tmp_path):
    model = nn.Sequential(nn.Dense(2, activation=lambda z: z * 2, input_dim=3))
    with pytest.raises(ValueError, match=r"layer '0' uses the custom activation .*cannot be "
                                         r"exported; use a name from \['elu', 'gelu'"):
        export_onnx(model, tmp_path / "bad.onnx")
    assert os.listdir(tmp_path) == []


def test_unbuilt_lazy_model_without_input_shape(tmp_path):
    model = gn.Sequential([nn.Dense(4), nn.Dense(1)])
    with pytest.raises(ValueError, match=r"the model is not built yet .*pass input_shape with "
                                         r"the batch axis first, e.g. input_shape=\(None, 64\)"):
        export_onnx(model, tmp_path / "lazy.onnx")
    assert not model.built and os.listdir(tmp_path) == []


def test_built_cnn_without_known_input_shape(tmp_path):
    model = nn.Sequential(nn.Conv2d(1, 2, 3, rng=0))
    with pytest.raises(ValueError, match=r"does not say its input shape \(its first layer is "
                                         r"not a Dense/Linear\); pass input_shape"):
        export_onnx(model, tmp_path / "cnn.onnx")


@pytest.mark.parametrize("input_shape", [(64,), 64, (None, 0), (None, 2.5), (None, True)])
def test_bad_input_shape(tmp_path, input_shape):
    with pytest.raises(ValueError, match=r"input_shape must be the shape of a batch, batch "
                                         r"axis first .*received"):
        export_onnx(nn.Sequential(nn.Linear(2, 1)), tmp_path / "m.onnx", input_shape)


def test_input_shape_that_does_not_fit_the_model_names_the_layer(tmp_path):
    with pytest.raises(ValueError, match=r"Linear\(2 -> 1\): expected input with 2 features, "
                                         r"received shape \(2, 3\)"):
        export_onnx(nn.Sequential(nn.Linear(2, 1)), tmp_path / "m.onnx", (None, 3))
    assert os.listdir(tmp_path) == []


@pytest.mark.parametrize("kwargs, match", [
    ({"opset_version": 12}, r"opset_version must be an int from 13 to \d+ .*received 12"),
    ({"opset_version": 999}, r"opset_version must be an int from 13 .*received 999"),
    ({"opset_version": "17"}, r"received '17'"),
    ({"input_name": ""}, r"input_name must be a non-empty string, received ''"),
    ({"output_name": "input"}, r"input_name and output_name must differ, both are 'input'"),
])
def test_bad_arguments(tmp_path, kwargs, match):
    with pytest.raises(ValueError, match=match):
        export_onnx(nn.Sequential(nn.Linear(2, 1)), tmp_path / "m.onnx", **kwargs)


def test_flatten_of_the_batch_axis_and_batch_statistics_are_refused(tmp_path):
    with pytest.raises(ValueError, match=r"Flatten\(start_dim=0\) merges the batch axis"):
        export_onnx(nn.Sequential(nn.Flatten(0)), tmp_path / "m.onnx", (None, 2, 3))
    with pytest.raises(ValueError, match=r"BatchNorm1d\(3\) has track_running_stats=False"):
        export_onnx(nn.Sequential(nn.BatchNorm1d(3, track_running_stats=False)),
                    tmp_path / "m.onnx", (None, 3))
    assert os.listdir(tmp_path) == []


def test_not_a_model_and_missing_directory(tmp_path):
    with pytest.raises(TypeError, match=r"expected a glassnet model .*received dict"):
        export_onnx({"weight": 1}, tmp_path / "m.onnx")
    with pytest.raises(FileNotFoundError, match="its directory does not exist"):
        export_onnx(nn.Sequential(nn.Linear(2, 1)), tmp_path / "missing" / "m.onnx")


def test_failure_keeps_the_previous_file_intact(tmp_path):
    path = tmp_path / "model.onnx"
    export_onnx(nn.Sequential(nn.Linear(2, 2, rng=0)), path)
    before = path.read_bytes()
    with pytest.raises(ValueError, match="LSTM"):
        export_onnx(nn.Sequential(nn.ReLU(), nn.LSTM(2)), path, (None, 3, 2))
    assert path.read_bytes() == before
    assert os.listdir(tmp_path) == ["model.onnx"]


def test_missing_onnx_names_the_extra(tmp_path, monkeypatch):
    monkeypatch.setitem(sys.modules, "onnx", None)  # makes `import onnx` raise ImportError
    with pytest.raises(ImportError, match=r"export_onnx needs the onnx package: "
                                          r"pip install 'glassnet\[onnx\]'"):
        export_onnx(nn.Sequential(nn.Linear(2, 1)), tmp_path / "m.onnx")
    assert os.listdir(tmp_path) == []


def test_supported_layers_cover_the_documented_kinds():
    for name in ("Linear", "Dense", "ReLU", "LeakyReLU", "ELU", "GELU", "Sigmoid", "Tanh",
                 "Softplus", "SiLU", "Softmax", "LogSoftmax", "Identity", "Dropout",
                 "BatchNorm1d", "Flatten", "Conv2d", "Conv2D", "MaxPool2d", "AvgPool2d"):
        assert name in SUPPORTED_LAYERS
