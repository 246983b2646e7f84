"""Sequential, ModuleList, ModuleDict; Sequential's Keras-style hand-overs and fusion hooks."""

import sys
import types

import numpy as np
import pytest

import glassnet as gn
from glassnet import nn


def test_positional_list_and_dict_forms():
    a, b = nn.Linear(2, 3), nn.ReLU()
    for net in (nn.Sequential(a, b), nn.Sequential([a, b]), nn.Sequential((a, b)),
                nn.Sequential(layers=[a, b])):
        assert list(net) == [a, b] and len(net) == 2
    named = nn.Sequential({"fc": a, "act": b})
    assert [n for n, _ in named.named_children()] == ["fc", "act"] and named.fc is a
    assert nn.Sequential(name="mlp").name == "mlp"


def test_forward_applies_layers_in_order():
    net = nn.Sequential(nn.Linear(2, 3, rng=0), nn.ReLU(), nn.Linear(3, 1, rng=1))
    x = gn.tensor([[1.0, -1.0]])
    expected = net[2](net[1](net[0](x)))
    np.testing.assert_array_equal(net(x).data, expected.data)


def test_indexing_slicing_and_editing():
    layers = [nn.Linear(2, 2), nn.ReLU(), nn.Linear(2, 1), nn.Sigmoid()]
    net = nn.Sequential(*layers)
    assert net[0] is layers[0] and net[-1] is layers[3]
    head = net[:2]
    assert isinstance(head, nn.Sequential) and list(head) == layers[:2]
    with pytest.raises(IndexError, match=r"Sequential index 4 is out of range for 4 modules"):
        net[4]
    with pytest.raises(TypeError, match=r"indices must be integers or slices, received str"):
        net["0"]
    del net[1]
    assert [n for n, _ in net.named_children()] == ["0", "1", "2"] and net[1] is layers[2]
    net.insert(1, layers[1])
    assert list(net) == layers
    assert net.pop() is layers[3] and len(net) == 3
    net[2] = nn.Tanh()
    assert isinstance(net[2], nn.Tanh)
    net.append(nn.Sigmoid()).extend([nn.Identity()])
    assert len(net) == 5


def test_add_is_keras_style_and_returns_none():
    model = nn.Sequential()
    assert model.add(nn.Dense(4, input_shape=(3,))) is None
    model.add(nn.Dense(2))
    assert model.built and model[1].in_features == 4        # built on add, as Keras does
    assert model.input_shape == (None, 3)
    assert model.layers == list(model)


def test_non_module_layers_are_refused_with_a_hint():
    with pytest.raises(TypeError, match=r"expected a Module \(a layer\) at position 1, received "
                                        r"type \(did you mean ReLU\(\)\? a layer class must be "
                                        r"instantiated\)"):
        nn.Sequential(nn.Linear(1, 1), nn.ReLU)
    with pytest.raises(TypeError, match=r"received function"):
        nn.Sequential().add(lambda x: x)
    with pytest.raises(TypeError, match=r"unexpected keyword argument\(s\) \['layer'\]"):
        nn.Sequential(layer=[])


def test_build_creates_lazy_weights_without_side_effects():
    model = nn.Sequential(nn.Dense(4), nn.BatchNormalization(), nn.Dropout(0.5), nn.Dense(1))
    assert not model.built and model.input_shape is None
    model.build((None, 3))
    assert model.built and model.num_parameters() == (3 * 4 + 4) + 8 + (4 + 1)
    assert model[1].num_batches_tracked == 0 and model.training and model[2].training


def test_output_activation_name_and_logits():
    x = gn.tensor(np.random.default_rng(0).standard_normal((3, 2)))
    keras = nn.Sequential(nn.Dense(4, activation="relu", rng=0),
                          nn.Dense(3, activation="softmax", rng=1))
    assert keras.output_activation_name == "softmax"
    np.testing.assert_allclose(keras.logits(x).softmax().data, keras(x).data, rtol=1e-6)
    torch_style = nn.Sequential(nn.Linear(2, 1, rng=0), nn.Sigmoid())
    assert torch_style.output_activation_name == "sigmoid"
    np.testing.assert_allclose(torch_style.logits(x).sigmoid().data, torch_style(x).data,
                               rtol=1e-6)
    nested = nn.Sequential(nn.Linear(2, 2), nn.Sequential(nn.Linear(2, 1), nn.Sigmoid()))
    assert nested.output_activation_name == "sigmoid"
    assert nested.logits(x).shape == (3, 1)
    plain = nn.Sequential(nn.Linear(2, 1))
    assert plain.output_activation_name == "linear"
    np.testing.assert_array_equal(plain.logits(x).data, plain(x).data)
    assert nn.Sequential(nn.Flatten()).output_activation_name is None
    assert nn.Sequential(nn.Softmax(dim=0)).output_activation_name is None


