"""The Optimizer base: validation, parameter groups, state_dict, zero_grad, the flat path."""

import numpy as np
import pytest

import glassnet as gn
from glassnet import optim

ALL = [optim.SGD, optim.RMSprop, optim.Adagrad, optim.Adam, optim.AdamW]
# options that give each optimizer all its state arrays
FULL_STATE = {
    optim.SGD: {"lr": 0.1, "momentum": 0.9, "nesterov": True},
    optim.RMSprop: {"lr": 0.01, "momentum": 0.9, "centered": True},
    optim.Adagrad: {"lr": 0.1, "lr_decay": 0.01, "initial_accumulator_value": 0.1},
    optim.Adam: {"lr": 0.05, "amsgrad": True, "weight_decay": 0.01},
    optim.AdamW: {"lr": 0.05, "amsgrad": True},
}


def weights():
    return gn.tensor([1.0, -2.0], requires_grad=True)


def make_params(seed=0, dtype=gn.float64):
    rng = np.random.default_rng(seed)
    return [gn.tensor(rng.normal(size=shape), dtype=dtype, requires_grad=True)
            for shape in [(3, 4), (4,), (4, 1), (1,)]]


def train(opt, params, steps, seed=1):
    """A few steps of a small regression; the data depends on the step (like mini-batches)."""
    w1, b1, w2, b2 = params
    for step in range(steps):
        rng = np.random.default_rng(seed + step)
        x = gn.tensor(rng.normal(size=(6, 3)), dtype=w1.dtype)
        y = gn.tensor(rng.normal(size=(6, 1)), dtype=w1.dtype)
        opt.zero_grad()
        (((x @ w1 + b1).tanh() @ w2 + b2 - y) ** 2).mean().backward()
        opt.step()


# ----------------------------------------------------------------------------- validation

@pytest.mark.parametrize("make, match", [
    (lambda w: optim.SGD([w], lr=-0.1), r"SGD: Invalid learning rate: -0\.1 \(expected lr > 0\)"),
    (lambda w: optim.SGD([w], lr=0), "Invalid learning rate: 0"),
    (lambda w: optim.SGD([w], lr=float("nan")), "Invalid learning rate: nan"),
    (lambda w: optim.SGD([w], learning_rate=-1.0), "Invalid learning rate: -1.0"),
    (lambda w: optim.SGD([w], momentum=-1), "Invalid momentum value: -1"),
    (lambda w: optim.SGD([w], dampening=1.5), "Invalid dampening value: 1.5"),
    (lambda w: optim.SGD([w], weight_decay=-1), "Invalid weight_decay value: -1"),
    (lambda w: optim.SGD([w], nesterov=True),
     r"Nesterov momentum requires a momentum and zero dampening \(received momentum=0"),
    (lambda w: optim.SGD([w], momentum=0.9, dampening=0.1, nesterov=True),
     "dampening=0.1"),
    (lambda w: optim.RMSprop([w], alpha=-0.1), "RMSprop: Invalid alpha value: -0.1"),
    (lambda w: optim.RMSprop([w], rho=1.5), "Invalid alpha value: 1.5"),
    (lambda w: optim.RMSprop([w], eps=-1e-8), "Invalid epsilon value: -1e-08"),
    (lambda w: optim.RMSprop([w], momentum=-0.5), "Invalid momentum value: -0.5"),
    (lambda w: optim.Adagrad([w], lr_decay=-1), "Adagrad: Invalid lr_decay value: -1"),
    (lambda w: optim.Adagrad([w], initial_accumulator_value=-0.1),
     "Invalid initial_accumulator_value value: -0.1"),
    (lambda w: optim.Adam([w], betas=(1.5, 0.999)), "Adam: Invalid beta parameter at index 0: 1.5"),
    (lambda w: optim.Adam([w], betas=(0.9, 1.0)), "Invalid beta parameter at index 1: 1.0"),
    (lambda w: optim.Adam([w], beta_1=-0.1), "Invalid beta parameter at index 0: -0.1"),
    (lambda w: optim.Adam([w], betas=(0.9,)), r"betas must be a pair \(beta_1, beta_2\)"),
    (lambda w: optim.Adam([w], eps=-1.0), "Invalid epsilon value: -1.0"),
    (lambda w: optim.AdamW([w], weight_decay=-0.01), "AdamW: Invalid weight_decay value: -0.01"),
    (lambda w: optim.Adam([{"params": [w], "lr": -2.0}]), "Invalid learning rate: -2.0"),
])
def test_bad_hyperparameters(make, match):
    with pytest.raises(ValueError, match=match):
        make(weights())


