#!/usr/bin/env python3
"""Regenerate every fixture in Tests/TensorTests/Fixtures from PyTorch, NumPy and safetensors.

Writes, next to this script (or into --out):
  rng.json                     torch's CPU random draws after torch.manual_seed (golden.json keys
                               `rng`, `seed_document_example`, `Embedding_50257x256_seed123`)
  printing.json                str() of eleven tensors (golden.json `printing`, `printing_note`)
  printing_randn_seed0.json    float32 bit patterns of the two randn tensors printing.json prints
  npy_*.npy                    eight small arrays saved by NumPy (one per .npy feature tested)
  python_dtypes.safetensors    one tensor of each safetensors dtype the Swift reader supports
  torch_embedding.safetensors  a torch.nn.Embedding checkpoint (the seed-123 table)

Every value is computed here by torch, NumPy or safetensors; nothing is copied from golden.json.
Only the descriptive strings (each JSON file's "source", printing.json's "note") are constants.

How to run it, from the repository root (a venv outside the repository; torch is large):

  python3 -m venv /tmp/torch-venv
  /tmp/torch-venv/bin/pip install 'torch==2.15.*' numpy safetensors
  /tmp/torch-venv/bin/python Tests/TensorTests/Fixtures/make_fixtures.py           # rewrite the files
  /tmp/torch-venv/bin/python Tests/TensorTests/Fixtures/make_fixtures.py --check   # compare only

--check builds every file in memory and compares it with the committed one: first byte for byte;
if the bytes differ, JSON files are compared value by value (floats by their bits), .npy files by
format version, dtype, shape, memory order and data bytes, .safetensors files by metadata and each
tensor's dtype, shape and bytes. It exits with status 1 if any value differs.

The random values depend on the machine as well as on torch's version: torch.randn and
nn.Embedding's normal_ init on x86-64 with AVX2 (AVX512 CPUs run the same AVX2 kernel) differ in the
last bits from the scalar kernel used on other CPUs, on Apple Silicon or with
ATEN_CPU_CAPABILITY=default. The committed values are from the x86-64 AVX2 kernel.

The writing and checking machinery (JSON layouts, comparisons, the command line) is also used by
Tests/NNTests/Fixtures/make_fixtures.py, which loads this file as a module.
"""
import argparse
import io
import json
import math
import os
import platform
import struct
import sys

import numpy as np
import safetensors
import safetensors.torch
import torch

HERE = os.path.dirname(os.path.abspath(__file__))

# The torch release the committed values come from. Another release may draw or print differently.
EXPECTED_TORCH_RELEASE = "2.15."
# CPU kernels whose normal_ output the committed values match (see the docstring).
EXPECTED_CPU_CAPABILITIES = ("AVX2", "AVX512")


# ---------------------------------------------------------------------------------------------
# Shared machinery: set-up, JSON layouts, comparisons, command line
# ---------------------------------------------------------------------------------------------

def prepare_torch():
    """Pin what affects the values and report what produced them."""
    # A float64 sum over many elements is split into per-thread partial sums, so its last bit
    # depends on the thread count: Embedding_50257x256_seed123.sum_f64 comes out one ulp lower
    # with two threads. The committed value is the one-thread result.
    torch.set_num_threads(1)
    capability = torch.backends.cpu.get_cpu_capability()
    print(f"Python {platform.python_version()}, torch {torch.__version__}, numpy {np.__version__}, "
          f"safetensors {safetensors.__version__}, CPU capability {capability}, 1 thread")
    if not torch.__version__.startswith(EXPECTED_TORCH_RELEASE):
        print(f"warning: the committed fixtures come from torch {EXPECTED_TORCH_RELEASE}x; "
              f"values may differ with torch {torch.__version__}")
    if capability not in EXPECTED_CPU_CAPABILITIES:
        print(f"warning: the committed random values come from the x86-64 AVX2 normal_ kernel; "
              f"torch is running the {capability} kernel here, whose last bits differ")


def json_indent1(value):
    """The layout of rng.json and embedding_golden.json: json.dumps(indent=1), no final newline."""
    return json.dumps(value, indent=1).encode()


def json_one_line_per_key(top, separators, expanded=()):
    """The layout of printing.json and printing_randn_seed0.json: each top-level member on one
    line indented by two spaces, its value written with `separators`; a member named in `expanded`
    is an object written one member per line, indented by four. Ends with a newline."""
    def member(key, value, indent):
        return f'{indent}{json.dumps(key)}: {json.dumps(value, separators=separators)}'

    lines = []
    for key, value in top.items():
        if key in expanded:
            inner = [member(k, v, "    ") for k, v in value.items()]
            lines.append(f'  {json.dumps(key)}: {{\n' + ",\n".join(inner) + "\n  }")
        else:
            lines.append(member(key, value, "  "))
    return ("{\n" + ",\n".join(lines) + "\n}\n").encode()


