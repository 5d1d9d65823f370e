"""The PyTorch-made files the Swift tests read (Tests/VAETests/Fixtures), written by
`latent-explorer-torch fixture Tests/VAETests/Fixtures`; `tests/test_fixtures.py` checks that the
code here still writes what is committed.

- `torch-{conv,mlp}.safetensors` (`PyTorchInteropTests`): small models saved with
  `save_file(state_dict)`, no LatentExplorer metadata, with PyTorch's outputs for fixed inputs in the
  metadata: encoder means and log-variances of images, pixels decoded from latent points.
- `torch-step-{conv,mlp}.safetensors` (`PyTorchEquivalenceTests`): one training step. Tensors
  `weights.<name>` (the model), `batch.x` [B, N] and `batch.noise` [B, L] (the reparameterisation's
  eps), `grad.<name>` (d(batch-mean loss)/d(parameter)) and `after.<name>` (the parameters after one
  Adam step, lr 1e-3, PyTorch's defaults); metadata `loss_reconstruction`, `loss_kl` (summed over the
  batch, before the step) and `after_reconstruction`, `after_kl` (the same batch and noise, after it).
- `torch-cvae.safetensors` and `torch-step-cvae.safetensors`: the same for the conditional VAE, whose
  inputs also have classes: metadata `fixture_classes` (of the images) and `fixture_z_classes` (of the
  latent points), tensor `batch.classes` [B] (class indices as float32). Made from a seed of their
  own, so that adding them left the other fixtures as they were.
- `torch-{conv,mlp}-{f16,bf16,f64}.safetensors` (`PyTorchInteropTests`): the interop models as PyTorch
  saves them after `model.half()`, `model.bfloat16()` and `model.double()`, with the outputs of those
  weights (rounded to the dtype) computed in F32 in the metadata: the Swift program converts each dtype
  to F32 at load and must give these outputs.
- `torch-<name>.safetensors` and `torch-step-<name>.safetensors` of every other architecture in
  `ARCHITECTURES` (`write_registered`): the same two fixtures for its twin's `fixture_model()`, from a
  seed of its own (the CRC-32 of its name), so that each architecture added leaves the others' files as
  they were. The Swift tests loop over the registry and fail for an architecture without them.
- Every step fixture carries the model's LatentExplorer metadata (`architecture`, its settings): an
  architecture whose tensors are another's (a LeakyReLU MLP has the MLP's) is told by it. An interop
  file carries it only when its tensor shapes alone would be read as another configuration.
- `torch-split.json` (`PyTorchEquivalenceTests`): labels, a held-out fraction and a seed, with the
  indices `swift_random.stratified_split` holds out and the first draws of `swift_random.gaussians`:
  the Swift trainer must hold out the same images and draw the same noise.
"""
import copy
import json
import os
import zlib

import numpy as np
import torch
from safetensors.torch import save_file

from . import weights
from .models import ARCHITECTURES, CVAE, ConvVAE, MLPVAE, configuration_from_shapes, loss_parts
from .swift_random import gaussians, stratified_split

INTEROP_SEED, STEP_SEED = 0, 1
CONDITIONAL_SEED = 2
SEEDED_BY_HAND = ("conv", "mlp", "cvae")  # written before the registry loop, from the seeds above
STEP_BATCH = 4
STEP_LEARNING_RATE = 1e-3
WEIGHT_RANGE = 0.5  # larger than PyTorch's initial weights, so that every path matters
INTEROP_WEIGHT_RANGE = 0.6  # the interop fixtures' weights are drawn from ±this
SPLIT_CASE = dict(seed=3, fraction=0.1, class_sizes=[1, 5, 15, 25, 40, 7, 64], gaussian_seed=0, gaussian_count=64)


def small_models():
    """(name, model, pixels) of the conv and mlp fixtures: their `fixture_model()`s, built in this order."""
    models = [("conv", ConvVAE.fixture_model()), ("mlp", MLPVAE.fixture_model())]
    return [(name, model, model.configuration().input_size) for name, model in models]


def conditional_model():
    """The small conditional model of the cvae fixtures: `CVAE.fixture_model()`."""
    return CVAE.fixture_model()


def _tensors(model, prefix=""):
    return {prefix + k: v.detach().clone().contiguous() for k, v in model.state_dict().items()}


def _randomise(model, bound):
    """Every parameter drawn from U(-bound, bound), in the module's order (the fixtures' seeds rely on it)."""
    with torch.no_grad():
        for p in model.parameters():
            p.uniform_(-bound, bound)


