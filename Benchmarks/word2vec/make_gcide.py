#!/usr/bin/env python3
"""Build the GCIDE word2vec corpus used to compare the project's trainer with gensim.

Recipe (see shared/reference/word2vec.md):
  apt-get download dict-gcide; dpkg -x; read usr/share/dictd/gcide.dict.dz (dictzip = gzip);
  per dictionary entry: drop \\pronunciations\\, [etymologies] and --Citations; lowercase;
  keep runs of [a-z]; write one entry per line, words separated by single spaces.

Choices the reference leaves open, and what this script does by default:
  * Entries are the byte ranges listed in gcide.index (the dictd index; every range is one
    headword block, some ranges are listed under several headwords and are used once).
  * --scope line (default): the three removals never cross a line break, as when the text is
    processed line by line. With --scope entry they may span the lines of one entry (multi-line
    etymologies then disappear whole). "line" reproduces the reference vocabulary
    (41 9xx words with count >= 5, 7 950 covered Google analogy questions); "entry" gives
    ~38 400 words with count >= 5 and 7 779 covered questions.
  * --citation name (default): a citation is "--" followed by a capital letter and the
    author/work reference (letters, digits, spaces, '.', ',', '&', '\\''), so text after it on
    the same line ("--Shak. \\"The night ..." or "-- {Clownish*ly}, adv.") is kept.
    --citation eol drops from "--<Capital>" to the end of the line.
  * The file is ASCII apart from 3 stray bytes; it is read as Latin-1 so offsets are bytes.

Standard library only. Idempotent: if the output exists and its sidecar OUTPUT.json records
the same package file and settings, nothing is rebuilt (use --force to rebuild).
"""
import argparse
import collections
import glob
import gzip
import hashlib
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile

DICT_PATH = "usr/share/dictd/gcide.dict.dz"
INDEX_PATH = "usr/share/dictd/gcide.index"
B64 = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"

REFERENCE_WORDS = 4_326_758
REFERENCE_VOCAB5 = 41_905

PRON = {"line": re.compile(r"\\[^\\\n]*\\"), "entry": re.compile(r"\\[^\\]*\\")}
BRACKETS = {"line": re.compile(r"\[[^\]\n]*\]"), "entry": re.compile(r"\[[^\]]*\]")}
CITATION = {
    "name": re.compile(r"--[A-Z][A-Za-z0-9.,&' ]*"),
    "eol": re.compile(r"--[A-Z][^\n]*"),
}
WORD = re.compile(r"[a-z]+")


def b64_number(text):
    value = 0
    for ch in text:
        value = value * 64 + B64.index(ch)
    return value


def sha256(path):
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def obtain_deb(keep_deb, deb_arg, workdir):
    """Return the path of a dict-gcide .deb: --deb, a cached one in --keep-deb, or a download."""
    if deb_arg:
        return deb_arg
    if keep_deb:
        os.makedirs(keep_deb, exist_ok=True)
        found = sorted(glob.glob(os.path.join(keep_deb, "dict-gcide_*.deb")))
        if found:
            return found[-1]
        target = keep_deb
    else:
        target = workdir
    print("downloading dict-gcide with apt-get download ...", file=sys.stderr)
    subprocess.run(["apt-get", "download", "dict-gcide"], cwd=target, check=True)
    found = sorted(glob.glob(os.path.join(target, "dict-gcide_*.deb")))
    if not found:
        sys.exit("apt-get download produced no dict-gcide_*.deb (try: apt-get update)")
    return found[-1]


def entries(dict_text, index_lines):
    """Yield each distinct entry (byte range of the index) in file order."""
    ranges = set()
    for line in index_lines:
        parts = line.rstrip("\n").split("\t")
        if len(parts) < 3:
            continue
        ranges.add((b64_number(parts[1]), b64_number(parts[2]), parts[0].startswith("00-")))
    for offset, length, meta in sorted(ranges):
        yield dict_text[offset:offset + length], meta