def float_bits(x):
    return struct.pack("<d", x)


def json_differences(committed, regenerated, path="$"):
    """Every place where two parsed JSON values differ. Types must match exactly (1 is not 1.0,
    True is not 1) and floats must have the same bits (so -0.0 differs from 0.0, NaN equals NaN)."""
    if type(committed) is not type(regenerated):
        yield f"{path}: committed {committed!r} ({type(committed).__name__}), " \
              f"regenerated {regenerated!r} ({type(regenerated).__name__})"
    elif isinstance(committed, dict):
        if list(committed) != list(regenerated):
            missing = [k for k in committed if k not in regenerated]
            extra = [k for k in regenerated if k not in committed]
            yield f"{path}: keys differ (missing {missing}, extra {extra}, or a different order)"
        for key in committed:
            if key in regenerated:
                yield from json_differences(committed[key], regenerated[key], f"{path}.{key}")
    elif isinstance(committed, list):
        if len(committed) != len(regenerated):
            yield f"{path}: length {len(committed)} committed, {len(regenerated)} regenerated"
        for i, (a, b) in enumerate(zip(committed, regenerated)):
            yield from json_differences(a, b, f"{path}[{i}]")
    elif isinstance(committed, float):
        if float_bits(committed) != float_bits(regenerated):
            yield f"{path}: committed {committed!r}, regenerated {regenerated!r}"
    elif committed != regenerated:
        yield f"{path}: committed {committed!r}, regenerated {regenerated!r}"


def read_npy(data):
    """(format version, dtype, shape, Fortran order, data bytes) of a .npy file's bytes."""
    stream = io.BytesIO(data)
    version = np.lib.format.read_magic(stream)
    if version == (1, 0):
        shape, fortran_order, dtype = np.lib.format.read_array_header_1_0(stream)
    else:
        shape, fortran_order, dtype = np.lib.format.read_array_header_2_0(stream)
    return {"format version": version, "dtype": dtype.str, "shape": shape,
            "fortran_order": fortran_order, "data bytes": stream.read()}


def npy_differences(committed, regenerated):
    a, b = read_npy(committed), read_npy(regenerated)
    for field in a:
        if a[field] != b[field]:
            yield f"{field}: committed {a[field]!r}, regenerated {b[field]!r}"


def read_safetensors(data):
    """(metadata, {name: (dtype, shape, bytes)}) of a .safetensors file's bytes."""
    header_length = struct.unpack("<Q", data[:8])[0]
    header = json.loads(data[8:8 + header_length])
    payload = data[8 + header_length:]
    metadata = header.pop("__metadata__", None)
    tensors = {name: (entry["dtype"], entry["shape"],
                      payload[entry["data_offsets"][0]:entry["data_offsets"][1]])
               for name, entry in header.items()}
    return metadata, tensors


def safetensors_differences(committed, regenerated):
    (meta_a, tensors_a), (meta_b, tensors_b) = read_safetensors(committed), read_safetensors(regenerated)
    if meta_a != meta_b:
        yield f"__metadata__: committed {meta_a!r}, regenerated {meta_b!r}"
    if sorted(tensors_a) != sorted(tensors_b):
        yield f"tensor names: committed {sorted(tensors_a)}, regenerated {sorted(tensors_b)}"
    for name in sorted(set(tensors_a) & set(tensors_b)):
        for field, x, y in zip(("dtype", "shape", "bytes"), tensors_a[name], tensors_b[name]):
            if x != y:
                yield f"{name}.{field}: committed {x!r}, regenerated {y!r}"


def value_differences(name, committed, regenerated):
    if name.endswith(".json"):
        return list(json_differences(json.loads(committed), json.loads(regenerated)))
    if name.endswith(".npy"):
        return list(npy_differences(committed, regenerated))
    if name.endswith(".safetensors"):
        return list(safetensors_differences(committed, regenerated))
    raise ValueError(f"no comparison for {name}")


# Files in a fixture folder that are not fixtures and so are neither generated nor checked.
NOT_FIXTURES = {"README.md", "make_fixtures.py"}
# Differences listed per file before the rest are only counted.
MAX_LISTED_DIFFERENCES = 20


