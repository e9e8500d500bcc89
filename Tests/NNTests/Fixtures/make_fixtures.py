#!/usr/bin/env python3
"""Regenerate Tests/NNTests/Fixtures/embedding_golden.json from PyTorch.

Writes, next to this script (or into --out), embedding_golden.json with these golden.json keys:
  seed_document_example          the seed chapter's nn.Embedding(6, 3) (seed 123), printed
  embedding_forward_backward     F.embedding forward and dense backward under six option sets
  sinusoidal_8x6                 the sine/cosine position table, 8 positions x 6 features
  relative_positions             a clipped relative-position lookup, forward and backward
  token_plus_position_training   three SGD-with-momentum steps on token + position embeddings

Every value is computed here by torch; nothing is copied from golden.json. Only the descriptive
strings ("source", the training case's "note") are constants. The GPT2/ subfolder has its own
script (GPT2/make_fixtures.py) and is not touched.

How to run it, from the repository root (a venv outside the repository; torch is large):

  python3 -m venv /tmp/torch-venv
  /tmp/torch-venv/bin/pip install 'torch==2.15.*' numpy safetensors
  /tmp/torch-venv/bin/python Tests/NNTests/Fixtures/make_fixtures.py           # rewrite the file
  /tmp/torch-venv/bin/python Tests/NNTests/Fixtures/make_fixtures.py --check   # compare only

--check builds the file in memory and compares it with the committed one, byte for byte and, if
the bytes differ, value by value (floats by their bits); it exits with status 1 on a difference.

The random values (weights, upstream gradients, targets) come from torch.randn and nn.Embedding's
normal_ init, whose last bits depend on the CPU kernel: the committed values are from the x86-64
AVX2 kernel (AVX512 CPUs run the same one), not the scalar kernel of other CPUs.

The writing and checking machinery is shared with Tests/TensorTests/Fixtures/make_fixtures.py,
loaded from there as a module, so both folders are written and checked by the same rules.
"""
import importlib.util
import os
import sys

import torch

HERE = os.path.dirname(os.path.abspath(__file__))


