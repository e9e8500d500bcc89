#!/usr/bin/env python3
"""Regenerate the word-vector file fixtures in this folder with gensim.

Writes, next to this script (or into --out):
  gensim_text.txt           KeyedVectors.save_word2vec_format(path, binary=False)
  gensim_binary.bin         KeyedVectors.save_word2vec_format(path, binary=True)
  gensim_no_header.txt      KeyedVectors.save_word2vec_format(path, write_header=False): GloVe's layout
  word2vec_c_binary.bin     the same table as word2vec.c writes its binary format: header, then per
                            word its bytes, a space, the float32s little-endian and a line feed
                            (built here with struct from that description; gensim 4.4.0 reads it)
  glove_six_decimals.txt    the same table as GloVe's glove.c writes its text: the word, then
                            " %lf" per value (six decimals), no header
  expected.json             the words, and the float32 bits of every value each file must read as

The table (TABLE_WORDS, the values below) holds the values that are hard to get right in text:
negative zero, the smallest subnormals, the largest floats, infinities and a NaN, and 240 values
of up to nine significant digits drawn with Python's random.random() from a fixed seed (its
sequence is guaranteed across Python versions). Words include UTF-8 ("café", "東京").

Every file is written, or read back, by gensim 4.4.0, and the script asserts that gensim reads
each of the four word2vec/GloVe-layout files back to the table's bits (the six-decimal GloVe file
to the nearest float32 of each decimal, which is what expected.json holds for it, computed exactly
with fractions).

How to run it, from the repository root (a venv outside the repository):

  python3 -m venv /work/venv-io
  /work/venv-io/bin/pip install gensim==4.4.0
  /work/venv-io/bin/python Tests/NNTests/Fixtures/WordVectors/make_fixtures.py           # rewrite
  /work/venv-io/bin/python Tests/NNTests/Fixtures/WordVectors/make_fixtures.py --check   # compare only

--check builds every file in memory and compares it with the committed one byte for byte; it
lists the files that differ and exits with status 1 if any does.
"""
import argparse
import json
import logging
import math
import os
import random
import struct
import sys
import tempfile
from fractions import Fraction

import gensim
import numpy as np
from gensim.models import KeyedVectors

HERE = os.path.dirname(os.path.abspath(__file__))
EXPECTED_GENSIM = "4.4.0"
DIMENSION = 4
SEED = 2026
RANDOM_ROW_COUNT = 60

F32_MAX = float(np.finfo(np.float32).max)
F32_SMALLEST_SUBNORMAL = float(np.finfo(np.float32).smallest_subnormal)
F32_SMALLEST_NORMAL = float(np.finfo(np.float32).smallest_normal)

# Rows whose values test one thing each; float32(x) is applied to every value.
SPECIAL_ROWS = [
    ("</s>", [0.0, -0.0, 1.0, -1.0]),                   # word2vec.c's first word; signed zeros
    ("the", [0.1, -1.0 / 3.0, 123456.79, 1e-10]),       # digits that do not end in binary
    ("café", [F32_SMALLEST_SUBNORMAL, -F32_SMALLEST_SUBNORMAL,
              F32_SMALLEST_NORMAL - F32_SMALLEST_SUBNORMAL, F32_SMALLEST_NORMAL]),   # subnormals, normal edge
    ("東京", [F32_MAX, -F32_MAX, 1e16, 2.0 ** 24]),      # largest floats; where floats start skipping integers
    ("naïve", [math.inf, -math.inf, math.nan, 0.5]),     # non-finite values
]


def table():
    """The words and the float32 table, [word count, DIMENSION]."""
    generator = random.Random(SEED)
    words = [word for word, _ in SPECIAL_ROWS]
    rows = [values for _, values in SPECIAL_ROWS]
    for index in range(RANDOM_ROW_COUNT):
        words.append(f"w{index:03d}")
        # Magnitudes from 1e-6 to 10, as trained vectors have; signs both ways.
        rows.append([(generator.random() * 2 - 1) * 10.0 ** -int(generator.random() * 7) * 10
                     for _ in range(DIMENSION)])
    return words, np.array(rows, dtype=np.float32)


def bits(array):
    return array.astype(np.float32).view(np.uint32).tolist()


def nearest_float32(text):
    """The float32 nearest to the decimal `text` (ties to even), exactly."""
    exact = Fraction(text)
    guess = np.float32(float(text))
    with np.errstate(over="ignore"):
        neighbours = [np.nextafter(guess, np.float32(-np.inf)), guess, np.nextafter(guess, np.float32(np.inf))]
    candidates = [c for c in neighbours if np.isfinite(c)]   # the text is finite and at most float32's largest
    def distance(candidate):
        return abs(Fraction(float(candidate)) - exact)
    best = min(distance(c) for c in candidates)
    tied = [c for c in candidates if distance(c) == best]
    return min(tied, key=lambda c: int(np.float32(c).view(np.uint32)) & 1)   # the even one on a tie


