"""The training loop of the Swift trainer (Sources/VAE/Training/Trainer.swift), on PyTorch's distributed
engine: the same validation split, objective, optimiser and early stopping, with the mini-batches of
one global batch spread over the processes.

- Validation: `validation_fraction` of each class of the training split, held out by the Swift
  trainer's own seeded draw (`swift_random.stratified_split`): the same images. It is scored after
  every epoch with the Swift program's noise, each rank scoring a share and the sums added over all
  ranks, so every rank sees the same figure and takes the same decision.
- Early stopping: an epoch improves when its validation loss is below the best so far; after
  `patience` epochs without improvement (and before the last epoch) training stops; the best epoch's
  weights are kept. Without validation (`validation_fraction` 0) the last epoch is kept.
- Mini-batches: `batch_size` is the global batch. A `DistributedSampler` (seeded by `seed`, reseeded
  each epoch with `set_epoch`) deals each rank every world-th image of one permutation, so with W
  ranks each takes batch_size / W images a step and the images of a step are those of a one-process
  step of the same permutation. Every rank draws the noise of the whole global step from one
  generator seeded by `seed` and uses its own rows, so the noise does not depend on W either.
- Objective: (reconstruction + beta KL) / B per rank; DistributedDataParallel averages the gradients,
  which is the gradient of the global batch mean. Adam with PyTorch's defaults (lr 1e-3).
- Learning-rate schedule (`lr_plateau`, the Swift trainer's `LearningRateSchedule`): after
  `lr_plateau` epochs in a row without a better validation loss, Adam's rate is multiplied by
  `lr_factor` and the count starts again (an improvement starts it again too); early stopping counts
  on its own from the best epoch. 0: a constant rate.
- The reported training loss is the negative ELBO per image (reconstruction + KL), summed over all
  ranks; images the sampler repeats to even out the ranks train but are not counted.
"""
import math
import time
from dataclasses import dataclass, field

import torch
from torch.nn.parallel import DistributedDataParallel
from torch.utils.data import DistributedSampler

from .evaluation import negative_elbo, swift_noise, to_unit
from .swift_random import stratified_split


@dataclass
class TrainingOptions:
    epochs: int = 10
    batch_size: int = 128
    learning_rate: float = 1e-3
    patience: int = 4
    validation_fraction: float = 0.1
    seed: int = 0
    beta: float = 1.0
    lr_plateau: int = 0
    lr_factor: float = 0.5


@dataclass
class EpochSummary:
    epoch: int
    train_loss: float
    validation: tuple  # (reconstruction, kl) per image, or None
    seconds: float
    samples_per_second: float
    improved: bool
    learning_rate: float = 0.0  # Adam's rate at the end of the epoch, after any cut this epoch caused


@dataclass
class Outcome:
    reason: str  # "completed", "early-stopped" or "diverged: ..."
    epochs_run: int
    best_epoch: int = 0
    best_validation: tuple = None
    history: list = field(default_factory=list)
    train_count: int = 0
    validation_count: int = 0


def split_for_validation(train, fraction, seed):
    """(training images, validation images) as the Swift trainer divides the training split."""
    if fraction == 0:
        return train, train.subset([])
    kept, held_out = stratified_split(train.labels, fraction, seed)
    return train.subset(kept), train.subset(held_out)


