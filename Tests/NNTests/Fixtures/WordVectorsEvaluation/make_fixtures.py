#!/usr/bin/env python3
"""Regenerate the word-vector evaluation fixtures in this folder, with gensim's answers for them.

Writes, next to this script (or into --out):
  words.txt              the 2 000 words of a small table, one per line, most frequent first
  vectors.npy            its vectors, float32 [2000, 16]
  pairs.tsv              word pairs with made-up human scores, in the layout of gensim's
                         wordsim353.tsv (tab-separated, a `#` comment line, then a header line)
  questions.txt          analogy questions in the layout of word2vec's questions-words.txt
  gensim_results.json    what gensim 4.4.0's KeyedVectors.evaluate_word_pairs and
                         evaluate_word_analogies return for them, for four settings each

The table is random but structured so that both evaluations have something to find: 150 entities,
each in four forms ("w017", "w017s", "w017ed", "w017ing"), whose vectors are an entity vector plus a
form vector plus noise; 1 400 other words are noise. Some words come in a second casing (a
capitalised variant, sometimes more frequent than the lower-case one, with its own vector), a few
are non-ASCII ("café", "straße", "éclair"), and rows are in a shuffled "frequency" order. The
questions ask form analogies ("w017 is to w017s as w042 is to w042s") in four sections, plus an
empty section, questions written in other casings, questions with unknown words and questions
whose words lie beyond row 1 500. The pairs mix related and unrelated words, repeat one pair and
swap another (so similarities tie), round their scores to one decimal (so scores tie), and include
unknown words, other casings and far rows.

A question or pair whose outcome hangs on a near tie is left out: both sides compute in float32,
in different orders, so scores closer than about 1e-6 could rank differently. Each question's best
9 candidates (among the first 1 500 rows and among all rows), and the similarities of distinct
pairs, are kept at least 1e-5 apart, checked in float64.

How to run it, from the repository root (a venv outside the repository):

  python3 -m venv /work/venv-eval && /work/venv-eval/bin/pip install gensim==4.4.0
  /work/venv-eval/bin/python Tests/NNTests/Fixtures/WordVectorsEvaluation/make_fixtures.py           # rewrite
  /work/venv-eval/bin/python Tests/NNTests/Fixtures/WordVectorsEvaluation/make_fixtures.py --check   # compare only

--check builds every file in memory and compares it with the committed one: first byte for byte;
if the bytes differ, gensim_results.json is compared value by value (floats by their bits) and
vectors.npy by dtype, shape and data bytes. It exits with status 1 if any value differs.

The random values come from NumPy's PCG64 generator (numpy.random.default_rng), whose streams are
reproducible across machines. gensim's similarities are float32 dot products through the BLAS
bundled with NumPy, so Pearson's r (not Spearman's ρ, which only sees ranks) may differ in its
last bits on another CPU; the Swift test compares it to 1e-6.

The conventions are those of Tests/TensorTests/Fixtures/make_fixtures.py (a build() of every file,
--check, --out); its machinery is not imported because it imports torch, which this does not need.
"""
import argparse
import io
import json
import logging
import os
import struct
import sys
import tempfile

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))

EXPECTED_GENSIM = "4.4.0"
SEED = 20261207
DIMENSION = 16
ROW_COUNT = 2000
ENTITY_COUNT = 150
FORMS = ["", "s", "ed", "ing"]
RESTRICTED_ROWS = 1500
MINIMUM_GAP = 1e-5
# The settings each evaluation runs with: (case_insensitive, restrict_vocab).
SETTINGS = [(True, 300000), (True, RESTRICTED_ROWS), (False, 300000), (False, RESTRICTED_ROWS)]
PAIRS_HEADER = ("# Made-up word pairs for swift-autograd's WordVectorsEvaluationTests "
                "(Tests/NNTests/Fixtures/WordVectorsEvaluation/make_fixtures.py)\n"
                "Word 1\tWord 2\tHuman (mean)\n")


