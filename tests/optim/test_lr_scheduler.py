"""Learning-rate schedules against torch.optim.lr_scheduler, state_dict, and bad input."""

import math

import numpy as np
import pytest

import glassnet as gn
from glassnet import optim
from glassnet.optim import lr_scheduler

EPOCHS = 25


def two_groups(lib):
    """SGD with two groups of different learning rates, in glassnet (lib=gn) or torch."""
    first, second = lib.ones(2, requires_grad=True), lib.ones(3, requires_grad=True)
    return lib.optim.SGD([{"params": [first], "lr": 0.1}, {"params": [second], "lr": 0.02}])


def rates(scheduler, epochs=EPOCHS, metrics=None):
    """get_last_lr() after creation and after each epoch's step()."""
    seen = [scheduler.get_last_lr()]
    for epoch in range(epochs):
        scheduler.optimizer.step()  # an epoch of training (no gradients here: no change)
        if metrics is None:
            scheduler.step()
        else:
            scheduler.step(metrics[epoch])
        seen.append(scheduler.get_last_lr())
    return np.array(seen)


SCHEDULES = [
    ("StepLR", {"step_size": 3, "gamma": 0.5}),
    ("StepLR", {"step_size": 1}),
    ("ExponentialLR", {"gamma": 0.9}),
    ("CosineAnnealingLR", {"T_max": 10}),
    ("CosineAnnealingLR", {"T_max": 7, "eta_min": 0.001}),  # and on past T_max: it climbs back
]


@pytest.mark.parametrize("name, options", SCHEDULES, ids=[s[0] + str(s[1]) for s in SCHEDULES])
def test_schedule_matches_torch(name, options):
    torch = pytest.importorskip("torch")
    ours = rates(getattr(lr_scheduler, name)(two_groups(gn), **options))
    theirs = rates(getattr(torch.optim.lr_scheduler, name)(two_groups(torch), **options))
    assert ours.shape == (EPOCHS + 1, 2)
    np.testing.assert_allclose(ours, theirs, rtol=1e-12, atol=1e-15)


def test_lambda_lr_matches_torch_with_one_function_per_group():
    torch = pytest.importorskip("torch")
    functions = [lambda epoch: 0.95 ** epoch, lambda epoch: min(1.0, (epoch + 1) / 5)]
    ours = rates(lr_scheduler.LambdaLR(two_groups(gn), functions))
    theirs = rates(torch.optim.lr_scheduler.LambdaLR(two_groups(torch), functions))
    np.testing.assert_allclose(ours, theirs, rtol=1e-12)


PLATEAUS = [
    {"factor": 0.5, "patience": 2},
    {"mode": "max", "factor": 0.5, "patience": 1, "threshold": 0.05},
    {"factor": 0.3, "patience": 0, "threshold_mode": "abs", "threshold": 0.01, "cooldown": 2},
    {"mode": "max", "threshold_mode": "abs", "patience": 1, "min_lr": [0.01, 0.005]},
    {"factor": 0.1, "patience": 0, "min_lr": 0.015},
]


@pytest.mark.parametrize("options", PLATEAUS)
def test_reduce_lr_on_plateau_matches_torch(options):
    torch = pytest.importorskip("torch")
    rng = np.random.default_rng(0)
    metrics = list(1.0 / np.arange(1, EPOCHS + 1) ** 0.3 + rng.normal(scale=0.02, size=EPOCHS))
    ours = rates(lr_scheduler.ReduceLROnPlateau(two_groups(gn), **options), metrics=metrics)
    theirs = rates(torch.optim.lr_scheduler.ReduceLROnPlateau(two_groups(torch), **options),
                   metrics=metrics)
    assert len(np.unique(ours[:, 0])) > 1  # the rate did go down
    np.testing.assert_allclose(ours, theirs, rtol=1e-12)


def test_scheduler_sets_the_optimizer_rate_and_initial_lr():
    opt = two_groups(gn)
    scheduler = lr_scheduler.ExponentialLR(opt, gamma=0.5)
    assert [g["initial_lr"] for g in opt.param_groups] == [0.1, 0.02]
    assert scheduler.last_epoch == 0 and scheduler.base_lrs == [0.1, 0.02]
    scheduler.step()
    scheduler.step()
    assert [g["lr"] for g in opt.param_groups] == [0.025, 0.005]
    assert opt.lr == 0.025


def test_cosine_worked_example():
    # lr = eta_min + (lr0 - eta_min) * (1 + cos(pi * t / T)) / 2, lr0 = 1, eta_min = 0, T = 2:
    # t=0: 1, t=1: (1 + cos(pi/2)) / 2 = 0.5, t=2: (1 + cos(pi)) / 2 = 0
    opt = optim.SGD([gn.ones(1, requires_grad=True)], lr=1.0)
    np.testing.assert_allclose(rates(lr_scheduler.CosineAnnealingLR(opt, T_max=2), epochs=2)[:, 0],
                               [1.0, 0.5, 0.0], atol=1e-15)


