"""LatentExplorer weight files: safetensors whose tensors are a state dict of `models` and whose
`__metadata__` is the Swift program's (format "latent-explorer-vae", version 3; every value a string).

Reading accepts files of versions 1...3 with our metadata, and files without it (a plain
`save_file(model.state_dict())`), whose configuration is read from the tensor names and shapes, as
`WeightsFile.load` does. Writing is atomic: a temporary file in the same folder, renamed over the target.
"""
import json
import math
import os
import re
import stat
import tempfile

import torch
from safetensors.torch import save

from . import contract, models
from .models import ModelConfiguration, build

FORMAT_NAME = contract.FORMAT_NAME
FORMAT_VERSION = contract.FORMAT_VERSIONS[1]
LIKELIHOOD = contract.LIKELIHOODS[0]


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
           "latent_dim": str(config.latent_dim), "likelihood": LIKELIHOOD}
    out.update({key: ",".join(str(v) for v in values) for key, values in config.settings})
    # Geometry: declared, or inferred as the Swift program does (28x28 for 784, a square, or one row).
    height, width, channels = config.image_geometry
    out.update(image_height=str(height), image_width=str(width), image_channels=str(channels))
    out.update({key: value for key, value in fields.items() if value is not None})
    return out


_INTEGER = re.compile(r"[+-]?[0-9]+")
_DECIMAL = re.compile(r"[+-]?([0-9]+\.?[0-9]*|\.[0-9]+)([eE][+-]?[0-9]+)?")
_INT64 = (-(1 << 63), (1 << 63) - 1)


def whole_number(text):
    """The integer `text` spells as Swift's `Int(String)` reads it (an optional sign and ASCII digits, in
    64 bits), or None: Python's `int` would also take spaces and underscores."""
    if not isinstance(text, str) or not _INTEGER.fullmatch(text):
        return None
    value = int(text)
    return value if _INT64[0] <= value <= _INT64[1] else None


def finite_number(text):
    """A finite float from `text` trimmed of spaces and tabs, as `VAEObjective.parseKLWeight`; or None."""
    text = text.strip(" \t")
    try:
        value = float(text) if _DECIMAL.fullmatch(text) else float.fromhex(text) if text.lower().lstrip("+-").startswith("0x") else None
    except (ValueError, OverflowError):
        return None
    return value if value is not None and math.isfinite(value) else None


def setting_values(text):
    """Values from "32,64" (spaces around each allowed), as `ArchitectureSetting.parse`; None if any is not a number."""
    items = [whole_number(item.strip(" \t")) for item in text.split(",")]
    return None if any(item is None for item in items) else tuple(items)


def configuration_from_metadata(meta, path):
    """The configuration our metadata declares, with the Swift program's checks (`ModelMetadata`): the
    version, the architecture, no other architecture's settings, whole numbers, a complete geometry and
    a known objective. Raises WeightsError with one line."""
    def refuse(reason):
        return WeightsError(f"{path} does not hold a LatentExplorer VAE: {reason}")

    version = whole_number(meta.get("format_version"))
    if version is None:
        raise refuse("the metadata has no format_version")
    low, high = contract.FORMAT_VERSIONS
    if version < low:
        raise refuse(f"format version {version} is not a version (versions start at {low})")
    if version > high:
        raise refuse(f"format version {version} is newer than this program reads (up to {high})")
    arch = meta.get("architecture", "")
    cls = models.ARCHITECTURES.get(arch)
    if cls is None:
        raise refuse(f"unknown architecture {quoted(arch)} (this program knows {', '.join(models.ARCHITECTURES)})")
    own = {s.key for s in cls.SETTINGS}
    foreign = sorted({s.key for other in models.ARCHITECTURES.values() for s in other.SETTINGS} - own)
    for key in foreign:
        if key in meta:
            raise refuse(f"the metadata sets {key} {quoted(meta[key])}, which the {arch} architecture does not have")
    settings = {}
    for setting in cls.SETTINGS:
        if setting.key in meta:
            values = setting_values(meta[setting.key])
            if values is None:
                raise refuse(f"the metadata's {setting.key} {quoted(meta[setting.key])} is not a list of numbers")
            settings[setting.key] = values

    def integer(key):
        value = whole_number(meta.get(key))
        if value is None:
            raise refuse(f"the metadata's {key} is missing or not a whole number")
        return value

    input_size = integer("input_size")
    geometry = None
    if any(key in meta for key in GEOMETRY_KEYS):
        geometry = tuple(integer(key) for key in GEOMETRY_KEYS)
    if "likelihood" in meta and meta["likelihood"] not in contract.LIKELIHOODS:
        raise refuse(f"unknown likelihood {quoted(meta['likelihood'])} (this program knows {', '.join(contract.LIKELIHOODS)})")
    if "kl_weight" in meta:
        beta = finite_number(meta["kl_weight"])
        if beta is None:
            raise refuse(f"the metadata's kl_weight {quoted(meta['kl_weight'])} is not a number")
        low, high = contract.KL_WEIGHT
        if not low <= beta <= high:
            raise refuse(f"the KL weight β must be between {low:g} and {high:g}, not {beta:g}")
    return ModelConfiguration.make(arch, integer("latent_dim"), input_size=input_size, settings=settings, geometry=geometry)


