"""Built-in datasets: exact tables, generated shapes and geometry, seeds, digits, sklearn sets."""

import sys

import numpy as np
import pytest

import glassnet.backend as backend
from glassnet.data import (
    DatasetInfo,
    and_gate,
    load_breast_cancer,
    load_diabetes,
    load_digits,
    load_iris,
    load_wine,
    make_blobs,
    make_circles,
    make_line,
    make_moons,
    make_spirals,
    or_gate,
    students,
    xor,
)

GATE_INPUTS = [[0, 0], [0, 1], [1, 0], [1, 1]]

# -------------------------------------------------------------------------------- tables


@pytest.mark.parametrize(
    "gate, outputs",
    [(xor, [0, 1, 1, 0]), (and_gate, [0, 0, 0, 1]), (or_gate, [0, 1, 1, 1])],
)
def test_logic_gates_are_the_truth_tables(gate, outputs):
    X, y = gate()
    assert X.dtype == np.float32 and X.shape == (4, 2)
    assert y.dtype == np.int64 and y.shape == (4,)
    assert X.tolist() == GATE_INPUTS
    assert y.tolist() == outputs


def test_gates_keep_float64_when_asked():
    X, _ = xor(dtype=np.float64)
    assert X.dtype == np.float64
    X, _ = and_gate(dtype="float64")
    assert X.dtype == np.float64


def test_gates_refuse_an_integer_dtype():
    with pytest.raises(TypeError, match=r"xor: dtype must be a float type.*int64"):
        xor(dtype="int64")


def test_students_table_is_exact():
    X, y = students()
    assert X.dtype == np.float32 and y.dtype == np.int64
    assert X.tolist() == [
        [1, 5], [2, 6], [1, 4], [3, 5], [4, 6], [5, 5], [5, 7], [6, 6],
        [7, 5], [8, 6], [2, 3], [3, 4], [6, 7], [7, 8], [8, 7],
    ]  # fmt: skip
    assert y.tolist() == [0, 0, 0, 0, 1, 1, 1, 1, 1, 0, 0, 1, 1, 1, 1]


def test_tables_are_fresh_copies():
    X, y = xor()
    X[0, 0] = 99.0
    y[0] = 7
    assert xor()[0][0, 0] == 0.0 and xor()[1][0] == 0


# ------------------------------------------------------------------- generated problems

GENERATORS = [
    (make_moons, {}, 2, 2),
    (make_circles, {}, 2, 2),
    (make_spirals, {"n_classes": 3}, 2, 3),
    (make_blobs, {"centers": 4, "n_features": 3}, 3, 4),
]


