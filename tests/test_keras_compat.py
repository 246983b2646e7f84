"""Keras tutorial code runs on glassnet with only the import lines changed.

``import tensorflow as tf`` -> ``import glassnet as tf``; ``from tensorflow.keras.models
import Sequential`` -> ``from glassnet.keras.models import Sequential``; ``import keras`` ->
``from glassnet import keras``. The tutorials' snippets run verbatim, then each Keras name
is checked to be glassnet's own class with Keras's settings.
"""

import contextlib
import io
import re
import subprocess
import sys

import numpy as np
import pytest

import glassnet as gn
from glassnet import keras
from glassnet.training.model import OPTIMIZERS as COMPILE_OPTIMIZERS

# ../shared/seeds/001, verbatim but for the import (the seed writes it without indentation).
SEED_001 = '''
import glassnet as tf
model = tf.keras.Sequential([
tf.keras.layers.Dense(64, activation='relu', input_shape=(4,)),
tf.keras.layers.Dense(32, activation='relu'),
tf.keras.layers.Dense(1, activation='sigmoid')
])
model.compile(optimizer='adam', loss='mse')
'''

SEED_001_OPTIMIZER = '''
import glassnet as tf
optimizer = tf.keras.optimizers.Adam(learning_rate=0.001)
'''

# ../shared/seeds/004 (students pass/fail), verbatim but for the imports.
STUDENTS = '''
import numpy as np
from glassnet.keras.models import Sequential
from glassnet.keras.layers import Dense
from glassnet.data import train_test_split

# -----------------------------
# 1. Create dataset
# -----------------------------

# X = [study_hours, sleep_hours]
X = np.array([
    [1, 5],
    [2, 6],
    [1, 4],
    [3, 5],
    [4, 6],
    [5, 5],
    [5, 7],
    [6, 6],
    [7, 5],
    [8, 6],
    [2, 3],
    [3, 4],
    [6, 7],
    [7, 8],
    [8, 7]
], dtype=float)

# y = 0 (Fail), 1 (Pass)
y = np.array([
    0,0,0,
    0,
    1,1,1,
    1,1,
    0,0,
    1,1,1,1
])

# -----------------------------
# 2. Split into train / test
# -----------------------------
X_train, X_test, y_train, y_test = train_test_split(
    X, y, test_size=0.3, random_state=42
)

# -----------------------------
# 3. Build ANN model
# -----------------------------
model = Sequential()

# Input layer + Hidden layer (5 neurons)
model.add(Dense(5, input_shape=(2,), activation="relu"))

# Output layer (1 neuron, sigmoid for binary)
model.add(Dense(1, activation="sigmoid"))

# -----------------------------
# 4. Compile model
# -----------------------------
model.compile(
    optimizer="adam",
    loss="binary_crossentropy",
    metrics=["accuracy"]
)

# -----------------------------
# 5. Train
# -----------------------------
model.fit(X_train, y_train, epochs=200, verbose=0)

# -----------------------------
# 6. Evaluate
# -----------------------------
loss, acc = model.evaluate(X_test, y_test, verbose=0)
print("Accuracy:", acc)

# -----------------------------
# 7. Make predictions
# -----------------------------
new_students = np.array([
    [2, 7],
    [6, 5],
    [4, 3]
], dtype=float)

pred = model.predict(new_students)
pred_labels = (pred > 0.5).astype(int)

print("\\nNew students:")
print(new_students)
print("Probabilities:", pred)
print("Predicted Pass/Fail:", pred_labels)
'''


def _run(code: str) -> tuple:
    """Execute tutorial code; return its namespace and what it printed."""
    namespace = {}
    printed = io.StringIO()
    with contextlib.redirect_stdout(printed):
        exec(compile(code, "<tutorial>", "exec"), namespace)
    return namespace, printed.getvalue()


def _four_feature_data(n: int = 200):
    rng = np.random.default_rng(0)
    X = rng.standard_normal((n, 4)).astype(np.float32)
    y = (X[:, 0] - X[:, 1] + 0.5 * X[:, 2] > 0).astype(np.float32)
    return X, y


# ----------------------------------------------------------------------------- the tutorials


def test_the_seeds_tf_keras_sequential_builds_compiles_and_learns():
    gn.seed(0)
    namespace, _ = _run(SEED_001)
    model = namespace["model"]
    assert isinstance(model, gn.Sequential) and model.built
    assert [layer.units for layer in model.layers] == [64, 32, 1]
    assert model.num_parameters() == (4 * 64 + 64) + (64 * 32 + 32) + (32 + 1)
    X, y = _four_feature_data()
    history = model.fit(X, y, epochs=20, batch_size=16, verbose=0)
    losses = history.history["loss"]
    assert losses[-1] < losses[0] / 2
    assert ((model.predict(X, verbose=0).ravel() > 0.5) == y).mean() > 0.9