def check(files, folder):
    """Compare regenerated files with the committed ones; True when every value matches."""
    all_match = True
    for name, regenerated in files.items():
        path = os.path.join(folder, name)
        if not os.path.exists(path):
            print(f"{name}: MISSING (not committed)")
            all_match = False
            continue
        with open(path, "rb") as f:
            committed = f.read()
        if committed == regenerated:
            print(f"{name}: byte-identical")
            continue
        differences = value_differences(name, committed, regenerated)
        if not differences:
            print(f"{name}: value-identical, but the bytes differ (layout or order)")
            continue
        all_match = False
        print(f"{name}: DIFFERS in {len(differences)} place(s)")
        for line in differences[:MAX_LISTED_DIFFERENCES]:
            print(f"    {line}")
        if len(differences) > MAX_LISTED_DIFFERENCES:
            print(f"    ... and {len(differences) - MAX_LISTED_DIFFERENCES} more")
    unexpected = sorted(entry for entry in os.listdir(folder)
                        if os.path.isfile(os.path.join(folder, entry))
                        and entry not in files and entry not in NOT_FIXTURES)
    for name in unexpected:
        print(f"{name}: committed but not generated by this script")
        all_match = False
    return all_match


def main(build, folder, description):
    """Command line shared by the fixture scripts: write `build()`'s files, or --check them."""
    parser = argparse.ArgumentParser(description=description)
    parser.add_argument("--check", action="store_true",
                        help="compare with the committed files instead of writing; exit 1 on a difference")
    parser.add_argument("--out", default=folder, help="output folder (default: this script's folder)")
    arguments = parser.parse_args()
    prepare_torch()
    files = build()
    if arguments.check:
        if not check(files, folder):
            sys.exit(1)
        print("check passed")
        return
    os.makedirs(arguments.out, exist_ok=True)
    for name, data in files.items():
        with open(os.path.join(arguments.out, name), "wb") as f:
            f.write(data)
        print(f"wrote {os.path.join(arguments.out, name)}")


def seed_document_table():
    """The seed chapter's table: torch.manual_seed(123); nn.Embedding(6, 3).weight."""
    torch.manual_seed(123)
    return torch.nn.Embedding(6, 3).weight.detach()


def to_lists(value):
    """A tensor, or a list of tensors, as nested Python lists (float32 become their exact double)."""
    if isinstance(value, torch.Tensor):
        return value.tolist()
    return [to_lists(item) for item in value]


# ---------------------------------------------------------------------------------------------
# rng.json
# ---------------------------------------------------------------------------------------------

RNG_SOURCE = ("Copied from reference/golden.json (torch 2.15.0, x86-64 AVX2 path); "
              "each key keeps its golden.json name.")

# Each case runs right after torch.manual_seed(seed) and is stored as f"seed{seed}_{name}".
# Sizes are chosen around normal_'s two paths: fewer than 16 elements use the double Box-Muller
# with its cached second value, 16 or more the 16-wide float kernel (37 also has a tail block).
RNG_CASES = [
    ("randn5_f32", lambda: torch.randn(5)),
    ("randn16_f32", lambda: torch.randn(16)),
    ("randn37_f32", lambda: torch.randn(37)),
    ("randn3x5_f64", lambda: torch.randn(3, 5, dtype=torch.float64)),
    ("rand7_f32", lambda: torch.rand(7)),
    ("rand4_f64", lambda: torch.rand(4, dtype=torch.float64)),
    ("randperm12", lambda: torch.randperm(12)),
    ("randint_0_10_x6", lambda: torch.randint(0, 10, (6,))),
    # A range of at least 2^28 switches randint to 64-bit draws.
    ("randint_0_2p30_x4", lambda: torch.randint(0, 2**30, (4,))),
    ("Embedding_11x7", lambda: torch.nn.Embedding(11, 7).weight.detach()),
    ("Embedding_5x4_pad-1", lambda: torch.nn.Embedding(5, 4, padding_idx=-1).weight.detach()),
    # Three calls in a row: the cached Box-Muller value of the first survives the second.
    ("sequence_randn3_randn20_rand2", lambda: [torch.randn(3), torch.randn(20), torch.rand(2)]),
]
RNG_SEEDS = (0, 123)


def rng_json():
    draws = {}
    for seed in RNG_SEEDS:
        for name, draw in RNG_CASES:
            torch.manual_seed(seed)
            draws[f"seed{seed}_{name}"] = to_lists(draw())

    torch.manual_seed(123)
    gpt2_sized = torch.nn.Embedding(50257, 256).weight.detach()
    wide = gpt2_sized.double()
    return json_indent1({
        "source": RNG_SOURCE,
        "rng": draws,
        "seed_document_example": {"seed": 123, "Embedding_6x3": seed_document_table().tolist()},
        "Embedding_50257x256_seed123": {
            "row0_first5": gpt2_sized[0, :5].tolist(),
            "row1_first5": gpt2_sized[1, :5].tolist(),
            "lastrow_last5": gpt2_sized[-1, -5:].tolist(),
            "sum_f64": wide.sum().item(),
            "abs_sum_f64": wide.abs().sum().item(),
        },
    })


