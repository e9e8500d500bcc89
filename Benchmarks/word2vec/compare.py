#!/usr/bin/env python3
"""The project's word2vec against gensim 4.4.0, in one sitting, on one corpus.

Each sitting runs, one after the other on an otherwise idle machine:
  1. gensim's Word2Vec (gensim_reference.py train: vocabulary + training, timed and scored),
  2. the project's `train-embeddings --text CORPUS` with the same settings (the whole run timed:
     counting, training, the built-in scoring and every file written),
  3. gensim's own evaluators on the project's vectors.txt (gensim_reference.py evaluate),
and appends one JSON line per measurement to --jsonl. Run several sittings and compare ratios
within a sitting, never absolute times across days (the machine is shared and changes).

Usage (after `swift build -c release` and the setup in README.md):
  python3 Benchmarks/word2vec/compare.py /work/data/gcide.txt --sittings 3 \
      --jsonl docs/benchmarks-2026-12-07-word2vec.jsonl [--objective skipgram|cbow] [--threads 2]
"""
import argparse
import json
import os
import re
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
DEFAULT_PYTHON = "/work/venv-gensim/bin/python"


def cpu_model():
    with open("/proc/cpuinfo") as f:
        for line in f:
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    return "unknown"


def run_gensim(python, corpus, objective, workers, tag):
    command = [python, os.path.join(HERE, "gensim_reference.py"), "train", corpus,
               "--cbow" if objective == "cbow" else "--sg", "--workers", str(workers)]
    output = subprocess.run(command, check=True, capture_output=True, text=True).stdout
    result = json.loads(output.strip().splitlines()[-1])
    return {"tool": "gensim", "sitting": tag, "objective": objective, "threads": workers,
            "seconds": result["seconds"]["total"], "train_seconds": result["seconds"]["train"],
            "words_per_second": result["words_per_second"],
            "wordsim353": result["wordsim353"]["spearman"], "analogies": result["analogies"]["accuracy"],
            "analogies_covered": result["analogies"]["covered"]}


def run_ours(binary, python, corpus, objective, threads, tag):
    with tempfile.TemporaryDirectory() as out:
        # gensim_reference.py trains with seed 1; the seed only picks the random draws.
        command = [binary, "--text", corpus, "--objective", objective, "--seed", "1", "--out", os.path.join(out, "run")]
        if threads:
            command += ["--threads", str(threads)]
        start = time.monotonic()
        log = subprocess.run(command, check=True, capture_output=True, text=True).stdout
        seconds = time.monotonic() - start
        trained = re.search(r"trained \d+ epochs? in ([0-9.]+) s \(([0-9.]+)([kM]?) words/s\)", log)
        rate = float(trained.group(2)) * {"": 1, "k": 1e3, "M": 1e6}[trained.group(3)]
        analogies = re.search(r"Google analogies: ([0-9.]+) %", log)
        scored = subprocess.run([python, os.path.join(HERE, "gensim_reference.py"), "evaluate",
                                 os.path.join(out, "run", "vectors.txt")],
                                check=True, capture_output=True, text=True).stdout
        gensim_scores = json.loads(scored.strip().splitlines()[-1])
    return {"tool": "swift-autograd", "sitting": tag, "objective": objective, "threads": threads or os.cpu_count(),
            "seconds": seconds, "train_seconds": float(trained.group(1)), "words_per_second": rate,
            "analogies_own_evaluator": float(analogies.group(1)) / 100 if analogies else None,
            "wordsim353": gensim_scores["wordsim353"]["spearman"], "analogies": gensim_scores["analogies"]["accuracy"],
            "analogies_covered": gensim_scores["analogies"]["covered"]}


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("corpus")
    parser.add_argument("--sittings", type=int, default=3)
    parser.add_argument("--objective", choices=["skipgram", "cbow"], default="skipgram")
    parser.add_argument("--threads", type=int, default=2, help="gensim workers and the project's --threads")
    parser.add_argument("--python", default=DEFAULT_PYTHON, help="the venv's python, with gensim 4.4.0")
    parser.add_argument("--binary", default=os.path.join(ROOT, ".build", "release", "train-embeddings"))
    parser.add_argument("--jsonl", help="append every measurement here")
    args = parser.parse_args()
    environment = {"cpu_model": cpu_model(), "logical_cpus": os.cpu_count(),
                   "date": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())}
    for sitting in range(args.sittings):
        tag = f"{environment['date']}#{sitting + 1}"
        for result in (run_gensim(args.python, args.corpus, args.objective, args.threads, tag),
                       run_ours(args.binary, args.python, args.corpus, args.objective, args.threads, tag)):
            result.update(environment)
            result["loadavg"] = os.getloadavg()[0]
            line = json.dumps(result)
            print(line, flush=True)
            if args.jsonl:
                with open(args.jsonl, "a") as f:
                    f.write(line + "\n")


if __name__ == "__main__":
    sys.exit(main())