def test_hyperparameter_of_the_wrong_type():
    with pytest.raises(TypeError, match=r"SGD: lr must be a number, received 'fast' \(str\)"):
        optim.SGD([weights()], lr="fast")
    with pytest.raises(TypeError, match="momentum must be a number, received True"):
        optim.SGD([weights()], momentum=True)


def test_hyperparameters_are_checked_before_the_parameters():
    with pytest.raises(ValueError, match="Invalid learning rate"):
        optim.SGD([], lr=-1.0)


@pytest.mark.parametrize("params, error, match", [
    ([], ValueError, "optimizer got an empty parameter list.*input_shape"),
    (iter([]), ValueError, "empty parameter list"),
    ([np.ones(2)], TypeError,
     "optimizer can only optimize Tensors, but parameter 0 is numpy.ndarray"),
    ([gn.ones(2)], ValueError, r"parameter 0 \(shape \(2,\)\) does not require grad"),
    (gn.ones(2, requires_grad=True), TypeError, "received a single Tensor.*wrap it in a list"),
    (0.01, TypeError, r"received the number 0.01; give the learning rate by name.*lr=0.01"),
    ({gn.ones(2, requires_grad=True)}, TypeError, "should be a list .*received a set"),
    (5, TypeError, "should be a list|iterable of Tensors or dicts, received the number 5"),
    ([{"lr": 0.1}], ValueError, "parameter group 0 has no 'params' entry"),
    ([{"params": []}], ValueError, "empty parameter list"),
])
def test_bad_params(params, error, match):
    with pytest.raises(error, match=match):
        optim.Adam(params, lr=0.1)


def test_non_leaf_tensor_is_rejected():
    w = weights()
    with pytest.raises(ValueError, match="can't optimize a non-leaf Tensor"):
        optim.SGD([w * 2], lr=0.1)


def test_a_parameter_twice_is_an_error():
    w, b = weights(), weights()
    with pytest.raises(ValueError, match="some parameters appear more than once"):
        optim.SGD([{"params": [w]}, {"params": [b, w], "lr": 0.5}], lr=0.1)
    with pytest.raises(ValueError, match="parameter 1 of shape"):
        optim.SGD([w, w], lr=0.1)
    opt = optim.SGD([w], lr=0.1)
    with pytest.raises(ValueError, match="appear more than once"):
        opt.add_param_group({"params": [b, w]})
    assert len(opt.param_groups) == 1  # the failed group was not added


def test_frozen_parameter_is_accepted_and_skipped():
    nn = pytest.importorskip("glassnet.nn")
    frozen = nn.Parameter(np.ones(2, dtype=np.float32), requires_grad=False)
    w = weights()
    opt = optim.SGD([w, frozen], lr=0.1)  # PyTorch code passes all of model.parameters()
    (w * w).sum().backward()
    opt.step()
    np.testing.assert_array_equal(frozen.data, [1.0, 1.0])


def test_grad_of_the_wrong_shape():
    w = weights()
    opt = optim.SGD([w], lr=0.1)
    w.grad = np.ones(3, dtype=np.float32)
    with pytest.raises(ValueError, match=r"parameter of shape \(2,\) has a .grad of shape \(3,\)"):
        opt.step()


# ----------------------------------------------------------------------------- groups, lr, misc

def test_param_groups_get_defaults_and_keep_their_own_options():
    w, b = weights(), weights()
    opt = optim.SGD([{"params": [w]}, {"params": b, "lr": 0.5, "momentum": 0.9}], lr=0.1)
    assert [g["lr"] for g in opt.param_groups] == [0.1, 0.5]
    assert [g["momentum"] for g in opt.param_groups] == [0.0, 0.9]
    assert opt.param_groups[1]["params"][0] is b
    w.grad = np.ones(2, dtype=np.float32)
    b.grad = np.ones(2, dtype=np.float32)
    opt.step()
    np.testing.assert_allclose(w.data, [0.9, -2.1])  # lr 0.1
    np.testing.assert_allclose(b.data, [0.5, -2.5])  # lr 0.5


def test_named_parameters_are_accepted():
    w, b = weights(), weights()
    opt = optim.Adam([("layer.weight", w), ("layer.bias", b)], lr=0.1)
    assert [p is q for p, q in zip(opt.param_groups[0]["params"], [w, b])] == [True, True]
    assert opt.param_groups[0]["param_names"] == ["layer.weight", "layer.bias"]


