"""LatentExplorer's VAEs as PyTorch modules, with the module names of its weight files.

A state dict of these modules and a LatentExplorer safetensors file are the same thing: the Swift
program names every tensor after the module holding it, in PyTorch's layouts (`nn.Linear` [out, in],
`nn.Conv2d` [out, in, kh, kw], `nn.ConvTranspose2d` [in, out, kh, kw]), flattening in NCHW order
(Sources/VAE/Model/Architectures/*.swift). Layers keep PyTorch's default initialisation, which is the
Swift program's too (uniform in +-1/sqrt(fan_in) for weights and biases).

Every model maps images x [B, N] with pixels in [0, 1] to (mean, logvar) [B, L] and latent points
z [B, L] to logits [B, N]; sigmoid(logits) are pixel probabilities. A conditional model (`CVAE`,
`class_count` C > 0) also reads each image's class, int64 indices [B] in 0..C-1 in the order of the
weight file's `classes`: `encode(x, classes)`, `decode(z, classes)`.
"""
import math
from dataclasses import dataclass, field

import torch
import torch.nn.functional as F
from torch import nn

from . import contract

LATENT_DIMENSIONS = range(contract.LATENT_DIM[0], contract.LATENT_DIM[1] + 1)  # contract/limits.json
MAXIMUM_HIDDEN_SIZE = contract.MAXIMUM_HIDDEN_SIZE
CLASS_COUNT_KEY = "class_count"  # as ArchitectureSetting.classCountKey
MAXIMUM_CLASS_COUNT = contract.SETTINGS["cvae"][CLASS_COUNT_KEY][1][1]  # as ModelConfiguration.maximumClassCount
LETTER_CLASSES = contract.SETTINGS["cvae"][CLASS_COUNT_KEY][0][0]  # the cvae's default class count: the letters a...z


@dataclass(frozen=True)
class Setting:
    """One setting of an architecture, as the Swift `ArchitectureSetting`: the metadata key, its default
    values and the range each value must be in."""

    key: str
    default: tuple
    low: int
    high: int

    @staticmethod
    def declared(arch, key):
        """The setting `key` of `arch` as contract/limits.json declares it."""
        default, (low, high) = contract.SETTINGS[arch][key]
        return Setting(key, default, low, high)

    def format_default(self):
        """The default as metadata and --setting write it: "32,64"."""
        return ",".join(map(str, self.default))

    def check(self, values):
        """Raises ValueError with the Swift program's one-line reason unless `values` fit."""
        words = self.key.replace("_", " ")
        if len(values) != len(self.default):
            raise ValueError(f"{words} needs {len(self.default)} value{'' if len(self.default) == 1 else 's'}, "
                             f"not {contract.listed(values, separator=',') if values else 'none'}")
        for value in values:
            if not self.low <= value <= self.high:
                raise ValueError(f"{words} {value} is outside {self.low}...{self.high}")