def structured_table(rng):
    """(words in row order, float32 vectors, entity of each word or None, form of each word)."""
    entities = rng.standard_normal((ENTITY_COUNT, DIMENSION))
    forms = 1.2 * rng.standard_normal((len(FORMS), DIMENSION))
    entries = []  # (word, vector, entity, form)
    for entity in range(ENTITY_COUNT):
        for form_index, suffix in enumerate(FORMS):
            vector = entities[entity] + forms[form_index] + 0.45 * rng.standard_normal(DIMENSION)
            entries.append((f"w{entity:03d}{suffix}", vector, entity, form_index))
    # Capitalised variants with vectors of their own: their rows are placed below.
    variants = []
    for entity in rng.choice(ENTITY_COUNT, size=40, replace=False):
        suffix = FORMS[int(rng.integers(len(FORMS)))]
        variants.append((f"W{entity:03d}{suffix}", rng.standard_normal(DIMENSION), None, None))
    entries.append(("WORD", rng.standard_normal(DIMENSION), None, None))
    entries.append(("word", rng.standard_normal(DIMENSION), None, None))
    for word in ["café", "CAFÉ", "straße", "STRASSE", "éclair", "Éclair"]:
        entries.append((word, rng.standard_normal(DIMENSION), None, None))
    noise_count = ROW_COUNT - len(entries) - len(variants)
    for index in range(noise_count):
        entries.append((f"n{index:04d}", 1.3 * rng.standard_normal(DIMENSION), None, None))
    order = list(rng.permutation(len(entries)))
    rows = [entries[i] for i in order]
    # Each variant goes right after or well before its lower-case word, so that in some the
    # capitalised casing is the more frequent (first) one and in others the less frequent.
    for number, variant in enumerate(variants):
        lower = variant[0].lower()
        position = next(i for i, row in enumerate(rows) if row[0] == lower)
        rows.insert(max(0, position - 37) if number % 4 == 0 else position + 1 + number % 3, variant)
    assert len(rows) == ROW_COUNT and len({row[0] for row in rows}) == ROW_COUNT
    words = [row[0] for row in rows]
    vectors = np.array([row[1] for row in rows], dtype=np.float32)
    return words, vectors, [row[2] for row in rows], [row[3] for row in rows]


def near_tie(scores, count):
    """True when two of the `count` largest scores are closer than MINIMUM_GAP."""
    best = np.sort(scores)[::-1][:count]
    return bool(np.any(best[:-1] - best[1:] < MINIMUM_GAP))


def question_is_clear(vocabularies, unit, question):
    """No near tie among the 9 best candidates of the question's 3CosAdd query (gensim looks at
    8), among the first RESTRICTED_ROWS rows and among all rows, for either casing rule."""
    for (case_insensitive, limit), vocabulary in vocabularies.items():
        rows = [vocabulary.get(word.upper() if case_insensitive else word) for word in question[:3]]
        if None in rows:
            continue
        a, b, c = (unit[row] for row in rows)
        query = b + c - a
        query /= np.linalg.norm(query)
        if near_tie(unit[:min(limit, ROW_COUNT)] @ query, 9):
            return False
    return True


def evaluation_vocabularies(words):
    """gensim's ok_vocab for each setting: `{k.upper(): index}` (or `{k: index}`) built over the
    first restrict_vocab words in reverse, so that the first row of each key wins."""
    vocabularies = {}
    for case_insensitive, limit in SETTINGS:
        kept = list(enumerate(words[:limit]))
        vocabularies[(case_insensitive, limit)] = {
            (word.upper() if case_insensitive else word): row for row, word in reversed(kept)}
    return vocabularies


def unit_rows(vectors):
    wide = vectors.astype(np.float64)
    return wide / np.linalg.norm(wide, axis=1, keepdims=True)


def make_questions(rng, words, vectors, entity_of, form_of):
    unit = unit_rows(vectors)
    vocabularies = evaluation_vocabularies(words)
    word_of = {(entity_of[row], form_of[row]): words[row] for row in range(ROW_COUNT) if entity_of[row] is not None}
    sections = [("plural", 0, 1), ("past-tense", 0, 2), ("progressive", 0, 3), ("past-to-progressive", 2, 3)]
    lines = []
    for name, source, target in sections:
        lines.append(f": {name}")
        kept = 0
        while kept < 90:
            first, third = rng.choice(ENTITY_COUNT, size=2, replace=False)
            question = [word_of[(first, source)], word_of[(first, target)],
                        word_of[(third, source)], word_of[(third, target)]]
            if question_is_clear(vocabularies, unit, question):
                lines.append(" ".join(question))
                kept += 1
    lines.append(": empty-section")
    lines.append(": other-casings-and-unknown-words")
    extras = []
    for _ in range(30):  # written in other casings
        first, third = rng.choice(ENTITY_COUNT, size=2, replace=False)
        question = [word_of[(first, 0)].upper(), word_of[(first, 1)].capitalize(),
                    word_of[(third, 0)], word_of[(third, 1)].upper()]
        extras.append(question)
    for number in range(20):  # one unknown word each
        first, third = rng.choice(ENTITY_COUNT, size=2, replace=False)
        question = [word_of[(first, 0)], word_of[(first, 2)], word_of[(third, 0)], word_of[(third, 2)]]
        question[number % 4] = f"unknown{number}"
        extras.append(question)
    for question in extras:
        if question_is_clear(vocabularies, unit, question):
            lines.append(" ".join(question))
    return "\n".join(lines) + "\n"


