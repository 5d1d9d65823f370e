"""The ranges and caps both programs enforce, read from contract.json: a copy of the repository's
contract/limits.json installed as package data (scripts/sync-contract.py writes it; test_contract.py
fails when it differs). The Swift program compiles in the same file (Sources/VAE/Contract)."""
import json
from importlib import resources

_DATA = json.loads(resources.files(__package__).joinpath("contract.json").read_text())


def _range(pair):
    low, high = pair
    return low, high


FORMAT_NAME = _DATA["format"]["name"]
FORMAT_VERSIONS = _range(_DATA["format"]["versions"])
LATENT_DIM = _range(_DATA["latent_dim"])
INPUT_SIZE = _range(_DATA["input_size"])
GEOMETRY = {side: _range(pair) for side, pair in _DATA["geometry"].items()}
MAXIMUM_HIDDEN_SIZE = _DATA["maximum_hidden_size"]
MAXIMUM_PARAMETER_COUNT = _DATA["maximum_parameter_count"]
KL_WEIGHT = _range(_DATA["kl_weight"])
LIKELIHOODS = tuple(_DATA["likelihoods"])
SETTINGS = {arch: {key: (tuple(value["default"]), _range(value["range"])) for key, value in settings.items()}
            for arch, settings in _DATA["architectures"].items()}
NEIGHBOURS = _range(_DATA["options"]["k"])
IMPORTANCE_SAMPLES = _range(_DATA["options"]["importance_samples"])
EPOCHS = _range(_DATA["options"]["epochs"])
BATCH_SIZE = _range(_DATA["options"]["batch_size"])
PATIENCE = _range(_DATA["options"]["patience"])
LEARNING_RATE = _range(_DATA["options"]["learning_rate"])
LEARNING_RATE_FACTOR = _range(_DATA["options"]["learning_rate_factor"])
MESSAGE_LIMIT = _DATA["message_limit"]


def capped(line, limit=MESSAGE_LIMIT):
    """`line` cut to `limit` characters with "… and N more characters", as the Swift program's messages."""
    return line if len(line) <= limit else f"{line[:limit]}… and {len(line) - limit} more characters"


def listed(items, separator=", ", limit=MESSAGE_LIMIT):
    """`items` joined, stopping before `limit` characters with "… and N more" (N items left out)."""
    out = ""
    items = [str(item) for item in items]
    for index, item in enumerate(items):
        piece = (separator if index else "") + item[:limit]
        remaining = len(items) - index
        if index and len(out) + len(piece) > limit - (16 if remaining > 1 else 0):
            return f"{out}… and {remaining} more"
        out += piece
    return out
