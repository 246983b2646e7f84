"""train_test_split (sizes as scikit-learn, stratify, seeds), standardize and one_hot."""

import numpy as np
import pytest

from glassnet.data import DataError, one_hot, standardize, train_test_split

# ---------------------------------------------------------------------- train_test_split


def test_split_returns_aligned_train_and_test_parts():
    X = np.arange(40).reshape(20, 2)
    y = np.arange(20) * 10
    X_train, X_test, y_train, y_test = train_test_split(X, y, random_state=0)
    assert X_train.shape == (15, 2) and X_test.shape == (5, 2)  # test 0.25 by default
    assert y_train.shape == (15,) and y_test.shape == (5,)
    # the same rows from both arrays: row i of X is [2i, 2i+1] and y is 10i
    np.testing.assert_array_equal(X_train[:, 0] * 5, y_train)
    np.testing.assert_array_equal(X_test[:, 0] * 5, y_test)
    # a partition: every row exactly once
    assert sorted(y_train.tolist() + y_test.tolist()) == y.tolist()
    assert y_train.tolist() != sorted(y_train.tolist())  # shuffled


def test_split_same_seed_is_identical_and_generators_work():
    X = np.random.default_rng(0).normal(size=(50, 3))
    first = train_test_split(X, test_size=0.3, random_state=5)
    second = train_test_split(X, test_size=0.3, random_state=5)
    assert all(a.tobytes() == b.tobytes() for a, b in zip(first, second, strict=True))
    other = train_test_split(X, test_size=0.3, random_state=6)
    assert not np.array_equal(first[1], other[1])
    from_generator = train_test_split(X, test_size=0.3, random_state=np.random.default_rng(5))
    assert from_generator[1].tobytes() == first[1].tobytes()


def test_split_without_shuffle_keeps_the_order():
    X_train, X_test = train_test_split(np.arange(10), test_size=3, shuffle=False)
    assert X_train.tolist() == [0, 1, 2, 3, 4, 5, 6] and X_test.tolist() == [7, 8, 9]


def test_split_accepts_lists_and_several_arrays():
    a, b, c = [1, 2, 3, 4], ["w", "x", "y", "z"], np.eye(4)
    a_train, a_test, b_train, b_test, c_train, c_test = train_test_split(
        a, b, c, test_size=0.5, random_state=1
    )
    assert isinstance(a_train, np.ndarray) and len(a_train) == 2 and len(b_test) == 2
    letters = dict(zip(a, b, strict=True))
    assert [letters[i] for i in a_train.tolist()] == b_train.tolist()
    np.testing.assert_array_equal(c_test, np.eye(4)[a_test - 1])


@pytest.mark.parametrize(
    "n, test_size, train_size, expected",
    [
        (10, None, None, (7, 3)),  # 0.25 * 10 = 2.5 -> 3 for test
        (1797, 0.2, None, (1437, 360)),  # the digits split
        (10, 0.33, None, (6, 4)),
        (10, None, 0.33, (3, 7)),  # train rounds down
        (10, 4, None, (6, 4)),
        (10, None, 6, (6, 4)),
        (10, 0.2, 0.5, (5, 2)),
        (10, 2, 3, (3, 2)),
        (10, 0.01, None, (9, 1)),  # 0.1 test rows round up to 1
        (10, np.float32(0.3), np.int64(5), (5, 3)),  # NumPy scalars work as well
    ],
)
def test_split_sizes_match_scikit_learn(n, test_size, train_size, expected):
    X = np.arange(n)
    train, test = train_test_split(X, test_size=test_size, train_size=train_size, random_state=0)
    assert (len(train), len(test)) == expected
    assert len(np.intersect1d(train, test)) == 0


