"""`latent-explorer-torch`: train LatentExplorer's VAEs with PyTorch, on one process or under torchrun,
and score weight files as the Swift program does.

    latent-explorer-torch train --data DIR --arch conv --latent-dim 16 --epochs N --out F.safetensors
    torchrun --nproc_per_node=2 -m latent_explorer_torch train --data DIR ... --out F.safetensors
    latent-explorer-torch eval --weights F.safetensors --data DIR
    latent-explorer-torch convert IN --out OUT.safetensors   (a .pt state dict, pytorch/examples' VAE, a Keras .h5 MLP VAE)
    latent-explorer-torch fixture DIR      (writes the test fixtures under Tests/VAETests/Fixtures)

Errors are one line on stderr and exit 1; usage errors exit 64.
"""
import argparse
import datetime
import json
import os
import sys

import torch

from . import __version__, data, distributed, models, weights
from .evaluation import negative_elbo
from .training import TrainingOptions, train

EXIT_FAILURE, EXIT_USAGE = 1, 64
PROGRAM = "latent-explorer-torch"


class UsageError(Exception):
    pass


class Parser(argparse.ArgumentParser):
    def error(self, message):
        self.print_usage(sys.stderr)
        print(f"{self.prog}: error: {message}", file=sys.stderr)
        sys.exit(EXIT_USAGE)


def add_data_options(parser):
    parser.add_argument("--data", metavar="DIR", default=os.environ.get("EMNIST_DIR") or None,
                        help="a data set folder: EMNIST (IDX or CSV), MNIST or Fashion-MNIST (default: $EMNIST_DIR)")
    parser.add_argument("--emnist-split", choices=data.EMNIST_SPLITS,
                        help="which EMNIST data set to read from a folder that holds several")
    parser.add_argument("--letters", metavar="CLASSES", help="keep only these classes, e.g. 'aeiou'")


def build_parser():
    parser = Parser(prog=PROGRAM, description="Train LatentExplorer's VAEs with PyTorch, on one process or many (torchrun).")
    parser.add_argument("--version", action="version", version=f"{PROGRAM} {__version__} (torch {torch.__version__})")
    commands = parser.add_subparsers(dest="command", required=True, parser_class=Parser)

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
    t.add_argument("--validation-split", type=float, default=0.1, metavar="FRACTION",
                   help="part of each class of the training split held out to choose the epoch, the Swift trainer's images (default 0.1; 0: none, keep the last epoch)")
    t.add_argument("--seed", type=int, default=0, help="seeds initialisation, the validation split, shuffling and noise (default 0)")
    t.add_argument("--beta", type=float, default=1.0, help="weight of the KL term in the objective (default 1)")
    t.add_argument("--init", metavar="FILE", help="start from these weights (e.g. written by latent-explorer train); --arch and sizes are then theirs")
    t.add_argument("--out", "-o", metavar="FILE", required=True, help="where to write the weights")

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


def check_train_options(args, context):
    if args.data is None:
        raise UsageError("--data is required (or set EMNIST_DIR)")
    if args.epochs < 1 or args.patience < 1 or args.learning_rate <= 0 or not 0 <= args.validation_split < 1:
        raise UsageError("--epochs and --patience must be at least 1, --learning-rate positive, --validation-split in [0, 1)")
    if args.beta < 0:
        raise UsageError("--beta must not be negative")
    if args.batch_size < context.world or args.batch_size % context.world:
        raise UsageError(f"--batch-size {args.batch_size} must be a multiple of the {context.world} processes")
    folder = os.path.dirname(os.path.abspath(args.out))
    if not os.path.isdir(folder) or not os.access(folder, os.W_OK):
        raise weights.WeightsError(f"{args.out}: cannot write in {folder}")


