"""Loss modules: exact numbers, every reduction against torch, extreme logits, bad input."""

import numpy as np
import pytest

import glassnet as gn
from glassnet import nn

RNG = np.random.default_rng(0)
PRED = RNG.standard_normal((6, 3))
TARGET = RNG.standard_normal((6, 3))
PROBS = RNG.uniform(0.05, 0.95, (6, 3))
BINARY = (RNG.uniform(size=(6, 3)) > 0.5).astype(np.float64)
LABELS = np.array([0, 2, 1, 2, 0, 1])
LOG_PROBS = PRED - np.log(np.exp(PRED).sum(axis=1, keepdims=True))

# id, our module, torch module factory, prediction, target
CASES = [
    ("mse", lambda r: nn.MSELoss(reduction=r), lambda t, r: t.nn.MSELoss(reduction=r),
     PRED, TARGET),
    ("l1", lambda r: nn.L1Loss(reduction=r), lambda t, r: t.nn.L1Loss(reduction=r), PRED, TARGET),
    ("huber", lambda r: nn.HuberLoss(reduction=r, delta=0.7),
     lambda t, r: t.nn.HuberLoss(reduction=r, delta=0.7), PRED, TARGET),
    ("bce", lambda r: nn.BCELoss(reduction=r), lambda t, r: t.nn.BCELoss(reduction=r),
     PROBS, BINARY),
    ("bce-logits", lambda r: nn.BCEWithLogitsLoss(reduction=r),
     lambda t, r: t.nn.BCEWithLogitsLoss(reduction=r), PRED * 3, BINARY),
    ("bce-logits-pos-weight", lambda r: nn.BCEWithLogitsLoss(r, pos_weight=[2.0, 0.5, 1.0]),
     lambda t, r: t.nn.BCEWithLogitsLoss(reduction=r, pos_weight=t.tensor([2.0, 0.5, 1.0],
                                                                          dtype=t.float64)),
     PRED, BINARY),
    ("cross-entropy", lambda r: nn.CrossEntropyLoss(reduction=r),
     lambda t, r: t.nn.CrossEntropyLoss(reduction=r), PRED, LABELS),
    ("cross-entropy-weight-smoothing",
     lambda r: nn.CrossEntropyLoss(weight=np.array([1.0, 2.0, 0.5]), reduction=r,
                                   label_smoothing=0.1),
     lambda t, r: t.nn.CrossEntropyLoss(weight=t.tensor([1.0, 2.0, 0.5], dtype=t.float64),
                                        reduction=r, label_smoothing=0.1), PRED, LABELS),
    ("cross-entropy-probabilities", lambda r: nn.CrossEntropyLoss(reduction=r),
     lambda t, r: t.nn.CrossEntropyLoss(reduction=r), PRED, np.exp(LOG_PROBS[::-1])),
    ("nll", lambda r: nn.NLLLoss(reduction=r), lambda t, r: t.nn.NLLLoss(reduction=r),
     LOG_PROBS, LABELS),
]


def _gn(array, grad=False):
    if array.dtype.kind == "f":
        return gn.tensor(array, dtype=gn.float64, requires_grad=grad)
    return gn.tensor(array)


@pytest.mark.parametrize("reduction", ["mean", "sum", "none"])
@pytest.mark.parametrize("case", CASES, ids=[c[0] for c in CASES])
def test_loss_modules_match_torch(case, reduction):
    torch = pytest.importorskip("torch")
    _, ours, theirs, prediction, target = case
    p = _gn(prediction, grad=True)
    tp = torch.tensor(prediction, requires_grad=True)
    loss = ours(reduction)(p, _gn(target))
    tloss = theirs(torch, reduction)(tp, torch.tensor(target))
    np.testing.assert_allclose(loss.data, tloss.detach().numpy(), rtol=1e-6, atol=1e-12)
    g = np.random.default_rng(1).standard_normal(loss.shape)
    (loss * gn.tensor(g, dtype=gn.float64)).sum().backward()
    (tloss * torch.tensor(g)).sum().backward()
    np.testing.assert_allclose(p.grad, tp.grad.numpy(), rtol=1e-6, atol=1e-12)


