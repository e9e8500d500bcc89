#!/usr/bin/env python3
"""gensim 4.4.0 as the reference for the project's word2vec trainer.

Modes
  train             train Word2Vec on a text file (one sentence per line, whitespace-split),
                    time it, score it, print one JSON line (optionally save the vectors)
  evaluate          score a word2vec text (or --binary) vectors file, e.g. the project's vectors.txt,
                    and print the same JSON line
  dump-eval-details per-pair cosines for WordSim-353 and the predicted answer of every covered
                    analogy question, as JSON lines, to check another evaluator number for number

Scores are gensim's own KeyedVectors.evaluate_word_pairs (Spearman, Pearson, OOV %) on the
wordsim353.tsv and evaluate_word_analogies (3CosAdd, restrict_vocab=300000, case-insensitive) on
the questions-words.txt that ship inside the installed gensim package (gensim/test/test_data/).

Runs in the venv described in README.md (requirements.txt beside this file); not part of the
Swift build or tests.
"""
import argparse
import datetime
import json
import logging
import os
import platform
import sys
import time

import gensim
import numpy as np
from gensim.models import KeyedVectors, Word2Vec
from gensim.models import word2vec as gensim_word2vec

TEST_DATA = os.path.join(os.path.dirname(gensim.__file__), "test", "test_data")
WORDSIM = os.path.join(TEST_DATA, "wordsim353.tsv")
ANALOGIES = os.path.join(TEST_DATA, "questions-words.txt")
RESTRICT_VOCAB = 300000
MAX_SENTENCE = 10000  # gensim's Cython routines truncate longer sentences; LineSentence splits them


class Lines:
    """Re-iterable corpus: each line of a file, split on whitespace (as gensim's LineSentence,
    lines longer than 10 000 words are cut into 10 000-word pieces)."""

    def __init__(self, path):
        self.path = path

    def __iter__(self):
        with open(self.path, encoding="utf-8", errors="replace") as f:
            for line in f:
                words = line.split()
                for i in range(0, len(words), MAX_SENTENCE):
                    yield words[i:i + MAX_SENTENCE]


def cpu_model():
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown"


def loadavg():
    try:
        return [round(x, 2) for x in os.getloadavg()]
    except OSError:
        return None


def environment():
    return {
        "cpu_model": cpu_model(),
        "logical_cpus": os.cpu_count(),
        "date": datetime.datetime.now(datetime.timezone.utc).isoformat(timespec="seconds"),
        "python": platform.python_version(),
        "numpy": np.__version__,
        "gensim_fast_version": gensim_word2vec.FAST_VERSION,  # >= 0: compiled Cython routines in use (-1: pure Python)
        "loadavg_start": loadavg(),
    }


def nan_to_none(x):
    x = float(x)
    return None if x != x else x


def evaluate(kv, wordsim, analogies, restrict_vocab, sections=True):
    try:
        pearson, spearman, oov = kv.evaluate_word_pairs(wordsim, restrict_vocab=restrict_vocab)
    except ValueError:  # gensim raises when no pair is in the vocabulary
        pearson = spearman = (float("nan"), float("nan"))
        oov = 100.0
    known = {k.upper() for k in kv.index_to_key[:restrict_vocab]}
    pairs_total = pairs_used = 0
    with open(wordsim, encoding="utf8") as f:
        for line in f:
            if not line.strip() or line.startswith("#"):
                continue
            pairs_total += 1
            a, b = [x.upper() for x in line.split("\t")[:2]]
            pairs_used += a in known and b in known
    accuracy, secs = kv.evaluate_word_analogies(analogies, restrict_vocab=restrict_vocab)
    total = next(s for s in secs if s["section"] == "Total accuracy")
    covered = len(total["correct"]) + len(total["incorrect"])
    questions = sum(1 for line in open(analogies, encoding="utf8") if line.strip() and not line.startswith(":"))
    out = {
        "wordsim353": {
            "file": wordsim,
            "spearman": nan_to_none(spearman.statistic if hasattr(spearman, "statistic") else spearman[0]),
            "pearson": nan_to_none(pearson.statistic if hasattr(pearson, "statistic") else pearson[0]),
            "oov_percent": float(oov),
            "pairs_used": pairs_used,
            "pairs_total": pairs_total,
        },
        "analogies": {
            "file": analogies,
            "accuracy": float(accuracy),
            "correct": len(total["correct"]),
            "covered": covered,
            "total": questions,
            "restrict_vocab": restrict_vocab,
        },
    }
    if sections:
        per = {}
        for s in secs:
            if s["section"] == "Total accuracy":
                continue
            n = len(s["correct"]) + len(s["incorrect"])
            per[s["section"]] = {"correct": len(s["correct"]), "covered": n,
                                 "accuracy": (len(s["correct"]) / n) if n else None}
        sem = [v for k, v in per.items() if not k.startswith("gram")]
        syn = [v for k, v in per.items() if k.startswith("gram")]
        for name, group in (("semantic", sem), ("syntactic", syn)):
            c = sum(v["correct"] for v in group)
            n = sum(v["covered"] for v in group)
            out["analogies"][name] = {"correct": c, "covered": n, "accuracy": c / n if n else None}
        out["analogies"]["sections"] = per
    return out