def make_pairs(rng, words, vectors, entity_of):
    unit = unit_rows(vectors)
    structured = [row for row in range(ROW_COUNT) if entity_of[row] is not None]
    pairs = []
    while len(pairs) < 260:
        if rng.random() < 0.5:  # two structured words, often related
            first, second = rng.choice(structured, size=2, replace=False)
        else:
            first, second = rng.choice(ROW_COUNT, size=2, replace=False)
        cosine = float(unit[first] @ unit[second])
        score = round(float(np.clip(5 + 5 * cosine + rng.normal(0, 1.5), 0, 10)), 1)
        pairs.append([words[first], words[second], score])
    pairs.append(list(pairs[3]))                           # a repeated pair: tied similarities
    pairs.append([pairs[7][1], pairs[7][0], pairs[7][2]])  # a swapped pair: tied similarities
    for number in range(12):                               # unknown words
        pairs.append([f"unknown{number}", words[number * 7], float(number % 10)])
    for number in range(10):                               # other casings
        pairs.append([words[structured[number * 11]].upper(), words[structured[number * 13 + 1]].capitalize(), 4.5])
    pairs += [["café", "straße", 3.1], ["CAFÉ", "éclair", 6.4], ["Éclair", "STRASSE", 2.2], ["STRASSE", "word", 5.0]]
    # Leave out pairs whose similarity is within MINIMUM_GAP of another pair's without equalling
    # it, under any setting.
    close_pairs = set()
    for (case_insensitive, _), vocabulary in evaluation_vocabularies(words).items():
        similarities = []
        for first, second, _ in pairs:
            rows = [vocabulary.get(word.upper() if case_insensitive else word) for word in (first, second)]
            similarities.append(None if None in rows else float(unit[rows[0]] @ unit[rows[1]]))
        known = sorted({s for s in similarities if s is not None})
        close = {s for a, b in zip(known, known[1:]) if b - a < MINIMUM_GAP for s in (a, b)}
        close_pairs |= {i for i, s in enumerate(similarities) if s in close}
    lines = [f"{first}\t{second}\t{score}" for i, (first, second, score) in enumerate(pairs) if i not in close_pairs]
    return PAIRS_HEADER + "\n".join(lines) + "\n"


def gensim_results(words, vectors, pairs_text, questions_text):
    import gensim
    from gensim.models import KeyedVectors

    logging.disable(logging.CRITICAL)
    table = KeyedVectors(DIMENSION)
    table.add_vectors(words, vectors)
    assert table.index_to_key == words
    pair_lines = [line for line in pairs_text.splitlines() if line and not line.startswith("#")][1:]
    question_count = {}
    section = None
    for line in questions_text.splitlines():
        if line.startswith(": "):
            section = line[2:]
            question_count[section] = 0
        else:
            question_count[section] += 1
    results = {"source": (f"Tests/NNTests/Fixtures/WordVectorsEvaluation/make_fixtures.py; gensim {gensim.__version__} "
                          "KeyedVectors.evaluate_word_pairs(pairs.tsv, restrict_vocab, case_insensitive) and "
                          "evaluate_word_analogies(questions.txt, restrict_vocab, case_insensitive) on words.txt "
                          "and vectors.npy; pair counts derived from oov_ratio, skipped questions from the "
                          "section sizes"),
               "word_pairs": [], "analogies": []}
    with tempfile.TemporaryDirectory() as folder:
        pairs_path, questions_path = os.path.join(folder, "pairs.tsv"), os.path.join(folder, "questions.txt")
        with open(pairs_path, "w", encoding="utf-8", newline="") as f:
            f.write(pairs_text)
        with open(questions_path, "w", encoding="utf-8", newline="") as f:
            f.write(questions_text)
        for case_insensitive, restrict in SETTINGS:
            pearson, spearman, oov_ratio = table.evaluate_word_pairs(
                pairs_path, restrict_vocab=restrict, case_insensitive=case_insensitive)
            skipped = round(oov_ratio / 100 * len(pair_lines))
            assert abs(skipped / len(pair_lines) * 100 - oov_ratio) < 1e-9
            results["word_pairs"].append({
                "case_insensitive": case_insensitive, "restrict_vocab": restrict,
                "pearson": float(pearson.statistic), "spearman": float(spearman.statistic),
                "oov_ratio": float(oov_ratio), "pairs_used": len(pair_lines) - skipped, "pairs_skipped": skipped,
            })
        for case_insensitive, restrict in SETTINGS:
            score, sections = table.evaluate_word_analogies(
                questions_path, restrict_vocab=restrict, case_insensitive=case_insensitive)
            entries = []
            for entry in sections:
                correct, incorrect = len(entry["correct"]), len(entry["incorrect"])
                total = sum(question_count.values()) if entry["section"] == "Total accuracy" \
                    else question_count[entry["section"]]
                entries.append({"section": entry["section"], "correct": correct, "incorrect": incorrect,
                                "skipped": total - correct - incorrect})
            results["analogies"].append({"case_insensitive": case_insensitive, "restrict_vocab": restrict,
                                         "score": float(score), "sections": entries})
    return results


