"""Metrics: values against scikit-learn, streaming over batches, name resolution, errors."""

import numpy as np
import pytest

from glassnet.training import metrics


@pytest.fixture
def rng():
    return np.random.default_rng(0)


# ------------------------------------------------------------------------ worked examples


def test_accuracy_picks_binary_sparse_or_categorical_like_keras():
    # one output column: threshold 0.5 -> [1, 0, 0, 1] vs [1, 0, 1, 1]: 3 of 4
    assert metrics.accuracy([1, 0, 1, 1], [[0.9], [0.2], [0.4], [0.6]]) == 0.75
    # labels (N,) against scores (N, 3): argmax [2, 0] vs [2, 1]: 1 of 2
    assert metrics.accuracy([2, 1], [[0.1, 0.2, 0.7], [0.5, 0.3, 0.2]]) == 0.5
    # one-hot against scores: argmax of both
    assert metrics.accuracy([[0, 0, 1], [0, 1, 0]], [[0.1, 0.2, 0.7], [0.2, 0.5, 0.3]]) == 1.0
    # plain labels, scikit-learn style
    assert metrics.accuracy([0, 1, 2, 2], [0, 2, 2, 2]) == 0.75


def test_binary_accuracy_threshold_and_multilabel():
    assert metrics.binary_accuracy([1, 0], [0.7, 0.7], threshold=0.8) == 0.5
    # two labels per sample: sample 0 gets 1/2 right, sample 1 gets 2/2 -> 0.75
    assert metrics.binary_accuracy([[1, 0], [0, 1]], [[0.9, 0.9], [0.1, 0.8]]) == 0.75


def test_sample_weight_weights_the_mean():
    # right, wrong, right with weights 1, 3, 0 -> 1 / 4
    assert metrics.accuracy([1, 1, 0], [1, 0, 0], sample_weight=[1, 3, 0]) == 0.25
    assert metrics.mae([0.0, 0.0], [1.0, 3.0], sample_weight=[3, 1]) == 1.5


def test_r2_of_a_constant_target_follows_scikit_learn():
    assert metrics.r2([2.0, 2.0], [2.0, 2.0]) == 1.0
    assert metrics.r2([2.0, 2.0], [1.0, 3.0]) == 0.0


def test_confusion_matrix_layout_rows_truth_columns_prediction():
    cm = metrics.confusion_matrix([0, 0, 1, 2], [[0.8, 0.1, 0.1], [0.1, 0.8, 0.1],
                                                [0.1, 0.8, 0.1], [0.1, 0.1, 0.8]])
    np.testing.assert_array_equal(cm, [[1, 1, 0], [0, 1, 0], [0, 0, 1]])
    assert cm.dtype == np.int64
    assert metrics.confusion_matrix([0, 1], [0, 1], num_classes=4).shape == (4, 4)
    with pytest.raises(ValueError, match="num_classes=2 but the labels go up to 3"):
        metrics.confusion_matrix([0, 3], [0, 1], num_classes=2)


# ------------------------------------------------------------------------ against sklearn


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_classification_metrics_match_sklearn(seed):
    sk = pytest.importorskip("sklearn.metrics")
    rng = np.random.default_rng(seed)
    y_true = rng.integers(0, 4, 200)
    scores = rng.random((200, 4))
    y_pred = scores.argmax(axis=1)
    assert metrics.accuracy(y_true, scores) == pytest.approx(sk.accuracy_score(y_true, y_pred))
    for average in ("macro", "micro", "weighted"):
        assert metrics.precision(y_true, scores, average=average) == pytest.approx(
            sk.precision_score(y_true, y_pred, average=average, zero_division=0))
        assert metrics.recall(y_true, scores, average=average) == pytest.approx(
            sk.recall_score(y_true, y_pred, average=average, zero_division=0))
        assert metrics.f1(y_true, scores, average=average) == pytest.approx(
            sk.f1_score(y_true, y_pred, average=average, zero_division=0))
    np.testing.assert_array_equal(metrics.confusion_matrix(y_true, scores),
                                  sk.confusion_matrix(y_true, y_pred))


def test_binary_metrics_match_sklearn(rng):
    sk = pytest.importorskip("sklearn.metrics")
    y_true = rng.integers(0, 2, 300)
    probabilities = rng.random((300, 1))
    y_pred = (probabilities[:, 0] > 0.5).astype(int)
    weight = rng.random(300)
    assert metrics.precision(y_true, probabilities) == pytest.approx(
        sk.precision_score(y_true, y_pred))
    assert metrics.recall(y_true, probabilities) == pytest.approx(sk.recall_score(y_true, y_pred))
    assert metrics.f1(y_true, probabilities) == pytest.approx(sk.f1_score(y_true, y_pred))
    assert metrics.f1(y_true, probabilities, sample_weight=weight) == pytest.approx(
        sk.f1_score(y_true, y_pred, sample_weight=weight))
    assert metrics.accuracy(y_true, probabilities, sample_weight=weight) == pytest.approx(
        sk.accuracy_score(y_true, y_pred, sample_weight=weight))