def run_train(args, context):
    check_train_options(args, context)
    dataset = data.load_selected(args.data, args.emnist_split, args.letters)
    if args.init:
        model, _ = weights.load(args.init)
    else:
        try:
            settings = parse_settings(args.setting)
            config = models.ModelConfiguration.make(args.arch, args.latent_dim, args.hidden_size, settings=settings)
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
                              args.validation_split, args.seed, args.beta)
    outcome = train(model, dataset.train, options, context, log)
    if outcome.best_epoch == 0:
        raise RuntimeError(f"training stopped: {outcome.reason}; nothing saved")
    test = negative_elbo(model, dataset.test, context)
    log(f"Test neg ELBO {sum(test):.2f} nats per image (reconstruction {test[0]:.2f} + KL {test[1]:.2f}) on {len(dataset.test)} test images")
    if context.is_main:
        meta = weights.metadata(
            config, dataset=dataset.name, classes=weights.class_list(dataset.class_name(l) for l in dataset.labels_present),
            class_filter=args.letters or None, epochs=str(outcome.best_epoch),
            selected_on="validation" if outcome.best_validation else "last_epoch",
            validation_set=(f"{round(args.validation_split * 100)}% of each class of the training split, seed {args.seed}"
                            if outcome.best_validation else None),
            kl_weight=weights.decimal(args.beta),
            trained_with=f"{PROGRAM} {__version__} (torch {torch.__version__}, {context.describe()})",
            trained_at=datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ"))
        if outcome.best_validation:
            meta.update(weights.loss_strings("validation", *outcome.best_validation))
        meta.update(weights.loss_strings("test", *test))
        weights.save_atomically(model, meta, args.out)
        log(f"Saved the weights of epoch {outcome.best_epoch} to {args.out} ({outcome.reason})")
    context.barrier()
    if outcome.reason.startswith("diverged"):
        raise RuntimeError(outcome.reason)


def run_eval(args, context):
    if args.data is None:
        raise UsageError("--data is required (or set EMNIST_DIR)")
    model, _ = weights.load(args.weights)
    dataset = data.load_selected(args.data, args.emnist_split, args.letters)
    config = models.configuration_of(model)
    if config.input_size != data.PIXELS:
        raise RuntimeError(f"{args.weights} expects {config.input_size} inputs, the data has {data.PIXELS} pixels")
    model.to(context.device)
    reconstruction, kl = negative_elbo(model, dataset.test, context)
    if not context.is_main:
        return
    if args.json:
        print(json.dumps({"neg_elbo": reconstruction + kl, "reconstruction": reconstruction, "kl": kl,
                          "test_count": len(dataset.test)}, sort_keys=True))
    else:
        print(f"data set:  {dataset.name} ({len(dataset.train)} train, {len(dataset.test)} test images)")
        print(f"model:     {config}")
        print(f"neg ELBO:  {reconstruction + kl:.2f} nats per image (reconstruction {reconstruction:.2f} + KL {kl:.2f})")


def main(argv=None):
    args = build_parser().parse_args(argv)
    if args.command == "fixture":
        from .fixtures import write_all
        write_all(args.folder)
        return 0
    if args.command == "convert":
        from .convert import ConvertError, convert
        try:
            for line in convert(args.source, args.out, args.force):
                print(line)
            return 0
        except (ConvertError, weights.WeightsError) as error:
            print(f"{PROGRAM}: error: {str(error).splitlines()[0]}", file=sys.stderr)
            return EXIT_FAILURE
    context = distributed.start()
    try:
        (run_train if args.command == "train" else run_eval)(args, context)
        return 0
    except UsageError as error:
        print(f"{PROGRAM}: error: {error}", file=sys.stderr)
        return EXIT_USAGE
    except (data.DataError, weights.WeightsError, RuntimeError, OSError) as error:
        print(f"{PROGRAM}: error: {str(error).splitlines()[0] if str(error) else type(error).__name__}", file=sys.stderr)
        return EXIT_FAILURE
    finally:
        distributed.stop(context)