def configuration_from_shapes(shapes, path):
    """The configuration of a file without our metadata, from its tensor names and shapes."""
    config = models.configuration_from_shapes(shapes)
    if config is None:
        raise WeightsError(f"{path}: it has no LatentExplorer metadata, and its tensors are not a known architecture")
    return config


def quoted(text, limit=60):
    """File text for a message: controls escaped, cut to `limit` characters, in single quotes."""
    text = str(text)
    cleaned = "".join(ch if ch.isprintable() else f"\\u{{{ord(ch):x}}}" for ch in text[:limit])
    return f"'{cleaned}{'…' if len(text) > limit else ''}'"


GEOMETRY_KEYS = ("image_height", "image_width", "image_channels")
DTYPES = {"F32": (torch.float32, 4), "F16": (torch.float16, 2), "BF16": (torch.bfloat16, 2), "F64": (torch.float64, 8)}
INTEGER_DTYPES = {"BOOL", "U8", "I8", "U16", "I16", "U32", "I32", "U64", "I64"}
MAXIMUM_HEADER_LENGTH = 100_000_000
# The largest model's values in the widest dtype read, and a header: a larger file is refused from its size.
MAXIMUM_FILE_SIZE = contract.MAXIMUM_PARAMETER_COUNT * 8 + MAXIMUM_HEADER_LENGTH


def _strict_json(text, path):
    """The header's JSON object; duplicate keys and NaN/Infinity refused, as the Swift StrictJSON."""
    def pairs(items):
        seen = {}
        for key, value in items:
            if key in seen:
                raise WeightsError(f"{path} is not a valid safetensors file: header has a duplicate key {quoted(key)}")
            seen[key] = value
        return seen

    def constant(name):
        raise WeightsError(f"{path} is not a valid safetensors file: header is not valid JSON ({name})")

    try:
        return json.loads(text, object_pairs_hook=pairs, parse_constant=constant)
    except (ValueError, RecursionError) as error:
        raise WeightsError(f"{path} is not a valid safetensors file: header is not valid JSON ({str(error).splitlines()[0]})") from None


def _counts(value):
    """A list of non-negative 64-bit integers (a shape or offsets), or None."""
    if not isinstance(value, list) or not all(type(v) is int and 0 <= v <= _INT64[1] for v in value):
        return None
    return value