def test_the_seeds_keras_adam_is_glassnets_adam_with_keras_settings():
    namespace, _ = _run(SEED_001_OPTIMIZER)
    optimizer = namespace["optimizer"]
    assert isinstance(optimizer, gn.optim.Adam)
    assert optimizer.defaults["lr"] == 1e-3 and optimizer.defaults["eps"] == 1e-7

    gn.seed(0)
    model = keras.Sequential([keras.layers.Dense(8, activation="relu", input_shape=(4,)),
                              keras.layers.Dense(1, activation="sigmoid")])
    adam = keras.optimizers.Adam(learning_rate=0.05)
    model.compile(optimizer=adam, loss="binary_crossentropy", metrics=["accuracy"])
    X, y = _four_feature_data()
    history = model.fit(X, y, epochs=15, batch_size=32, verbose=0)
    assert history.history["loss"][-1] < history.history["loss"][0] / 2
    bound = [p for group in adam.param_groups for p in group["params"]]
    assert len(bound) == 4 and adam.param_groups[0]["lr"] == 0.05   # fit gave it the weights


def test_the_students_tutorial_runs_unchanged():
    gn.seed(0)
    namespace, printed = _run(STUDENTS)
    assert re.search(r"^Accuracy: [01]\.\d+$", printed, re.MULTILINE), printed
    acc = namespace["acc"]
    assert len(namespace["y_test"]) == 5 and round(acc * 5) == pytest.approx(acc * 5)
    pred, pred_labels = namespace["pred"], namespace["pred_labels"]
    assert pred.shape == (3, 1) and ((pred > 0) & (pred < 1)).all()
    assert pred_labels.dtype.kind == "i" and set(pred_labels.ravel()) <= {0, 1}
    assert "Predicted Pass/Fail:" in printed
    losses = namespace["model"].history.history["loss"]
    assert len(losses) == 200 and losses[-1] < losses[0]


def test_a_keras_convnet_with_the_usual_layer_imports_trains():
    from glassnet.keras.layers import (
        BatchNormalization,
        Conv2D,
        Dense,
        Dropout,
        Flatten,
        MaxPooling2D,
    )
    from glassnet.keras.models import Sequential

    X, y = gn.data.load_digits()
    X = (X[:300] / 16.0).reshape(-1, 8, 8, 1)
    y = y[:300]
    gn.seed(0)
    model = Sequential([
        Conv2D(8, (3, 3), activation="relu", input_shape=(8, 8, 1)),
        MaxPooling2D((2, 2)),
        Flatten(),
        BatchNormalization(),
        Dropout(0.2),
        Dense(10, activation="softmax"),
    ])
    model.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
    history = model.fit(X, y, epochs=5, batch_size=32, verbose=0)
    assert history.history["loss"][-1] < history.history["loss"][0]
    assert model.predict(X[:4], verbose=0).shape == (4, 10)


def test_keras_3_spelling_input_early_stopping_and_to_categorical():
    gn.seed(0)
    X, y = _four_feature_data()
    model = keras.Sequential([
        keras.Input(shape=(4,)),
        keras.layers.Dense(16, activation="relu"),
        keras.layers.Dense(2, activation="softmax"),
    ])
    assert model.built and model[1].in_features == 4
    model.compile(optimizer="adam", loss="categorical_crossentropy", metrics=["accuracy"])
    stop = keras.callbacks.EarlyStopping(monitor="val_loss", patience=2, min_delta=10.0)
    history = model.fit(X, keras.utils.to_categorical(y), epochs=50, validation_split=0.2,
                        callbacks=[stop], verbose=0)
    assert len(history.history["loss"]) == 3        # no epoch improves by 10: stop after 1 + 2
    with pytest.raises(ValueError, match=r"expected inputs of shape \(N, 4\), received \(2, 3\)"):
        model.predict(np.zeros((2, 3)), verbose=0)


def test_summary_before_fit_knows_the_shapes_from_keras_input(capsys):
    model = keras.Sequential([keras.Input(shape=(4,)), keras.layers.Dense(8, activation="relu"),
                              keras.layers.Dense(1)])
    model.summary()
    table = capsys.readouterr().out
    assert "(None, 4)" in table and "(None, 8)" in table and "(None, 1)" in table
    assert "Total params: 49" in table          # 4*8 + 8, then 8*1 + 1


def test_to_categorical_is_one_hot():
    labels = np.array([2, 0, 1, 2])
    np.testing.assert_array_equal(keras.utils.to_categorical(labels), np.eye(3)[labels])
    np.testing.assert_array_equal(keras.utils.to_categorical(labels, num_classes=5),
                                  np.eye(5)[labels])
    assert keras.utils.to_categorical(labels.reshape(-1, 1)).shape == (4, 3)   # Keras squeezes
    assert keras.utils.to_categorical(labels).dtype == np.float32


# ----------------------------------------------------------------------------- the names


