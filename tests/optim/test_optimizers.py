"""Each optimizer against torch.optim, and worked examples of SGD with the arithmetic.

Same start, same function (an ill-conditioned quadratic and a tiny 2-layer MLP's loss,
differentiated by glassnet's autograd on one side and torch's on the other), several
steps, every option that changes the maths: the parameters must end in the same place.
"""

import numpy as np
import pytest

import glassnet as gn
from glassnet import optim

STEPS = 6

# (glassnet class, options); torch.optim has the same class names and keyword names.
CASES = [
    (optim.SGD, {"lr": 0.1}),
    (optim.SGD, {"lr": 0.1, "momentum": 0.9}),
    (optim.SGD, {"lr": 0.1, "momentum": 0.9, "dampening": 0.3}),
    (optim.SGD, {"lr": 0.1, "momentum": 0.8, "nesterov": True}),
    (optim.SGD, {"lr": 0.1, "weight_decay": 0.1}),
    (optim.SGD, {"lr": 0.05, "momentum": 0.9, "nesterov": True, "weight_decay": 0.05}),
    (optim.SGD, {"lr": 0.05, "maximize": True}),
    (optim.SGD, {"lr": 0.05, "momentum": 0.5, "maximize": True, "weight_decay": 0.1}),
    (optim.RMSprop, {}),
    (optim.RMSprop, {"lr": 0.01, "alpha": 0.9}),
    (optim.RMSprop, {"lr": 0.01, "centered": True}),
    (optim.RMSprop, {"lr": 0.01, "momentum": 0.9}),
    (optim.RMSprop, {"lr": 0.01, "centered": True, "momentum": 0.5, "weight_decay": 0.1}),
    (optim.RMSprop, {"lr": 0.01, "eps": 1e-3, "maximize": True}),
    (optim.Adagrad, {}),
    (optim.Adagrad, {"lr": 0.1, "lr_decay": 0.1}),
    (optim.Adagrad, {"lr": 0.1, "weight_decay": 0.1}),
    (optim.Adagrad, {"lr": 0.1, "initial_accumulator_value": 0.5, "eps": 1e-3}),
    (optim.Adagrad, {"lr": 0.1, "maximize": True}),
    (optim.Adam, {}),
    (optim.Adam, {"lr": 0.05, "betas": (0.8, 0.99), "eps": 1e-4}),
    (optim.Adam, {"lr": 0.05, "amsgrad": True}),
    (optim.Adam, {"lr": 0.05, "weight_decay": 0.1}),
    (optim.Adam, {"lr": 0.05, "weight_decay": 0.1, "amsgrad": True, "maximize": True}),
    (optim.AdamW, {}),
    (optim.AdamW, {"lr": 0.05, "weight_decay": 0.1}),
    (optim.AdamW, {"lr": 0.05, "weight_decay": 0.1, "amsgrad": True}),
    (optim.AdamW, {"lr": 0.05, "betas": (0.5, 0.9), "maximize": True}),
]
IDS = [f"{cls.__name__}-{'-'.join(f'{k}={v}' for k, v in kw.items()) or 'defaults'}"
       for cls, kw in CASES]


def start_arrays(seed=0):
    """Weights of a 3-4-2 MLP (stored (in, out)) and a 5-element vector for the quadratic."""
    rng = np.random.default_rng(seed)
    return [rng.normal(size=(3, 4)), rng.normal(size=4), rng.normal(size=(4, 2)),
            rng.normal(size=2), rng.normal(size=5)]


def data(seed=1):
    rng = np.random.default_rng(seed)
    return rng.normal(size=(8, 3)), rng.normal(size=(8, 2))


SCALES = np.array([0.1, 1.0, 3.0, 10.0, 0.5])  # an ill-conditioned quadratic
TARGET = np.array([1.0, -1.0, 0.5, 2.0, 0.0])


def loss_fn(params, x, y, scales, target):
    """mean((tanh(x @ W1 + b1) @ W2 + b2 - y)^2) + sum(scales * (q - target)^2).

    Written once for both libraries: they share these operators and method names.
    """
    w1, b1, w2, b2, q = params
    out = (x @ w1 + b1).tanh() @ w2 + b2
    return ((out - y) ** 2).mean() + (scales * (q - target) ** 2).sum()


