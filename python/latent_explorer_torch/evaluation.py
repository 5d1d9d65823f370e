"""Scores as the Swift program computes them (`Inference.negativeELBO`): the negative ELBO per image in
nats, one sample of z per image, with the noise of `SeededGenerator(seed: 0)` drawn image after image,
so that PyTorch and Swift score a file on the same noise and their figures differ only by rounding."""
import numpy as np
import torch

from .models import loss_parts
from .swift_random import gaussians

EVAL_SEED = 0
EVAL_BATCH = 512


def swift_noise(count, latent_dim, seed=EVAL_SEED):
    """[count, latent_dim] float32: the noise the Swift program draws to score `count` images."""
    return gaussians(seed, count * latent_dim).reshape(count, latent_dim)


def to_unit(pixels, device):
    """uint8 pixels [B, N] -> float32 in [0, 1] on `device`."""
    return torch.as_tensor(pixels).to(device=device, dtype=torch.float32) / 255


@torch.no_grad()
def negative_elbo(model, images, context, noise=None, classes=None):
    """(reconstruction, kl) per image over `images`, each rank scoring an equal share of the images and
    the sums added over all ranks, so every rank gets the same figures. A conditional model's `classes`
    (int64 [len(images)], `classes.indices`) go with the images; its figure bounds -log p(x | y)."""
    count = len(images)
    if count == 0:
        return 0.0, 0.0
    if noise is None:
        noise = swift_noise(count, model.encoder.mean.out_features)
    share = -(-count // context.world)
    start, end = min(count, context.rank * share), min(count, (context.rank + 1) * share)
    reconstruction = kl = 0.0
    was_training = model.training
    model.eval()
    for first in range(start, end, EVAL_BATCH):
        last = min(first + EVAL_BATCH, end)
        x = to_unit(images.pixels[first:last], context.device)
        eps = torch.as_tensor(np.ascontiguousarray(noise[first:last])).to(context.device)
        y = None if classes is None else torch.as_tensor(classes[first:last]).to(context.device)
        r, k = loss_parts(model, x, eps, y)
        reconstruction += float(r)
        kl += float(k)
    model.train(was_training)
    reconstruction, kl = context.all_sum([reconstruction, kl])
    return reconstruction / count, kl / count
