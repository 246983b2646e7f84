"""The Module contract: registration, walking the tree, modes, state_dict, repr, misuse errors."""

import copy
import pickle
import re
from collections import OrderedDict

import numpy as np
import pytest

import glassnet as gn
from glassnet import nn


class Net(nn.Module):
    """The tutorials' PyTorch net: three Linear layers."""

    def __init__(self):
        super().__init__()
        self.fc1 = nn.Linear(4, 8, rng=0)
        self.fc2 = nn.Linear(8, 4, rng=1)
        self.out = nn.Linear(4, 1, rng=2)

    def forward(self, x):
        x = self.fc1(x).relu()
        x = self.fc2(x).relu()
        return self.out(x).sigmoid()


class WithBuffer(nn.Module):
    def __init__(self):
        super().__init__()
        self.scale = nn.Parameter(np.ones(3, dtype=np.float32))
        self.register_buffer("count", np.zeros(3, dtype=np.float32))
        self.register_buffer("scratch", np.zeros(2, dtype=np.float32), persistent=False)
        self.inner = nn.Linear(3, 2, rng=0)

    def forward(self, x):
        return self.inner(x * self.scale)


# -- Parameter ------------------------------------------------------------------------------


def test_parameter_keeps_float_dtype_and_requires_grad():
    assert nn.Parameter(np.zeros(3)).dtype == np.float64
    assert nn.Parameter(np.zeros(3, dtype=np.float32)).dtype == np.float32
    assert nn.Parameter([1, 2]).dtype == np.float32            # lists: the default dtype
    assert nn.Parameter(np.arange(3)).dtype == np.float32      # ints become float
    assert nn.Parameter(np.zeros(2), dtype="float32").dtype == np.float32
    p = nn.Parameter(gn.zeros(2))
    assert p.requires_grad and p.is_leaf and isinstance(p, gn.Tensor)
    assert not nn.Parameter(np.zeros(2), requires_grad=False).requires_grad


def test_parameter_copies_arrays_but_shares_tensors():
    array = np.zeros(2)
    nn.Parameter(array).data[0] = 5
    assert array[0] == 0
    t = gn.zeros(2)
    nn.Parameter(t).data[0] = 5
    assert t.data[0] == 5


def test_parameter_repr():
    assert repr(nn.Parameter([1.0, 2.0])) == (
        "Parameter containing:\ntensor([1., 2.], requires_grad=True)")


def test_ops_on_parameters_give_plain_tensors():
    p = nn.Parameter([1.0, 2.0])
    assert type(p * 2) is gn.Tensor


# -- registration -----------------------------------------------------------------------------


def test_parameters_and_children_registered_in_assignment_order():
    net = Net()
    assert [n for n, _ in net.named_parameters()] == [
        "fc1.weight", "fc1.bias", "fc2.weight", "fc2.bias", "out.weight", "out.bias"]
    assert [n for n, _ in net.named_children()] == ["fc1", "fc2", "out"]
    assert [n for n, _ in net.named_modules()] == ["", "fc1", "fc2", "out"]
    assert len(list(net.modules())) == 4
    assert net.num_parameters() == (4 * 8 + 8) + (8 * 4 + 4) + (4 * 1 + 1)


def test_shared_parameter_and_module_listed_once():
    shared = nn.Linear(2, 2)
    net = nn.Sequential(shared, nn.ReLU(), shared)
    assert [n for n, _ in net.named_parameters()] == ["0.weight", "0.bias"]
    assert len(list(net.modules())) == 3          # net, shared, relu
    assert net.num_parameters() == 6


def test_reassigning_replaces_and_none_is_allowed():
    layer = nn.Linear(2, 3)
    layer.bias = None
    assert [n for n, _ in layer.named_parameters()] == ["weight"]
    layer.bias = nn.Parameter(np.zeros(3, dtype=np.float32))
    assert [n for n, _ in layer.named_parameters()] == ["weight", "bias"]