@dataclass(frozen=True)
class ModelConfiguration:
    """Which architecture, the sizes every architecture shares, and the architecture's own settings
    (a tuple of (key, values) pairs, every declared key present) and the images' geometry (height, width,
    channels; None: inferred from the input size as the Swift `ImageGeometry.inferred`): what a weight
    file's metadata declares."""

    arch: str = "mlp"
    input_size: int = 784
    latent_dim: int = 2
    settings: tuple = field(default=())
    geometry: tuple = None

    @staticmethod
    def make(arch="mlp", latent_dim=2, hidden_size=None, input_size=784, channels=None, settings=None, geometry=None):
        """A configuration with the architecture's defaults for every setting not given; `hidden_size` and
        `channels` are shortcuts for those settings."""
        given = dict(settings or {})
        if hidden_size is not None:
            given["hidden_size"] = (hidden_size,)
        if channels is not None:
            given["channels"] = tuple(channels)
        cls = ARCHITECTURES.get(arch)
        merged = {s.key: s.default for s in cls.SETTINGS} if cls else {}
        merged.update({key: tuple(values) for key, values in given.items()})
        return ModelConfiguration(arch, input_size, latent_dim, tuple(sorted(merged.items())),
                                  tuple(geometry) if geometry is not None else None)

    def __getitem__(self, key):
        """The values of setting `key`, as metadata writes them (a tuple)."""
        return dict(self.settings)[key]

    @property
    def typed(self):
        """The settings as the architecture's dataclass (`MLPVAE.Settings(hidden_size=512)`, ...): a
        one-value setting as an int, a two-value one as a tuple. The counts must be the declared ones."""
        values = {key: v[0] if len(v) == 1 else tuple(v) for key, v in self.settings}
        return self.architecture.Settings(**values)

    @property
    def class_count(self):
        """C of a conditional model (its class_count setting), 0 for an unconditional one."""
        return dict(self.settings).get(CLASS_COUNT_KEY, (0,))[0]

    @property
    def image_geometry(self):
        """(height, width, channels): the declared geometry, or 28x28 for 784 inputs, a square for a
        perfect square, otherwise one row (ImageGeometry.inferred)."""
        if self.geometry is not None:
            return self.geometry
        n = self.input_size
        if n == 784:
            return (28, 28, 1)
        side = round(max(0, n) ** 0.5)
        return (side, side, 1) if side > 0 and side * side == n else (1, n, 1)

    @property
    def side(self):
        """The side of the square one-channel image that holds the input size, or None."""
        height, width, channels = self.image_geometry
        return height if height == width and channels == 1 and height * width == self.input_size else None

    def parameter_shapes(self):
        """{name: shape} of a model of this configuration, built on PyTorch's meta device: no memory of
        the model's size is allocated, so a file can be checked against it first."""
        with torch.device("meta"):
            model = self.architecture.from_config(self)
        return {name: list(t.shape) for name, t in model.state_dict().items()}

    @property
    def architecture(self):
        """The module class of `arch`; ValueError naming the known ones."""
        if self.arch not in ARCHITECTURES:
            raise ValueError(f"unknown architecture '{self.arch}' (known: {', '.join(ARCHITECTURES)})")
        return ARCHITECTURES[self.arch]

    def validate(self):
        """Raises ValueError with a one-line reason unless a model of this shape can be built."""
        cls = self.architecture
        if self.latent_dim not in LATENT_DIMENSIONS:
            raise ValueError(f"latent size {self.latent_dim} is outside 1...64")
        low, high = contract.INPUT_SIZE
        if not low <= self.input_size <= high:
            raise ValueError(f"input size {self.input_size} is outside {low}...{high}")
        for name, value in zip(("height", "width", "channels"), self.image_geometry):
            low, high = contract.GEOMETRY[name]
            if not low <= value <= high:
                raise ValueError(f"the image {name} {value} is outside {low}...{high}")
        height, width, channels = self.image_geometry
        if height * width * channels != self.input_size:
            raise ValueError(f"the image geometry {height}x{width}x{channels} does not hold the input size {self.input_size}")
        declared = {s.key for s in cls.SETTINGS}
        unknown = sorted(set(dict(self.settings)) - declared)
        if unknown:
            raise ValueError(f"{self.arch} has no setting '{unknown[0]}' (its settings: {', '.join(sorted(declared)) or 'none'})")
        for setting in cls.SETTINGS:
            setting.check(self[setting.key])
        cls.check(self)
        parameters = sum(math.prod(shape) for shape in self.parameter_shapes().values())
        if parameters > contract.MAXIMUM_PARAMETER_COUNT:
            raise ValueError(f"{self} has more than {contract.MAXIMUM_PARAMETER_COUNT} parameters")

    def __str__(self):
        """The architecture's description; by its name alone while a setting has the wrong number of
        values (a file not yet validated), since `describe` unpacks them."""
        cls = ARCHITECTURES.get(self.arch)
        if cls is None or any(len(dict(self.settings).get(s.key, ())) != len(s.default) for s in cls.SETTINGS):
            return self.arch
        return cls.describe(self)


