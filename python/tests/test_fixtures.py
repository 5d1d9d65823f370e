"""The committed fixtures (Tests/VAETests/Fixtures) are what the current PyTorch code computes: the
Swift tests compare the Swift code with these files, so a change here must regenerate them."""
import json
import os

import numpy as np
import pytest
import torch
from safetensors import safe_open
from safetensors.torch import load_file

from conftest import FIXTURES
from latent_explorer_torch import fixtures, weights
from latent_explorer_torch.models import ARCHITECTURES, build


def committed(name):
    path = os.path.join(FIXTURES, name)
    with safe_open(path, "pt") as f:
        return load_file(path), f.metadata()


@pytest.mark.parametrize("name", list(ARCHITECTURES))
def test_the_training_step_fixture_is_what_pytorch_computes(name):
    """Every registered architecture has one (the Swift tests loop over their registry the same way)."""
    tensors, meta = committed(f"torch-step-{name}.safetensors")
    state = {k[len("weights."):]: v for k, v in tensors.items() if k.startswith("weights.")}
    config = weights.configuration_from_metadata(meta, name)
    assert config.arch == name
    model = build(config)
    model.load_state_dict(state)
    classes = tensors["batch.classes"].long() if "batch.classes" in tensors else None
    before, gradients, after = fixtures.training_step(model, tensors["batch.x"], tensors["batch.noise"],
                                                      float(meta["learning_rate"]), classes)
    assert before == pytest.approx((float(meta["loss_reconstruction"]), float(meta["loss_kl"])), rel=1e-5)
    assert after == pytest.approx((float(meta["after_reconstruction"]), float(meta["after_kl"])), rel=1e-5)
    for parameter, gradient in gradients.items():
        expected = tensors[f"grad.{parameter}"]
        assert torch.allclose(gradient, expected, rtol=1e-4, atol=1e-6 * float(expected.abs().max()) + 1e-8), parameter
    for parameter, value in model.state_dict().items():
        assert torch.allclose(value, tensors[f"after.{parameter}"], atol=1e-6), parameter


def test_regenerated_fixtures_match_the_committed_ones(tmp_path):
    fixtures.write_all(str(tmp_path))
    names = [f"torch-{kind}{arch}.safetensors" for arch in ARCHITECTURES for kind in ("", "step-")]
    for name in names:
        ours, theirs = load_file(str(tmp_path / name)), load_file(os.path.join(FIXTURES, name))
        assert ours.keys() == theirs.keys(), name
        for key in ours:
            assert torch.allclose(ours[key], theirs[key], rtol=1e-5, atol=1e-6), f"{name}: {key}"
    for name in [f"torch-{arch}.safetensors" for arch in ARCHITECTURES]:
        with safe_open(str(tmp_path / name), "pt") as f:
            ours = f.metadata()
        _, theirs = committed(name)
        for key in [k for k in theirs if k.startswith("fixture_")]:
            assert np.allclose(json.loads(ours[key]), json.loads(theirs[key]), atol=1e-6), f"{name}: {key}"
    with open(tmp_path / "torch-split.json") as a, open(os.path.join(FIXTURES, "torch-split.json")) as b:
        assert json.load(a) == json.load(b)


@pytest.mark.parametrize("name", ["conv-f16", "conv-bf16", "conv-f64", "mlp-f16", "mlp-bf16", "mlp-f64"])
def test_the_dtype_fixtures_are_what_pytorch_writes(name, tmp_path):
    fixtures.write_dtypes(str(tmp_path))
    tensors, meta = committed(f"torch-{name}.safetensors")
    path = str(tmp_path / f"torch-{name}.safetensors")
    with safe_open(path, "pt") as f:
        fresh_meta = f.metadata()
    fresh = load_file(path)
    assert set(fresh) == set(tensors)
    for key, value in fresh.items():
        assert value.dtype == tensors[key].dtype and torch.equal(value, tensors[key]), key
    for key in ("fixture_mean", "fixture_logvar", "fixture_pixels"):
        assert json.loads(fresh_meta[key]) == pytest.approx(json.loads(meta[key]), abs=1e-6), key