# ---------------------------------------------------------------------------------------------
# printing.json and printing_randn_seed0.json
# ---------------------------------------------------------------------------------------------

PRINTING_SOURCE = ("golden.json key 'printing' (torch 2.15.0+cu132 str() output); "
                   "'note' is golden.json 'printing_note'")
PRINTING_NOTE = ("torch str() of each tensor. Generated after torch.manual_seed(0): large_summarized_2d = "
                 "randn(50257,256)[:8].repeat(200,1) (first draw), then large_3d = randn(8,4,256); "
                 "seed_table_6x3 after manual_seed(123). Match the numeric text exactly; the suffix after "
                 "the numbers (requires_grad, dtype, grad_fn) may use Swift spelling.")
RANDN_BITS_SOURCE = (
    "Float32 bit patterns of torch.randn draws after torch.manual_seed(0), x86-64 AVX2 normal_fill path, "
    "regenerated offline with shared/reference/emulators/vec_avx.py (fill_blocks) on MT19937 seed 0 uniforms "
    "(uint32 & 0xFFFFFF) * 2^-24, cross-checked bit-for-bit against emulators/avxnorm.py fill16_avx with exact "
    "FMA and against golden.json rng.seed0_randn16_f32. large_summarized_2d_rows: the 8 rows of "
    "randn(50257, 256)[:8] (uniform draws 0..<2048); the tensor is these rows repeated 200 times (golden.json "
    "printing.large_summarized_2d). large_3d: randn(8, 4, 256), drawn right after the 50257*256 = 12865792 "
    "uniforms of the first call (draws 12865792..<12873984) (golden.json printing.large_3d).")


def printed_case(tensor, store_values=True):
    """One printing.json case. Large tensors store no values (printing_randn_seed0.json has
    them as bits); integer and bool tensors cannot require a gradient, so they have no such string."""
    return {
        "values": tensor.flatten().tolist() if store_values else None,
        "shape": list(tensor.shape),
        "dtype": str(tensor.dtype),
        "torch_str": str(tensor),
        "torch_str_requires_grad": str(tensor.clone().requires_grad_()) if tensor.is_floating_point() else None,
    }


def float32_bits(tensor):
    return {"shape": list(tensor.shape), "bits": tensor.contiguous().numpy().view(np.uint32).ravel().tolist()}


def printing_files():
    # Both large tensors come from one seed-0 stream: the 8 rows first, then the 3-D tensor.
    torch.manual_seed(0)
    first_rows = torch.randn(50257, 256)[:8]
    large_3d = torch.randn(8, 4, 256)
    cases = {
        "seed_table_6x3": printed_case(seed_document_table()),
        "vector_small": printed_case(torch.tensor([0.5, -0.2, 0.1])),
        "ints": printed_case(torch.tensor([[1, 2, 3], [4, 5, 6]])),
        "integral_floats": printed_case(torch.tensor([1.0, 2.0, -3.0])),
        "wide_range_sci": printed_case(torch.tensor([1e-5, 1.0, 12345.0])),
        "large_summarized_2d": printed_case(first_rows.repeat(200, 1), store_values=False),
        "large_3d": printed_case(large_3d, store_values=False),
        "scalar": printed_case(torch.tensor(3.25)),
        "empty": printed_case(torch.zeros(0, 3)),
        "float64": printed_case(torch.tensor([0.1, 0.25], dtype=torch.float64)),
        "bool": printed_case(torch.tensor([True, False])),
    }
    printing = json_one_line_per_key({"source": PRINTING_SOURCE, "note": PRINTING_NOTE, "cases": cases},
                                     separators=(", ", ": "), expanded=("cases",))
    randn_bits = json_one_line_per_key({"source": RANDN_BITS_SOURCE,
                                        "large_summarized_2d_rows": float32_bits(first_rows),
                                        "large_3d": float32_bits(large_3d)},
                                       separators=(",", ":"))
    return {"printing.json": printing, "printing_randn_seed0.json": randn_bits}


# ---------------------------------------------------------------------------------------------
# .npy files: one array per header feature the Swift reader handles
# ---------------------------------------------------------------------------------------------