def test_assigning_a_plain_tensor_to_a_parameter_slot_raises():
    layer = nn.Linear(2, 3)
    with pytest.raises(TypeError, match=r"cannot assign 'Tensor' as parameter 'weight' "
                                        r"\(nn.Parameter or None expected\)"):
        layer.weight = gn.zeros(2, 3)


def test_attribute_kinds_can_change():
    m = nn.Module()
    m.thing = nn.Parameter(np.zeros(2))
    m.thing = nn.Linear(1, 1)
    assert list(m._parameters) == [] and list(m._modules) == ["thing"]
    del m.thing
    assert list(m._modules) == [] and not hasattr(m, "thing")


def test_buffers_in_state_dict_not_in_parameters():
    m = WithBuffer()
    assert [n for n, _ in m.named_buffers()] == ["count", "scratch"]
    assert [n for n, _ in m.named_parameters()] == ["scale", "inner.weight", "inner.bias"]
    assert list(m.state_dict()) == ["scale", "count", "inner.weight", "inner.bias"]
    m.count = np.ones(3, dtype=np.float32)           # reassigning keeps it a buffer
    np.testing.assert_array_equal(m.state_dict()["count"], np.ones(3))
    with pytest.raises(TypeError, match=r"cannot assign 'str' as buffer 'count'"):
        m.count = "nope"


def test_register_errors():
    m = nn.Module()
    with pytest.raises(KeyError, match=r"contain no '\.'"):
        m.register_buffer("a.b", np.zeros(1))
    with pytest.raises(TypeError, match=r"expected a Module, received int"):
        m.add_module("x", 3)
    with pytest.raises(TypeError, match=r"nn.Parameter or None expected"):
        m.register_parameter("w", gn.zeros(2))
    m.w = nn.Parameter(np.zeros(1))
    with pytest.raises(KeyError, match=r"attribute 'w' already exists"):
        m.register_buffer("w", np.zeros(1))


def test_forgetting_super_init_gives_a_clear_error():
    class Broken(nn.Module):
        def __init__(self):
            self.fc = nn.Linear(2, 2)

    with pytest.raises(AttributeError, match=r"Broken: call super\(\).__init__\(\) before "
                                             r"assigning sub-module 'fc'"):
        Broken()

    class BrokenParam(nn.Module):
        def __init__(self):
            self.w = nn.Parameter(np.zeros(2))

    with pytest.raises(AttributeError, match=r"call super\(\).__init__\(\) before assigning "
                                             r"parameter 'w'"):
        BrokenParam()

    class Silent(nn.Module):
        def __init__(self):
            self.size = 3               # plain values are allowed, but the module is broken

    with pytest.raises(AttributeError, match=r"did Silent.__init__ call super\(\).__init__\(\)"):
        list(Silent().parameters())


def test_missing_forward_says_what_to_do():
    class NoForward(nn.Module):
        pass

    with pytest.raises(NotImplementedError, match=r"NoForward has no forward\(\): define "
                                                  r"forward\(self, x\)"):
        NoForward()(gn.zeros(1))


def test_unknown_attribute_is_a_normal_attribute_error():
    with pytest.raises(AttributeError, match=r"'Linear' object has no attribute 'wieght'$"):
        nn.Linear(1, 1).wieght  # noqa: B018


# -- modes and bulk operations ----------------------------------------------------------------


def test_train_eval_propagate_recursively():
    net = nn.Sequential(nn.Linear(2, 2), nn.Sequential(nn.Dropout(0.5), nn.BatchNorm1d(2)))
    assert net.eval() is net
    assert all(not m.training for m in net.modules())
    net.train()
    assert all(m.training for m in net.modules())
    net[1].eval()
    assert net.training and not net[1][0].training and not net[1][1].training
    with pytest.raises(ValueError, match=r"mode must be True or False, received 'no'"):
        net.train("no")