def test_split_sizes_against_scikit_learn_itself():
    model_selection = pytest.importorskip("sklearn.model_selection")
    for n in (7, 10, 33, 100):
        for test_size, train_size in [(None, None), (0.1, None), (0.45, 0.3), (None, 0.7), (3, 2)]:
            X = np.arange(n)
            ours = train_test_split(X, test_size=test_size, train_size=train_size, random_state=0)
            theirs = model_selection.train_test_split(
                X, test_size=test_size, train_size=train_size, random_state=0
            )
            assert [len(p) for p in ours] == [len(p) for p in theirs]


def test_stratify_keeps_class_proportions():
    y = np.repeat([0, 1, 2], [100, 50, 30])
    X = np.arange(180)
    X_train, X_test, y_train, y_test = train_test_split(
        X, y, test_size=0.2, stratify=y, random_state=0
    )
    assert np.bincount(y_test).tolist() == [20, 10, 6]
    assert np.bincount(y_train).tolist() == [80, 40, 24]
    np.testing.assert_array_equal(y[X_train], y_train)
    assert y_test.tolist() != sorted(y_test.tolist())  # the classes are mixed, not in blocks


def test_stratify_with_uneven_shares_and_text_labels():
    y = np.array(["a"] * 7 + ["b"] * 5 + ["c"] * 3)
    _, y_test = train_test_split(y, test_size=6, stratify=y, random_state=0)
    # train first: 9 * (7, 5, 3) / 15 = 4.2, 3.0, 1.8 -> 4, 3, 1 plus one for the largest
    # remainder (c) = 4, 3, 2; the test set gets the rest: 3, 2, 1
    assert {label: int((y_test == label).sum()) for label in "abc"} == {"a": 3, "b": 2, "c": 1}


def test_stratify_counts_match_scikit_learn():
    model_selection = pytest.importorskip("sklearn.model_selection")
    y = np.repeat([0, 1, 2, 3], [43, 27, 19, 11])
    sizes = [(0.2, None), (0.3, None), (10, None), (0.15, 0.6), (13, 51), (None, 0.61)]
    for test_size, train_size in sizes:  # sizes without ties, which scikit-learn breaks randomly
        ours = train_test_split(
            y, test_size=test_size, train_size=train_size, stratify=y, random_state=0
        )
        theirs = model_selection.train_test_split(
            y, test_size=test_size, train_size=train_size, stratify=y, random_state=0
        )
        assert [np.bincount(p).tolist() for p in ours] == [np.bincount(p).tolist() for p in theirs]


def test_stratify_is_deterministic():
    y = np.repeat([0, 1], [30, 20])
    first = train_test_split(np.arange(50), y, stratify=y, random_state=3)
    second = train_test_split(np.arange(50), y, stratify=y, random_state=3)
    assert all(a.tobytes() == b.tobytes() for a, b in zip(first, second, strict=True))


def test_split_inconsistent_lengths_names_the_shapes():
    with pytest.raises(ValueError, match=r"different numbers of samples: shapes \(10, 2\), \(9,\)"):
        train_test_split(np.zeros((10, 2)), np.zeros(9))


@pytest.mark.parametrize(
    "kwargs, error, message",
    [
        ({"test_size": 0.0}, ValueError, r"test_size=0.0 should be a float in \(0, 1\)"),
        ({"test_size": 1.0}, ValueError, r"test_size=1.0 should be a float in \(0, 1\)"),
        ({"test_size": -0.2}, ValueError, r"test_size=-0.2 should be a float"),
        ({"test_size": 10}, ValueError, r"test_size=10 should be an int in \[1, 9\]"),
        ({"test_size": 0}, ValueError, r"test_size=0 should be an int in \[1, 9\]"),
        ({"train_size": 1.5}, ValueError, r"train_size=1.5 should be a float in \(0, 1\)"),
        ({"test_size": "half"}, TypeError, r"test_size must be a float in \(0, 1\), an int or"),
        ({"test_size": 0.6, "train_size": 0.6}, ValueError, r"test_size=0.6 plus train_size="),
        ({"test_size": 6, "train_size": 5}, ValueError, r"5 train \+ 6 test samples is more"),
    ],
)
def test_split_bad_sizes(kwargs, error, message):
    with pytest.raises(error, match="train_test_split: " + message):
        train_test_split(np.arange(10), **kwargs)


