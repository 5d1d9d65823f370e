"""LatentExplorer's two VAEs as PyTorch modules, with the module names of its weight files.

A state dict of these modules and a LatentExplorer safetensors file are the same thing: the Swift
program names every tensor after the module holding it, in PyTorch's layouts (`nn.Linear` [out, in],
`nn.Conv2d` [out, in, kh, kw], `nn.ConvTranspose2d` [in, out, kh, kw]), flattening in NCHW order
(Sources/VAE/Model/Architectures/*.swift). Layers keep PyTorch's default initialisation, which is the
Swift program's too (uniform in +-1/sqrt(fan_in) for weights and biases).

Both models map images x [B, N] with pixels in [0, 1] to (mean, logvar) [B, L] and latent points
z [B, L] to logits [B, N]; sigmoid(logits) are pixel probabilities.
"""
from dataclasses import dataclass, field

import torch
import torch.nn.functional as F
from torch import nn

ARCHITECTURES = ("mlp", "conv")
DEFAULT_HIDDEN = {"mlp": 512, "conv": 128}
DEFAULT_CHANNELS = {"mlp": (), "conv": (32, 64)}
LATENT_DIMENSIONS = range(1, 65)  # as ModelConfiguration.latentDimensions


@dataclass(frozen=True)
class ModelConfiguration:
    """Which architecture and its sizes: what a weight file's metadata declares."""

    arch: str = "mlp"
    input_size: int = 784
    hidden_size: int = 512
    latent_dim: int = 2
    channels: tuple = field(default=())

    @staticmethod
    def make(arch="mlp", latent_dim=2, hidden_size=None, input_size=784, channels=None):
        return ModelConfiguration(arch, input_size, hidden_size or DEFAULT_HIDDEN[arch], latent_dim,
                                  tuple(channels) if channels is not None else DEFAULT_CHANNELS[arch])

    @property
    def side(self):
        """The side of the square image, or None."""
        side = round(self.input_size ** 0.5)
        return side if side * side == self.input_size else None

    def validate(self):
        """Raises ValueError with a one-line reason unless a model of this shape can be built."""
        if self.arch not in ARCHITECTURES:
            raise ValueError(f"unknown architecture '{self.arch}' (known: {', '.join(ARCHITECTURES)})")
        if self.latent_dim not in LATENT_DIMENSIONS:
            raise ValueError(f"latent size {self.latent_dim} is outside 1...64")
        if self.hidden_size < 1 or self.input_size < 1:
            raise ValueError("sizes must be positive")
        if self.arch == "conv":
            if self.side is None or self.side % 4:
                raise ValueError(f"the conv VAE needs square images with a side divisible by 4, not {self.input_size} pixels")
            if len(self.channels) != 2 or min(self.channels) < 1:
                raise ValueError(f"the conv VAE needs two channel counts, not {self.channels}")
        elif self.channels:
            raise ValueError("the MLP has no convolution channels")

    def __str__(self):
        if self.arch == "mlp":
            h, n = self.hidden_size, self.input_size
            return f"mlp {n}-{h}-{self.latent_dim}-{h}-{n}"
        return f"conv {self.side}x{self.side} c{self.channels[0]}-{self.channels[1]}-{self.hidden_size}-{self.latent_dim}"


class VAE(nn.Module):
    """What both architectures share: `forward` is the loss, so that DistributedDataParallel, which
    synchronises gradients only through `forward`, wraps the whole training step."""

    def forward(self, x, noise):
        return loss_parts(self, x, noise)


class MLPVAE(VAE):
    """encoder: x [N] -> hidden ReLU [H] -> (mean, logvar) [L]; decoder: z [L] -> hidden ReLU [H] -> logits [N]."""

    def __init__(self, z=2, h=512, n=784):
        super().__init__()
        self.encoder = nn.ModuleDict(dict(hidden=nn.Linear(n, h), mean=nn.Linear(h, z), logvar=nn.Linear(h, z)))
        self.decoder = nn.ModuleDict(dict(hidden=nn.Linear(z, h), output=nn.Linear(h, n)))

    def encode(self, x):
        h = F.relu(self.encoder.hidden(x))
        return self.encoder.mean(h), self.encoder.logvar(h)

    def decode(self, z):
        return self.decoder.output(F.relu(self.decoder.hidden(z)))


