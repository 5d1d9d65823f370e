"""`latent-explorer-torch`: train LatentExplorer's VAEs with PyTorch, on one process or under torchrun,
and score weight files as the Swift program does.

    latent-explorer-torch train --data DIR --arch conv --latent-dim 16 --epochs N --out F.safetensors
    torchrun --nproc_per_node=2 -m latent_explorer_torch train --data DIR ... --out F.safetensors
    latent-explorer-torch eval --weights F.safetensors --data DIR
    latent-explorer-torch convert IN --out OUT.safetensors   (a .pt state dict, pytorch/examples' VAE, a Keras .h5 MLP VAE)
    latent-explorer-torch fixture DIR      (writes the test fixtures under Tests/VAETests/Fixtures)

Errors are one line on stderr and exit 1; usage errors exit 64; an interrupt exits 130. `main` has a
top-level handler: whatever goes wrong, the user reads one line, never a traceback.
"""
import argparse
import datetime
import json
import math
import os
import sys

import torch

from . import __version__, classes, contract, data, distributed, models, weights
from .evaluation import negative_elbo
from .training import TrainingOptions, schedule_record, schedule_summary, train

EXIT_FAILURE, EXIT_USAGE, EXIT_INTERRUPTED = 1, 64, 130
PROGRAM = "latent-explorer-torch"


class UsageError(Exception):
    pass


class Parser(argparse.ArgumentParser):
    def error(self, message):
        self.print_usage(sys.stderr)
        print(f"{self.prog}: error: {message}", file=sys.stderr)
        sys.exit(EXIT_USAGE)


def score_json(value):
    """A score for strict JSON: the number, or its words when it is not finite (JSON has no NaN or
    infinity), as the Swift program's `ScoreText.json`."""
    value = float(value)
    if math.isfinite(value):
        return value
    return "not a number (NaN)" if math.isnan(value) else ("infinite" if value > 0 else "minus infinity")


def score_text(value, digits=2):
    return f"{value:.{digits}f}" if math.isfinite(value) else score_json(value)


def add_data_options(parser):
    parser.add_argument("--data", metavar="DIR", default=os.environ.get("EMNIST_DIR") or None,
                        help="a data set folder: EMNIST (IDX or CSV), MNIST or Fashion-MNIST (default: $EMNIST_DIR)")
    parser.add_argument("--emnist-split", choices=data.EMNIST_SPLITS,
                        help="which EMNIST data set to read from a folder that holds several")
    parser.add_argument("--letters", metavar="CLASSES", help="keep only these classes, e.g. 'aeiou'")


