"""The tutorials' Keras code (students pass/fail) runs with only the import changed."""

import numpy as np
import pytest

import glassnet as gn


def test_students_pass_fail_code_runs_with_only_the_import_changed():
    pytest.importorskip("sklearn")
    from sklearn.model_selection import train_test_split

    Sequential = gn.Sequential
    Dense = gn.nn.Dense
    gn.seed(0)

    # -------------------------------------------- the tutorial, line for line from here on
    # X = [study_hours, sleep_hours]
    X = np.array([
        [1, 5], [2, 6], [1, 4], [3, 5], [4, 6], [5, 5], [5, 7], [6, 6], [7, 5], [8, 6],
        [2, 3], [3, 4], [6, 7], [7, 8], [8, 7],
    ], dtype=float)
    # y = 0 (Fail), 1 (Pass)
    y = np.array([0, 0, 0, 0, 1, 1, 1, 1, 1, 0, 0, 1, 1, 1, 1])
    X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.3, random_state=42)

    model = Sequential()
    model.add(Dense(5, input_shape=(2,), activation="relu"))
    model.add(Dense(1, activation="sigmoid"))
    model.compile(optimizer="adam", loss="binary_crossentropy", metrics=["accuracy"])
    model.fit(X_train, y_train, epochs=200, verbose=0)
    loss, acc = model.evaluate(X_test, y_test, verbose=0)

    new_students = np.array([[2, 7], [6, 5], [4, 3]], dtype=float)
    pred = model.predict(new_students)
    pred_labels = (pred > 0.5).astype(int)
    # -------------------------------------------- end of the tutorial code

    assert isinstance(loss, float) and isinstance(acc, float)
    assert 0 < loss < 5 and np.isfinite(loss)
    assert acc in {0.0, 0.2, 0.4, 0.6, 0.8, 1.0}       # 5 test students
    assert pred.shape == (3, 1) and pred.dtype == np.float32
    assert ((pred > 0) & (pred < 1)).all()
    assert pred_labels.shape == (3, 1) and set(pred_labels.ravel()) <= {0, 1}
    history = model.history.history
    assert len(history["loss"]) == 200 and history["loss"][-1] < history["loss"][0]


def test_gn_model_gives_the_keras_methods_to_a_custom_module():
    gn.seed(1)

    class Net(gn.nn.Module):
        def __init__(self):
            super().__init__()
            self.hidden = gn.nn.Linear(2, 8)
            self.out = gn.nn.Linear(8, 1)

        def forward(self, x):
            return self.out(self.hidden(x).tanh()).sigmoid()

    X, y = gn.data.xor()
    model = gn.Model(Net())
    model.compile(optimizer=gn.optim.Adam(learning_rate=0.05), loss="binary_crossentropy",
                  metrics=["accuracy"])
    history = model.fit(X, y, epochs=400, batch_size=4, verbose=0)
    assert history.history["accuracy"][-1] == 1.0
    assert model.evaluate(X, y, verbose=0)[1] == 1.0