def test_lr_property_and_keras_alias():
    w, b = weights(), weights()
    opt = optim.Adam([{"params": [w]}, {"params": [b], "lr": 0.5}], lr=0.1)
    assert opt.lr == 0.1 and opt.learning_rate == 0.1
    opt.learning_rate = 0.01
    assert [g["lr"] for g in opt.param_groups] == [0.01, 0.01]
    assert opt.defaults["lr"] == 0.01
    with pytest.raises(ValueError, match="Invalid learning rate: -1"):
        opt.lr = -1


def test_optimizer_without_parameters_yet_keras_style():
    opt = optim.Adam(learning_rate=0.01)  # Keras: compile(optimizer=Adam(learning_rate=...))
    assert opt.param_groups == [] and opt.lr == 0.01
    with pytest.raises(RuntimeError, match="Adam has no parameters yet"):
        opt.step()
    w = weights()
    opt.add_param_group({"params": [w]})
    (w * w).sum().backward()
    opt.step()
    np.testing.assert_allclose(w.data, [0.99, -1.99], rtol=1e-6)


def test_zero_grad():
    w = weights()
    opt = optim.SGD([w], lr=0.1)
    (w * w).sum().backward()
    grad = w.grad
    opt.zero_grad(set_to_none=False)
    assert w.grad is grad and not grad.any()
    opt.zero_grad()
    assert w.grad is None


def test_repr_lists_each_group():
    opt = optim.SGD([{"params": [weights()]}, {"params": [weights()], "lr": 0.5}], lr=0.1)
    text = repr(opt)
    assert text.startswith("SGD (\nParameter Group 0\n    dampening: 0.0\n    lr: 0.1\n")
    assert "Parameter Group 1" in text and "    lr: 0.5" in text and text.endswith(")")


def test_optimizers_table():
    assert optim.OPTIMIZERS["adam"] is optim.Adam
    assert sorted(optim.OPTIMIZERS) == ["adagrad", "adam", "adamw", "rmsprop", "sgd"]


# ----------------------------------------------------------------------------- state_dict

@pytest.mark.parametrize("flat", [False, True], ids=["per-parameter", "flat"])
@pytest.mark.parametrize("cls", ALL, ids=lambda c: c.__name__)
def test_state_dict_round_trip_resumes_identically(cls, flat):
    options = FULL_STATE[cls]
    # uninterrupted: 6 steps
    params = make_params()
    opt = cls(params, **options)
    train(opt, params, 6)
    # interrupted: 3 steps, save, a new optimizer (and copies of the weights), load, 3 more
    first = make_params()
    opt1 = cls(first, **options)
    if flat:
        opt1.flatten_parameters()
    train(opt1, first, 3)
    saved = opt1.state_dict()
    resumed = [gn.tensor(p.data.copy(), dtype=p.dtype, requires_grad=True) for p in first]
    opt2 = cls(resumed, **options)
    if flat:
        opt2.flatten_parameters()
    opt2.load_state_dict(saved)
    train(opt2, resumed, 3, seed=4)
    for a, b in zip(params, resumed):
        np.testing.assert_array_equal(a.data, b.data)


def test_state_dict_layout_and_copies():
    w, b = weights(), weights()
    opt = optim.Adam([{"params": [w]}, {"params": [b], "lr": 0.5}], lr=0.1, amsgrad=True)
    (w * w).sum().backward()  # b gets no gradient: no state
    opt.step()
    saved = opt.state_dict()
    assert list(saved["state"]) == [0]
    assert sorted(saved["state"][0]) == ["exp_avg", "exp_avg_sq", "max_exp_avg_sq", "step"]
    assert saved["param_groups"][0]["params"] == [0]
    assert saved["param_groups"][1]["params"] == [1]
    assert saved["param_groups"][1]["lr"] == 0.5
    assert saved["param_groups"][0]["betas"] == (0.9, 0.999)
    saved["state"][0]["exp_avg"][:] = 99  # a copy: the optimizer is not affected
    assert not (opt.state[w]["exp_avg"] == 99).any()
    opt2 = optim.Adam([{"params": [w]}, {"params": [b]}], lr=0.3)
    opt2.load_state_dict(saved)
    assert [g["lr"] for g in opt2.param_groups] == [0.1, 0.5]
    saved["state"][0]["exp_avg_sq"][:] = 7  # loading copies too
    assert not (opt2.state[w]["exp_avg_sq"] == 7).any()