class ConvVAE(VAE):
    """S x S images (S divisible by 4), channels c1 and c2, H hidden units, L latent dimensions:

        encoder: x [1, S, S] -> conv1 3x3/2 ReLU [c1, S/2, S/2] -> conv2 3x3/2 ReLU [c2, S/4, S/4]
                 -> flatten -> hidden ReLU [H] -> mean [L], logvar [L]
        decoder: z [L] -> hidden ReLU [H] -> expand ReLU [c2 S/4 S/4] -> view [c2, S/4, S/4]
                 -> deconv1 3x3/2 (output padding 1) ReLU [c1, S/2, S/2] -> deconv2 3x3/2 [1, S, S] logits
    """

    def __init__(self, z=2, h=128, side=28, channels=(32, 64)):
        super().__init__()
        c1, c2 = channels
        self.side = side
        self.shape = (c2, side // 4, side // 4)
        flat = c2 * (side // 4) ** 2
        self.encoder = nn.ModuleDict(dict(
            conv1=nn.Conv2d(1, c1, 3, 2, 1), conv2=nn.Conv2d(c1, c2, 3, 2, 1),
            hidden=nn.Linear(flat, h), mean=nn.Linear(h, z), logvar=nn.Linear(h, z)))
        self.decoder = nn.ModuleDict(dict(
            hidden=nn.Linear(z, h), expand=nn.Linear(h, flat),
            deconv1=nn.ConvTranspose2d(c2, c1, 3, 2, 1, 1), deconv2=nn.ConvTranspose2d(c1, 1, 3, 2, 1, 1)))

    def encode(self, x):
        e = self.encoder
        h = F.relu(e.conv2(F.relu(e.conv1(x.view(-1, 1, self.side, self.side)))))
        h = F.relu(e.hidden(h.flatten(1)))
        return e.mean(h), e.logvar(h)

    def decode(self, z):
        d = self.decoder
        h = F.relu(d.expand(F.relu(d.hidden(z)))).view(-1, *self.shape)
        return d.deconv2(F.relu(d.deconv1(h))).flatten(1)


def build(config: ModelConfiguration) -> nn.Module:
    """A freshly initialised model of `config` (PyTorch's default initialisation, from torch's seed)."""
    config.validate()
    if config.arch == "conv":
        return ConvVAE(z=config.latent_dim, h=config.hidden_size, side=config.side, channels=config.channels)
    return MLPVAE(z=config.latent_dim, h=config.hidden_size, n=config.input_size)


def configuration_of(model: nn.Module) -> ModelConfiguration:
    """The configuration a model was built from, read off its layers."""
    e = model.encoder
    if isinstance(model, ConvVAE):
        return ModelConfiguration("conv", model.side ** 2, e.hidden.out_features, e.mean.out_features,
                                  (e.conv1.out_channels, e.conv2.out_channels))
    return ModelConfiguration("mlp", e.hidden.in_features, e.hidden.out_features, e.mean.out_features, ())


def loss_parts(model, x, noise):
    """The VAE's loss of a batch, summed over its images, as (reconstruction, kl) scalars:

        z              = mean + exp(logvar / 2) * noise                      (reparameterisation)
        reconstruction = sum over pixels of BCE(sigmoid(logits), x)          (Bernoulli likelihood, from logits)
        kl             = -1/2 sum over latents (1 + logvar - mean^2 - exp(logvar))

    x [B, N] in [0, 1], noise [B, L] ~ N(0, I). The training objective is (reconstruction + beta kl) / B.
    """
    mean, logvar = model.encode(x)
    z = mean + torch.exp(0.5 * logvar) * noise
    logits = model.decode(z)
    reconstruction = F.binary_cross_entropy_with_logits(logits, x, reduction="sum")
    kl = -0.5 * torch.sum(1 + logvar - mean.pow(2) - logvar.exp())
    return reconstruction, kl
