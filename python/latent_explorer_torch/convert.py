"""`latent-explorer-torch convert IN --out OUT.safetensors`: models trained elsewhere, in our format.

Reads, without running any code from the file:
- a PyTorch state dict (`.pt`/`.pth` from `torch.save(model.state_dict())`), loaded with
  `torch.load(weights_only=True)`; a checkpoint dict holding one under `state_dict` or
  `model_state_dict`; DistributedDataParallel's `module.` prefix is dropped;
- in our module names (any architecture) or pytorch/examples' VAE layout (`vae/main.py`: fc1, fc21
  the mean, fc22 the log-variance, fc3, fc4), which is our MLP;
- a safetensors file of either;
- a Keras `.h5` MLP VAE like the Keras blog's (Dense 784->H, two Dense H->L heads, Dense L->H, Dense
  H->784), read with h5py: the Dense layers are mapped by their kernels' shapes, and the two heads by
  their names (mean: `mean`/`mu`; log-variance: `var`/`sigma`/`std`), else by order (the first is the mean).
Anything else is refused in one line that lists what is supported.
"""
import os
import re

import numpy as np
import torch

from . import models, weights

SUPPORTED = ("supported: a PyTorch state dict (.pt/.pth, read with torch.load(weights_only=True)) or a safetensors file, "
             "in LatentExplorer's module names or pytorch/examples' VAE layout (fc1, fc21, fc22, fc3, fc4), "
             "or a Keras .h5 MLP VAE (Dense N->H, two Dense H->L heads, Dense L->H, Dense H->N)")

# pytorch/examples' module names and ours (the Swift program's PyTorchExamplesLayout).
EXAMPLES_LAYOUT = {"fc1": "encoder.hidden", "fc21": "encoder.mean", "fc22": "encoder.logvar",
                   "fc3": "decoder.hidden", "fc4": "decoder.output"}

HDF5_SIGNATURE = b"\x89HDF\r\n\x1a\n"


class ConvertError(Exception):
    """A file that cannot be converted, with a one-line reason."""


def _refuse(path, reason):
    return ConvertError(f"{path}: {reason}; {SUPPORTED}")


def _from_state_dict(tensors, path):
    """(model, how) from a dict of tensors in our names or pytorch/examples'."""
    if not tensors or not all(isinstance(t, torch.Tensor) for t in tensors.values()):
        raise _refuse(path, "it does not hold a dict of tensors")
    tensors = {name[len("module."):] if name.startswith("module.") else name: t.detach().to(torch.float32)
               for name, t in tensors.items()}
    how = "LatentExplorer's module names"
    if {name.rsplit(".", 1)[0] for name in tensors} == set(EXAMPLES_LAYOUT) and len(tensors) == 2 * len(EXAMPLES_LAYOUT):
        tensors = {EXAMPLES_LAYOUT[name.rsplit(".", 1)[0]] + "." + name.rsplit(".", 1)[1]: t for name, t in tensors.items()}
        how = "pytorch/examples' VAE layout (fc1, fc21 mean, fc22 log-variance, fc3, fc4)"
    config = models.configuration_from_shapes({name: list(t.shape) for name, t in tensors.items()})
    if config is None:
        names = ", ".join(sorted(tensors)[:6]) + (", ..." if len(tensors) > 6 else "")
        raise _refuse(path, f"its tensors ({names}) are not a known layout")
    model = models.build(config)
    try:
        model.load_state_dict(tensors)
    except RuntimeError as error:
        raise _refuse(path, f"its tensors do not fit {config} ({str(error).splitlines()[0]})") from None
    return model, how


def _read_torch(path):
    try:
        loaded = torch.load(path, map_location="cpu", weights_only=True)
    except Exception as error:  # the unpickler's refusal of code, a corrupt archive, ...
        first = str(error).splitlines()[0] if str(error) else type(error).__name__
        if "weights_only" in str(error) or "Unsupported global" in str(error):
            raise _refuse(path, "it holds pickled Python objects, not only tensors (a whole model?): "
                                "save model.state_dict() instead") from None
        raise _refuse(path, f"torch.load could not read it ({first})") from None
    if isinstance(loaded, dict):
        for key in ("state_dict", "model_state_dict", "model"):
            if isinstance(loaded.get(key), dict):
                loaded = loaded[key]
                break
    if not isinstance(loaded, dict):
        raise _refuse(path, f"torch.load gave a {type(loaded).__name__}, not a state dict")
    return _from_state_dict(loaded, path)


def _natural_key(text):
    """dense_2 before dense_10: Keras numbers layers in the order they were made."""
    return [int(part) if part.isdigit() else part for part in re.split(r"(\d+)", text)]