def run_glassnet(cls, options, dtype, steps=STEPS, flat=False, groups=None):
    params = [gn.tensor(a, dtype=dtype, requires_grad=True) for a in start_arrays()]
    x, y = (gn.tensor(a, dtype=dtype) for a in data())
    scales, target = gn.tensor(SCALES, dtype=dtype), gn.tensor(TARGET, dtype=dtype)
    opt = cls(groups(params) if groups else params, **options)
    if flat:
        opt.flatten_parameters()
    for _ in range(steps):
        opt.zero_grad()
        loss_fn(params, x, y, scales, target).backward()
        opt.step()
    return [p.data.copy() for p in params]


def run_torch(torch, cls, options, dtype, steps=STEPS, groups=None):
    torch_dtype = {np.float64: torch.float64, np.float32: torch.float32}[dtype]
    params = [torch.tensor(a, dtype=torch_dtype, requires_grad=True) for a in start_arrays()]
    x, y = (torch.tensor(a, dtype=torch_dtype) for a in data())
    scales = torch.tensor(SCALES, dtype=torch_dtype)
    target = torch.tensor(TARGET, dtype=torch_dtype)
    opt = getattr(torch.optim, cls.__name__)(groups(params) if groups else params, **options)
    for _ in range(steps):
        opt.zero_grad()
        loss_fn(params, x, y, scales, target).backward()
        opt.step()
    return [p.detach().numpy() for p in params]


def assert_params_close(ours, theirs, tol):
    for i, (a, b) in enumerate(zip(ours, theirs)):
        np.testing.assert_allclose(a, b, rtol=tol, atol=tol, err_msg=f"parameter {i}")


@pytest.mark.parametrize("flat", [False, True], ids=["per-parameter", "flat"])
@pytest.mark.parametrize("cls, options", CASES, ids=IDS)
def test_matches_torch_float64(cls, options, flat):
    torch = pytest.importorskip("torch")
    ours = run_glassnet(cls, options, np.float64, flat=flat)
    theirs = run_torch(torch, cls, options, np.float64)
    moved = max(np.abs(a - b).max() for a, b in zip(ours, start_arrays()))
    assert moved > 1e-3  # the comparison means something: the weights did move
    assert_params_close(ours, theirs, 1e-10)


@pytest.mark.parametrize("cls, options", CASES, ids=IDS)
def test_matches_torch_float32(cls, options):
    torch = pytest.importorskip("torch")
    ours = run_glassnet(cls, options, np.float32)
    assert all(p.dtype == np.float32 for p in ours)  # never upcast
    assert_params_close(ours, run_torch(torch, cls, options, np.float32), 1e-5)


@pytest.mark.parametrize("cls, options", [
    (optim.SGD, {"lr": 0.1, "momentum": 0.9}),
    (optim.Adam, {"lr": 0.01}),
    (optim.RMSprop, {"lr": 0.01, "centered": True}),
])
def test_param_groups_with_their_own_options_match_torch(cls, options):
    torch = pytest.importorskip("torch")

    def groups(params):  # the MLP learns 10x slower than the quadratic; b2 has its own momentum
        extra = {"momentum": 0.5} if "momentum" in options else {}
        return [{"params": params[:2], "lr": options["lr"] / 10},
                {"params": params[2:4], **extra},
                {"params": params[4:]}]

    ours = run_glassnet(cls, options, np.float64, groups=groups)
    assert_params_close(ours, run_torch(torch, cls, options, np.float64, groups=groups), 1e-10)


def test_float32_stays_float32_in_state():
    w = gn.tensor([1.0, 2.0], requires_grad=True)
    opt = optim.Adam([w], lr=np.float64(0.1))  # even a NumPy float64 learning rate
    (w * w).sum().backward()
    opt.step()
    assert w.dtype == np.float32
    arrays = [a for a in opt.state[w].values() if isinstance(a, np.ndarray)]
    assert {a.dtype for a in arrays} == {np.dtype(np.float32)}


# ----------------------------------------------------------------------------- worked examples