def load_shared_machinery():
    path = os.path.join(HERE, "..", "..", "TensorTests", "Fixtures", "make_fixtures.py")
    # Keep the fixture folders free of __pycache__: they are copied into the test bundles.
    sys.dont_write_bytecode = True
    spec = importlib.util.spec_from_file_location("tensor_fixtures", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


shared = load_shared_machinery()

SOURCE = "Copied verbatim from reference/golden.json (torch 2.15, x86-64 AVX2 path); keys unchanged."


def seed_document_example():
    table = shared.seed_document_table()
    return {
        "seed": 123,
        "Embedding_6x3": table.tolist(),
        "printed": str(table),
        # The looked-up row as printed without autograd (no grad_fn suffix).
        "lookup_index_3": str(torch.nn.functional.embedding(torch.tensor([3]), table)),
    }


# Repeated indices (1 and 2 three times each) so that gradients accumulate and
# scale_grad_by_freq has counts other than 1; rows 3 and 4 are never looked up.
FORWARD_BACKWARD_INDICES = [[1, 2, 2, 5], [0, 2, 1, 1]]
FORWARD_BACKWARD_OPTIONS = [
    {},
    {"padding_idx": 0},
    {"scale_grad_by_freq": True},
    {"padding_idx": 2, "scale_grad_by_freq": True},
    {"max_norm": 1.0},
    {"max_norm": 0.5, "norm_type": 1.0},
]


def embedding_forward_backward():
    """For each option set: a fresh weight and upstream gradient from one seed-1 stream, the
    lookup, the weight after it (max_norm renormalises referenced rows in place) and its gradient."""
    indices = torch.tensor(FORWARD_BACKWARD_INDICES)
    torch.manual_seed(1)
    cases = []
    for options in FORWARD_BACKWARD_OPTIONS:
        weight_before = torch.randn(6, 4)
        upstream_grad = torch.randn(2, 4, 4)
        # _weight is used as given: the padding row is not zeroed and no random init is drawn.
        embedding = torch.nn.Embedding(6, 4, _weight=weight_before.clone(), **options)
        output = embedding(indices)
        output.backward(upstream_grad)
        cases.append({
            "options": options,
            "weight_before": weight_before.tolist(),
            "indices": FORWARD_BACKWARD_INDICES,
            "upstream_grad": upstream_grad.tolist(),
            "output": output.tolist(),
            "weight_after_forward": embedding.weight.tolist(),
            "weight_grad": embedding.weight.grad.tolist(),
        })
    return cases


def sinusoidal_table(length, size):
    """table[t, 2i] = sin(t / 10000^(2i / size)), table[t, 2i + 1] = cos(same angle), computed in
    float64 and rounded to float32 once (building it in float32 gives other last bits)."""
    positions = torch.arange(length, dtype=torch.float64)[:, None]
    pair_starts = torch.arange(0, size, 2, dtype=torch.float64)
    angles = positions / torch.pow(10000.0, pair_starts / size)
    table = torch.zeros(length, size, dtype=torch.float64)
    table[:, 0::2] = torch.sin(angles)
    table[:, 1::2] = torch.cos(angles)
    return table.float()


RELATIVE_MAX_DISTANCE = 2
RELATIVE_LENGTH = 5


def relative_positions():
    """output[i, j] = table[clip(j - i, -K, K) + K] with K = max_distance, and the table's gradient
    for a random upstream gradient (seed 4: the table first, then the gradient)."""
    k, length = RELATIVE_MAX_DISTANCE, RELATIVE_LENGTH
    torch.manual_seed(4)
    table = torch.randn(2 * k + 1, 3)
    upstream_grad = torch.randn(length, length, 3)
    distances = torch.arange(length)[None, :] - torch.arange(length)[:, None]
    weight = table.clone().requires_grad_()
    output = torch.nn.functional.embedding(distances.clamp(-k, k) + k, weight)
    output.backward(upstream_grad)
    return {
        "max_distance": k,
        "length": length,
        "table": table.tolist(),
        "output": output.tolist(),
        "upstream_grad": upstream_grad.tolist(),
        "table_grad": weight.grad.tolist(),
    }


TRAINING_NOTE = ("manual_seed(seed); tok=Embedding(10,4); pos=Embedding(3,4) (created in that order); "
                 "tgt=randn(2,3,4); SGD(lr=0.5, momentum=0.9); 3 steps of loss=sum((tok(idx)+pos(arange(3)))*tgt)")
TRAINING_SEED = 3
TRAINING_INDICES = [[1, 4, 4], [9, 0, 1]]


def token_plus_position_training():
    torch.manual_seed(TRAINING_SEED)
    token = torch.nn.Embedding(10, 4)
    position = torch.nn.Embedding(3, 4)
    target = torch.randn(2, 3, 4)
    token_weight0 = token.weight.detach().clone()
    position_weight0 = position.weight.detach().clone()
    indices = torch.tensor(TRAINING_INDICES)
    optimizer = torch.optim.SGD(list(token.parameters()) + list(position.parameters()), lr=0.5, momentum=0.9)
    losses = []
    for _ in range(3):
        optimizer.zero_grad()
        loss = ((token(indices) + position(torch.arange(3))) * target).sum()
        loss.backward()
        optimizer.step()
        losses.append(loss.item())
    return {
        "note": TRAINING_NOTE,
        "seed": TRAINING_SEED,
        "indices": TRAINING_INDICES,
        "target": target.tolist(),
        "tok_weight0": token_weight0.tolist(),
        "pos_weight0": position_weight0.tolist(),
        "losses": losses,
        "tok_weight_final": token.weight.tolist(),
        "pos_weight_final": position.weight.tolist(),
    }


def build():
    return {"embedding_golden.json": shared.json_indent1({
        "source": SOURCE,
        "seed_document_example": seed_document_example(),
        "embedding_forward_backward": embedding_forward_backward(),
        "sinusoidal_8x6": sinusoidal_table(8, 6).tolist(),
        "relative_positions": relative_positions(),
        "token_plus_position_training": token_plus_position_training(),
    })}


if __name__ == "__main__":
    shared.main(build, HERE, __doc__.split("\n\n")[0])