def build_parser():
    parser = Parser(prog=PROGRAM, description="Train LatentExplorer's VAEs with PyTorch, on one process or many (torchrun).")
    parser.add_argument("--version", action="version", version=f"{PROGRAM} {__version__} (torch {torch.__version__})")
    commands = parser.add_subparsers(dest="command", required=True, parser_class=Parser, metavar="{train,eval,fixture}")

    t = commands.add_parser("train", help="train a VAE and save it as a LatentExplorer weight file",
                            description="Train a VAE; under torchrun, on every process (DistributedDataParallel).")
    add_data_options(t)
    t.add_argument("--arch", choices=list(models.ARCHITECTURES), default="mlp", help="the architecture (default mlp)")
    t.add_argument("--latent-dim", type=int, default=2, metavar="N", help="latent dimensions, 1-64 (default 2)")
    t.add_argument("--setting", action="append", default=[], metavar="KEY=VALUE",
                   help="one of the architecture's settings, e.g. hidden_size=256 or channels=16,32 (repeatable; "
                        + "; ".join(f"{name}: {', '.join(f'{s.key} default {s.format_default()}' for s in cls.SETTINGS)}"
                                    for name, cls in models.ARCHITECTURES.items()) + ")")
    t.add_argument("--hidden-size", type=int, metavar="N", help="shortcut for --setting hidden_size=N")
    t.add_argument("--epochs", type=int, default=10, help="maximum epochs (default 10)")
    t.add_argument("--batch-size", type=int, default=128, help="images per step over all processes together (default 128)")
    t.add_argument("--learning-rate", type=float, default=1e-3, help="Adam's learning rate (default 1e-3)")
    t.add_argument("--patience", type=int, default=4, help="epochs without a better validation loss before stopping (default 4)")
    t.add_argument("--lr-plateau", type=int, default=0, metavar="EPOCHS",
                   help="epochs without a better validation loss before the learning rate is cut by --lr-factor "
                        "(reduce-on-plateau; early stopping still counts from the best epoch; default 0: a constant rate)")
    t.add_argument("--lr-factor", type=float, default=0.5, metavar="FACTOR",
                   help="what each cut of --lr-plateau multiplies the learning rate by (default 0.5)")
    t.add_argument("--validation-split", type=float, default=0.1, metavar="FRACTION",
                   help="part of each class of the training split held out to choose the epoch, the Swift trainer's images (default 0.1; 0: none, keep the last epoch)")
    t.add_argument("--seed", type=int, default=0, help="seeds initialisation, the validation split, shuffling and noise (default 0)")
    t.add_argument("--beta", type=float, default=1.0, help="weight of the KL term in the objective (default 1)")
    t.add_argument("--init", metavar="FILE", help="start from these weights (e.g. written by latent-explorer train); --arch and sizes are then theirs")
    t.add_argument("--out", "-o", metavar="FILE", required=True, help="where to write the weights")
    t.add_argument("--force", action="store_true", help="replace --out even when it holds something other than a weights file")

    e = commands.add_parser("eval", help="score a weight file on a data set's test split, as latent-explorer eval does")
    add_data_options(e)
    e.add_argument("--weights", metavar="FILE", required=True)
    e.add_argument("--json", action="store_true", help="print one JSON object (neg_elbo, reconstruction, kl, test_count)")

    c = commands.add_parser("convert", help="write a model trained elsewhere (.pt state dict, pytorch/examples' VAE, Keras .h5 MLP VAE) as a LatentExplorer weight file")
    c.add_argument("source", metavar="IN", help="the model file to read")
    c.add_argument("--out", "-o", metavar="FILE", required=True, help="the .safetensors file to write")
    c.add_argument("--force", action="store_true", help="replace --out if it exists")

    f = commands.add_parser("fixture", help="write the PyTorch fixtures the Swift tests read")
    f.add_argument("folder", help="e.g. Tests/VAETests/Fixtures")

    # Hidden: one JSON verdict per weight file, for the differential tests with the Swift program.
    c = commands.add_parser("check-weights")
    c.add_argument("files", nargs="*")
    c.add_argument("--list", action="store_true", help="the files list one path per line")
    return parser


def parse_settings(items):
    """{key: values} from `--setting key=1,2` items; ValueError with a one-line reason when malformed."""
    settings = {}
    for item in items:
        key, _, text = item.partition("=")
        try:
            settings[key] = tuple(int(value) for value in text.split(","))
        except ValueError:
            raise ValueError(f"--setting {item}: expected key=value, e.g. hidden_size=256") from None
        if not key:
            raise ValueError(f"--setting {item}: expected key=value, e.g. hidden_size=256")
    return settings


# Every numeric option of `train` with its range, in one table (the Swift program's `OptionRanges.table`;
# the shared ones from contract/limits.json): (low, high, whether high is excluded). A value outside,
# or NaN, is a usage error (exit 64). test_refusals.py walks it with 0, -1, max + 1, 2^63 and NaN.
TRAIN_RANGES = {
    "epochs": (*contract.EPOCHS, False), "batch_size": (*contract.BATCH_SIZE, False),
    "patience": (*contract.PATIENCE, False), "learning_rate": (*contract.LEARNING_RATE, False),
    "validation_split": (0, 1, True), "beta": (*contract.KL_WEIGHT, False), "latent_dim": (*contract.LATENT_DIM, False),
    "hidden_size": (1, contract.MAXIMUM_HIDDEN_SIZE, False), "seed": (0, (1 << 64) - 1, False),
    "lr_plateau": (0, contract.EPOCHS[1], False), "lr_factor": (*contract.LEARNING_RATE_FACTOR, False),
}