def test_config_round_trip_rebuilds_the_architecture():
    model = nn.Sequential(nn.Dense(4, activation=nn.LeakyReLU(0.2), input_dim=3,
                                   kernel_regularizer=nn.L2(0.001)),
                          nn.BatchNormalization(momentum=0.05), nn.Dropout(rate=0.3),
                          nn.Dense(2, activation="softmax"), name="classifier")
    config = model.get_config()
    clone = nn.Sequential.from_config(config)
    assert repr(clone) == repr(model) and clone.name == "classifier"
    assert clone.get_config() == config
    assert repr(clone[0].kernel_regularizer) == "L2(l2=0.001)"
    clone.load_state_dict(model.state_dict())
    x = np.random.default_rng(0).standard_normal((2, 3))
    model.eval()
    clone.eval()
    np.testing.assert_array_equal(clone(x).data, model(x).data)


def test_unknown_layer_class_in_config():
    with pytest.raises(ValueError, match=r"Unknown layer class 'os.system'.*Valid classes: "
                                         r"Activation, .*Dense"):
        nn.layer_from_config({"class_name": "os.system", "config": {}})


def test_custom_module_has_no_config():
    class Custom(nn.Module):
        def forward(self, x):
            return x

    with pytest.raises(NotImplementedError, match=r"Custom does not implement get_config"):
        nn.Sequential(Custom()).get_config()


# -- Keras-style hand-overs ------------------------------------------------------------------


class FakeModel:
    """Stands in for glassnet.training.model.Model: records every call."""

    def __init__(self, module):
        self.module = module
        self.calls = []
        self.history = "history"
        self.stop_training = False

    def __getattr__(self, name):
        def method(*args, **kwargs):
            self.calls.append((name, args, kwargs))
            return name
        return method


@pytest.fixture
def fake_training(monkeypatch):
    fake = types.ModuleType("glassnet.training.model")
    fake.Model = FakeModel
    monkeypatch.setitem(sys.modules, "glassnet.training.model", fake)
    return fake


def test_keras_methods_hand_over_to_one_model(fake_training):
    model = nn.Sequential(nn.Dense(2, input_dim=3))
    methods = ["compile", "fit", "evaluate", "predict", "summary", "save", "explain",
               "train_on_batch", "test_on_batch", "predict_on_batch", "get_weights",
               "set_weights"]
    for name in methods:
        assert getattr(model, name)(1, key=2) == name
    trainer = model._keras()
    assert isinstance(trainer, FakeModel) and trainer.module is model
    assert [c[0] for c in trainer.calls] == methods
    assert trainer.calls[0][1:] == ((1,), {"key": 2})
    assert model.history == "history"
    model.stop_training = True
    assert trainer.stop_training is True and model.stop_training is True


def test_keras_trainer_is_not_a_child(fake_training):
    model = nn.Sequential(nn.Dense(2, input_dim=3))
    before = (repr(model), list(model.state_dict()), list(model.modules()))
    model.compile()
    assert "_keras_model" in model.__dict__
    assert (repr(model), list(model.state_dict()), list(model.modules())) == before


def test_gn_sequential_is_nn_sequential():
    if hasattr(gn, "Sequential"):
        assert gn.Sequential is nn.Sequential


# -- ModuleList, ModuleDict --------------------------------------------------------------------


def test_module_list_registers_its_modules():
    class Stack(nn.Module):
        def __init__(self):
            super().__init__()
            self.blocks = nn.ModuleList([nn.Linear(2, 2) for _ in range(3)])

        def forward(self, x):
            for block in self.blocks:
                x = block(x)
            return x

    net = Stack()
    assert [n for n, _ in net.named_parameters()][:2] == ["blocks.0.weight", "blocks.0.bias"]
    assert net.num_parameters() == 18
    assert net(gn.ones(1, 2)).shape == (1, 2)
    assert isinstance(net.blocks[1:], nn.ModuleList) and len(net.blocks[1:]) == 2
    net.blocks += [nn.ReLU()]
    assert len(net.blocks) == 4
    with pytest.raises(NotImplementedError, match=r"ModuleList has no forward\(\)"):
        net.blocks(gn.ones(1, 2))


def test_module_dict():
    heads = nn.ModuleDict({"a": nn.Linear(2, 1)})
    heads["b"] = nn.Linear(2, 3)
    assert list(heads) == ["a", "b"] and "b" in heads and len(heads) == 2
    assert [n for n, _ in heads.named_parameters()] == ["a.weight", "a.bias", "b.weight",
                                                        "b.bias"]
    assert isinstance(heads.pop("a"), nn.Linear) and list(heads.keys()) == ["b"]
    with pytest.raises(TypeError, match=r"ModuleDict: expected a Module"):
        heads["c"] = 3