@pytest.mark.parametrize("name, options", SCHEDULES[:4] + [("LambdaLR", {})])
def test_scheduler_state_dict_resumes(name, options):
    if name == "LambdaLR":
        options = {"lr_lambda": lambda epoch: 0.9 ** epoch}
    make = getattr(lr_scheduler, name)
    full = rates(make(two_groups(gn), **options), epochs=10)
    opt = two_groups(gn)
    first = make(opt, **options)
    for _ in range(4):
        first.step()
    saved_opt, saved = opt.state_dict(), first.state_dict()
    assert "optimizer" not in saved and "lr_lambdas" not in saved
    opt2 = two_groups(gn)
    opt2.load_state_dict(saved_opt)
    second = make(opt2, **options)
    second.load_state_dict(saved)
    resumed = rates(second, epochs=6)
    np.testing.assert_allclose(resumed, full[4:], rtol=1e-12)


def test_reduce_lr_on_plateau_state_dict_and_tensor_metric():
    opt = optim.SGD([gn.ones(1, requires_grad=True)], lr=1.0)
    scheduler = lr_scheduler.ReduceLROnPlateau(opt, patience=0, factor=0.5)
    scheduler.step(gn.tensor(2.0))  # a loss tensor works as the metric
    scheduler.step(gn.tensor(3.0))
    assert opt.lr == 0.5
    saved = scheduler.state_dict()
    other = lr_scheduler.ReduceLROnPlateau(opt, patience=0, factor=0.5)
    other.load_state_dict(saved)
    assert other.best == 2.0 and other.last_epoch == 2


@pytest.mark.parametrize("make, error, match", [
    (lambda o: lr_scheduler.StepLR(o, step_size=0), ValueError,
     "StepLR: expected a positive integer step_size, received step_size=0"),
    (lambda o: lr_scheduler.StepLR(o, step_size=2.5), ValueError, "received step_size=2.5"),
    (lambda o: lr_scheduler.StepLR(o, step_size=2, gamma=-1), ValueError,
     "expected gamma > 0, received gamma=-1"),
    (lambda o: lr_scheduler.ExponentialLR(o, gamma=0), ValueError, "received gamma=0"),
    (lambda o: lr_scheduler.CosineAnnealingLR(o, T_max=0), ValueError, "received T_max=0"),
    (lambda o: lr_scheduler.CosineAnnealingLR(o, T_max=5, eta_min=-1), ValueError,
     "expected eta_min >= 0, received eta_min=-1"),
    (lambda o: lr_scheduler.ReduceLROnPlateau(o, factor=1.0), ValueError,
     "expected 0 < factor < 1, received factor=1.0"),
    (lambda o: lr_scheduler.ReduceLROnPlateau(o, mode="avg"), ValueError,
     "mode must be 'min' or 'max', received 'avg'"),
    (lambda o: lr_scheduler.ReduceLROnPlateau(o, threshold_mode="pct"), ValueError,
     "threshold_mode must be 'rel' or 'abs', received 'pct'"),
    (lambda o: lr_scheduler.ReduceLROnPlateau(o, patience=-1), ValueError, "received patience=-1"),
    (lambda o: lr_scheduler.ReduceLROnPlateau(o, min_lr=[0.1]), ValueError,
     "expected 2 min_lrs .*got 1"),
    (lambda o: lr_scheduler.LambdaLR(o, [lambda e: 1.0]), ValueError,
     "expected 2 lr_lambdas .*but got 1"),
    (lambda o: lr_scheduler.LambdaLR(o, 0.5), TypeError, "lr_lambda must be callable"),
    (lambda o: lr_scheduler.StepLR(o, step_size=2, last_epoch=3), KeyError,
     "param 'initial_lr' is not specified in param_groups\\[0\\]"),
    (lambda o: lr_scheduler.StepLR("adam", step_size=2), TypeError,
     "expected a glassnet optimizer, received str"),
    (lambda o: lr_scheduler.ReduceLROnPlateau(object()), TypeError,
     "expected a glassnet optimizer, received object"),
    (lambda o: lr_scheduler.ExponentialLR(optim.Adam(lr=0.1), gamma=0.5), ValueError,
     "the optimizer has no parameters yet"),
])
def test_bad_scheduler_arguments(make, error, match):
    with pytest.raises(error, match=match):
        make(two_groups(gn))


def test_cosine_closed_form_equals_recursive_definition_far_past_t_max():
    opt = optim.SGD([gn.ones(1, requires_grad=True)], lr=0.5)
    seen = rates(lr_scheduler.CosineAnnealingLR(opt, T_max=3, eta_min=0.1), epochs=9)[:, 0]
    expected = [0.1 + 0.4 * (1 + math.cos(math.pi * t / 3)) / 2 for t in range(10)]
    np.testing.assert_allclose(seen, expected, rtol=1e-12)
    assert seen[6] == pytest.approx(0.5)  # a full period later it is back at the start