class VAE(nn.Module):
    """What every architecture shares: `forward` is the loss, so that DistributedDataParallel, which
    synchronises gradients only through `forward`, wraps the whole training step.

    Each architecture declares, as its Swift twin: `NAME` (the `architecture` metadata), `SETTINGS`, its
    `Settings` dataclass (the same settings as one typed value, `config.typed`, field names the keys), and
    `from_config`, `configuration` (read off the built layers), `infer` (a configuration from the tensor
    shapes of a file without metadata, or None), `describe`, `check` when it needs more than the
    settings' ranges, and `fixture_model` (a small instance, every path used, for the fixtures the Swift
    tests compare with). `ARCHITECTURES` lists them.
    """

    NAME = ""
    SETTINGS = ()
    class_count = 0  # C of a conditional model; 0: encode(x) and decode(z) read no classes

    def forward(self, x, noise, classes=None):
        return loss_parts(self, x, noise, classes)

    @classmethod
    def check(cls, config):
        """Raises ValueError when the architecture cannot take `config`'s images."""

    @classmethod
    def fixture_model(cls):
        """A small model of this architecture for `fixtures.write_registered`."""
        raise NotImplementedError(f"{cls.NAME} declares no fixture_model")


class MLPVAE(VAE):
    """encoder: x [N] -> hidden ReLU [H] -> (mean, logvar) [L]; decoder: z [L] -> hidden ReLU [H] -> logits [N]."""

    NAME = "mlp"
    SETTINGS = (Setting.declared("mlp", "hidden_size"),)

    @dataclass(frozen=True)
    class Settings:
        """H, the width of the hidden layer on each side (MLPNetwork.Settings)."""
        hidden_size: int

    @classmethod
    def from_config(cls, config):
        return cls(z=config.latent_dim, h=config.typed.hidden_size, n=config.input_size)

    def configuration(self):
        e = self.encoder
        return ModelConfiguration.make(self.NAME, e.mean.out_features, e.hidden.out_features, e.hidden.in_features)

    @classmethod
    def infer(cls, shapes):
        hidden, mean = shapes.get("encoder.hidden.weight"), shapes.get("encoder.mean.weight")
        if hidden is None or mean is None or len(hidden) != 2 or len(mean) != 2:
            return None
        return ModelConfiguration.make(cls.NAME, mean[0], hidden[0], hidden[1])

    @classmethod
    def describe(cls, config):
        h, n = config.typed.hidden_size, config.input_size
        return f"mlp {n}-{h}-{config.latent_dim}-{h}-{n}"

    @classmethod
    def fixture_model(cls):
        return cls(z=3, h=6, n=12)

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

    NAME = "conv"
    SETTINGS = (Setting.declared("conv", "hidden_size"), Setting.declared("conv", "channels"))

    @dataclass(frozen=True)
    class Settings:
        """H and the channels (c1, c2) of the two convolutions (ConvNetwork.Settings)."""
        hidden_size: int
        channels: tuple

    @classmethod
    def check(cls, config):
        if config.side is None or config.side % 4:
            raise ValueError(f"the conv VAE needs square images with a side divisible by 4, not {config.input_size} pixels")

    @classmethod
    def from_config(cls, config):
        settings = config.typed
        return cls(z=config.latent_dim, h=settings.hidden_size, side=config.side, channels=settings.channels)

    def configuration(self):
        e = self.encoder
        return ModelConfiguration.make(self.NAME, e.mean.out_features, e.hidden.out_features, self.side ** 2,
                                       (e.conv1.out_channels, e.conv2.out_channels))

    @classmethod
    def infer(cls, shapes):
        names = ("encoder.conv1.weight", "encoder.conv2.weight", "encoder.hidden.weight", "encoder.mean.weight")
        if not all(name in shapes for name in names):
            return None
        conv1, conv2, hidden, mean = (shapes[name] for name in names)
        if (len(conv1), len(conv2), len(hidden), len(mean)) != (4, 4, 2, 2) or conv2[0] <= 0 or hidden[1] % conv2[0]:
            return None
        quarter = round((hidden[1] // conv2[0]) ** 0.5)
        if quarter * quarter * conv2[0] != hidden[1]:
            return None
        side = 4 * quarter
        return ModelConfiguration.make(cls.NAME, mean[0], hidden[0], side * side, (conv1[0], conv2[0]))

    @classmethod
    def describe(cls, config):
        settings = config.typed
        c1, c2 = settings.channels
        return f"conv {config.side}x{config.side} c{c1}-{c2}-{settings.hidden_size}-{config.latent_dim}"

    @classmethod
    def fixture_model(cls):
        return cls(z=2, h=5, side=8, channels=(2, 3))

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


class DeepMLPVAE(VAE):
    """The MLP with two hidden layers a side, widths H1 and H2 (DeepMLPNetwork.swift):

        encoder: x [N] -> hidden1 ReLU [H1] -> hidden2 ReLU [H2] -> (mean, logvar) [L]
        decoder: z [L] -> hidden1 ReLU [H2] -> hidden2 ReLU [H1] -> output [N] logits
    """

    NAME = "deep-mlp"
    SETTINGS = (Setting.declared("deep-mlp", "hidden_sizes"),)

    @dataclass(frozen=True)
    class Settings:
        """The widths (H1, H2) from the image in (DeepMLPNetwork.Settings)."""
        hidden_sizes: tuple

    @classmethod
    def fixture_model(cls):
        return cls(z=3, hidden_sizes=(7, 5), n=12)

    def __init__(self, z=2, hidden_sizes=(512, 256), n=784):
        super().__init__()
        h1, h2 = hidden_sizes
        self.encoder = nn.ModuleDict(dict(hidden1=nn.Linear(n, h1), hidden2=nn.Linear(h1, h2),
                                          mean=nn.Linear(h2, z), logvar=nn.Linear(h2, z)))
        self.decoder = nn.ModuleDict(dict(hidden1=nn.Linear(z, h2), hidden2=nn.Linear(h2, h1), output=nn.Linear(h1, n)))

    @classmethod
    def from_config(cls, config):
        return cls(z=config.latent_dim, hidden_sizes=config.typed.hidden_sizes, n=config.input_size)

    def configuration(self):
        e = self.encoder
        return ModelConfiguration.make(self.NAME, e.mean.out_features, input_size=e.hidden1.in_features,
                                       settings={"hidden_sizes": (e.hidden1.out_features, e.hidden2.out_features)})

    @classmethod
    def infer(cls, shapes):
        names = ("encoder.hidden1.weight", "encoder.hidden2.weight", "encoder.mean.weight")
        if not all(name in shapes for name in names):
            return None
        hidden1, hidden2, mean = (shapes[name] for name in names)
        if (len(hidden1), len(hidden2), len(mean)) != (2, 2, 2):
            return None
        return ModelConfiguration.make(cls.NAME, mean[0], input_size=hidden1[1], settings={"hidden_sizes": (hidden1[0], hidden2[0])})

    @classmethod
    def describe(cls, config):
        h1, h2 = config.typed.hidden_sizes
        n = config.input_size
        return f"{cls.NAME} {n}-{h1}-{h2}-{config.latent_dim}-{h2}-{h1}-{n}"

    def encode(self, x):
        e = self.encoder
        h = F.relu(e.hidden2(F.relu(e.hidden1(x))))
        return e.mean(h), e.logvar(h)

    def decode(self, z):
        d = self.decoder
        return d.output(F.relu(d.hidden2(F.relu(d.hidden1(z)))))


class CVAE(VAE):
    """The conditional VAE (CVAENetwork.swift): the MLP with the one-hot class y [C] joined to both inputs,

        encoder: [x, onehot(y)] [N + C] -> hidden ReLU [H] -> (mean, logvar) [L]
        decoder: [z, onehot(y)] [L + C] -> hidden ReLU [H] -> output [N] logits

    Its negative ELBO bounds -log p(x | y).
    """

    NAME = "cvae"
    SETTINGS = (Setting.declared("cvae", "hidden_size"), Setting.declared("cvae", CLASS_COUNT_KEY))

    @dataclass(frozen=True)
    class Settings:
        """H and C, the classes read as a one-hot vector (CVAENetwork.Settings)."""
        hidden_size: int
        class_count: int

    @classmethod
    def fixture_model(cls):
        return cls(z=3, h=6, n=12, c=4)

    def __init__(self, z=2, h=512, n=784, c=LETTER_CLASSES):
        super().__init__()
        self.class_count = c
        self.encoder = nn.ModuleDict(dict(hidden=nn.Linear(n + c, h), mean=nn.Linear(h, z), logvar=nn.Linear(h, z)))
        self.decoder = nn.ModuleDict(dict(hidden=nn.Linear(z + c, h), output=nn.Linear(h, n)))

    @classmethod
    def from_config(cls, config):
        settings = config.typed
        return cls(z=config.latent_dim, h=settings.hidden_size, n=config.input_size, c=settings.class_count)

    def configuration(self):
        e, c = self.encoder, self.class_count
        return ModelConfiguration.make(self.NAME, e.mean.out_features, e.hidden.out_features, e.hidden.in_features - c,
                                       settings={CLASS_COUNT_KEY: (c,)})

    @classmethod
    def infer(cls, shapes):
        """N from the output layer, C from the C more inputs both hidden layers read; None unless C > 0."""
        names = ("encoder.hidden.weight", "encoder.mean.weight", "decoder.hidden.weight", "decoder.output.weight")
        if not all(name in shapes for name in names):
            return None
        hidden, mean, decoder, output = (shapes[name] for name in names)
        n, z = output[0], mean[0]
        c = hidden[1] - n
        if c <= 0 or decoder[1] - z != c:
            return None
        return ModelConfiguration.make(cls.NAME, z, hidden[0], n, settings={CLASS_COUNT_KEY: (c,)})

    @classmethod
    def describe(cls, config):
        settings = config.typed
        h, n, c = settings.hidden_size, config.input_size, settings.class_count
        return f"cvae {n}+{c}-{h}-{config.latent_dim}+{c}-{h}-{n}"

    def one_hot(self, classes):
        return F.one_hot(classes.long(), self.class_count).to(torch.float32)

    def encode(self, x, classes):
        h = F.relu(self.encoder.hidden(torch.cat([x, self.one_hot(classes).to(x.device)], 1)))
        return self.encoder.mean(h), self.encoder.logvar(h)

    def decode(self, z, classes):
        return self.decoder.output(F.relu(self.decoder.hidden(torch.cat([z, self.one_hot(classes).to(z.device)], 1))))


ARCHITECTURES = {cls.NAME: cls for cls in (MLPVAE, ConvVAE, DeepMLPVAE, CVAE)}


def build(config: ModelConfiguration) -> nn.Module:
    """A freshly initialised model of `config` (PyTorch's default initialisation, from torch's seed)."""
    config.validate()
    return config.architecture.from_config(config)


def configuration_of(model: nn.Module) -> ModelConfiguration:
    """The configuration a model was built from, read off its layers."""
    return model.configuration()


def configuration_from_shapes(shapes):
    """The configuration of tensors without metadata, as VAEModel.inferConfiguration: the first
    architecture whose valid configuration has exactly the file's tensor names and shapes (an MLP and a
    CVAE share their names), or else the first that recognises some of them (loading names the
    difference). Nothing of the model's size is allocated."""
    candidates = [config for config in (cls.infer(shapes) for cls in ARCHITECTURES.values()) if config is not None]
    for config in candidates:
        try:
            config.validate()
        except ValueError:
            continue
        if config.parameter_shapes() == {name: list(shape) for name, shape in shapes.items()}:
            return config
    return candidates[0] if candidates else None


def loss_parts(model, x, noise, classes=None):
    """The VAE's loss of a batch, summed over its images, as (reconstruction, kl) scalars (`classes` [B],
    the class indices of a conditional model's images; None for an unconditional model):

        z              = mean + exp(logvar / 2) * noise                      (reparameterisation)
        reconstruction = sum over pixels of BCE(sigmoid(logits), x)          (Bernoulli likelihood, from logits)
        kl             = -1/2 sum over latents (1 + logvar - mean^2 - exp(logvar))

    x [B, N] in [0, 1], noise [B, L] ~ N(0, I). The training objective is (reconstruction + beta kl) / B.
    """
    given = () if classes is None else (classes,)
    if len(given) != (1 if model.class_count else 0):
        raise ValueError("a conditional model needs the classes" if model.class_count else "an unconditional model takes no classes")
    mean, logvar = model.encode(x, *given)
    z = mean + torch.exp(0.5 * logvar) * noise
    logits = model.decode(z, *given)
    reconstruction = F.binary_cross_entropy_with_logits(logits, x, reduction="sum")
    kl = -0.5 * torch.sum(1 + logvar - mean.pow(2) - logvar.exp())
    return reconstruction, kl