def test_zero_grad_sets_none_or_zeros():
    net = Net()
    net(gn.ones(2, 4)).sum().backward()
    assert all(p.grad is not None for p in net.parameters())
    net.zero_grad(set_to_none=False)
    assert all(np.all(p.grad == 0) for p in net.parameters())
    net.zero_grad()
    assert all(p.grad is None for p in net.parameters())


def test_requires_grad_freezes_parameters():
    net = Net()
    net.fc1.requires_grad_(False)
    assert net.num_parameters(trainable_only=True) == net.num_parameters() - 40
    net(gn.ones(1, 4)).sum().backward()
    assert net.fc1.weight.grad is None and net.fc2.weight.grad is not None


def test_apply_visits_children_first():
    order = []
    net = nn.Sequential(nn.Linear(1, 1), nn.Sequential(nn.ReLU()))
    net.apply(lambda m: order.append(type(m).__name__))
    assert order == ["Linear", "ReLU", "Sequential", "Sequential"]


def test_to_double_converts_params_grads_buffers_in_place():
    net = nn.Sequential(nn.Linear(3, 2), nn.BatchNorm1d(2))
    weight = net[0].weight
    net(gn.ones(4, 3)).sum().backward()
    assert net.double() is net
    assert net[0].weight is weight                       # same Parameter object
    assert weight.dtype == np.float64 and weight.grad.dtype == np.float64
    assert net[1].running_mean.dtype == np.float64
    assert net[1].num_batches_tracked.dtype == np.int64  # integer buffers untouched
    assert net(gn.ones(4, 3, dtype=gn.float64)).dtype == np.float64
    assert net.float()[0].weight.dtype == np.float32
    assert net.to("cpu") is net
    with pytest.raises(TypeError, match=r"expected a float dtype, received int64"):
        net.to("int64")


def test_lazy_layer_builds_in_converted_dtype():
    layer = nn.Dense(2).double()
    layer(np.ones((1, 3)))
    assert layer.weight.dtype == np.float64


# -- state_dict -------------------------------------------------------------------------------


def test_state_dict_is_an_ordered_dict_of_copies():
    net = Net()
    state = net.state_dict()
    assert isinstance(state, OrderedDict)
    assert list(state) == [n for n, _ in net.named_parameters()]
    state["fc1.weight"][...] = 0
    assert not np.all(net.fc1.weight.data == 0)


def test_state_dict_round_trip_copies_in_place():
    source, target = Net(), Net()
    target.fc1.weight.data[...] = 0
    weight_array = target.fc1.weight.data
    result = target.load_state_dict(source.state_dict())
    assert result.missing_keys == [] and result.unexpected_keys == []
    assert target.fc1.weight.data is weight_array       # written in place
    x = gn.tensor(np.random.default_rng(0).standard_normal((5, 4)))
    np.testing.assert_array_equal(source(x).data, target(x).data)


def test_load_state_dict_strict_lists_missing_and_unexpected_keys():
    net = Net()
    state = net.state_dict()
    del state["out.bias"]
    state["extra.weight"] = np.zeros(1)
    message = ('Error(s) in loading state_dict for Net:\n\tMissing key(s) in state_dict: '
               '"out.bias".\n\tUnexpected key(s) in state_dict: "extra.weight".')
    with pytest.raises(RuntimeError, match=re.escape(message)):
        net.load_state_dict(state)
    result = net.load_state_dict(state, strict=False)
    assert result.missing_keys == ["out.bias"] and result.unexpected_keys == ["extra.weight"]


def test_load_state_dict_shape_mismatch_names_key_and_shapes():
    net = Net()
    state = net.state_dict()
    state["fc2.bias"] = np.zeros(5)
    with pytest.raises(RuntimeError, match=r"size mismatch for fc2.bias: copying a value with "
                                           r"shape \(5,\) from the checkpoint, the shape in the "
                                           r"current model is \(4,\)"):
        net.load_state_dict(state, strict=False)


