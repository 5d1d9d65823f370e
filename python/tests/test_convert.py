"""`latent-explorer-torch convert`: pytorch/examples' VAE (.pt and safetensors) and a Keras .h5 MLP VAE
become our weight files that score the same here and in the Swift program; anything else is refused in
one line that lists what is supported."""
import json
import subprocess

import h5py
import numpy as np
import pytest
import torch
from safetensors.torch import save_file
from torch import nn
from torch.nn import functional as F

from latent_explorer_torch import weights
from latent_explorer_torch.convert import SUPPORTED
from test_cli import swift_binary, torch_cli


class ExamplesVAE(nn.Module):
    """pytorch/examples vae/main.py's model, as it is there (sizes as arguments)."""

    def __init__(self, n=784, h=400, z=20):
        super().__init__()
        self.fc1, self.fc21, self.fc22 = nn.Linear(n, h), nn.Linear(h, z), nn.Linear(h, z)
        self.fc3, self.fc4 = nn.Linear(z, h), nn.Linear(h, n)

    def encode(self, x):
        h1 = F.relu(self.fc1(x))
        return self.fc21(h1), self.fc22(h1)

    def decode(self, z):
        return torch.sigmoid(self.fc4(F.relu(self.fc3(z))))


def scores(path, data):
    """neg ELBO of `path` on `data` from both programs (and whether each ran)."""
    ours = torch_cli("eval", "--weights", path, "--data", data, "--json")
    assert ours.returncode == 0, ours.stderr
    swift = subprocess.run([swift_binary(), "eval", "--weights", path, "--data", data, "--json"], capture_output=True, text=True)
    assert swift.returncode == 0, swift.stderr
    return json.loads(ours.stdout)["neg_elbo"], json.loads(swift.stdout)["neg_elbo"]


def test_pytorch_examples_pt_converts_and_scores_the_same(small_mnist, tmp_path):
    torch.manual_seed(3)
    model = ExamplesVAE(h=40, z=3)
    source = str(tmp_path / "vae.pt")
    torch.save(model.state_dict(), source)
    out = str(tmp_path / "vae.safetensors")
    run = torch_cli("convert", source, "--out", out)
    assert run.returncode == 0, run.stderr
    assert "pytorch/examples' VAE layout" in run.stdout and "mlp 784-40-3-40-784" in run.stdout
    converted, meta = weights.load(out)
    assert meta["format"] == "latent-explorer-vae" and "converted from vae.pt" in meta["data_note"]
    x = torch.rand(5, 784)
    mean, logvar = converted.encode(x)
    their_mean, their_logvar = model.encode(x)
    torch.testing.assert_close(mean, their_mean)
    torch.testing.assert_close(logvar, their_logvar)
    z = torch.randn(5, 3)
    torch.testing.assert_close(torch.sigmoid(converted.decode(z)), model.decode(z))
    torch_score, swift_score = scores(out, small_mnist)
    assert swift_score == pytest.approx(torch_score, abs=0.01)


def test_pytorch_examples_safetensors_opens_in_swift_directly(small_mnist, tmp_path):
    torch.manual_seed(4)
    model = ExamplesVAE(h=24, z=2)
    direct = str(tmp_path / "examples.safetensors")
    save_file(model.state_dict(), direct)
    swift = subprocess.run([swift_binary(), "eval", "--weights", direct, "--data", small_mnist, "--json"], capture_output=True, text=True)
    assert swift.returncode == 0, swift.stderr
    assert "pytorch/examples VAE layout (fc1, fc21, fc22, fc3, fc4) read as mlp 784-24-2-24-784" in swift.stderr
    converted = str(tmp_path / "converted.safetensors")
    assert torch_cli("convert", direct, "--out", converted).returncode == 0
    torch_score, swift_converted = scores(converted, small_mnist)
    assert json.loads(swift.stdout)["neg_elbo"] == pytest.approx(torch_score, abs=0.01)
    assert swift_converted == pytest.approx(torch_score, abs=0.01)