def cmd_train(args):
    sg = 0 if args.cbow else 1
    settings = {
        "sg": sg, "hs": 0, "vector_size": args.dim, "window": args.window, "negative": args.negative,
        "min_count": args.min_count, "sample": args.sample, "epochs": args.epochs, "seed": args.seed,
        "workers": args.workers, "alpha": args.alpha, "min_alpha": args.min_alpha,
        "cbow_mean": 1, "ns_exponent": 0.75, "max_vocab_size": None, "corpus": os.path.abspath(args.corpus),
        "corpus_bytes": os.path.getsize(args.corpus), "input": "iterable (whitespace-split lines)",
    }
    env = environment()
    corpus = Lines(args.corpus)
    model = Word2Vec(sg=sg, hs=0, vector_size=args.dim, window=args.window, negative=args.negative,
                     min_count=args.min_count, sample=args.sample, epochs=args.epochs, seed=args.seed,
                     workers=args.workers, alpha=args.alpha, min_alpha=args.min_alpha)
    t0 = time.perf_counter()
    model.build_vocab(corpus)
    t1 = time.perf_counter()
    trained, raw = model.train(corpus, total_examples=model.corpus_count, epochs=model.epochs)
    t2 = time.perf_counter()
    env["loadavg_end"] = loadavg()
    raw_words = int(model.corpus_total_words)
    result = {
        "tool": "gensim",
        "version": gensim.__version__,
        "mode": "train",
        "objective": "cbow" if args.cbow else "skip-gram",
        "settings": settings,
        **env,
        "vocabulary": len(model.wv),
        "raw_words": raw_words,
        "sentences": int(model.corpus_count),
        "trained_words_all_epochs": int(trained),  # after min_count and subsampling, as gensim counts
        "seconds": {"vocab": round(t1 - t0, 3), "train": round(t2 - t1, 3), "total": round(t2 - t0, 3)},
        # raw words of all epochs per wall second of vocabulary + training (the reference's "raw words/s")
        "words_per_second": round(raw_words * args.epochs / (t2 - t0)),
        "train_words_per_second": round(raw_words * args.epochs / (t2 - t1)),
    }
    result.update(evaluate(model.wv, args.wordsim, args.analogies, args.restrict_vocab))
    if args.save_vectors:
        model.wv.save_word2vec_format(args.save_vectors, binary=args.binary)
        result["saved_vectors"] = os.path.abspath(args.save_vectors)
    emit(result, args.jsonl)


def load(args):
    kv = KeyedVectors.load_word2vec_format(args.vectors, binary=args.binary, unicode_errors="replace")
    return kv


def cmd_evaluate(args):
    env = environment()
    t0 = time.perf_counter()
    kv = load(args)
    t1 = time.perf_counter()
    result = {
        "tool": "gensim",
        "version": gensim.__version__,
        "mode": "evaluate",
        "vectors": os.path.abspath(args.vectors),
        "binary": args.binary,
        **env,
        "vocabulary": len(kv),
        "dim": int(kv.vector_size),
        "seconds": {"load": round(t1 - t0, 3)},
    }
    result.update(evaluate(kv, args.wordsim, args.analogies, args.restrict_vocab))
    emit(result, args.jsonl)