def test_worked_example_one_sgd_step_then_one_momentum_step():
    # One neuron, y_hat = w . x + b, squared error L = (y_hat - y)^2, with
    #   x = [1, 2], y = 1, w = [0.5, -1], b = 0, lr = 0.1, momentum = 0.9
    x = gn.tensor([1.0, 2.0], dtype=gn.float64)
    w = gn.tensor([0.5, -1.0], dtype=gn.float64, requires_grad=True)
    b = gn.tensor(0.0, dtype=gn.float64, requires_grad=True)
    opt = optim.SGD([w, b], lr=0.1, momentum=0.9)

    # step 1: y_hat = 0.5*1 + (-1)*2 + 0 = -1.5
    #         dL/dy_hat = 2 * (y_hat - y) = 2 * (-1.5 - 1) = -5
    #         dL/dw = -5 * x = [-5, -10],  dL/db = -5
    #         first step: velocity v = g (nothing to remember yet), so plain SGD:
    #         w = w - lr * g = [0.5, -1] - 0.1 * [-5, -10] = [1.0, 0.0]
    #         b = 0 - 0.1 * (-5) = 0.5
    ((w * x).sum() + b - 1.0).__pow__(2).backward()
    np.testing.assert_allclose(w.grad, [-5.0, -10.0])
    opt.step()
    np.testing.assert_allclose(w.data, [1.0, 0.0], atol=1e-12)
    np.testing.assert_allclose(b.data, 0.5, atol=1e-12)

    # step 2: y_hat = 1*1 + 0*2 + 0.5 = 1.5,  dL/dy_hat = 2 * (1.5 - 1) = 1
    #         g_w = [1, 2],  g_b = 1
    #         v_w = 0.9 * [-5, -10] + [1, 2] = [-3.5, -7],   v_b = 0.9 * (-5) + 1 = -3.5
    #         w = [1, 0] - 0.1 * [-3.5, -7] = [1.35, 0.7],  b = 0.5 - 0.1 * (-3.5) = 0.85
    opt.zero_grad()
    ((w * x).sum() + b - 1.0).__pow__(2).backward()
    opt.step()
    np.testing.assert_allclose(opt.state[w]["momentum_buffer"], [-3.5, -7.0], atol=1e-12)
    np.testing.assert_allclose(w.data, [1.35, 0.7], atol=1e-12)
    np.testing.assert_allclose(b.data, 0.85, atol=1e-12)


def test_worked_example_adam_first_step_is_lr_times_sign():
    # At t = 1: m = (1 - b1) g, v = (1 - b2) g^2, so m_hat = g, v_hat = g^2 and
    # w = w - lr * g / (|g| + eps): every weight moves by lr against the sign of its gradient.
    w = gn.tensor([3.0, -0.001, 50.0], dtype=gn.float64, requires_grad=True)
    opt = optim.Adam([w], lr=0.1, eps=0.0)
    (w * gn.tensor([2.0, -7.0, 0.5], dtype=gn.float64)).sum().backward()
    opt.step()
    np.testing.assert_allclose(w.data, [2.9, 0.099, 49.9], atol=1e-12)


def test_update_is_in_place_never_rebinds_data():
    for cls in (optim.SGD, optim.RMSprop, optim.Adagrad, optim.Adam, optim.AdamW):
        w = gn.tensor([1.0, -2.0], requires_grad=True)
        held = w.data  # e.g. a layer holding the array
        opt = cls([w], lr=0.1)
        for _ in range(2):
            opt.zero_grad()
            (w * w).sum().backward()
            opt.step()
        assert w.data is held, cls.__name__
        assert not np.allclose(held, [1.0, -2.0]), cls.__name__


def test_step_does_not_change_the_gradient():
    w = gn.tensor([1.0, -2.0], requires_grad=True)
    opt = optim.Adam([w], lr=0.1, weight_decay=0.1, maximize=True)
    (w * w).sum().backward()
    grad = w.grad.copy()
    opt.step()
    np.testing.assert_array_equal(w.grad, grad)


def test_keras_spellings_are_the_same_settings():
    w = gn.ones(2, requires_grad=True)
    keras = optim.Adam([w], learning_rate=0.01, beta_1=0.8, beta_2=0.99, epsilon=1e-6)
    assert keras.param_groups[0]["lr"] == 0.01
    assert keras.param_groups[0]["betas"] == (0.8, 0.99)
    assert keras.param_groups[0]["eps"] == 1e-6
    assert optim.Adam([w], beta_2=0.9).param_groups[0]["betas"] == (0.9, 0.9)
    rms = optim.RMSprop([w], learning_rate=0.1, rho=0.9, epsilon=1e-7)
    assert (rms.lr, rms.param_groups[0]["alpha"], rms.param_groups[0]["eps"]) == (0.1, 0.9, 1e-7)
    assert optim.SGD([w], learning_rate=0.3).learning_rate == 0.3
    assert optim.Adagrad([w], epsilon=1e-3).param_groups[0]["eps"] == 1e-3
    assert optim.AdamW([w], learning_rate=0.2).param_groups[0]["weight_decay"] == 1e-2