def test_every_way_of_importing_keras_gives_glassnets_classes():
    import glassnet as tf
    import glassnet.keras as imported
    from glassnet.keras.layers import Dense
    from glassnet.keras.models import Sequential

    assert tf.keras is keras is imported
    assert Sequential is keras.Sequential is keras.models.Sequential is gn.Sequential
    assert Dense is tf.keras.layers.Dense is gn.nn.Dense
    assert keras.layers.Dropout is gn.nn.Dropout and keras.layers.Conv2D is gn.nn.Conv2D
    assert keras.layers.MaxPooling2D is gn.nn.MaxPooling2D
    assert keras.layers.BatchNormalization is gn.nn.BatchNormalization
    assert keras.layers.Flatten is gn.nn.Flatten and keras.layers.LSTM is gn.nn.LSTM
    assert keras.callbacks.EarlyStopping is gn.callbacks.EarlyStopping
    assert keras.metrics.Precision is gn.metrics.Precision
    assert keras.activations.relu is gn.functional.relu
    assert keras.models.load_model is gn.load
    assert isinstance(keras.regularizers.l2(0.01), gn.nn.regularizers.L2)


@pytest.mark.parametrize("name", sorted(COMPILE_OPTIMIZERS))
def test_keras_optimizers_have_the_settings_compile_uses_for_the_name(name):
    class_name, settings = COMPILE_OPTIMIZERS[name]
    optimizer = getattr(keras.optimizers, class_name)()
    assert isinstance(optimizer, getattr(gn.optim, class_name))
    for key, value in settings.items():
        assert optimizer.defaults[key] == value, (class_name, key)
    assert not any(group["params"] for group in optimizer.param_groups)  # fit binds them


def test_keras_optimizers_accept_keras_arguments_only():
    assert keras.optimizers.SGD(0.1, momentum=0.9).defaults["momentum"] == 0.9
    assert keras.optimizers.RMSprop(rho=0.8).defaults["alpha"] == 0.8
    with pytest.raises(TypeError):
        keras.optimizers.Adam(lr=0.01)      # Keras 3 has no lr; glassnet's optim.Adam does


@pytest.mark.parametrize("make, name", [
    (lambda: keras.losses.MeanSquaredError(), "mean_squared_error"),
    (lambda: keras.losses.BinaryCrossentropy(), "binary_crossentropy"),
    (lambda: keras.losses.BinaryCrossentropy(from_logits=True), "bce_with_logits"),
    (lambda: keras.losses.CategoricalCrossentropy(), "categorical_crossentropy"),
    (lambda: keras.losses.SparseCategoricalCrossentropy(), "sparse_categorical_crossentropy"),
    (lambda: keras.losses.SparseCategoricalCrossentropy(from_logits=True), "cross_entropy"),
])
def test_keras_loss_objects_are_glassnets_loss_names(make, name):
    loss = make()
    assert loss == name and gn.training.losses.get(loss).name == name
    model = gn.Model(gn.nn.Linear(3, 2))
    model.compile(optimizer="sgd", loss=loss)
    assert model.get_compile_config()["loss"] == name      # saved as the name


def test_keras_losses_called_directly_take_y_true_first():
    torch = pytest.importorskip("torch")
    labels = np.array([1, 0, 2])
    logits = np.array([[0.1, 2.0, -1.0], [1.5, 0.2, 0.3], [0.0, 0.5, 3.0]], dtype=np.float32)
    loss = keras.losses.SparseCategoricalCrossentropy(from_logits=True)(labels, logits)
    expected = torch.nn.functional.cross_entropy(torch.from_numpy(logits),
                                                 torch.from_numpy(labels))
    assert loss.item() == pytest.approx(expected.item(), rel=1e-5)

    p = np.array([[0.9], [0.2], [0.6]], dtype=np.float32)
    t = np.array([1.0, 0.0, 0.0])                      # (N,) targets for (N, 1) outputs
    bce = keras.losses.BinaryCrossentropy()(t, p)
    expected = torch.nn.functional.binary_cross_entropy(torch.from_numpy(p),
                                                        torch.tensor(t, dtype=torch.float32)
                                                        .reshape(-1, 1))
    assert bce.item() == pytest.approx(expected.item(), rel=1e-5)
    with pytest.raises(TypeError, match=r"MeanSquaredError takes no from_logits"):
        keras.losses.MeanSquaredError(from_logits=True)


def test_keras_datasets_say_they_need_the_network_and_where_glassnets_data_is():
    with pytest.raises(RuntimeError, match=r"downloads .*load_digits\(\).*load_mnist_idx"):
        keras.datasets.mnist.load_data()


def test_glassnet_keras_loads_only_when_used():
    code = ("import sys, glassnet as tf\n"
            "print('glassnet.keras' in sys.modules)\n"
            "tf.keras.layers.Dense\n"
            "print('glassnet.keras' in sys.modules)")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                            check=True)
    assert result.stdout.split() == ["False", "True"]