def _keras_dense_layers(path):
    """[(layer name, kernel [in, out], bias [out])] of every Dense-like layer in a Keras .h5 file."""
    import h5py
    found = {}
    try:
        with h5py.File(path, "r") as f:
            root = f["model_weights"] if "model_weights" in f else f

            def visit(name, item):
                if not isinstance(item, h5py.Dataset):
                    return
                leaf = name.rsplit("/", 1)[-1].split(":")[0]
                parent = name.rsplit("/", 1)[0] if "/" in name else ""
                if leaf in ("kernel", "bias") or (parent.endswith("/vars") and leaf in ("0", "1")):
                    layer = parent[:-len("/vars")] if parent.endswith("/vars") else parent
                    role = "kernel" if leaf in ("kernel", "0") else "bias"
                    found.setdefault(layer, {})[role] = np.array(item, dtype=np.float32)
            root.visititems(visit)
    except OSError as error:
        raise _refuse(path, f"h5py could not read it ({str(error).splitlines()[0]})") from None
    layers = []
    for layer in sorted(found, key=_natural_key):
        parts = found[layer]
        kernel, bias = parts.get("kernel"), parts.get("bias")
        if kernel is None or bias is None or kernel.ndim != 2 or bias.shape != (kernel.shape[1],):
            raise _refuse(path, f"layer {layer} is not a Dense layer with a kernel and a bias")
        # Keras' nested groups repeat the layer's name (dense_1/dense_1): keep the last distinct part.
        layers.append((layer.split("/")[-1], kernel, bias))
    return layers


MEAN_WORDS, LOG_VARIANCE_WORDS = ("mean", "mu"), ("var", "sigma", "std")


def _read_keras(path):
    layers = _keras_dense_layers(path)
    if len(layers) != 5:
        raise _refuse(path, f"it has {len(layers)} Dense layers; an MLP VAE has 5")
    shapes = [kernel.shape for _, kernel, _ in layers]
    heads = [i for i, s in enumerate(shapes) if shapes.count(s) == 2]
    if len(heads) != 2:
        raise _refuse(path, "no two Dense layers of the same shape (the mean and log-variance heads)")
    hidden, latent = shapes[heads[0]]
    rest = [i for i in range(5) if i not in heads]
    by_shape = {shapes[i]: i for i in rest}
    encoder = next((i for i in rest if shapes[i][1] == hidden and shapes[i][0] != latent), None)
    decoder_hidden = by_shape.get((latent, hidden))
    inputs = shapes[encoder][0] if encoder is not None else None
    decoder_output = by_shape.get((hidden, inputs))
    if None in (encoder, decoder_hidden, decoder_output) or len({encoder, decoder_hidden, decoder_output}) != 3:
        raise _refuse(path, "its Dense layers' shapes " + ", ".join(f"{a}x{b}" for a, b in shapes) + " are not N-H, H-L, H-L, L-H, H-N")

    def says(name, words):
        return any(word in name.lower() for word in words)
    first, second = (layers[i][0] for i in heads)
    if says(first, MEAN_WORDS) and says(second, LOG_VARIANCE_WORDS) or says(first, LOG_VARIANCE_WORDS) and says(second, MEAN_WORDS):
        mean, log_variance = (heads[0], heads[1]) if says(first, MEAN_WORDS) else (heads[1], heads[0])
        chosen = f"mean {layers[mean][0]} and log-variance {layers[log_variance][0]} by their names"
    else:
        mean, log_variance = heads
        chosen = f"mean {layers[mean][0]} and log-variance {layers[log_variance][0]} by their order (the names do not say)"
    roles = {"encoder.hidden": encoder, "encoder.mean": mean, "encoder.logvar": log_variance,
             "decoder.hidden": decoder_hidden, "decoder.output": decoder_output}
    config = models.ModelConfiguration.make("mlp", int(latent), int(hidden), int(inputs))
    model = models.build(config)
    tensors = {}
    for ours, index in roles.items():
        _, kernel, bias = layers[index]
        tensors[ours + ".weight"] = torch.from_numpy(np.ascontiguousarray(kernel.T))  # Keras [in, out], nn.Linear [out, in]
        tensors[ours + ".bias"] = torch.from_numpy(bias)
    model.load_state_dict(tensors)
    names = ", ".join(f"{layers[i][0]} -> {ours}" for ours, i in roles.items())
    return model, f"a Keras MLP VAE ({names}; {chosen})"


def _read_safetensors(path):
    from safetensors.torch import load_file
    try:
        tensors = load_file(path)
    except (KeyboardInterrupt, SystemExit):
        raise
    except BaseException as error:
        raise _refuse(path, f"not a readable safetensors file ({str(error).splitlines()[0]})") from None
    return _from_state_dict(tensors, path)


def read(path):
    """(model, how it was read) for the file at `path`, recognised from its first bytes."""
    try:
        with open(path, "rb") as f:
            head = f.read(8)
    except FileNotFoundError:
        raise ConvertError(f"{path}: no such file") from None
    except OSError as error:
        raise ConvertError(f"{path}: cannot read it ({error.strerror})") from None
    if head == HDF5_SIGNATURE:
        return _read_keras(path)
    if head.startswith(b"PK\x03\x04") or (len(head) >= 2 and head[0] == 0x80 and 2 <= head[1] <= 5):
        return _read_torch(path)
    if len(head) == 8 and 2 <= int.from_bytes(head, "little") <= os.path.getsize(path) - 8:
        return _read_safetensors(path)
    raise _refuse(path, "it is not a PyTorch, safetensors or HDF5 file")


def convert(source, out, force=False):
    """Reads `source`, writes our weight file to `out`; returns the lines to print."""
    model, how = read(source)
    config = models.configuration_of(model)
    if os.path.exists(out) and not force:
        raise ConvertError(f"{out}: it exists; name another file, or give --force to replace it")
    meta = weights.metadata(config, dataset="unknown",
                            data_note=f"converted from {os.path.basename(source)} ({how}) by latent-explorer-torch convert")
    weights.save_atomically(model, meta, out, force=force)
    return [f"Read {source} as {how}: {config}", f"Wrote {out}"]