def read_header(path):
    """(metadata, entries, data_start, data_length, file size) of a safetensors file, checked as the Swift
    `SafeTensors.parseHeader` checks it: nothing past the header is read. Entries are (name, shape,
    begin, end, dtype) in offset order, tiling the data section exactly."""
    try:
        status = os.stat(path)
    except FileNotFoundError:
        raise WeightsError(f"{path}: no such file") from None
    except OSError as error:
        raise WeightsError(f"{path}: cannot read ({error.strerror})") from None
    if not stat.S_ISREG(status.st_mode):
        raise WeightsError(f"{path}: not a regular file")
    size = status.st_size
    if size > MAXIMUM_FILE_SIZE:
        raise WeightsError(f"{path} is larger than the largest model file ({MAXIMUM_FILE_SIZE} bytes)")
    with open(path, "rb") as f:
        first = f.read(8)
        if len(first) < 8:
            raise WeightsError(f"{path} is not a safetensors file: it is {size} bytes, shorter than the 8-byte header length")
        length = int.from_bytes(first, "little")
        if length > size - 8 or length > MAXIMUM_HEADER_LENGTH:
            raise WeightsError(f"{path} is not a safetensors file: its first 8 bytes give a header length of {length}")
        header = f.read(length)
    stripped = header.lstrip(b" ")
    if stripped and not stripped.startswith(b"{"):
        raise WeightsError(f"{path} is not a safetensors file: its header does not start with a JSON object")
    try:
        text = header.decode("utf-8")
    except UnicodeDecodeError:
        raise WeightsError(f"{path} is not a valid safetensors file: header is not UTF-8") from None
    members = _strict_json(text, path)
    if not isinstance(members, dict):
        raise WeightsError(f"{path} is not a valid safetensors file: header is not a JSON object")
    data_length = size - 8 - length

    def malformed(reason):
        return WeightsError(f"{path} is not a valid safetensors file: {reason}")

    metadata, entries = {}, []
    for name, value in members.items():
        if name == "__metadata__":
            if not isinstance(value, dict) or not all(isinstance(v, str) for v in value.values()):
                raise malformed("__metadata__ is not an object of strings")
            metadata = value
            continue
        if not isinstance(value, dict):
            raise malformed(f"tensor {quoted(name)} is not an object")
        for key in ("dtype", "shape", "data_offsets"):
            if key not in value:
                raise malformed(f"tensor {quoted(name)} lacks {key}")
        dtype = value["dtype"]
        if not isinstance(dtype, str):
            raise malformed(f"tensor {quoted(name)} has a dtype that is not a string")
        if dtype not in DTYPES:
            known = ", ".join(DTYPES)
            raise malformed(f"tensor {quoted(name)} has dtype {dtype}, an integer type: weights must be floating point ({known})"
                            if dtype in INTEGER_DTYPES else
                            f"tensor {quoted(name)} has dtype {quoted(dtype, 24)}, which this program does not read ({known})")
        shape, offsets = _counts(value["shape"]), _counts(value["data_offsets"])
        if shape is None:
            raise malformed(f"tensor {quoted(name)} has a shape that is not a list of non-negative 64-bit integers")
        if offsets is None or len(offsets) != 2:
            raise malformed(f"tensor {quoted(name)} has data_offsets that are not two non-negative 64-bit integers")
        begin, end = offsets
        if not begin <= end <= data_length:
            raise malformed(f"tensor {quoted(name)} data_offsets [{begin}, {end}] are outside the {data_length} data bytes")
        count = DTYPES[dtype][1]
        for dimension in shape:
            count *= dimension
        if count > _INT64[1]:
            raise malformed(f"tensor {quoted(name)} has a shape too large for any file")
        if end - begin != count:
            raise malformed(f"tensor {quoted(name)} holds {end - begin} bytes but its shape of {dtype} needs {count}")
        entries.append((name, shape, begin, end, dtype))
    entries.sort(key=lambda entry: (entry[2], entry[3]))
    covered = 0
    for name, _, begin, end, _ in entries:
        if begin != covered:
            raise malformed(f"tensor {quoted(name)} starts at data byte {begin}, not {covered}")
        covered = end
    if covered != data_length:
        raise malformed(f"the tensors cover {covered} of the {data_length} data bytes")
    return metadata, entries, 8 + length, data_length


def check_shapes(shapes, config, path, source):
    """Raises WeightsError at the first difference between the file's tensors and `config`'s, as
    `VAEModel.checkTensors` (an extra tensor first, then each expected one in order)."""
    expected = config.parameter_shapes()
    for name in sorted(shapes):
        if name not in expected:
            raise WeightsError(f"{path}: {source} {config}, but the file has a tensor {quoted(name)} this model does not use")
    for name, shape in expected.items():
        if name not in shapes:
            raise WeightsError(f"{path}: {source} {config}, but the file has no tensor {quoted(name)}")
        if list(shapes[name]) != shape:
            raise WeightsError(f"{path}: {source} {config}, but tensor {quoted(name)} has shape {list(shapes[name])}, expected {shape}")


def load(path):
    """(model, metadata) of a weight file written by either program (`load_with_configuration`)."""
    model, meta, _ = load_with_configuration(path)
    return model, meta


