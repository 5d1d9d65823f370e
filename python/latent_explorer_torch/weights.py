"""LatentExplorer weight files: safetensors whose tensors are a state dict of `models` and whose
`__metadata__` is the Swift program's (format "latent-explorer-vae", version 3; every value a string).

Reading accepts files of versions 1...3 with our metadata, and files without it (a plain
`save_file(model.state_dict())`), whose configuration is read from the tensor names and shapes, as
`WeightsFile.load` does. Writing is atomic: a temporary file in the same folder, renamed over the target.
"""
import json
import os
import tempfile

import torch
from safetensors import safe_open
from safetensors.torch import load_file, save

from . import models
from .models import ModelConfiguration, build

FORMAT_NAME = "latent-explorer-vae"
FORMAT_VERSION = 3
LIKELIHOOD = "bernoulli"


class WeightsError(Exception):
    """A weight file that cannot be read or written, with a one-line reason."""


def loss_strings(prefix, reconstruction, kl):
    """`<prefix>_neg_elbo`, `_reconstruction`, `_kl` with four decimals, as the Swift program writes them."""
    return {f"{prefix}_neg_elbo": f"{reconstruction + kl:.4f}", f"{prefix}_reconstruction": f"{reconstruction:.4f}",
            f"{prefix}_kl": f"{kl:.4f}"}


def decimal(value):
    """A number as a short decimal string: 1.0 -> "1", 0.25 -> "0.25"."""
    return format(float(value), "g")


def metadata(config: ModelConfiguration, **fields):
    """Our metadata for a model of `config`, plus `fields` (already strings, or None to leave out)."""
    out = {"format": FORMAT_NAME, "format_version": str(FORMAT_VERSION), "architecture": config.arch,
           "input_size": str(config.input_size),
           "latent_dim": str(config.latent_dim), "image_channels": "1", "likelihood": LIKELIHOOD}
    out.update({key: ",".join(str(v) for v in values) for key, values in config.settings})
    # Geometry: square grey images (every data set read here is 28x28x1); a non-square size is one row.
    height, width = (config.side, config.side) if config.side else (1, config.input_size)
    out.update(image_height=str(height), image_width=str(width))
    out.update({key: value for key, value in fields.items() if value is not None})
    return out


def configuration_from_metadata(meta, path):
    try:
        version = int(meta.get("format_version", ""))
    except ValueError:
        raise WeightsError(f"{path}: the metadata has no format_version") from None
    if not 1 <= version <= FORMAT_VERSION:
        raise WeightsError(f"{path}: format version {version} is newer than this program reads (up to {FORMAT_VERSION})")
    try:
        arch = meta.get("architecture", "")
        cls = models.ARCHITECTURES.get(arch)
        if cls is None:
            raise ValueError(f"unknown architecture '{arch}' (known: {', '.join(models.ARCHITECTURES)})")
        settings = {s.key: tuple(int(v) for v in meta[s.key].split(",")) for s in cls.SETTINGS if s.key in meta}
        return ModelConfiguration.make(arch, int(meta["latent_dim"]), input_size=int(meta["input_size"]), settings=settings)
    except (KeyError, ValueError) as error:
        raise WeightsError(f"{path}: the metadata is incomplete or not understood ({error})") from None


def configuration_from_shapes(shapes, path):
    """The configuration of a file without our metadata, from its tensor names and shapes."""
    config = models.configuration_from_shapes(shapes)
    if config is None:
        raise WeightsError(f"{path}: it has no LatentExplorer metadata, and its tensors are not a known architecture")
    return config


def load(path):
    """(model, metadata) of a weight file written by either program."""
    try:
        with safe_open(path, "pt") as f:
            meta = f.metadata() or {}
            shapes = {name: list(f.get_slice(name).get_shape()) for name in f.keys()}
        tensors = load_file(path)
    except FileNotFoundError:
        raise WeightsError(f"{path}: no such file") from None
    except (KeyboardInterrupt, SystemExit):
        raise
    except BaseException as error:  # safetensors' own errors, and a panic of its Rust core (a BaseException)
        raise WeightsError(f"{path}: not a safetensors file ({str(error).splitlines()[0]})") from None
    config = configuration_from_metadata(meta, path) if meta.get("format") == FORMAT_NAME else configuration_from_shapes(shapes, path)
    try:
        model = build(config)
        model.load_state_dict(tensors)
    except (ValueError, RuntimeError) as error:
        raise WeightsError(f"{path}: its tensors do not fit {config} ({str(error).splitlines()[0]})") from None
    return model, meta


def save_atomically(model, meta, path):
    """Writes the model's state dict with `meta` to a temporary file beside `path`, then renames it."""
    tensors = {name: tensor.detach().to("cpu", torch.float32).contiguous() for name, tensor in model.state_dict().items()}
    data = save(tensors, metadata=meta)
    folder = os.path.dirname(os.path.abspath(path))
    try:
        descriptor, temporary = tempfile.mkstemp(prefix=".latent-explorer-", suffix=".tmp", dir=folder)
    except OSError as error:
        raise WeightsError(f"{path}: cannot write in {folder} ({error.strerror})") from None
    try:
        with os.fdopen(descriptor, "wb") as f:
            f.write(data)
            f.flush()
            os.fsync(f.fileno())
        os.chmod(temporary, 0o644)
        os.replace(temporary, path)
    except OSError as error:
        os.unlink(temporary)
        raise WeightsError(f"{path}: cannot write ({error.strerror})") from None


def class_list(names):
    """The `classes` value: a JSON array of class names in label order."""
    return json.dumps(list(names))