def json_layout(results):
    """One setting per line, so that a diff shows which setting moved."""
    lines = ['{"source": ' + json.dumps(results["source"]) + ",", ' "word_pairs": [']
    lines += ["  " + json.dumps(entry) + ("," if i + 1 < len(results["word_pairs"]) else "")
              for i, entry in enumerate(results["word_pairs"])]
    lines += [" ],", ' "analogies": [']
    lines += ["  " + json.dumps(entry) + ("," if i + 1 < len(results["analogies"]) else "")
              for i, entry in enumerate(results["analogies"])]
    lines += [" ]}"]
    text = "\n".join(lines) + "\n"
    assert json.loads(text) == results
    return text.encode()


def npy_bytes(array):
    stream = io.BytesIO()
    np.save(stream, array, allow_pickle=False)
    return stream.getvalue()


def build():
    rng = np.random.default_rng(SEED)
    words, vectors, entity_of, form_of = structured_table(rng)
    questions_text = make_questions(rng, words, vectors, entity_of, form_of)
    pairs_text = make_pairs(rng, words, vectors, entity_of)
    results = gensim_results(words, vectors, pairs_text, questions_text)
    return {
        "words.txt": ("\n".join(words) + "\n").encode(),
        "vectors.npy": npy_bytes(vectors),
        "pairs.tsv": pairs_text.encode(),
        "questions.txt": questions_text.encode(),
        "gensim_results.json": json_layout(results),
    }


# ---------------------------------------------------------------------------------------------
# --check: the comparisons of Tests/TensorTests/Fixtures/make_fixtures.py, for these file types
# ---------------------------------------------------------------------------------------------

def json_differences(committed, regenerated, path="$"):
    """Every place where two parsed JSON values differ; types exactly, floats by their bits."""
    if type(committed) is not type(regenerated):
        yield f"{path}: committed {committed!r}, regenerated {regenerated!r}"
    elif isinstance(committed, dict):
        if list(committed) != list(regenerated):
            yield f"{path}: keys differ"
        for key in committed:
            if key in regenerated:
                yield from json_differences(committed[key], regenerated[key], f"{path}.{key}")
    elif isinstance(committed, list):
        if len(committed) != len(regenerated):
            yield f"{path}: length {len(committed)} committed, {len(regenerated)} regenerated"
        for i, (a, b) in enumerate(zip(committed, regenerated)):
            yield from json_differences(a, b, f"{path}[{i}]")
    elif isinstance(committed, float):
        if struct.pack("<d", committed) != struct.pack("<d", regenerated):
            yield f"{path}: committed {committed!r}, regenerated {regenerated!r}"
    elif committed != regenerated:
        yield f"{path}: committed {committed!r}, regenerated {regenerated!r}"


def value_differences(name, committed, regenerated):
    if name.endswith(".json"):
        return list(json_differences(json.loads(committed), json.loads(regenerated)))
    if name.endswith(".npy"):
        a, b = np.load(io.BytesIO(committed)), np.load(io.BytesIO(regenerated))
        if a.dtype != b.dtype or a.shape != b.shape or a.tobytes() != b.tobytes():
            return [f"dtype/shape/data: committed {a.dtype} {a.shape}, regenerated {b.dtype} {b.shape}"]
        return []
    return ["text differs"]


def check(files, folder):
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
            print(f"{name}: value-identical, but the bytes differ")
            continue
        all_match = False
        print(f"{name}: DIFFERS in {len(differences)} place(s)")
        for line in differences[:20]:
            print(f"    {line}")
    unexpected = sorted(entry for entry in os.listdir(folder)
                        if os.path.isfile(os.path.join(folder, entry))
                        and entry not in files and entry not in {"README.md", "make_fixtures.py"})
    for name in unexpected:
        print(f"{name}: committed but not generated by this script")
        all_match = False
    return all_match


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--check", action="store_true",
                        help="compare with the committed files instead of writing; exit 1 on a difference")
    parser.add_argument("--out", default=HERE, help="output folder (default: this script's folder)")
    arguments = parser.parse_args()
    import gensim
    import scipy
    print(f"Python {sys.version.split()[0]}, numpy {np.__version__}, scipy {scipy.__version__}, gensim {gensim.__version__}")
    if gensim.__version__ != EXPECTED_GENSIM:
        print(f"warning: the committed results come from gensim {EXPECTED_GENSIM}")
    # Keep the fixture folder free of __pycache__: it is copied into the test bundle.
    sys.dont_write_bytecode = True
    files = build()
    if arguments.check:
        if not check(files, HERE):
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