@pytest.mark.parametrize("make, match", [
    (lambda w: optim.SGD([w], lr=0.1, learning_rate=0.2), "both lr=0.1 and learning_rate=0.2"),
    (lambda w: optim.Adam([w], betas=(0.9, 0.99), beta_1=0.8), "both betas=.* and beta_1"),
    (lambda w: optim.Adam([w], eps=1e-8, epsilon=1e-7), "both eps=1e-08 and epsilon=1e-07"),
    (lambda w: optim.RMSprop([w], alpha=0.9, rho=0.9), "both alpha=0.9 and rho=0.9"),
])
def test_both_spellings_is_an_error(make, match):
    with pytest.raises(TypeError, match=match):
        make(gn.ones(2, requires_grad=True))


def test_defaults_are_pytorchs():
    w = gn.ones(2, requires_grad=True)
    assert optim.SGD([w]).lr == 1e-3
    assert optim.RMSprop([w]).defaults == {
        "lr": 1e-2, "alpha": 0.99, "eps": 1e-8, "weight_decay": 0.0, "momentum": 0.0,
        "centered": False, "maximize": False}
    assert optim.Adagrad([w]).defaults["eps"] == 1e-10
    assert optim.Adam([w]).defaults["betas"] == (0.9, 0.999)
    assert optim.AdamW([w]).defaults["weight_decay"] == 1e-2


def test_closure_is_called_and_its_loss_returned():
    w = gn.tensor([2.0], dtype=gn.float64, requires_grad=True)
    opt = optim.SGD([w], lr=0.25)

    def closure():
        opt.zero_grad()
        loss = (w * w).sum()
        loss.backward()
        return loss

    loss = opt.step(closure)
    assert loss.item() == 4.0
    np.testing.assert_allclose(w.data, [1.0])  # 2 - 0.25 * 4


def test_parameters_without_grad_are_skipped():
    w, unused = gn.ones(2, requires_grad=True), gn.ones(2, requires_grad=True)
    opt = optim.Adam([w, unused], lr=0.1)
    w.sum().backward()
    opt.step()
    np.testing.assert_array_equal(unused.data, [1.0, 1.0])
    assert unused not in opt.state and opt.state[w]["step"] == 1


def test_learning_from_scratch_xor_with_adam():
    # The tutorials' setting: a 2-4-1 net, Adam(lr=0.1), learns XOR.
    rng = np.random.default_rng(0)
    x = gn.tensor([[0, 0], [0, 1], [1, 0], [1, 1]], dtype=gn.float64)
    y = gn.tensor([[0], [1], [1], [0]], dtype=gn.float64)
    params = [gn.tensor(rng.normal(size=s), dtype=gn.float64, requires_grad=True)
              for s in [(2, 4), (4,), (4, 1), (1,)]]
    w1, b1, w2, b2 = params
    opt = optim.Adam(params, lr=0.1)
    for _ in range(300):
        opt.zero_grad()
        logits = (x @ w1 + b1).tanh() @ w2 + b2
        gn.functional.binary_cross_entropy_with_logits(logits, y).backward()
        opt.step()
    predictions = ((x @ w1 + b1).tanh() @ w2 + b2).data > 0
    np.testing.assert_array_equal(predictions, y.data > 0.5)


def test_small_groups_are_updated_together_without_replacing_the_arrays():
    # a tiny model's parameters are gathered into one array for the update and copied back:
    # the result equals the one-by-one update and every p.data stays the same array object
    rng = np.random.default_rng(0)
    shapes = [(2, 4), (4,), (4, 1), (1,)]
    start = [rng.standard_normal(s) for s in shapes]
    grads = [[rng.standard_normal(s) for s in shapes] for _ in range(4)]

    def run(gather_limit):
        params = [gn.tensor(a, dtype=gn.float64, requires_grad=True) for a in start]
        arrays = [p.data for p in params]
        opt = optim.Adam(params, lr=0.1)
        opt.gather_limit = gather_limit
        for step in grads:
            for p, g in zip(params, step):
                p.grad = g.copy()
            opt.step()
        assert all(p.data is a for p, a in zip(params, arrays))
        return [p.data.copy() for p in params], opt.state_dict()

    together, state_together = run(1 << 16)
    one_by_one, state_one_by_one = run(0)
    for a, b in zip(together, one_by_one):
        np.testing.assert_array_equal(a, b)
    for index in state_one_by_one["state"]:
        np.testing.assert_array_equal(state_together["state"][index]["exp_avg_sq"],
                                      state_one_by_one["state"][index]["exp_avg_sq"])