def test_split_small_train_share_would_be_empty():
    with pytest.raises(ValueError, match=r"the train set would be empty"):
        train_test_split(np.arange(3), train_size=0.2)


def test_split_other_errors():
    with pytest.raises(ValueError, match=r"at least one array is required"):
        train_test_split()
    with pytest.raises(ValueError, match=r"need at least 2 samples, received 1"):
        train_test_split(np.zeros((1, 3)))
    y = np.array([0, 0, 0, 1, 1, 2])
    with pytest.raises(ValueError, match=r"least populated class in stratify has only 1 member"):
        train_test_split(y, stratify=y)
    with pytest.raises(ValueError, match=r"stratify needs shuffle=True"):
        train_test_split(y, stratify=y, shuffle=False)
    with pytest.raises(ValueError, match=r"stratify has 5 labels \(shape \(5,\)\) for 6 samples"):
        train_test_split(y, stratify=y[:5])
    y = np.repeat([0, 1, 2], 4)
    with pytest.raises(ValueError, match=r"need at least one sample of each of the 3 classes"):
        train_test_split(y, test_size=2, stratify=y)


# ---------------------------------------------------------------------------- standardize


def test_standardize_gives_zero_mean_unit_std():
    X = np.random.default_rng(0).normal(3.0, 5.0, size=(200, 4)).astype(np.float32)
    X_std, mean, std = standardize(X)
    assert X_std.dtype == np.float32 and mean.dtype == np.float32 and std.dtype == np.float32
    assert mean.shape == (4,) and std.shape == (4,)
    np.testing.assert_allclose(X_std.mean(axis=0), 0.0, atol=1e-6)
    np.testing.assert_allclose(X_std.std(axis=0), 1.0, rtol=1e-5)
    np.testing.assert_allclose(mean, X.mean(axis=0), rtol=1e-6)
    np.testing.assert_allclose(std, X.std(axis=0), rtol=1e-5)


def test_standardize_matches_scikit_learns_scaler():
    preprocessing = pytest.importorskip("sklearn.preprocessing")
    X = np.random.default_rng(1).normal(size=(50, 3))
    X[:, 1] = 4.2  # a constant column
    X_std, mean, std = standardize(X)
    scaler = preprocessing.StandardScaler().fit(X)
    np.testing.assert_allclose(X_std, scaler.transform(X), atol=1e-12)
    np.testing.assert_allclose(std, scaler.scale_)


def test_standardize_worked_example_and_zero_variance_column():
    X = np.array([[1.0, 7.0, 0.0], [3.0, 7.0, 4.0], [5.0, 7.0, 8.0]])
    X_std, mean, std = standardize(X)
    # column 0: mean 3, std sqrt(8/3); column 1 constant: std taken as 1, all zeros
    assert mean.tolist() == [3.0, 7.0, 4.0]
    np.testing.assert_allclose(std, [np.sqrt(8 / 3), 1.0, np.sqrt(32 / 3)])
    np.testing.assert_allclose(X_std[:, 0], [-1.224744871, 0.0, 1.224744871])
    assert X_std[:, 1].tolist() == [0.0, 0.0, 0.0]
    assert X_std.dtype == np.float64
    assert X[0, 0] == 1.0  # the input is not modified


def test_standardize_constant_float32_column_is_exactly_zero():
    X = np.full((1000, 2), 0.1, dtype=np.float32)
    X[:, 0] = np.linspace(0, 1, 1000)
    X_std, _, std = standardize(X)
    assert std[1] == 1.0 and (X_std[:, 1] == 0.0).all()