def keyed_vectors(words, vectors):
    kv = KeyedVectors(vector_size=DIMENSION, dtype=np.float32)
    kv.add_vectors(words, vectors)
    return kv


def gensim_file(kv, **options):
    with tempfile.TemporaryDirectory() as directory:
        path = os.path.join(directory, "vectors")
        kv.save_word2vec_format(path, **options)
        with open(path, "rb") as f:
            return f.read()


def gensim_reads(data, **options):
    """The words and vectors gensim reads from `data`."""
    with tempfile.TemporaryDirectory() as directory:
        path = os.path.join(directory, "vectors")
        with open(path, "wb") as f:
            f.write(data)
        kv = KeyedVectors.load_word2vec_format(path, **options)
        return list(kv.index_to_key), kv.vectors


def word2vec_c_binary(words, vectors):
    out = bytearray(f"{len(words)} {DIMENSION}\n".encode())
    for word, row in zip(words, vectors):
        out += word.encode() + b" " + struct.pack(f"<{DIMENSION}f", *row.tolist()) + b"\n"
    return bytes(out)


def glove_six_decimals(words, vectors):
    lines = []
    for word, row in zip(words, vectors):
        if not np.all(np.isfinite(row)):
            continue   # %lf of inf and nan is not part of GloVe's output
        lines.append(word + "".join(" %lf" % float(value) for value in row) + "\n")
    return "".join(lines).encode()


def check_gensim_reads(name, data, words, expected_bits, **options):
    read_words, read_vectors = gensim_reads(data, **options)
    assert read_words == words, f"{name}: gensim reads other words"
    assert bits(read_vectors) == expected_bits, f"{name}: gensim reads other values"


def build():
    words, vectors = table()
    kv = keyed_vectors(words, vectors)
    table_bits = bits(vectors)
    files = {
        "gensim_text.txt": gensim_file(kv, binary=False),
        "gensim_binary.bin": gensim_file(kv, binary=True),
        "gensim_no_header.txt": gensim_file(kv, binary=False, write_header=False),
        "word2vec_c_binary.bin": word2vec_c_binary(words, vectors),
    }
    check_gensim_reads("gensim_text.txt", files["gensim_text.txt"], words, table_bits)
    check_gensim_reads("gensim_binary.bin", files["gensim_binary.bin"], words, table_bits, binary=True)
    check_gensim_reads("gensim_no_header.txt", files["gensim_no_header.txt"], words, table_bits, no_header=True)
    check_gensim_reads("word2vec_c_binary.bin", files["word2vec_c_binary.bin"], words, table_bits, binary=True)

    glove = glove_six_decimals(words, vectors)
    files["glove_six_decimals.txt"] = glove
    glove_words, glove_bits = [], []
    for line in glove.decode().splitlines():
        word, *values = line.split(" ")
        glove_words.append(word)
        glove_bits.append([int(nearest_float32(value).view(np.uint32)) for value in values])

    expected = {
        "source": (f"Tests/NNTests/Fixtures/WordVectors/make_fixtures.py with gensim {gensim.__version__}, "
                   f"numpy {np.__version__}; bits are float32 bit patterns as unsigned integers"),
        "dimension": DIMENSION,
        "words": words,
        "float32_bits": table_bits,
        "glove_six_decimals": {"words": glove_words, "float32_bits": glove_bits},
    }
    files["expected.json"] = (json.dumps(expected, ensure_ascii=True, indent=1) + "\n").encode()
    return files


NOT_FIXTURES = {"README.md", "make_fixtures.py"}


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--check", action="store_true",
                        help="compare with the committed files instead of writing; exit 1 on a difference")
    parser.add_argument("--out", default=HERE, help="output folder (default: this script's folder)")
    arguments = parser.parse_args()
    # gensim logs a warning per save that the table has no 'count' attribute and keeps its order,
    # which is the order wanted here.
    logging.getLogger("gensim").setLevel(logging.ERROR)
    print(f"Python {sys.version.split()[0]}, gensim {gensim.__version__}, numpy {np.__version__}")
    if gensim.__version__ != EXPECTED_GENSIM:
        print(f"warning: the committed fixtures come from gensim {EXPECTED_GENSIM}")
    files = build()
    if arguments.check:
        all_match = True
        for name, data in files.items():
            path = os.path.join(HERE, name)
            committed = open(path, "rb").read() if os.path.exists(path) else None
            status = "byte-identical" if committed == data else "MISSING" if committed is None else "DIFFERS"
            all_match = all_match and committed == data
            print(f"{name}: {status}")
        for name in sorted(set(os.listdir(HERE)) - set(files) - NOT_FIXTURES):
            if os.path.isfile(os.path.join(HERE, name)):
                print(f"{name}: committed but not generated by this script")
                all_match = False
        if not all_match:
            sys.exit(1)
        print("check passed")
        return
    os.makedirs(arguments.out, exist_ok=True)
    for name, data in files.items():
        with open(os.path.join(arguments.out, name), "wb") as f:
            f.write(data)
        print(f"wrote {os.path.join(arguments.out, name)}")


if __name__ == "__main__":
    main()