def npy_bytes(array, version=None):
    """np.save's output; `version` forces a format version (np.save picks the lowest that fits)."""
    stream = io.BytesIO()
    if version is None:
        np.save(stream, array)
    else:
        np.lib.format.write_array(stream, array, version=version)
    return stream.getvalue()


def npy_files():
    return {
        "npy_f4.npy": npy_bytes((np.arange(6, dtype=np.float32) * 0.5 - 1).reshape(2, 3)),
        "npy_f8.npy": npy_bytes(np.array([0.1, -1e300, 5e-324])),
        "npy_i8.npy": npy_bytes(np.array([[-2**63, 2**63 - 1], [0, -1]], dtype=np.int64)),
        "npy_i4_scalar.npy": npy_bytes(np.array(-7, dtype=np.int32)),
        "npy_b1.npy": npy_bytes(np.array([True, False, True])),
        "npy_f4_empty.npy": npy_bytes(np.zeros((0, 2), dtype=np.float32)),
        "npy_f4_v2.npy": npy_bytes(np.array([1, 2, 3, 4], dtype=np.float32), version=(2, 0)),
        "npy_f4_fortran.npy": npy_bytes(np.asfortranarray(np.array([[1, 2], [3, 4]], dtype=np.float32))),
    }


# ---------------------------------------------------------------------------------------------
# .safetensors files
# ---------------------------------------------------------------------------------------------

def with_sorted_metadata(data):
    """A .safetensors file's bytes with its __metadata__ members in sorted key order.

    safetensors keeps the metadata in a Rust HashMap, so with two or more keys their order in the
    header changes from call to call. Sorting them makes the file the same on every run. The
    rewritten span has the same length, so the header's padding and data offsets do not move."""
    header_length = struct.unpack("<Q", data[:8])[0]
    header = data[8:8 + header_length]
    metadata = json.loads(header)["__metadata__"]

    def serialized(members):  # as safetensors writes it: compact, UTF-8, no ASCII escapes
        return json.dumps(members, separators=(",", ":"), ensure_ascii=False).encode()

    written = b'"__metadata__":' + serialized(metadata)
    assert header.count(written) == 1, "unexpected safetensors header layout"
    header = header.replace(written, b'"__metadata__":' + serialized(dict(sorted(metadata.items()))))
    return data[:8] + header + data[8 + header_length:]


def python_dtypes_safetensors():
    """One tensor per dtype, with edge values (extremes, subnormals, -0, infinities, NaN).

    NumPy has no bfloat16, so that tensor is made by torch, which rounds each value to the
    nearest bfloat16 (ties to even): bits 0x3f80, 0x4049, 0xff62, 0x0001, 0x7f80. All tensors go
    through safetensors.torch; safetensors lays out the header and data the same way for NumPy
    and torch inputs, so the file is the one safetensors.numpy would write."""
    arrays = {
        "f32": np.array([[1.5, -2.25, 3e-8], [65504.0, -0.0, np.inf]], dtype=np.float32),
        "f64": np.array([0.1, -1e300, 5e-324], dtype=np.float64),
        "f16": np.array([1.0, -2.0, 1 / 3, 65504.0, 2**-14, 2**-24, -np.inf, np.nan], dtype=np.float16),
        "i64": np.array([[-2**63, 2**63 - 1], [0, -1]], dtype=np.int64),
        "i32": np.array([-2**31, 2**31 - 1, 7], dtype=np.int32),
        "bool": np.array([[True, False], [False, True]]),
        "u8": np.array([0, 255], dtype=np.uint8),
        "scalar": np.array(42.5, dtype=np.float32),
        "empty": np.zeros((0, 3), dtype=np.float32),
    }
    tensors = {name: torch.from_numpy(array) for name, array in arrays.items()}
    tensors["bf16"] = torch.tensor([1.0, math.pi, -3e38, 1e-40, math.inf], dtype=torch.bfloat16)
    return with_sorted_metadata(
        safetensors.torch.save(tensors, metadata={"format": "np", "note": "caf\u00e9 \u2713"}))


def torch_embedding_safetensors():
    table = seed_document_table()
    return safetensors.torch.save({"token.weight": table, "half": table[:2].half(),
                                   "bf16": table[:2].bfloat16(), "ids": torch.arange(4)},
                                  metadata={"format": "pt"})


def build():
    files = {"rng.json": rng_json()}
    files.update(printing_files())
    files.update(npy_files())
    files["python_dtypes.safetensors"] = python_dtypes_safetensors()
    files["torch_embedding.safetensors"] = torch_embedding_safetensors()
    return files


if __name__ == "__main__":
    main(build, HERE, __doc__.split("\n\n")[0])