def test_load_state_dict_errors():
    w, b = weights(), weights()
    opt = optim.SGD([w], lr=0.1, momentum=0.9)
    (w * w).sum().backward()
    opt.step()
    saved = opt.state_dict()
    with pytest.raises(ValueError, match=r"different number of parameter groups \(1 saved, 2"):
        optim.SGD([{"params": [w]}, {"params": [b]}], lr=0.1).load_state_dict(saved)
    with pytest.raises(ValueError, match="doesn't match the size of optimizer's group: group 0 "
                                         "has 1 parameters saved and 2 here"):
        optim.SGD([w, b], lr=0.1).load_state_dict(saved)
    other = gn.ones(3, requires_grad=True)
    with pytest.raises(ValueError, match=r"'momentum_buffer' of parameter 0 has shape \(2,\), "
                                         r"but the parameter has shape \(3,\)"):
        optim.SGD([other], lr=0.1).load_state_dict(saved)
    with pytest.raises(ValueError, match="expected a dict with 'state' and 'param_groups'"):
        opt.load_state_dict({"state": {}})
    bad = {"state": saved["state"], "param_groups": [{**saved["param_groups"][0], "lr": -1.0}]}
    with pytest.raises(ValueError, match="Invalid learning rate: -1.0"):
        opt.load_state_dict(bad)
    assert opt.lr == 0.1  # a failed load changes nothing


# ----------------------------------------------------------------------------- the flat path

@pytest.mark.parametrize("cls", ALL, ids=lambda c: c.__name__)
def test_flat_path_is_bit_identical_to_per_parameter(cls):
    ours, flat = make_params(dtype=gn.float32), make_params(dtype=gn.float32)
    opt, opt_flat = cls(ours, **FULL_STATE[cls]), cls(flat, **FULL_STATE[cls])
    opt_flat.flatten_parameters()
    train(opt, ours, 5)
    train(opt_flat, flat, 5)
    for a, b in zip(ours, flat):
        np.testing.assert_array_equal(a.data, b.data)
    for a, b in zip(ours, flat):
        for key, value in opt.state[a].items():
            np.testing.assert_array_equal(value, opt_flat.state[b][key])


def test_flat_parameters_are_views_of_one_buffer():
    params = make_params(dtype=gn.float32)
    values = [p.data.copy() for p in params]
    opt = optim.Adam(params, lr=0.1)
    opt.flatten_parameters()
    buffer = params[0].data.base
    assert buffer is not None and buffer.size == 3 * 4 + 4 + 4 + 1
    assert all(p.data.base is buffer for p in params)
    for p, v in zip(params, values):
        np.testing.assert_array_equal(p.data, v)  # values copied in
    train(opt, params, 2)
    state_buffer = opt.state[params[0]]["exp_avg"].base
    assert all(opt.state[p]["exp_avg"].base is state_buffer for p in params)
    assert all(p.grad.base is params[0].grad.base for p in params)


def test_flat_zero_grad_keeps_views_and_backward_accumulates_into_them():
    flat, ref = make_params(dtype=gn.float32), make_params(dtype=gn.float32)
    opt, opt_ref = optim.SGD(flat, lr=0.1, momentum=0.9), optim.SGD(ref, lr=0.1, momentum=0.9)
    opt.flatten_parameters()
    for step in range(4):
        for o, params in ((opt, flat), (opt_ref, ref)):
            w1, b1, w2, b2 = params
            o.zero_grad(set_to_none=False)
            x = gn.tensor(np.random.default_rng(step).normal(size=(5, 3)), dtype=gn.float32)
            ((x @ w1 + b1).tanh() @ w2 + b2).sum().backward()
            o.step()
    grad_buffer = flat[0].grad.base
    assert all(p.grad.base is grad_buffer for p in flat)
    for a, b in zip(flat, ref):
        np.testing.assert_array_equal(a.data, b.data)


def test_flat_repacks_when_data_is_replaced():
    flat, ref = make_params(), make_params()
    opt, opt_ref = optim.Adam(flat, lr=0.05), optim.Adam(ref, lr=0.05)
    opt.flatten_parameters()
    train(opt, flat, 2)
    train(opt_ref, ref, 2)
    flat[1].data = flat[1].data.copy()  # e.g. module.to(dtype) or user code rebinding .data
    ref[1].data = ref[1].data.copy()
    train(opt, flat, 3, seed=10)
    train(opt_ref, ref, 3, seed=10)
    assert all(p.data.base is flat[0].data.base for p in flat)  # packed again
    for a, b in zip(flat, ref):
        np.testing.assert_array_equal(a.data, b.data)