def test_regression_metrics_match_sklearn(rng):
    sk = pytest.importorskip("sklearn.metrics")
    y_true = rng.normal(size=(100, 3))
    y_pred = y_true + rng.normal(scale=0.5, size=(100, 3))
    weight = rng.random(100)
    assert metrics.mae(y_true, y_pred) == pytest.approx(sk.mean_absolute_error(y_true, y_pred))
    assert metrics.mse(y_true, y_pred) == pytest.approx(sk.mean_squared_error(y_true, y_pred))
    assert metrics.rmse(y_true, y_pred) == pytest.approx(
        np.sqrt(sk.mean_squared_error(y_true, y_pred)))
    assert metrics.r2(y_true, y_pred) == pytest.approx(sk.r2_score(y_true, y_pred))
    assert metrics.r2(y_true, y_pred, sample_weight=weight) == pytest.approx(
        sk.r2_score(y_true, y_pred, sample_weight=weight))
    # (N,) truth against a (N, 1) model output
    assert metrics.r2(y_true[:, 0], y_pred[:, :1]) == pytest.approx(
        sk.r2_score(y_true[:, 0], y_pred[:, 0]))


# ------------------------------------------------------------------------ streaming


@pytest.mark.parametrize("name", ["precision", "recall", "f1", "rmse", "r2", "accuracy"])
def test_streaming_over_batches_equals_the_whole_set(name, rng):
    """The epoch value is the value on all samples, not the mean of batch values."""
    if name in ("rmse", "r2"):
        y_true = rng.normal(size=(97, 1))
        y_pred = y_true + rng.normal(scale=0.7, size=(97, 1))
    else:
        y_true = rng.integers(0, 2, 97)
        y_pred = rng.random((97, 1))
    whole = metrics.get(name)
    whole.update_state(y_true, y_pred)
    streamed = metrics.get(name)
    batch_values = []
    for start in range(0, 97, 10):
        streamed.update_state(y_true[start:start + 10], y_pred[start:start + 10])
        one = metrics.get(name)
        one.update_state(y_true[start:start + 10], y_pred[start:start + 10])
        batch_values.append(one.result())
    assert streamed.result() == pytest.approx(whole.result(), abs=1e-12)
    if name != "accuracy":  # the naive mean of batch means is genuinely different here
        assert abs(np.mean(batch_values) - whole.result()) > 1e-4


def test_reset_state_starts_over():
    metric = metrics.Precision()
    metric.update_state([1, 0], [0, 1])
    assert metric.result() == 0.0
    metric.reset_state()
    metric.update_state([1, 1], [1, 1])
    assert metric.result() == 1.0


def test_mean_metric_wrapper_weights_batches_by_size():
    def mean_error(y_true, y_pred):
        return float(np.mean(np.asarray(y_pred) - np.asarray(y_true)))

    metric = metrics.get(mean_error)
    metric.update_state([0.0], [4.0])              # one sample, mean 4
    metric.update_state([0.0, 0.0, 0.0], [1.0, 1.0, 1.0])  # three samples, mean 1
    assert metric.name == "mean_error"
    assert metric.result() == pytest.approx((4 + 3) / 4)


# ------------------------------------------------------------------------ names and errors


def test_names_resolve_with_the_given_name_as_log_key():
    assert metrics.get("acc").name == "acc"
    assert isinstance(metrics.get("accuracy"), metrics.Accuracy)
    assert isinstance(metrics.get("mean_absolute_error"), metrics.MeanAbsoluteError)
    assert isinstance(metrics.get("r2"), metrics.R2Score)
    assert metrics.get("r2").direction == "up"
    assert metrics.get("mse").direction == "down"


def test_unknown_metric_name_lists_the_valid_ones():
    with pytest.raises(ValueError, match=r"Unknown metric 'accuracyy'\. Valid names: .*"
                                         r"accuracy.*precision.*r2"):
        metrics.get("accuracyy")
    with pytest.raises(TypeError, match="A metric must be a name"):
        metrics.get(3)


def test_bad_metric_inputs_name_the_problem():
    with pytest.raises(ValueError, match="different numbers of samples"):
        metrics.accuracy([0, 1, 1], [0, 1])
    with pytest.raises(ValueError, match="average='binary' needs two classes"):
        metrics.precision([0, 1, 2], [0, 1, 2], average="binary")
    with pytest.raises(ValueError, match="average must be one of"):
        metrics.Precision(average="samples")
    with pytest.raises(ValueError, match="class labels must be >= 0"):
        metrics.accuracy([-1, 0], [0, 0])
    with pytest.raises(TypeError, match="encode string labels"):
        metrics.accuracy(["a", "b"], [0, 1])
    with pytest.raises(ValueError, match=r"sample_weight must have one weight per sample \(2\)"):
        metrics.mae([0.0, 1.0], [0.0, 1.0], sample_weight=[1.0])
    with pytest.raises(ValueError, match="for integer labels use sparse_categorical_accuracy"):
        metrics.categorical_accuracy([0, 1], [[0.2, 0.8], [0.6, 0.4]])
