"""`latent-explorer-torch check-weights FILE...` (hidden): loads each weight file as `eval` does and
prints one JSON object per file, the Swift program's `latent-explorer check-weights` format, so that
the differential fuzz test (tests/test_differential_fuzz.py) compares both programs' verdicts on
thousands of files with one process each: `path`, `verdict` ("read", "refused", or "crash" for an
error the loader did not expect: a bug), `exit` (eval's status on the load), `reason`, and when read
`fits_letters` and `score` (`check_score`)."""
import json

import torch

from . import weights
from .cli import one_line, score_json
from .models import loss_parts

IMAGES = 4


def check_inputs(input_size):
    """The fixed inputs [IMAGES, input_size] of Swift's `CheckScore`: value j of image i is ((37 j + 101 i) mod 256) / 255."""
    i = torch.arange(IMAGES).unsqueeze(1)
    j = torch.arange(input_size).unsqueeze(0)
    return ((j * 37 + i * 101) % 256).to(torch.float32) / 255


@torch.no_grad()
def check_score(model, config):
    """The negative ELBO of `check_inputs` with z at the encoder's mean, per input value."""
    x = check_inputs(config.input_size)
    reconstruction, kl = loss_parts(model.eval(), x, torch.zeros(IMAGES, config.latent_dim))
    return (float(reconstruction) + float(kl)) / (IMAGES * config.input_size)


def verdict(path):
    try:
        model, _, config = weights.load_with_configuration(path)
    except (weights.WeightsError, OSError) as error:
        return {"path": path, "verdict": "refused", "exit": 1, "reason": one_line(error)}
    except Exception as error:  # a case the loader does not handle: reported, never a traceback
        return {"path": path, "verdict": "crash", "exit": 1, "reason": f"{type(error).__name__}: {one_line(error)}"}
    return {"path": path, "verdict": "read", "exit": 0, "fits_letters": config.image_geometry == (28, 28, 1) and config.input_size == 784,
            "score": score_json(check_score(model, config))}


def run_batch(files, out, listed=False):
    """Prints the verdict of each file named (or, with `listed`, of each path listed in them)."""
    paths = []
    for name in files:
        if listed:
            with open(name) as f:
                paths.extend(line for line in f.read().split("\n") if line)
        else:
            paths.append(name)
    for path in paths:
        print(json.dumps(verdict(path), sort_keys=True, allow_nan=False, ensure_ascii=False), file=out, flush=False)
    out.flush()
    return 0
