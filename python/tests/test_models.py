"""The registry of architectures: every module in `models.ARCHITECTURES` builds from its declared
settings, survives a weight file with and without metadata, refuses bad settings in one line, and
matches its Swift twin (the Swift program's file of it loads here and scores the same)."""
import json
import subprocess

import pytest
import torch
from safetensors.torch import save_file

from latent_explorer_torch import models, weights
from test_cli import swift_binary, torch_cli

NAMES = sorted(models.ARCHITECTURES)
SMALL_MNIST_CLASSES = 10  # conftest.small_mnist's: a conditional model trained on it has one input per class


def small(name, latent_dim=3):
    """Each setting a little above its lowest value: not the default, and quick to build (a class count
    is small_mnist's, which training a conditional model on it requires)."""
    cls = models.ARCHITECTURES[name]
    settings = {s.key: tuple(SMALL_MNIST_CLASSES if s.key == models.CLASS_COUNT_KEY else s.low + 3 for _ in s.default)
                for s in cls.SETTINGS}
    return models.ModelConfiguration.make(name, latent_dim, settings=settings)


@pytest.mark.parametrize("name", NAMES)
def test_every_architecture_reads_its_settings_as_its_dataclass(name):
    """`config.typed` is the architecture's `Settings` dataclass, one field a declared setting: an int for
    one value, a tuple for two, as the metadata's values."""
    import dataclasses
    config = small(name)
    cls = models.ARCHITECTURES[name]
    typed = config.typed
    assert isinstance(typed, cls.Settings)
    assert [f.name for f in dataclasses.fields(typed)] == [s.key for s in cls.SETTINGS]
    for setting in cls.SETTINGS:
        value = getattr(typed, setting.key)
        assert (value,) == config[setting.key] if len(setting.default) == 1 else value == config[setting.key]


@pytest.mark.parametrize("name", NAMES)
def test_every_architecture_round_trips_with_and_without_metadata(tmp_path, name):
    config = small(name)
    config.validate()
    torch.manual_seed(0)
    model = models.build(config)
    assert models.configuration_of(model) == config
    path = str(tmp_path / "m.safetensors")
    weights.save_atomically(model, weights.metadata(config), path)
    loaded, meta = weights.load(path)
    assert models.configuration_of(loaded) == config and meta["architecture"] == name
    for setting in config.architecture.SETTINGS:
        assert meta[setting.key] == ",".join(map(str, config[setting.key]))
    plain = str(tmp_path / "plain.safetensors")
    save_file(model.state_dict(), plain)
    plain_config = models.configuration_of(weights.load(plain)[0])
    if config.architecture.infer({k: list(v.shape) for k, v in model.state_dict().items()}) is None:
        assert plain_config.parameter_shapes() == config.parameter_shapes()  # its tensors are another architecture's
    else:
        assert plain_config == config
    assert str(config).startswith(name)


def test_bad_settings_and_unknown_architectures_are_one_line_errors():
    cases = [(models.ModelConfiguration.make("mlp", 2, 0), "hidden size 0 is outside 1...8192"),
             (models.ModelConfiguration.make("conv", 2, channels=(3,)), "channels needs 2 values, not 3"),
             (models.ModelConfiguration.make("mlp", 2, channels=(3, 4)), "mlp has no setting 'channels'"),
             (models.ModelConfiguration("gan"), "unknown architecture 'gan'")]
    for config, message in cases:
        with pytest.raises(ValueError, match=message) as error:
            config.validate()
        assert "\n" not in str(error.value)


@pytest.mark.parametrize("name", NAMES)
def test_the_swift_twin_writes_the_same_model(small_mnist, tmp_path, name):
    binary = swift_binary()
    config = small(name, latent_dim=2)
    out = str(tmp_path / "swift.safetensors")
    settings = [item for key, values in config.settings for item in ("--setting", f"{key}={','.join(map(str, values))}")]
    run = subprocess.run([binary, "train", "--data", small_mnist, "--arch", name, "--latent-dim", "2", *settings,
                          "--epochs", "1", "--out", out], capture_output=True, text=True)
    assert run.returncode == 0, run.stderr
    model, meta = weights.load(out)
    assert models.configuration_of(model) == config and meta["architecture"] == name
    swift = subprocess.run([binary, "eval", "--weights", out, "--data", small_mnist, "--json"], capture_output=True, text=True)
    assert swift.returncode == 0, swift.stderr
    ours = torch_cli("eval", "--weights", out, "--data", small_mnist, "--json")
    assert ours.returncode == 0, ours.stderr
    assert json.loads(swift.stdout)["neg_elbo"] == pytest.approx(json.loads(ours.stdout)["neg_elbo"], abs=0.01)


@pytest.mark.parametrize("name", NAMES)
def test_our_command_line_trains_every_architecture_with_its_settings(small_mnist, tmp_path, name):
    config = small(name, latent_dim=2)
    out = str(tmp_path / "torch.safetensors")
    settings = [item for key, values in config.settings for item in ("--setting", f"{key}={','.join(map(str, values))}")]
    run = torch_cli("train", "--data", small_mnist, "--arch", name, *settings, "--epochs", "1", "--out", out)
    assert run.returncode == 0, run.stderr
    assert models.configuration_of(weights.load(out)[0]) == config


def test_a_malformed_or_unknown_setting_is_a_one_line_usage_error(small_mnist, tmp_path):
    out = str(tmp_path / "torch.safetensors")
    for setting, message in [("hidden_size=big", "expected key=value"), ("widths=3", "mlp has no setting 'widths'")]:
        run = torch_cli("train", "--data", small_mnist, "--setting", setting, "--epochs", "1", "--out", out)
        assert run.returncode != 0 and message in run.stderr and len(run.stderr.strip().splitlines()) == 1, run.stderr