def test_exact_numbers():
    # MSE: ((1 - 0)^2 + (2 - 4)^2) / 2 = 2.5 ; L1: (1 + 2) / 2 = 1.5
    assert nn.MSELoss()(gn.tensor([1.0, 2.0]), gn.tensor([0.0, 4.0])).item() == 2.5
    assert nn.L1Loss()(gn.tensor([1.0, 2.0]), gn.tensor([0.0, 4.0])).item() == 1.5
    # BCE with logits at z = 0: log 2
    assert nn.BCEWithLogitsLoss()(gn.tensor([0.0]), gn.tensor([1.0])).item() == \
        pytest.approx(np.log(2), rel=1e-6)
    # cross-entropy of equal logits over 4 classes: log 4
    assert nn.CrossEntropyLoss()(gn.zeros(2, 4), gn.tensor([1, 3])).item() == \
        pytest.approx(np.log(4), rel=1e-6)


def test_extreme_logits_stay_finite():
    z = gn.tensor([[1e4, -1e4, 0.0], [-1e4, 1e4, 0.0]], requires_grad=True)
    loss = nn.CrossEntropyLoss()(z, gn.tensor([1, 1]))
    loss.backward()
    assert np.isfinite(loss.item()) and np.all(np.isfinite(z.grad))
    z2 = gn.tensor([1e4, -1e4], requires_grad=True)
    loss2 = nn.BCEWithLogitsLoss()(z2, gn.tensor([0.0, 1.0]))
    loss2.backward()
    assert loss2.item() == pytest.approx(1e4, rel=1e-6) and np.all(np.isfinite(z2.grad))


def test_nll_after_log_softmax_equals_cross_entropy():
    z, y = gn.tensor(PRED), gn.tensor(LABELS)
    np.testing.assert_allclose(nn.NLLLoss()(nn.LogSoftmax()(z), y).data,
                               nn.CrossEntropyLoss()(z, y).data, rtol=1e-6)


@pytest.mark.parametrize("cls", [nn.MSELoss, nn.L1Loss, nn.HuberLoss, nn.BCELoss,
                                 nn.BCEWithLogitsLoss, nn.NLLLoss])
def test_bad_reduction(cls):
    with pytest.raises(ValueError, match=rf"{cls.__name__}: reduction must be one of "
                                         r"\('mean', 'sum', 'none'\), received 'avg'"):
        cls(reduction="avg")


def test_bad_settings():
    with pytest.raises(ValueError, match=r"HuberLoss: delta must be > 0, received 0"):
        nn.HuberLoss(delta=0)
    with pytest.raises(ValueError, match=r"label_smoothing must be in \[0, 1\), received 1.0"):
        nn.CrossEntropyLoss(label_smoothing=1.0)


def test_shape_mismatch_message_comes_through():
    with pytest.raises(ValueError, match=r"prediction shape \(4, 1\) and target shape \(4,\)"):
        nn.MSELoss()(gn.zeros(4, 1), gn.zeros(4))


def test_repr_shows_non_default_settings():
    assert repr(nn.MSELoss()) == "MSELoss()"
    assert repr(nn.MSELoss(reduction="sum")) == "MSELoss(reduction='sum')"
    assert repr(nn.HuberLoss(delta=2.0)) == "HuberLoss(delta=2.0)"
    assert repr(nn.CrossEntropyLoss(label_smoothing=0.1)) == \
        "CrossEntropyLoss(label_smoothing=0.1)"


def test_loss_modules_have_no_parameters():
    assert list(nn.CrossEntropyLoss(weight=[1.0, 2.0]).parameters()) == []