def clean(entry, scope, citation):
    text = PRON[scope].sub(" ", entry)
    text = BRACKETS[scope].sub(" ", text)
    text = CITATION[citation].sub(" ", text)
    return WORD.findall(text.lower())


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("output", nargs="?", default="/work/data/gcide.txt")
    ap.add_argument("--keep-deb", metavar="DIR", help="cache the downloaded .deb in DIR (reused if present)")
    ap.add_argument("--deb", help="use this dict-gcide .deb instead of downloading")
    ap.add_argument("--scope", choices=["line", "entry"], default="line",
                    help="whether removals may cross line breaks inside an entry (default line)")
    ap.add_argument("--citation", choices=sorted(CITATION), default="name")
    ap.add_argument("--skip-meta", action="store_true", help="leave out the dictd 00-database-* entries")
    ap.add_argument("--min-count", type=int, default=5)
    ap.add_argument("--questions", help="questions-words.txt: also report how many analogy questions are covered")
    ap.add_argument("--force", action="store_true", help="rebuild even if the output is up to date")
    args = ap.parse_args()

    settings = {"scope": args.scope, "citation": args.citation, "skip_meta": args.skip_meta}
    sidecar = args.output + ".json"
    local_deb = args.deb
    if not local_deb and args.keep_deb:
        found = sorted(glob.glob(os.path.join(args.keep_deb, "dict-gcide_*.deb")))
        local_deb = found[-1] if found else None
    if not args.force and os.path.exists(args.output) and os.path.exists(sidecar):
        try:
            with open(sidecar) as f:
                old = json.load(f)
        except ValueError:
            old = {}
        if old.get("settings") == settings and old.get("bytes") == os.path.getsize(args.output) \
                and (local_deb is None or old.get("deb_sha256") == sha256(local_deb)):
            print(f"{args.output} is up to date (use --force to rebuild)", file=sys.stderr)
            print(json.dumps(old))
            return
    with tempfile.TemporaryDirectory(prefix="gcide-") as work:
        deb = obtain_deb(args.keep_deb, args.deb, work)
        deb_sha = sha256(deb)
        root = os.path.join(work, "x")
        subprocess.run(["dpkg", "-x", deb, root], check=True)
        with gzip.open(os.path.join(root, DICT_PATH), "rb") as f:
            dict_text = f.read().decode("latin-1")
        with open(os.path.join(root, INDEX_PATH), encoding="latin-1") as f:
            index_lines = f.readlines()

    counts = collections.Counter()
    lines = 0
    out_dir = os.path.dirname(os.path.abspath(args.output))
    os.makedirs(out_dir, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=".gcide-", dir=out_dir)
    try:
        with os.fdopen(fd, "w", encoding="ascii") as out:
            for entry, meta in entries(dict_text, index_lines):
                if meta and args.skip_meta:
                    continue
                words = clean(entry, args.scope, args.citation)
                if not words:
                    continue
                counts.update(words)
                out.write(" ".join(words))
                out.write("\n")
                lines += 1
        os.chmod(tmp, 0o644)
        os.replace(tmp, args.output)
    except BaseException:
        os.unlink(tmp)
        raise

    vocab = {w for w, c in counts.items() if c >= args.min_count}
    stats = {
        "output": args.output,
        "deb": os.path.basename(deb),
        "deb_sha256": deb_sha,
        "settings": settings,
        "bytes": os.path.getsize(args.output),
        "lines": lines,
        "words": sum(counts.values()),
        "distinct_words": len(counts),
        "min_count": args.min_count,
        f"words_count_ge_{args.min_count}": len(vocab),
        "words_in_retained_vocab": sum(counts[w] for w in vocab),
        "reference": {"words": REFERENCE_WORDS, "words_count_ge_5": REFERENCE_VOCAB5},
    }
    if args.questions:
        covered = total = 0
        for line in open(args.questions, encoding="utf-8"):
            if line.startswith(":") or not line.strip():
                continue
            total += 1
            covered += all(w in vocab for w in line.lower().split())
        stats["analogy_questions_covered"] = covered
        stats["analogy_questions_total"] = total
    with open(sidecar, "w") as f:
        json.dump(stats, f, indent=1)
    print(f"words: {stats['words']}  (reference {REFERENCE_WORDS}, "
          f"{stats['words'] - REFERENCE_WORDS:+d})", file=sys.stderr)
    print(f"distinct words with count >= {args.min_count}: {len(vocab)}  (reference {REFERENCE_VOCAB5}, "
          f"{len(vocab) - REFERENCE_VOCAB5:+d})", file=sys.stderr)
    print(json.dumps(stats))


if __name__ == "__main__":
    main()