def cmd_dump(args):
    """Same decisions as gensim's evaluate_* (case-insensitive, restrict_vocab), spelled out."""
    kv = load(args)
    ok_keys = kv.index_to_key[:args.restrict_vocab]
    ok_vocab = {k.upper(): kv.get_index(k) for k in reversed(ok_keys)}  # first (most frequent) wins
    out = sys.stdout if args.out in (None, "-") else open(args.out, "w")
    w = lambda obj: out.write(json.dumps(obj) + "\n")
    w({"kind": "info", "vectors": os.path.abspath(args.vectors), "vocabulary": len(kv),
       "restrict_vocab": args.restrict_vocab, "gensim": gensim.__version__,
       "note": "cosine = dot(unit(a), unit(b)) in float32; analogy = 3CosAdd over unit vectors, "
               "top-5 of most_similar(positive=[b, c], negative=[a]) minus a, b, c"})
    original = kv.key_to_index
    with open(args.wordsim, encoding="utf8") as f:
        for line in f:
            if not line.strip() or line.startswith("#"):
                continue
            a, b, gold = [x.upper() for x in line.rstrip("\n").split("\t")]
            rec = {"kind": "pair", "a": a.lower(), "b": b.lower(), "gold": float(gold)}
            if a in ok_vocab and b in ok_vocab:
                kv.key_to_index = ok_vocab
                try:
                    rec["cosine"] = float(kv.similarity(a, b))
                finally:
                    kv.key_to_index = original
            else:
                rec["cosine"] = None
            w(rec)
    section = None
    with open(args.analogies, encoding="utf8") as f:
        for line in f:
            if line.startswith(": "):
                section = line[2:].strip()
                continue
            parts = [x.upper() for x in line.split()]
            if len(parts) != 4:
                continue
            a, b, c, expected = parts
            if not all(x in ok_vocab for x in parts):
                if args.all_questions:
                    w({"kind": "analogy", "section": section, "q": [x.lower() for x in parts], "covered": False})
                continue
            kv.key_to_index = ok_vocab
            try:
                sims = kv.most_similar(positive=[b, c], negative=[a], topn=5, restrict_vocab=args.restrict_vocab)
            finally:
                kv.key_to_index = original
            predicted = None
            for word, _ in sims:
                predicted = word.upper()
                if predicted in ok_vocab and predicted not in {a, b, c}:
                    break
            w({"kind": "analogy", "section": section, "q": [x.lower() for x in parts], "covered": True,
               "predicted": predicted.lower() if predicted else None, "correct": predicted == expected,
               "top5": [[word, float(s)] for word, s in sims]})
    if out is not sys.stdout:
        out.close()


def emit(result, jsonl):
    line = json.dumps(result, sort_keys=False)
    print(line, flush=True)
    if jsonl:
        with open(jsonl, "a") as f:
            f.write(line + "\n")


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = ap.add_subparsers(dest="mode", required=True)

    def common(p):
        p.add_argument("--wordsim", default=WORDSIM, help="word-pair file (default: gensim's wordsim353.tsv)")
        p.add_argument("--analogies", default=ANALOGIES, help="analogy file (default: gensim's questions-words.txt)")
        p.add_argument("--restrict-vocab", type=int, default=RESTRICT_VOCAB)
        p.add_argument("--verbose", action="store_true", help="gensim INFO logging on stderr")

    t = sub.add_parser("train", help="train and score")
    t.add_argument("corpus")
    g = t.add_mutually_exclusive_group()
    g.add_argument("--sg", action="store_true", help="skip-gram (default)")
    g.add_argument("--cbow", action="store_true", help="CBOW (cbow_mean=1)")
    t.add_argument("--workers", type=int, default=2)
    t.add_argument("--dim", type=int, default=100)
    t.add_argument("--window", type=int, default=5)
    t.add_argument("--negative", type=int, default=5)
    t.add_argument("--min-count", type=int, default=5)
    t.add_argument("--sample", type=float, default=1e-3)
    t.add_argument("--epochs", type=int, default=5)
    t.add_argument("--seed", type=int, default=1)
    t.add_argument("--alpha", type=float, default=0.025, help="initial learning rate (gensim default 0.025)")
    t.add_argument("--min-alpha", type=float, default=0.0001)
    t.add_argument("--save-vectors", metavar="PATH", help="write the vectors in word2vec format")
    t.add_argument("--binary", action="store_true", help="with --save-vectors: binary format")
    t.add_argument("--jsonl", metavar="PATH", help="also append the JSON line to PATH")
    common(t)
    t.set_defaults(func=cmd_train)

    e = sub.add_parser("evaluate", help="score a word2vec-format vectors file")
    e.add_argument("vectors")
    e.add_argument("--binary", action="store_true")
    e.add_argument("--jsonl", metavar="PATH", help="also append the JSON line to PATH")
    common(e)
    e.set_defaults(func=cmd_evaluate)

    d = sub.add_parser("dump-eval-details", help="per-pair cosines and per-question predictions (JSON lines)")
    d.add_argument("vectors")
    d.add_argument("--binary", action="store_true")
    d.add_argument("--out", help="write here instead of stdout")
    d.add_argument("--all-questions", action="store_true", help="also list the questions that are not covered")
    common(d)
    d.set_defaults(func=cmd_dump)

    args = ap.parse_args()
    logging.basicConfig(format="%(asctime)s %(levelname)s %(name)s: %(message)s",
                        level=logging.INFO if args.verbose else logging.WARNING, stream=sys.stderr)
    args.func(args)


if __name__ == "__main__":
    main()
