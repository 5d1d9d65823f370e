"""LatentExplorer's two VAEs as PyTorch modules, with the module names of its weight files.

A state dict of these modules and a LatentExplorer safetensors file are the same thing:

    from safetensors.torch import load_file, save_file
    from pytorch_vae import ConvVAE, MLPVAE

    model = ConvVAE(z=2)
    model.load_state_dict(load_file("conv.safetensors"))   # weights trained by LatentExplorer
    save_file(model.state_dict(), "mine.safetensors")      # opens in LatentExplorer as it is

Sizes follow the file's `__metadata__` (architecture, input_size, hidden_size, latent_dim, channels);
`from_file` reads them. A file saved from PyTorch needs no metadata: LatentExplorer reads the sizes from
the tensor shapes.

Commands (run with a Python that has torch and safetensors):
    python pytorch_vae.py check FILE         decode z = 0 with PyTorch and print the first pixels
    python pytorch_vae.py fixture OUT        write the small PyTorch-made files the Swift tests read
"""
import json
import sys

import torch
from torch import nn
import torch.nn.functional as F


class MLPVAE(nn.Module):
    """encoder: n -> hidden ReLU -> (mean, logvar); decoder: z -> hidden ReLU -> n logits."""

    def __init__(self, z=2, h=512, n=784):
        super().__init__()
        self.encoder = nn.ModuleDict(dict(hidden=nn.Linear(n, h), mean=nn.Linear(h, z), logvar=nn.Linear(h, z)))
        self.decoder = nn.ModuleDict(dict(hidden=nn.Linear(z, h), output=nn.Linear(h, n)))

    def encode(self, x):
        h = F.relu(self.encoder.hidden(x))
        return self.encoder.mean(h), self.encoder.logvar(h)

    def decode(self, z):
        return self.decoder.output(F.relu(self.decoder.hidden(z)))  # logits


class ConvVAE(nn.Module):
    """The reference's Conv (vae_torch.py) with LatentExplorer's module names: S x S images, channels c1
    and c2, h hidden units."""

    def __init__(self, z=2, h=128, side=28, channels=(32, 64)):
        super().__init__()
        c1, c2 = channels
        self.shape = (c2, side // 4, side // 4)
        flat = c2 * (side // 4) ** 2
        self.encoder = nn.ModuleDict(dict(
            conv1=nn.Conv2d(1, c1, 3, 2, 1), conv2=nn.Conv2d(c1, c2, 3, 2, 1),
            hidden=nn.Linear(flat, h), mean=nn.Linear(h, z), logvar=nn.Linear(h, z)))
        self.decoder = nn.ModuleDict(dict(
            hidden=nn.Linear(z, h), expand=nn.Linear(h, flat),
            deconv1=nn.ConvTranspose2d(c2, c1, 3, 2, 1, 1), deconv2=nn.ConvTranspose2d(c1, 1, 3, 2, 1, 1)))
        self.side = side

    def encode(self, x):
        e = self.encoder
        h = F.relu(e.conv2(F.relu(e.conv1(x.view(-1, 1, self.side, self.side)))))
        h = F.relu(e.hidden(h.flatten(1)))
        return e.mean(h), e.logvar(h)

    def decode(self, z):
        d = self.decoder
        h = F.relu(d.expand(F.relu(d.hidden(z)))).view(-1, *self.shape)
        return d.deconv2(F.relu(d.deconv1(h))).flatten(1)  # logits


def from_file(path):
    """The module a LatentExplorer weight file describes, with its weights loaded."""
    from safetensors import safe_open
    from safetensors.torch import load_file
    with safe_open(path, "pt") as f:
        meta = f.metadata() or {}
    z, h, n = int(meta["latent_dim"]), int(meta["hidden_size"]), int(meta["input_size"])
    if meta.get("architecture") == "conv":
        channels = tuple(int(c) for c in meta.get("channels", "32,64").split(","))
        model = ConvVAE(z=z, h=h, side=round(n ** 0.5), channels=channels)
    else:
        model = MLPVAE(z=z, h=h, n=n)
    model.load_state_dict(load_file(path))
    return model


def fixture(out_prefix):
    """Small models made by PyTorch, saved with `save_file(state_dict)` (no LatentExplorer metadata),
    with PyTorch's own outputs for fixed inputs in the metadata for the Swift tests to compare."""
    from safetensors.torch import save_file
    torch.manual_seed(0)
    for name, model, n in [("conv", ConvVAE(z=2, h=5, side=8, channels=(2, 3)), 64), ("mlp", MLPVAE(z=3, h=6, n=12), 12)]:
        with torch.no_grad():
            for p in model.parameters():  # larger than PyTorch's initial weights, so every path matters
                p.uniform_(-0.6, 0.6)
            x = torch.rand(2, n)
            mean, logvar = model.encode(x)
            z = torch.randn(3, mean.shape[1])
            pixels = torch.sigmoid(model.decode(z))
        meta = {"fixture_x": json.dumps(x.flatten().tolist()), "fixture_mean": json.dumps(mean.flatten().tolist()),
                "fixture_logvar": json.dumps(logvar.flatten().tolist()), "fixture_z": json.dumps(z.flatten().tolist()),
                "fixture_pixels": json.dumps(pixels.flatten().tolist()), "made_by": f"torch {torch.__version__}"}
        save_file({k: v.contiguous() for k, v in model.state_dict().items()}, f"{out_prefix}-{name}.safetensors", metadata=meta)


if __name__ == "__main__":
    if len(sys.argv) == 3 and sys.argv[1] == "check":
        model = from_file(sys.argv[2])
        with torch.no_grad():
            z = torch.zeros(1, model.encoder.mean.out_features)
            pixels = torch.sigmoid(model.decode(z))[0]
        print(type(model).__name__, "decode(0)[300:305] =", [round(v, 6) for v in pixels[300:305].tolist()])
    elif len(sys.argv) == 3 and sys.argv[1] == "fixture":
        fixture(sys.argv[2])
    else:
        sys.exit(__doc__)