def check_ranges(args, ranges):
    """Raises UsageError naming the first option of `ranges` outside its range (NaN is outside every one)."""
    for name, (low, high, open_high) in ranges.items():
        value = getattr(args, name)
        if value is None:
            continue
        inside = low <= value < high if open_high else low <= value <= high  # False for NaN
        if not inside:
            option = "--" + name.replace("_", "-")
            raise UsageError(f"{option} must be between {low:g} and {high:g}{' (excluded)' if open_high else ''}, not {value:g}")


def check_train_options(args, context):
    if args.data is None:
        raise UsageError("--data is required (or set EMNIST_DIR)")
    check_ranges(args, TRAIN_RANGES)
    if args.lr_plateau and args.validation_split == 0:
        raise UsageError("--lr-plateau watches the validation loss, and --validation-split 0 trains without one")
    if args.batch_size < context.world or args.batch_size % context.world:
        raise UsageError(f"--batch-size {args.batch_size} must be a multiple of the {context.world} processes")
    weights.check_replaceable(args.out, args.force)  # before training, not after
    folder = os.path.dirname(os.path.abspath(args.out))
    if not os.path.isdir(folder) or not os.access(folder, os.W_OK):
        raise weights.WeightsError(f"{args.out}: cannot write in {folder}")


def run_train(args, context):
    check_train_options(args, context)
    dataset = data.load_selected(args.data, args.emnist_split, args.letters)
    names = []
    if args.init:
        model, meta = weights.load(args.init)
        names = classes.names_of(model, meta)
    else:
        try:
            settings = parse_settings(args.setting)
            config = models.ModelConfiguration.make(args.arch, args.latent_dim, args.hidden_size, settings=settings)
            if config.class_count:
                # A fresh conditional model is conditioned on the data's classes, in label order.
                names = [dataset.class_name(label) for label in dataset.labels_present]
                if models.CLASS_COUNT_KEY in settings and config.class_count != len(names):
                    raise ValueError(f"--setting {models.CLASS_COUNT_KEY}={config.class_count}: the data has {len(names)} classes, "
                                     "and a conditional model has one input per class")
                config = models.ModelConfiguration.make(args.arch, args.latent_dim, args.hidden_size,
                                                        settings={**settings, models.CLASS_COUNT_KEY: (len(names),)})
            config.validate()
        except ValueError as error:
            raise UsageError(str(error)) from None
        torch.manual_seed(args.seed)  # the same initial weights on every rank
        model = models.build(config)
    config = models.configuration_of(model)
    model.to(context.device)
    log = (lambda line: print(line, flush=True)) if context.is_main else (lambda line: None)
    parameters = sum(p.numel() for p in model.parameters())
    log(f"Training {config} ({parameters} parameters) on {dataset.name}: {len(dataset.train)} train, "
        f"{len(dataset.test)} test images, {len(dataset.labels_present)} classes; {context.describe()}, "
        f"{args.batch_size // context.world} images per process per step")
    options = TrainingOptions(args.epochs, args.batch_size, args.learning_rate, args.patience,
                              args.validation_split, args.seed, args.beta, args.lr_plateau, args.lr_factor)
    if options.lr_plateau:
        log(f"Learning rate: {options.learning_rate:g}, {schedule_summary(options)}; "
            f"early stopping still after {options.patience} epochs without one")
    class_of = (lambda labels: classes.indices(labels, dataset, names)) if names else None
    if class_of:
        class_of(dataset.train.labels)  # a class the model lacks is refused before training
    outcome = train(model, dataset.train, options, context, log, class_of)
    if outcome.best_epoch == 0:
        raise RuntimeError(f"training stopped: {outcome.reason}; nothing saved")
    test = negative_elbo(model, dataset.test, context, classes=class_of(dataset.test.labels) if class_of else None)
    log(f"Test neg ELBO {sum(test):.2f} nats per image (reconstruction {test[0]:.2f} + KL {test[1]:.2f}) on {len(dataset.test)} test images")
    if context.is_main:
        meta = weights.metadata(
            config, dataset=dataset.name,
            classes=weights.class_list(names or (dataset.class_name(l) for l in dataset.labels_present)),
            class_filter=args.letters or None, epochs=str(outcome.best_epoch),
            selected_on="validation" if outcome.best_validation else "last_epoch",
            validation_set=(f"{round(args.validation_split * 100)}% of each class of the training split, seed {args.seed}"
                            if outcome.best_validation else None),
            kl_weight=weights.decimal(args.beta),
            trained_with=f"{PROGRAM} {__version__} (torch {torch.__version__}, {context.describe()})",
            trained_at=datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ"))
        if options.lr_plateau:
            meta["learning_rate_schedule"] = schedule_record(options, outcome)
        if outcome.best_validation:
            meta.update(weights.loss_strings("validation", *outcome.best_validation))
        meta.update(weights.loss_strings("test", *test))
        weights.save_atomically(model, meta, args.out, force=args.force)
        log(f"Saved the weights of epoch {outcome.best_epoch} to {args.out} ({outcome.reason})")
    context.barrier()
    if outcome.reason.startswith("diverged"):
        raise RuntimeError(outcome.reason)


def run_eval(args, context):
    if args.data is None:
        raise UsageError("--data is required (or set EMNIST_DIR)")
    model, meta, config = weights.load_with_configuration(args.weights)
    dataset = data.load_selected(args.data, args.emnist_split, args.letters)
    if config.image_geometry != (28, 28, 1) or config.input_size != data.PIXELS:
        height, width, channels = config.image_geometry
        raise RuntimeError(f"the model takes {height}x{width}{'' if channels == 1 else f'x{channels}'} images "
                           f"({config.input_size} values), the data has 28x28 images ({data.PIXELS} values)")
    model.to(context.device)
    names = classes.names_of(model, meta)
    reconstruction, kl = negative_elbo(model, dataset.test, context, classes=classes.indices(dataset.test.labels, dataset, names))
    if not context.is_main:
        return
    if args.json:
        scores = {"neg_elbo": reconstruction + kl, "reconstruction": reconstruction, "kl": kl}
        print(json.dumps({**{key: score_json(value) for key, value in scores.items()}, "test_count": len(dataset.test)},
                         sort_keys=True, allow_nan=False))
    else:
        print(f"data set:  {dataset.name} ({len(dataset.train)} train, {len(dataset.test)} test images)")
        print(f"model:     {config}")
        bounds = "; it bounds -log p(x | class)" if names else ""
        print(f"neg ELBO:  {score_text(reconstruction + kl)} nats per image "
              f"(reconstruction {score_text(reconstruction)} + KL {score_text(kl)}){bounds}")


def one_line(error):
    """The first line of an error's message (its type when it has none), cleaned and capped."""
    text = str(error).strip()
    line = text.splitlines()[0] if text else type(error).__name__
    return contract.capped("".join(ch if ch.isprintable() else f"\\u{{{ord(ch):x}}}" for ch in line))


def fail(message, code):
    print(f"{PROGRAM}: error: {message}", file=sys.stderr)
    return code


def main(argv=None):
    """The command line, inside the top-level handler: a usage error exits 64, refused input and any
    other error 1, an interrupt 130, each with one line on stderr."""
    try:
        return run(argv)
    except SystemExit:
        raise
    except KeyboardInterrupt:
        return fail("interrupted", EXIT_INTERRUPTED)
    except UsageError as error:
        return fail(one_line(error), EXIT_USAGE)
    except (data.DataError, weights.WeightsError, RuntimeError, OSError, ValueError) as error:
        return fail(one_line(error), EXIT_FAILURE)
    except Exception as error:  # a bug: still one line, with the type, never a traceback
        return fail(f"{type(error).__name__}: {one_line(error)}", EXIT_FAILURE)


def run(argv=None):
    args = build_parser().parse_args(argv)
    if args.command == "fixture":
        from .fixtures import write_all
        write_all(args.folder)
        return 0
    if args.command == "check-weights":
        from .check import run_batch
        return run_batch(args.files, sys.stdout, listed=args.list)
    if args.command == "convert":
        from .convert import ConvertError, convert
        try:
            for line in convert(args.source, args.out, args.force):
                print(line)
        except ConvertError as error:  # refused input: one line, as any other (main's handler)
            return fail(one_line(error), EXIT_FAILURE)
        return 0
    context = distributed.start()
    try:
        (run_train if args.command == "train" else run_eval)(args, context)
        return 0
    finally:
        distributed.stop(context)