def write_interop(folder):
    """Small models saved by PyTorch, with PyTorch's own outputs for fixed inputs in the metadata."""
    torch.manual_seed(INTEROP_SEED)
    for name, model, n in small_models():
        with torch.no_grad():
            _randomise(model, INTEROP_WEIGHT_RANGE)
            x = torch.rand(2, n)
            mean, logvar = model.encode(x)
            z = torch.randn(3, mean.shape[1])
            pixels = torch.sigmoid(model.decode(z))
        meta = {"fixture_x": json.dumps(x.flatten().tolist()), "fixture_mean": json.dumps(mean.flatten().tolist()),
                "fixture_logvar": json.dumps(logvar.flatten().tolist()), "fixture_z": json.dumps(z.flatten().tolist()),
                "fixture_pixels": json.dumps(pixels.flatten().tolist()), "made_by": f"torch {torch.__version__}"}
        save_file(_tensors(model), os.path.join(folder, f"torch-{name}.safetensors"), metadata=meta)


def write_conditional(folder):
    """The cvae's interop and training-step fixtures, from `CONDITIONAL_SEED`."""
    torch.manual_seed(CONDITIONAL_SEED)
    model = conditional_model()
    config = model.configuration()
    pixels_per_image, latent_size = config.input_size, config.latent_dim
    with torch.no_grad():
        _randomise(model, INTEROP_WEIGHT_RANGE)
        x = torch.rand(2, pixels_per_image)
        classes = torch.tensor([3, 1])
        mean, logvar = model.encode(x, classes)
        z = torch.randn(3, latent_size)
        z_classes = torch.tensor([0, 2, 3])
        pixels = torch.sigmoid(model.decode(z, z_classes))
    meta = {"fixture_x": json.dumps(x.flatten().tolist()), "fixture_classes": json.dumps(classes.tolist()),
            "fixture_mean": json.dumps(mean.flatten().tolist()), "fixture_logvar": json.dumps(logvar.flatten().tolist()),
            "fixture_z": json.dumps(z.flatten().tolist()), "fixture_z_classes": json.dumps(z_classes.tolist()),
            "fixture_pixels": json.dumps(pixels.flatten().tolist()), "made_by": f"torch {torch.__version__}"}
    save_file(_tensors(model), os.path.join(folder, "torch-cvae.safetensors"), metadata=meta)

    _randomise(model, WEIGHT_RANGE)
    x = torch.rand(STEP_BATCH, pixels_per_image)
    noise = torch.randn(STEP_BATCH, latent_size)
    batch_classes = torch.tensor([2, 0, 3, 2])  # one class twice, one never: its columns get no gradient
    tensors = _tensors(model, "weights.")
    tensors.update({"batch.x": x, "batch.noise": noise, "batch.classes": batch_classes.to(torch.float32)})
    before, gradients, after = training_step(model, x, noise, classes=batch_classes)
    tensors.update({f"grad.{k}": v.contiguous() for k, v in gradients.items()})
    tensors.update(_tensors(model, "after."))
    save_file(tensors, os.path.join(folder, "torch-step-cvae.safetensors"), metadata=step_metadata(model, before, after))


DTYPES = {"f16": torch.float16, "bf16": torch.bfloat16, "f64": torch.float64}


def write_dtypes(folder):
    """The interop models saved in each floating-point dtype PyTorch writes, with the outputs of the
    rounded weights (computed in F32, as the Swift program computes after converting at load)."""
    torch.manual_seed(INTEROP_SEED)
    for name, model, n in small_models():
        with torch.no_grad():
            _randomise(model, INTEROP_WEIGHT_RANGE)
            x = torch.rand(2, n)
            z = torch.randn(3, model.encoder.mean.out_features)
            for suffix, dtype in DTYPES.items():
                saved = {k: v.to(dtype).contiguous() for k, v in model.state_dict().items()}
                rounded = copy.deepcopy(model)  # not a new module: its initialisation would draw from the seed
                rounded.load_state_dict({k: v.to(torch.float32) for k, v in saved.items()})
                mean, logvar = rounded.encode(x)
                pixels = torch.sigmoid(rounded.decode(z))
                meta = {"fixture_x": json.dumps(x.flatten().tolist()), "fixture_mean": json.dumps(mean.flatten().tolist()),
                        "fixture_logvar": json.dumps(logvar.flatten().tolist()), "fixture_z": json.dumps(z.flatten().tolist()),
                        "fixture_pixels": json.dumps(pixels.flatten().tolist()), "made_by": f"torch {torch.__version__}"}
                save_file(saved, os.path.join(folder, f"torch-{name}-{suffix}.safetensors"), metadata=meta)


def training_step(model, x, noise, learning_rate=STEP_LEARNING_RATE, classes=None):
    """One step of the training loop on `model`: the loss parts before, the gradients, then one Adam
    step, and the loss parts of the same batch and noise after it (`classes`: a conditional model's)."""
    reconstruction, kl = loss_parts(model, x, noise, classes)
    model.zero_grad()
    ((reconstruction + kl) / x.shape[0]).backward()
    gradients = {name: p.grad.detach().clone() for name, p in model.named_parameters()}
    optimizer = torch.optim.Adam(model.parameters(), lr=learning_rate)
    optimizer.step()
    with torch.no_grad():
        after = loss_parts(model, x, noise, classes)
    return (float(reconstruction.detach()), float(kl.detach())), gradients, tuple(float(v) for v in after)