def train(model, images, options: TrainingOptions, context, log=print, class_of=None):
    """Trains `model` (already on `context.device`) on `images`; on return it holds the chosen weights.
    A conditional model needs `class_of`: labels -> class indices (`classes.indices` bound to its names),
    so each batch and the validation pass carry the images' classes."""
    if bool(model.class_count) != (class_of is not None):
        raise ValueError("a conditional model trains with its classes, an unconditional one without")
    train_set, validation_set = split_for_validation(images, options.validation_fraction, options.seed)
    count = len(train_set)
    if count == 0:
        return Outcome("diverged: the training split holds no images", 0)
    local_batch = options.batch_size // context.world
    latent = model.encoder.mean.out_features
    validation_noise = swift_noise(len(validation_set), latent)
    network = model
    if context.distributed:
        # On GPUs each process drives the one device LOCAL_RANK names; on CPUs DDP takes no device ids.
        on_gpu = context.device.type == "cuda"
        network = DistributedDataParallel(model, device_ids=[context.device.index] if on_gpu else None)
    optimizer = torch.optim.Adam(network.parameters(), lr=options.learning_rate)
    sampler = DistributedSampler(range(count), num_replicas=context.world, rank=context.rank, shuffle=True,
                                 seed=options.seed, drop_last=False)
    noise_generator = torch.Generator().manual_seed(options.seed)
    pixels = torch.as_tensor(train_set.pixels).to(context.device)  # uint8, converted a batch at a time
    train_classes = None if class_of is None else torch.as_tensor(class_of(train_set.labels)).to(context.device)
    validation_classes = None if class_of is None else class_of(validation_set.labels)

    outcome = Outcome("completed", 0, train_count=count, validation_count=len(validation_set))
    best_state = {k: v.detach().clone() for k, v in model.state_dict().items()}
    best_loss, stale, since_cut = math.inf, 0, 0
    for epoch in range(1, options.epochs + 1):
        sampler.set_epoch(epoch)
        order = list(sampler)
        started = time.perf_counter()
        loss_sum, seen = 0.0, 0
        network.train()
        for first in range(0, len(order), local_batch):
            indices = order[first:first + local_batch]
            rows = len(indices)
            # The noise of the whole global step, the same on every rank; this rank's rows are every world-th.
            noise = torch.randn(rows * context.world, latent, generator=noise_generator)[context.rank::context.world]
            x = pixels[indices].to(torch.float32) / 255
            y = None if train_classes is None else train_classes[indices]
            reconstruction, kl = network(x, noise.to(context.device), y)
            objective = (reconstruction + options.beta * kl) / rows
            optimizer.zero_grad(set_to_none=True)
            objective.backward()
            optimizer.step()
            # Global position of local row j is (first + j) * world + rank; positions >= count are padding.
            real = sum(1 for j in range(rows) if (first + j) * context.world + context.rank < count)
            if real:
                loss_sum += float((reconstruction + kl).detach()) * real / rows
                seen += real
        loss_sum, seen = context.all_sum([loss_sum, seen])
        seconds = time.perf_counter() - started
        train_loss = loss_sum / max(seen, 1)
        if not math.isfinite(train_loss):
            outcome.reason = f"diverged: the training loss became {train_loss} in epoch {epoch}; kept the weights of epoch {outcome.best_epoch}"
            break
        validation = None
        if len(validation_set):
            validation = negative_elbo(model, validation_set, context, validation_noise, validation_classes)
            if not math.isfinite(sum(validation)):
                outcome.reason = f"diverged: the validation loss became {sum(validation)} in epoch {epoch}; kept the weights of epoch {outcome.best_epoch}"
                break
        improved = validation is None or sum(validation) < best_loss
        # A plateau of the validation loss cuts the learning rate for the epochs after this one.
        since_cut = 0 if improved else since_cut + 1
        cut = bool(options.lr_plateau) and since_cut >= options.lr_plateau
        if cut:
            for group in optimizer.param_groups:
                group["lr"] *= options.lr_factor
            since_cut = 0
        summary = EpochSummary(epoch, train_loss, validation, seconds, seen / max(seconds, 1e-9), improved,
                               optimizer.param_groups[0]["lr"])
        outcome.history.append(summary)
        outcome.epochs_run = epoch
        if context.is_main:
            log(describe_epoch(summary, options.epochs) + (f"; learning rate now {summary.learning_rate:g}" if cut else ""))
        if improved:
            best_state = {k: v.detach().clone() for k, v in model.state_dict().items()}
            outcome.best_epoch, outcome.best_validation = epoch, validation
            best_loss, stale = (sum(validation) if validation else math.inf), 0
        else:
            stale += 1
            if stale >= options.patience and epoch < options.epochs:
                outcome.reason = "early-stopped"
                break
    model.load_state_dict(best_state)
    return outcome


def describe_epoch(summary, epochs):
    line = (f"epoch {summary.epoch}/{epochs}: train {summary.train_loss:.2f} nats/image, "
            f"{summary.samples_per_second:.0f} samples/s, {summary.seconds:.1f} s")
    if summary.validation:
        reconstruction, kl = summary.validation
        line += f"; validation {reconstruction + kl:.2f} ({reconstruction:.2f} + KL {kl:.2f})"
        line += " improved" if summary.improved else ""
    return line


def schedule_summary(options):
    """The schedule in the Swift trainer's words (`LearningRateSchedule.summary`)."""
    if not options.lr_plateau:
        return "constant"
    epochs = "epoch" if options.lr_plateau == 1 else "epochs"
    return f"x{options.lr_factor:g} after {options.lr_plateau} {epochs} without a better validation loss"


def schedule_record(options, outcome):
    """The `learning_rate_schedule` metadata string the Swift `train` writes: the rate, the schedule, the
    epochs it cut after and the rate the kept epoch trained at; None for a constant rate."""
    if not options.lr_plateau:
        return None
    rate, kept, cuts = options.learning_rate, options.learning_rate, []
    for summary in outcome.history:
        if summary.epoch == outcome.best_epoch:
            kept = rate
        if summary.learning_rate != rate:
            cuts.append(summary.epoch)
        rate = summary.learning_rate
    cut_text = "cut after epochs " + ", ".join(map(str, cuts)) if cuts else "never cut"
    return f"{options.learning_rate:g}, {schedule_summary(options)}; {cut_text}; the kept epoch trained at {kept:g}"