def write_keras_h5(path, layers):
    """A Keras 2 model file's weights as model.save('vae.h5') lays them out: model_weights/<layer>/<layer>/kernel:0
    and bias:0, layer_names in model order. `layers`: [(name, kernel [in, out], bias [out])]."""
    with h5py.File(path, "w") as f:
        f.attrs["keras_version"] = "2.2.4"
        f.attrs["backend"] = "tensorflow"
        group = f.create_group("model_weights")
        group.attrs["layer_names"] = np.array([b"input_1"] + [name.encode() for name, _, _ in layers] + [b"lambda_1"])
        group.create_group("input_1").attrs["weight_names"] = np.array([], dtype="S1")
        group.create_group("lambda_1").attrs["weight_names"] = np.array([], dtype="S1")
        for name, kernel, bias in layers:
            layer = group.create_group(name)
            layer.attrs["weight_names"] = np.array([f"{name}/kernel:0".encode(), f"{name}/bias:0".encode()])
            inner = layer.create_group(name)
            inner.create_dataset("kernel:0", data=kernel)
            inner.create_dataset("bias:0", data=bias)


def keras_layers_of(model, names):
    """Our MLP's layers as Keras Dense layers (kernel = weight transposed), named `names` in blog order."""
    modules = [model.encoder.hidden, model.encoder.mean, model.encoder.logvar, model.decoder.hidden, model.decoder.output]
    return [(name, m.weight.detach().numpy().T.copy(), m.bias.detach().numpy().copy()) for name, m in zip(names, modules)]


@pytest.mark.parametrize("names, chosen", [
    (["dense_1", "z_mean", "z_log_var", "dense_4", "dense_5"], "by their names"),
    (["dense_1", "dense_2", "dense_3", "dense_4", "dense_5"], "by their order"),
])
def test_keras_h5_converts_and_scores_the_same(small_mnist, tmp_path, names, chosen):
    from latent_explorer_torch import models
    torch.manual_seed(5)
    model = models.build(models.ModelConfiguration.make("mlp", 2, 32))
    source = str(tmp_path / "vae.h5")
    write_keras_h5(source, keras_layers_of(model, names))
    out = str(tmp_path / "keras.safetensors")
    run = torch_cli("convert", source, "--out", out)
    assert run.returncode == 0, run.stderr
    assert "a Keras MLP VAE" in run.stdout and chosen in run.stdout and "mlp 784-32-2-32-784" in run.stdout
    converted, _ = weights.load(out)
    for name, tensor in model.state_dict().items():
        torch.testing.assert_close(converted.state_dict()[name], tensor)
    torch_score, swift_score = scores(out, small_mnist)
    assert swift_score == pytest.approx(torch_score, abs=0.01)


def test_anything_else_is_refused_in_one_line(tmp_path):
    text = tmp_path / "notes.pt"
    text.write_text("not a model\n")
    other = str(tmp_path / "other.pt")
    torch.save({"layer.weight": torch.zeros(3, 3)}, other)
    whole = str(tmp_path / "whole.pt")
    torch.save(ExamplesVAE(h=8, z=2), whole)
    keras = str(tmp_path / "cnn.h5")
    write_keras_h5(keras, [("conv", np.zeros((3, 3), np.float32), np.zeros(3, np.float32))])
    for source, reason in [(str(text), "not a PyTorch, safetensors or HDF5 file"), (other, "are not a known layout"),
                           (whole, "save model.state_dict() instead"), (keras, "it has 1 Dense layers")]:
        run = torch_cli("convert", source, "--out", str(tmp_path / "x.safetensors"))
        assert run.returncode == 1, run.stdout
        lines = run.stderr.strip().splitlines()
        assert len(lines) == 1 and reason in lines[0] and SUPPORTED in lines[0], run.stderr
    assert not (tmp_path / "x.safetensors").exists()


def test_swift_names_the_convert_command_for_a_pt_file(tmp_path):
    source = str(tmp_path / "vae.pt")
    torch.save(ExamplesVAE(h=8, z=2).state_dict(), source)
    run = subprocess.run([swift_binary(), "eval", "--weights", source, "--data", "synthetic"], capture_output=True, text=True)
    assert run.returncode == 1
    assert f"latent-explorer-torch convert {source} --out {tmp_path}/vae.safetensors" in run.stderr