def test_flat_falls_back_when_a_parameter_has_no_gradient():
    flat, ref = make_params(), make_params()
    opt, opt_ref = optim.Adam(flat, lr=0.05), optim.Adam(ref, lr=0.05)
    opt.flatten_parameters()
    for params, o in ((flat, opt), (ref, opt_ref)):
        train(o, params, 2)
        w1, b1, w2, b2 = params
        o.zero_grad()
        (w1.sum() + b1.sum()).backward()  # only w1 and b1 get gradients: their step counts differ
        o.step()
        train(o, params, 2, seed=20)
    for a, b in zip(flat, ref):
        np.testing.assert_array_equal(a.data, b.data)
    assert [opt.state[p]["step"] for p in flat] == [5, 5, 4, 4]


def test_flat_leaves_mixed_dtype_groups_alone():
    a = gn.tensor([1.0, 2.0], dtype=gn.float32, requires_grad=True)
    b = gn.tensor([1.0, 2.0], dtype=gn.float64, requires_grad=True)
    held = a.data
    opt = optim.SGD([a, b], lr=0.5)
    opt.flatten_parameters()
    assert a.data is held
    a.sum().backward()
    b.sum().backward()
    opt.step()
    np.testing.assert_array_equal(a.data, [0.5, 1.5])
    np.testing.assert_array_equal(b.data, [0.5, 1.5])


def test_flatten_parameters_after_some_steps_keeps_the_state():
    flat, ref = make_params(), make_params()
    opt, opt_ref = optim.RMSprop(flat, **FULL_STATE[optim.RMSprop]), optim.RMSprop(
        ref, **FULL_STATE[optim.RMSprop])
    train(opt, flat, 3)
    opt.flatten_parameters()
    train(opt, flat, 3, seed=5)
    train(opt_ref, ref, 3)
    train(opt_ref, ref, 3, seed=5)
    for a, b in zip(flat, ref):
        np.testing.assert_array_equal(a.data, b.data)


def test_flat_leaves_parameters_that_share_memory_alone():
    base = np.ones(4, dtype=np.float32)
    a = gn.Tensor._from_op(base[:2], None).requires_grad_()
    b = gn.Tensor._from_op(base, None).requires_grad_()  # overlaps a
    opt = optim.SGD([a, b], lr=0.5)
    opt.flatten_parameters()
    assert a.data.base is base and b.data is base


@pytest.mark.parametrize("flat", [False, True])
@pytest.mark.parametrize("make", [
    lambda ps: optim.Adam(ps, lr=0.01),
    lambda ps: optim.SGD(ps, lr=0.01, momentum=0.9),
    lambda ps: optim.RMSprop(ps, lr=0.01, momentum=0.9),
])
def test_running_averages_that_decay_to_subnormals_are_flushed_to_zero(make, flat):
    # a dead unit's weights get gradient 0 after the first step: m = 0.9 * m falls below
    # float32's smallest normal number (1.2e-38) after ~800 steps, where the arithmetic is
    # ~20x slower, and stays there (0.9 * the smallest subnormal rounds back to itself);
    # the optimizer sets those values to 0 every flush_every steps (1200 is a multiple of 8)
    tiny = np.finfo(np.float32).tiny
    rng = np.random.default_rng(0)
    start = [rng.standard_normal((3, 4)).astype(np.float32), rng.standard_normal(4)]
    start[1] = start[1].astype(np.float32)

    def run(flush_every):
        params = [gn.tensor(a, requires_grad=True) for a in start]
        opt = make(params)
        opt.flush_every = flush_every
        opt.gather_limit = (1 << 16) if flat else 0
        for step in range(1200):
            for p in params:
                p.grad = np.ones_like(p.data) if step == 0 else np.zeros_like(p.data)
                p.grad[0] = 1.0  # one row keeps learning
            opt.step()
        arrays = [v for state in opt.state.values() for v in state.values()
                  if isinstance(v, np.ndarray)]
        subnormal = sum(int(((a != 0) & (np.abs(a) < tiny)).sum()) for a in arrays)
        return [p.data.copy() for p in params], subnormal

    flushed, left = run(flush_every=8)
    kept, subnormal = run(flush_every=0)
    assert subnormal > 0  # without the flush the decayed averages are subnormal
    assert left == 0
    for a, b in zip(flushed, kept):  # and the weights do not notice the difference
        np.testing.assert_array_equal(a, b)