def test_load_state_dict_hints_at_pytorch_weight_layout():
    layer = nn.Linear(4, 2)
    with pytest.raises(RuntimeError, match=r"\(2, 4\).*\(4, 2\).*transpose it"):
        layer.load_state_dict({"weight": np.zeros((2, 4)), "bias": np.zeros(2)})


def test_load_state_dict_accepts_tensors_and_builds_lazy_layers():
    source = nn.Sequential(nn.Dense(3, input_dim=2, rng=0), nn.BatchNormalization())
    source(gn.ones(4, 2))
    target = nn.Sequential(nn.Dense(3), nn.BatchNormalization())
    assert not target.built
    target.load_state_dict({k: gn.tensor(v) if v.ndim == 2 else v
                            for k, v in source.state_dict().items()})
    assert target.built
    for key, value in source.state_dict().items():
        np.testing.assert_array_equal(target.state_dict()[key], value)


def test_non_persistent_buffers_are_not_saved():
    assert "scratch" not in WithBuffer().state_dict()
    WithBuffer().load_state_dict(WithBuffer().state_dict())


# -- printing, copying ------------------------------------------------------------------------


def test_repr_nested_like_pytorch():
    net = nn.Sequential(nn.Linear(4, 8), nn.ReLU(), nn.Sequential(nn.Dropout(0.2),
                                                                  nn.Linear(8, 1)))
    assert repr(net) == (
        "Sequential(\n"
        "  (0): Linear(in_features=4, out_features=8, bias=True)\n"
        "  (1): ReLU()\n"
        "  (2): Sequential(\n"
        "    (0): Dropout(p=0.2)\n"
        "    (1): Linear(in_features=8, out_features=1, bias=True)\n"
        "  )\n"
        ")")


def test_extra_repr_with_children():
    class Scaled(nn.Module):
        def __init__(self):
            super().__init__()
            self.fc = nn.Linear(1, 1)

        def extra_repr(self):
            return "scale=2"

    assert repr(Scaled()) == ("Scaled(\n  scale=2\n  (fc): Linear(in_features=1, "
                              "out_features=1, bias=True)\n)")


def test_deepcopy_and_pickle_keep_registries_consistent():
    for clone in (copy.deepcopy(Net()), pickle.loads(pickle.dumps(Net()))):
        assert clone.fc1.weight is clone.fc1._parameters["weight"]
        assert clone.fc1 is clone._modules["fc1"]
        np.testing.assert_array_equal(clone.state_dict()["fc1.weight"],
                                      Net().state_dict()["fc1.weight"])


def test_names_are_unique_keras_style():
    a, b = nn.Dense(1), nn.Dense(1)
    assert re.fullmatch(r"dense(_\d+)?", a.name) and a.name != b.name
    assert nn.Dense(1, name="out").name == "out"
    assert re.fullmatch(r"re_lu(_\d+)?", nn.ReLU().name)
    with pytest.raises(TypeError, match=r"non-empty string"):
        a.name = ""


def test_regularization_loss_is_zero_without_regularizers():
    loss = nn.Sequential(nn.Linear(2, 2, dtype="float64")).regularization_loss()
    assert loss.item() == 0.0 and loss.dtype == np.float64


def test_keras_get_and_set_weights():
    layer = nn.Dense(2, input_dim=3, rng=0)
    weights = layer.get_weights()
    assert [w.shape for w in weights] == [(3, 2), (2,)]
    layer.set_weights([np.ones((3, 2)), np.zeros(2)])
    np.testing.assert_array_equal(layer.weight.data, np.ones((3, 2)))
    with pytest.raises(ValueError, match=r"Dense.set_weights: expected 2 arrays \(weight, "
                                         r"bias\), received 1"):
        layer.set_weights([np.ones((3, 2))])
    with pytest.raises(RuntimeError, match=r"size mismatch for weight"):
        layer.set_weights([np.ones((2, 2)), np.zeros(2)])
    with pytest.raises(ValueError, match=r"expected 0 arrays \(none: the layer is not built "
                                         r"yet\), received 1"):
        nn.Dense(2).set_weights([np.ones((3, 2))])