def test_standardize_test_data_with_training_statistics():
    X_train = np.array([[0.0, 10.0], [2.0, 30.0]])
    _, mean, std = standardize(X_train)
    X_test_std, mean2, std2 = standardize(np.array([[4.0, 0.0]]), mean, std)
    assert X_test_std.tolist() == [[3.0, -2.0]]
    assert mean2.tolist() == mean.tolist() and std2.tolist() == std.tolist()
    # zeros in a given std are taken as 1 as well
    assert standardize(np.array([[4.0, 0.0]]), mean, [0.0, 10.0])[0].tolist() == [[3.0, -2.0]]


def test_standardize_integers_become_float32():
    X_std, mean, _ = standardize(np.array([[1, 2], [3, 4]]))
    assert X_std.dtype == np.float32 and mean.tolist() == [2.0, 3.0]


def test_standardize_errors():
    X = np.ones((3, 2))
    X[1, 1] = np.nan
    with pytest.raises(DataError, match=r"standardize: X: found NaN at row 1, column 1"):
        standardize(X)
    message = r"standardize: mean has shape \(3,\), expected \(2,\) .*shape \(4, 2\)"
    with pytest.raises(ValueError, match=message):
        standardize(np.ones((4, 2)), mean=np.zeros(3))
    with pytest.raises(ValueError, match=r"standardize: std must be >= 0"):
        standardize(np.ones((4, 2)), mean=np.zeros(2), std=np.array([1.0, -1.0]))
    with pytest.raises(ValueError, match=r"at least one row, received shape \(0, 3\)"):
        standardize(np.zeros((0, 3)))
    with pytest.raises(TypeError, match=r"standardize: X must hold numbers, received dtype <U1"):
        standardize(np.array([["a"]]))


# -------------------------------------------------------------------------------- one_hot


def test_one_hot_values_shape_and_dtype():
    encoded = one_hot(np.array([2, 0, 1, 2]))
    assert encoded.dtype == np.float32 and encoded.shape == (4, 3)
    assert encoded.tolist() == [[0, 0, 1], [1, 0, 0], [0, 1, 0], [0, 0, 1]]
    assert one_hot([1], num_classes=4).tolist() == [[0, 1, 0, 0]]
    assert one_hot([[0, 1], [1, 1]]).shape == (2, 2, 2)
    assert one_hot([0, 1], dtype=np.float64).dtype == np.float64


def test_one_hot_accepts_whole_floats():
    assert one_hot(np.array([1.0, 0.0])).tolist() == [[0, 1], [1, 0]]


@pytest.mark.parametrize(
    "y, num_classes, error, message",
    [
        ([0, -1, 2, -3, -1], None, ValueError, r"labels must be >= 0, received \[-3, -1\]"),
        ([0, 3, 1, 7], 3, ValueError, r"labels must be in 0..2 for num_classes=3, .* \[3, 7\]"),
        ([0.5, 1.0, 2.25], None, ValueError, r"labels must be whole numbers, .*\[0.5, 2.25\]"),
        ([0.0, np.nan], None, ValueError, r"labels must be whole numbers, received \[nan\]"),
        ([0.0, np.inf], None, ValueError, r"labels must be whole numbers, received \[inf\]"),
        (["a", "b"], None, TypeError, r"labels must be integers 0..k-1, received dtype <U1"),
        ([True, False], None, TypeError, r"labels must be integers 0..k-1, received dtype bool"),
        ([0, 1], 0, ValueError, r"num_classes must be >= 1, received 0"),
        ([0, 1], 2.0, TypeError, r"num_classes must be an int, received 2.0"),
        ([1e30], 3, ValueError, r"labels must be in 0..2 for num_classes=3, received \[1e\+30\]"),
    ],
)
def test_one_hot_errors_name_the_bad_labels(y, num_classes, error, message):
    with pytest.raises(error, match="one_hot: " + message):
        one_hot(y, num_classes=num_classes)


def test_one_hot_lists_at_most_ten_bad_labels():
    message = r"received \[5, 6, 7, 8, 9, 10, 11, 12, 13, 14, \.\.\. \(15 in all\)\]"
    with pytest.raises(ValueError, match=message):
        one_hot(np.arange(20), num_classes=5)
