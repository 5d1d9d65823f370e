"""contract/limits.json is the one statement of the ranges and caps both programs enforce: the copy
installed with the package is the file's, every constant comes from it, and validation refuses exactly
what it says (each bound accepted, one past it refused). ContractTests checks the Swift program the same way."""
import json
import os
import subprocess
import sys
from importlib import resources

import pytest

from conftest import REPOSITORY
from latent_explorer_torch import contract, models, weights

FILE = os.path.join(REPOSITORY, "contract", "limits.json")


def test_the_installed_copy_is_the_contract_file():
    with open(FILE) as f:
        text = f.read()
    assert resources.files("latent_explorer_torch").joinpath("contract.json").read_text() == text, \
        "python/latent_explorer_torch/contract.json is stale: run scripts/sync-contract.py"
    check = subprocess.run([sys.executable, os.path.join(REPOSITORY, "scripts", "sync-contract.py"), "--check"],
                           capture_output=True, text=True)
    assert check.returncode == 0, check.stderr


def test_every_constant_comes_from_the_contract():
    with open(FILE) as f:
        data = json.load(f)
    assert weights.FORMAT_NAME == data["format"]["name"] and weights.FORMAT_VERSION == data["format"]["versions"][1]
    assert list(models.LATENT_DIMENSIONS) == list(range(data["latent_dim"][0], data["latent_dim"][1] + 1))
    assert models.MAXIMUM_HIDDEN_SIZE == data["maximum_hidden_size"]
    assert weights.LIKELIHOOD in data["likelihoods"]
    # Declared under the architecture's own name, or under the one whose settings it shares (as ContractTests).
    declarations = data["architectures"]
    assert set(declarations) <= set(models.ARCHITECTURES)
    for name, cls in models.ARCHITECTURES.items():
        keys = {s.key for s in cls.SETTINGS}
        assert keys == set(declarations[name]) if name in declarations else any(set(d) == keys for d in declarations.values())
        for setting in cls.SETTINGS:
            assert any(d.get(setting.key) == {"default": list(setting.default), "range": [setting.low, setting.high]}
                       for d in declarations.values()), (name, setting.key)


def refusal(meta):
    """The one-line refusal of metadata `meta`, or None when it declares a valid configuration."""
    try:
        weights.configuration_from_metadata(meta, "f").validate()
        return None
    except (weights.WeightsError, ValueError) as error:
        return str(error)


def metadata(config, **edits):
    return {**weights.metadata(config), **edits}


MLP = models.ModelConfiguration.make("mlp", 2, input_size=16, hidden_size=4)


@pytest.mark.parametrize("key, bounds", [("format_version", contract.FORMAT_VERSIONS), ("latent_dim", contract.LATENT_DIM)])
def test_metadata_bounds_follow_the_contract(key, bounds):
    low, high = bounds
    assert refusal(metadata(MLP, **{key: str(low)})) is None and refusal(metadata(MLP, **{key: str(high)})) is None
    assert refusal(metadata(MLP, **{key: str(low - 1)})) and refusal(metadata(MLP, **{key: str(high + 1)}))


@pytest.mark.parametrize("size, valid", [(contract.INPUT_SIZE[0], True), (contract.INPUT_SIZE[1], True),
                                         (contract.INPUT_SIZE[1] + 1, False), (contract.INPUT_SIZE[0] - 1, False)])
def test_input_sizes_follow_the_contract(size, valid):
    edits = dict(input_size=str(size), image_height="1", image_width=str(size), image_channels="1", hidden_size="1")
    assert (refusal(metadata(MLP, **edits)) is None) == valid


@pytest.mark.parametrize("arch", sorted(models.ARCHITECTURES))
def test_every_setting_follows_the_contract(arch):
    cls = models.ARCHITECTURES[arch]
    base = models.ModelConfiguration.make(arch, 2, input_size=64, settings={s.key: tuple(1 for _ in s.default) for s in cls.SETTINGS})
    for setting in cls.SETTINGS:
        low, high = setting.low, setting.high  # the contract's: checked above
        rest = [str(low)] * (len(setting.default) - 1)
        values = lambda first: ",".join([str(first)] + rest)
        assert refusal(metadata(base, **{setting.key: values(low)})) is None
        assert refusal(metadata(base, **{setting.key: values(low - 1)}))
        assert refusal(metadata(base, **{setting.key: values(high + 1)}))
        assert refusal(metadata(base, **{setting.key: ",".join("1" * (len(setting.default) + 1))}))


def test_the_parameter_cap_follows_the_contract():
    wide = dict(input_size="16384", image_height="128", image_width="128", image_channels="1")
    fits = contract.MAXIMUM_PARAMETER_COUNT // (2 * 16384 + 8)
    assert refusal(metadata(MLP, hidden_size=str(fits), **wide)) is None
    assert f"more than {contract.MAXIMUM_PARAMETER_COUNT} parameters" in refusal(metadata(MLP, hidden_size=str(fits + 2), **wide))


@pytest.mark.parametrize("beta, valid", [(contract.KL_WEIGHT[0], True), (contract.KL_WEIGHT[1], True),
                                         (contract.KL_WEIGHT[1] + 1e-9, False), (-0.001, False), (float("nan"), False)])
def test_kl_weights_and_likelihoods_follow_the_contract(beta, valid):
    assert (refusal(metadata(MLP, kl_weight=repr(float(beta)))) is None) == valid
    for likelihood in contract.LIKELIHOODS:
        assert refusal(metadata(MLP, likelihood=likelihood)) is None
    assert refusal(metadata(MLP, likelihood="gaussian"))


def test_long_lists_in_messages_are_capped():
    line = contract.listed([f"class{i}" for i in range(10_000)])
    assert len(line) <= contract.MESSAGE_LIMIT + 20 and line.endswith("more")
    assert contract.capped("x" * 1000) == "x" * contract.MESSAGE_LIMIT + f"… and {1000 - contract.MESSAGE_LIMIT} more characters"