@pytest.mark.parametrize("make, kwargs, n_features, n_classes", GENERATORS)
def test_generators_shapes_dtypes_and_balanced_classes(make, kwargs, n_features, n_classes):
    X, y = make(120, random_state=0, **kwargs)
    assert X.shape == (120, n_features) and X.dtype == np.float32
    assert y.shape == (120,) and y.dtype == np.int64
    assert np.bincount(y).tolist() == [120 // n_classes] * n_classes
    assert np.isfinite(X).all()


@pytest.mark.parametrize("make, kwargs, n_features, n_classes", GENERATORS)
def test_generators_same_seed_is_bit_identical(make, kwargs, n_features, n_classes):
    X1, y1 = make(50, random_state=7, **kwargs)
    X2, y2 = make(50, random_state=7, **kwargs)
    assert X1.tobytes() == X2.tobytes() and y1.tobytes() == y2.tobytes()
    X3, _ = make(50, random_state=8, **kwargs)
    assert not np.array_equal(X1, X3)


@pytest.mark.parametrize("make, kwargs, n_features, n_classes", GENERATORS)
def test_generators_accept_a_generator_and_none(make, kwargs, n_features, n_classes):
    # a Generator is used as is: the same state gives the same data, and it advances
    X1, _ = make(30, random_state=np.random.default_rng(3), **kwargs)
    X2, _ = make(30, random_state=np.random.default_rng(3), **kwargs)
    assert X1.tobytes() == X2.tobytes()
    rng = np.random.default_rng(3)
    make(30, random_state=rng, **kwargs)
    assert not np.array_equal(make(30, random_state=rng, **kwargs)[0], X1)
    # None draws from glassnet's default generator, which gn.seed() seeds
    backend.seed(3)
    X3, _ = make(30, **kwargs)
    assert X3.tobytes() == X1.tobytes()


def test_generators_keep_float64_when_asked():
    X, _ = make_moons(10, random_state=0, dtype=np.float64)
    assert X.dtype == np.float64
    X, y = make_line(10, random_state=0, dtype="float64")
    assert X.dtype == np.float64 and y.dtype == np.float64


def test_moons_without_noise_lie_on_their_half_circles():
    X, y = make_moons(101, noise=0.0, shuffle=False)
    assert np.bincount(y).tolist() == [50, 51]
    outer, inner = X[y == 0].astype(np.float64), X[y == 1].astype(np.float64)
    # class 0: the unit circle's upper half; class 1: radius 1 around (1, 0.5), lower half
    np.testing.assert_allclose(np.hypot(outer[:, 0], outer[:, 1]), 1.0, atol=1e-6)
    np.testing.assert_allclose(np.hypot(inner[:, 0] - 1, inner[:, 1] - 0.5), 1.0, atol=1e-6)
    assert (outer[:, 1] >= -1e-7).all() and (inner[:, 1] <= 0.5 + 1e-7).all()
    assert X[0].tolist() == [1.0, 0.0] and X[50].tolist() == [0.0, 0.5]


def test_moons_shuffle_mixes_the_classes_and_noise_moves_points():
    _, y = make_moons(40, noise=0.0, random_state=0)
    assert y[:20].tolist() != [0] * 20
    X_clean, _ = make_moons(40, noise=0.0, random_state=0)
    X_noisy, _ = make_moons(40, noise=0.3, random_state=0)
    spread = np.abs(X_noisy - X_clean).mean()
    assert 0.1 < spread < 0.5  # E|N(0, 0.3)| = 0.24


def test_circles_radii_and_factor():
    X, y = make_circles(100, noise=0.0, factor=0.3, random_state=0)
    radius = np.hypot(X[:, 0], X[:, 1])
    np.testing.assert_allclose(radius[y == 0], 1.0, atol=1e-6)
    np.testing.assert_allclose(radius[y == 1], 0.3, atol=1e-6)


@pytest.mark.parametrize("factor", [1.0, 1.5, -0.1])
def test_circles_refuse_a_factor_outside_0_1(factor):
    with pytest.raises(ValueError, match=rf"make_circles: factor must be .*{factor}"):
        make_circles(10, factor=factor)


def test_spirals_without_noise_follow_their_formula():
    X, y = make_spirals(7, n_classes=2, noise=0.0, shuffle=False)
    assert y.tolist() == [0, 0, 0, 0, 1, 1, 1]
    # class 0 has r = 0, 1/3, 2/3, 1 and angle 2*pi*r: the last point is (1, 0)
    np.testing.assert_allclose(np.hypot(X[:4, 0], X[:4, 1]), [0, 1 / 3, 2 / 3, 1], atol=1e-6)
    np.testing.assert_allclose(X[3], [1.0, 0.0], atol=1e-6)
    # class 1 starts half a turn later: its last point (r = 1, angle pi + 2*pi) is (-1, 0)
    np.testing.assert_allclose(X[6], [-1.0, 0.0], atol=1e-6)


def test_blobs_with_given_centres_and_zero_spread():
    centers = [[0.0, 0.0, 1.0], [5.0, 5.0, 5.0], [-3.0, 2.0, 0.0]]
    X, y = make_blobs(7, centers=centers, cluster_std=0.0, shuffle=False)
    assert np.bincount(y).tolist() == [3, 2, 2]
    np.testing.assert_array_equal(X, np.array(centers, dtype=np.float32)[y])


def test_blobs_spread_per_centre():
    X, y = make_blobs(
        4000, centers=[[0.0, 0.0], [20.0, 20.0]], cluster_std=[0.5, 2.0], random_state=0
    )
    assert X[y == 0].std(axis=0) == pytest.approx([0.5, 0.5], rel=0.1)
    assert X[y == 1].std(axis=0) == pytest.approx([2.0, 2.0], rel=0.1)


def test_blobs_random_centres_stay_in_the_box():
    X, y = make_blobs(300, centers=3, cluster_std=0.0, center_box=(2.0, 4.0), random_state=1)
    assert X.min() >= 2.0 and X.max() <= 4.0 and len(np.unique(X, axis=0)) == 3


def test_blobs_errors():
    with pytest.raises(ValueError, match=r"make_blobs: centers must be .*shape \(3,\)"):
        make_blobs(10, centers=[1.0, 2.0, 3.0])
    with pytest.raises(ValueError, match=r"make_blobs: cluster_std must be >= 0"):
        make_blobs(10, centers=2, cluster_std=-1.0)
    message = r"make_blobs: cluster_std must be one number or one per centre \(3\), .*\(2,\)"
    with pytest.raises(ValueError, match=message):
        make_blobs(10, centers=3, cluster_std=[1.0, 2.0])
    with pytest.raises(ValueError, match=r"make_blobs: centers must be >= 1, received 0"):
        make_blobs(10, centers=0)


def test_line_without_noise_is_exact():
    X, y = make_line(20, slope=3.0, intercept=-1.0, noise=0.0, random_state=0)
    assert X.shape == (20, 1) and y.shape == (20,)
    assert X.dtype == np.float32 and y.dtype == np.float32
    np.testing.assert_allclose(y, 3.0 * X[:, 0] - 1.0, rtol=1e-6, atol=1e-6)
    assert X.min() >= 0.0 and X.max() < 10.0
    X, y = make_line(20, slope=3.0, intercept=-1.0, noise=0.0, random_state=0, dtype="float64")
    np.testing.assert_array_equal(y, 3.0 * X[:, 0] - 1.0)  # exact in float64


def test_line_least_squares_recovers_slope_and_intercept():
    X, y = make_line(2000, slope=2.0, intercept=1.0, noise=0.5, random_state=0)
    slope, intercept = np.polyfit(X[:, 0].astype(np.float64), y.astype(np.float64), 1)
    assert slope == pytest.approx(2.0, abs=0.02)
    assert intercept == pytest.approx(1.0, abs=0.1)
    residual = y - (2.0 * X[:, 0] + 1.0)
    assert residual.std() == pytest.approx(0.5, rel=0.05)


@pytest.mark.parametrize(
    "call, error, message",
    [
        (lambda: make_moons(0), ValueError, r"make_moons: n_samples must be >= 1, received 0"),
        (lambda: make_moons(2.5), TypeError, r"make_moons: n_samples must be an int, .*2\.5"),
        (lambda: make_moons(True), TypeError, r"make_moons: n_samples must be an int"),
        (lambda: make_circles(10, noise=-1), ValueError, r"make_circles: noise must be >= 0"),
        (lambda: make_spirals(10, n_classes=0), ValueError, r"make_spirals: n_classes must be"),
        (lambda: make_line(10, noise="a"), TypeError, r"make_line: noise must be a number"),
        (lambda: make_moons(10, random_state="x"), TypeError, r"Expected None, an int seed"),
    ],
)
def test_generator_argument_errors(call, error, message):
    with pytest.raises(error, match=message):
        call()


# -------------------------------------------------------------------------------- digits

DIGITS_FIRST_ROW = [
    0, 0, 5, 13, 9, 1, 0, 0, 0, 0, 13, 15, 10, 15, 5, 0, 0, 3, 15, 2, 0, 11, 8, 0, 0, 4, 12, 0,
    0, 8, 8, 0, 0, 5, 8, 0, 0, 9, 8, 0, 0, 4, 11, 0, 1, 12, 7, 0, 0, 2, 14, 5, 10, 12, 0, 0,
    0, 0, 6, 13, 10, 0, 0, 0,
]  # fmt: skip


def test_digits_shape_range_and_checksums():
    X, y = load_digits()
    assert X.shape == (1797, 64) and X.dtype == np.float32
    assert y.shape == (1797,) and y.dtype == np.int64
    assert X.min() == 0.0 and X.max() == 16.0
    assert (X == np.round(X)).all()
    assert X[0].tolist() == DIGITS_FIRST_ROW and y[0] == 0
    assert np.bincount(y).tolist() == [178, 182, 177, 183, 181, 182, 181, 179, 174, 180]
    assert int(X.sum(dtype=np.float64)) == 561718


def test_digits_equal_scikit_learns():
    sklearn_datasets = pytest.importorskip("sklearn.datasets")
    X_ref, y_ref = sklearn_datasets.load_digits(return_X_y=True)
    X, y = load_digits(dtype=np.float64)
    np.testing.assert_array_equal(X, X_ref)
    np.testing.assert_array_equal(y, y_ref)


def test_digits_work_without_scikit_learn(monkeypatch):
    monkeypatch.setitem(sys.modules, "sklearn", None)  # "import sklearn" now fails
    monkeypatch.setitem(sys.modules, "sklearn.datasets", None)
    X, y = load_digits()
    assert X.shape == (1797, 64)
    with pytest.raises(ImportError, match=r"load_iris\(\) needs scikit-learn.*glassnet\[sklearn\]"):
        load_iris()


def test_digits_as_dataset_info():
    info = load_digits(return_X_y=False)
    assert isinstance(info, DatasetInfo)
    assert info.data.shape == (1797, 64) and info.images.shape == (1797, 8, 8)
    np.testing.assert_array_equal(info.images[5], info.data[5].reshape(8, 8))
    assert info.feature_names[:3] == ["pixel_0_0", "pixel_0_1", "pixel_0_2"]
    assert len(info.feature_names) == 64 and info.feature_names[-1] == "pixel_7_7"
    assert info.target_names == list(range(10))
    assert "Alpaydin" in info.DESCR and "BSD" in info.DESCR and "scikit-learn" in info.DESCR
    X, y = info
    assert X is info.data and y is info.target
    assert repr(info) == "DatasetInfo(data: (1797, 64) float32, target: (1797,) int64, 10 classes)"


def test_digits_n_class_and_copies():
    X, y = load_digits(n_class=3)
    assert X.shape == (537, 64) and sorted(set(y.tolist())) == [0, 1, 2]
    X[:] = -1.0  # the cached table is not affected
    assert load_digits()[0].min() == 0.0
    with pytest.raises(ValueError, match=r"load_digits: n_class must be between 1 and 10, .*11"):
        load_digits(n_class=11)


# ----------------------------------------------------------------- scikit-learn datasets


@pytest.mark.parametrize(
    "load, shape, counts",
    [
        (load_iris, (150, 4), [50, 50, 50]),
        (load_breast_cancer, (569, 30), [212, 357]),
        (load_wine, (178, 13), [59, 71, 48]),
    ],
)
def test_sklearn_classification_sets(load, shape, counts):
    pytest.importorskip("sklearn")
    X, y = load()
    assert X.shape == shape and X.dtype == np.float32 and y.dtype == np.int64
    assert np.bincount(y).tolist() == counts
    info = load(return_X_y=False, dtype=np.float64)
    assert info.data.dtype == np.float64 and len(info.feature_names) == shape[1]
    assert len(info.target_names) == len(counts)
    assert all(isinstance(name, str) for name in info.target_names)
    np.testing.assert_array_equal(info.data.astype(np.float32), X)


def test_sklearn_iris_names():
    pytest.importorskip("sklearn")
    info = load_iris(return_X_y=False)
    assert info.feature_names[0] == "sepal length (cm)"
    assert info.target_names == ["setosa", "versicolor", "virginica"]
    assert "Iris" in info.DESCR


def test_sklearn_diabetes_is_regression():
    pytest.importorskip("sklearn")
    X, y = load_diabetes()
    assert X.shape == (442, 10) and X.dtype == np.float32
    assert y.shape == (442,) and y.dtype == np.float32
    assert y.min() == 25.0 and y.max() == 346.0
    info = load_diabetes(return_X_y=False)
    assert info.target_names is None and "regression" in repr(info)