def step_metadata(model, before, after):
    """A step fixture's metadata: the losses before and after the step, and the model's own metadata."""
    meta = weights.metadata(model.configuration())
    meta.update({"loss_reconstruction": repr(before[0]), "loss_kl": repr(before[1]),
                 "after_reconstruction": repr(after[0]), "after_kl": repr(after[1]),
                 "learning_rate": repr(STEP_LEARNING_RATE), "made_by": f"torch {torch.__version__}"})
    return meta


def write_registered_interop(folder, name, model):
    """`torch-<name>.safetensors`: random weights and PyTorch's outputs for fixed inputs (with classes for
    a conditional model), our metadata only when the shapes alone name another configuration."""
    config = model.configuration()
    n, z_size, c = config.input_size, config.latent_dim, model.class_count
    with torch.no_grad():
        _randomise(model, INTEROP_WEIGHT_RANGE)
        x = torch.rand(2, n)
        classes = torch.arange(2) % c if c else None
        mean, logvar = model.encode(x, *([classes] if c else []))
        z = torch.randn(3, z_size)
        z_classes = torch.arange(3) % c if c else None
        pixels = torch.sigmoid(model.decode(z, *([z_classes] if c else [])))
    state = _tensors(model)
    meta = {} if configuration_from_shapes({k: list(v.shape) for k, v in state.items()}) == config else weights.metadata(config)
    meta.update({"fixture_x": json.dumps(x.flatten().tolist()), "fixture_mean": json.dumps(mean.flatten().tolist()),
                 "fixture_logvar": json.dumps(logvar.flatten().tolist()), "fixture_z": json.dumps(z.flatten().tolist()),
                 "fixture_pixels": json.dumps(pixels.flatten().tolist()), "made_by": f"torch {torch.__version__}"})
    if c:
        meta.update(fixture_classes=json.dumps(classes.tolist()), fixture_z_classes=json.dumps(z_classes.tolist()))
    save_file(state, os.path.join(folder, f"torch-{name}.safetensors"), metadata=meta)


def write_registered_step(folder, name, model):
    """`torch-step-<name>.safetensors`: one training step of `model` on a random batch."""
    config = model.configuration()
    _randomise(model, WEIGHT_RANGE)
    x = torch.rand(STEP_BATCH, config.input_size)
    noise = torch.randn(STEP_BATCH, config.latent_dim)
    classes = torch.arange(STEP_BATCH) % model.class_count if model.class_count else None
    tensors = _tensors(model, "weights.")
    tensors.update({"batch.x": x, "batch.noise": noise})
    if classes is not None:
        tensors["batch.classes"] = classes.to(torch.float32)
    before, gradients, after = training_step(model, x, noise, classes=classes)
    tensors.update({f"grad.{k}": v.contiguous() for k, v in gradients.items()})
    tensors.update(_tensors(model, "after."))
    save_file(tensors, os.path.join(folder, f"torch-step-{name}.safetensors"), metadata=step_metadata(model, before, after))


def write_registered(folder):
    """The interop and step fixtures of every architecture not in `SEEDED_BY_HAND`, each from the CRC-32
    of its name as seed and its twin's small `fixture_model()`."""
    for name, cls in ARCHITECTURES.items():
        if name in SEEDED_BY_HAND:
            continue
        torch.manual_seed(zlib.crc32(name.encode()))
        write_registered_interop(folder, name, cls.fixture_model())
        write_registered_step(folder, name, cls.fixture_model())


def write_steps(folder):
    torch.manual_seed(STEP_SEED)
    for name, model, _ in small_models():
        write_registered_step(folder, name, model)


def split_case():
    """The labels of the split fixture: classes of uneven sizes (one image, halves that round), shuffled."""
    case = SPLIT_CASE
    labels = np.concatenate([np.full(size, label) for label, size in enumerate(case["class_sizes"], 1)])
    np.random.default_rng(case["seed"]).shuffle(labels)
    _, held_out = stratified_split(labels, case["fraction"], case["seed"])
    return {"labels": labels.tolist(), "fraction": case["fraction"], "seed": case["seed"], "held_out": held_out.tolist(),
            "gaussian_seed": case["gaussian_seed"],
            "gaussians": [float(v) for v in gaussians(case["gaussian_seed"], case["gaussian_count"])]}


def write_split(folder):
    with open(os.path.join(folder, "torch-split.json"), "w") as f:
        json.dump(split_case(), f)
        f.write("\n")


def write_all(folder):
    os.makedirs(folder, exist_ok=True)
    write_interop(folder)
    write_dtypes(folder)
    write_steps(folder)
    write_conditional(folder)
    write_registered(folder)
    write_split(folder)