def load_with_configuration(path):
    """(model, metadata, configuration) of a weight file written by either program, with the Swift program's checks in
    its order: the header, the configuration (validated before it is described), every tensor's name
    and shape against it (before anything of the model's size is allocated), then the data, refused
    when a weight is not finite. F16, BF16 and F64 tensors are converted to F32."""
    meta, entries, data_start, data_length = read_header(path)
    shapes = {name: shape for name, shape, *_ in entries}
    declared = meta.get("format") == FORMAT_NAME
    config = configuration_from_metadata(meta, path) if declared else configuration_from_shapes(shapes, path)
    source = "its metadata describes" if declared else "its tensor names suggest"
    try:
        config.validate()
    except ValueError as error:
        raise WeightsError(f"{path}: {source} an invalid model: {error}") from None
    check_shapes(shapes, config, path, source)
    with open(path, "rb") as f:
        f.seek(data_start)
        data = f.read(data_length)
    if len(data) != data_length:
        raise WeightsError(f"{path}: the file shrank while being read")
    tensors = {}
    for name, shape, begin, end, dtype in entries:
        kind, _ = DTYPES[dtype]
        values = torch.frombuffer(bytearray(data[begin:end]), dtype=kind) if end > begin else torch.empty(0, dtype=kind)
        values = values.to(torch.float32).reshape(shape)
        bad = int((~torch.isfinite(values)).sum())
        if bad:
            raise WeightsError(f"{path} holds {bad} NaN or infinite values in tensor {quoted(name)}; refusing a model that cannot draw or train")
        tensors[name] = values
    model = build(config)
    model.load_state_dict(tensors)
    return model, meta, config


def looks_like_weights(path):
    """Whether the file at `path` may be replaced by a weights save, as the Swift `OutputKind.weights`
    recognises it: empty, or an 8-byte little-endian length under 100 MB followed by "{"."""
    with open(path, "rb") as f:
        head = f.read(9)
    return not head or (len(head) == 9 and int.from_bytes(head[:8], "little") <= MAXIMUM_HEADER_LENGTH and head[8:] == b"{")


SHIPPED_WEIGHTS = os.path.join("Weights", "default.safetensors")


def shipped_weights_folders(start=None):
    """The shipped `Weights/` folder, found as the Swift program finds it: the first folder holding
    Weights/default.safetensors among the (up to five) folders above this package's files (a checkout, or
    an editable install) and the current folder. Empty when there is none (an installed package alone)."""
    folder = os.path.dirname(os.path.realpath(start or __file__))
    candidates = []
    for _ in range(5):
        candidates.append(folder)
        folder = os.path.dirname(folder)
    candidates.append(os.getcwd())
    for candidate in candidates:
        if os.path.isfile(os.path.join(candidate, SHIPPED_WEIGHTS)):
            return [os.path.realpath(os.path.join(candidate, "Weights"))]
    return []


def check_not_shipped(path, folders=None):
    """Raises WeightsError when `path` (after resolving every symbolic link of its folder) lies in a
    shipped weights folder: the Swift program's write policy, which writes there only with --force."""
    folder = os.path.realpath(os.path.dirname(os.path.abspath(path)))
    for protected in shipped_weights_folders() if folders is None else folders:
        if folder == protected or folder.startswith(protected.rstrip(os.sep) + os.sep):
            raise WeightsError(f"not saving {path}: it is in {os.path.basename(protected)}/, which holds the shipped weights; "
                               "name a file elsewhere, or give --force to write there")


def check_replaceable(path, force=False):
    """Raises WeightsError unless a weights save may write `path`: a new file, a weights file (a symbolic
    link is judged by what it points to), or anything with `force` (the Swift program's write policy).
    Without `force`, nothing is written into the shipped weights folder (`check_not_shipped`)."""
    if force:
        return
    check_not_shipped(path)
    if not os.path.lexists(path):
        return
    target = os.path.realpath(path)
    if os.path.isdir(target):
        raise WeightsError(f"cannot save {path}: it is a folder; name a file in it")
    if os.path.exists(target) and not looks_like_weights(target):
        what = "a symbolic link to a file" if os.path.islink(path) else "a file"
        raise WeightsError(f"not saving {path}: it is {what} that is not a weights file; name another file, or give --force to replace it")


def save_atomically(model, meta, path, force=False):
    """Writes the model's state dict with `meta` to a temporary file beside `path`, then renames it;
    replaces only a weights file unless `force` (`check_replaceable`)."""
    check_replaceable(path, force)
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
