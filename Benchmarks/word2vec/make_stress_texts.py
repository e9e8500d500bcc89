#!/usr/bin/env python3
"""Make the texts that test the word2vec trainer's robustness at real size.

  --big       gcide-1g.txt: gcide.txt repeated whole until the size is reached (default 1G);
              for resident memory with /usr/bin/time -v
  --one-line  one-line-100m.txt: gcide words joined by single spaces, one line, no newline
              at all (default 100M)
  --latin1    latin1.txt: a small text encoded in ISO-8859-1 that is not valid UTF-8
              (default 256K)
  --empty     empty.txt: zero bytes
  --all       all four

Sizes take K, M, G suffixes (powers of 1024). Files that already exist with the expected
size are left alone (--force rebuilds). Standard library only; reads the corpus made by
make_gcide.py (default /work/data/gcide.txt).
"""
import argparse
import itertools
import json
import os
import re
import sys

LATIN1_WORDS = [
    "café", "naïve", "façade", "über", "straße", "señor", "año", "smörgåsbord", "ångström",
    "déjà", "vu", "crème", "brûlée", "garçon", "fiancée", "résumé", "jalapeño", "müller",
    "zoë", "noël", "être", "élan", "señora", "piñata", "grüße",
    "£5", "½", "©", "°C", "±", "µm", "§", "¿qué?", "¡olé!",
]


def parse_size(text):
    m = re.fullmatch(r"\s*(\d+(?:\.\d+)?)\s*([kKmMgG]?)[bB]?\s*", text)
    if not m:
        raise argparse.ArgumentTypeError(f"bad size: {text}")
    return int(float(m.group(1)) * 1024 ** " kmg".index(m.group(2).lower() or " "))


def up_to_date(path, size_ok, force):
    if force or not os.path.exists(path):
        return False
    return size_ok(os.path.getsize(path))


def write_atomic(path, produce):
    tmp = path + ".part"
    with open(tmp, "wb") as f:
        produce(f)
    os.replace(tmp, path)
    return os.path.getsize(path)


def make_big(src, dst, size, force):
    src_size = os.path.getsize(src)
    copies = max(1, -(-size // src_size))
    if up_to_date(dst, lambda n: n == copies * src_size, force):
        return {"file": dst, "bytes": os.path.getsize(dst), "copies": copies, "skipped": True}

    def produce(f):
        for _ in range(copies):
            with open(src, "rb") as s:
                while True:
                    block = s.read(1 << 24)
                    if not block:
                        break
                    f.write(block)
    n = write_atomic(dst, produce)
    return {"file": dst, "bytes": n, "copies": copies}


def make_one_line(src, dst, size, force):
    if up_to_date(dst, lambda n: size - 64 <= n <= size, force):
        return {"file": dst, "bytes": os.path.getsize(dst), "skipped": True}
    words_written = 0

    def produce(f):
        nonlocal words_written
        written = 0
        first = True
        while written < size:
            with open(src, "rb") as s:
                for line in s:
                    for w in line.split():
                        piece = w if first else b" " + w
                        if written + len(piece) > size:
                            return
                        f.write(piece)
                        written += len(piece)
                        words_written += 1
                        first = False
            if first:  # empty source
                return
    n = write_atomic(dst, produce)
    return {"file": dst, "bytes": n, "words": words_written, "newlines": 0}


def make_latin1(src, dst, size, force):
    if up_to_date(dst, lambda n: size - 256 <= n <= size, force):
        return {"file": dst, "bytes": os.path.getsize(dst), "skipped": True}
    english = []
    with open(src, encoding="ascii", errors="replace") as s:
        for line in itertools.islice(s, 100, 2100):
            english.extend(line.split()[:40])
    english = english or ["the", "dictionary", "word"]
    lines = []
    written = 0
    i = 0
    while True:
        # a line of ~12 English words with 2 Latin-1 words mixed in, so every word recurs often
        words = [english[(i * 12 + k) % len(english)] for k in range(12)]
        words.insert(3, LATIN1_WORDS[i % len(LATIN1_WORDS)])
        words.insert(9, LATIN1_WORDS[(i * 7 + 3) % len(LATIN1_WORDS)])
        line = (" ".join(words) + "\n").encode("latin-1")
        if written + len(line) > size:
            break
        lines.append(line)
        written += len(line)
        i += 1
    data = b"".join(lines)
    try:
        data.decode("utf-8")
        raise SystemExit("internal error: the Latin-1 text decodes as UTF-8")
    except UnicodeDecodeError:
        pass
    n = write_atomic(dst, lambda f: f.write(data))
    return {"file": dst, "bytes": n, "lines": len(lines), "encoding": "ISO-8859-1", "valid_utf8": False}


def make_empty(dst, force):
    if up_to_date(dst, lambda n: n == 0, force):
        return {"file": dst, "bytes": 0, "skipped": True}
    write_atomic(dst, lambda f: None)
    return {"file": dst, "bytes": 0}


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--corpus", default="/work/data/gcide.txt", help="source text (make_gcide.py output)")
    ap.add_argument("--out-dir", default="/work/data")
    ap.add_argument("--big", nargs="?", const="1G", type=str, metavar="SIZE")
    ap.add_argument("--one-line", nargs="?", const="100M", type=str, metavar="SIZE")
    ap.add_argument("--latin1", nargs="?", const="256K", type=str, metavar="SIZE")
    ap.add_argument("--empty", action="store_true")
    ap.add_argument("--all", action="store_true")
    ap.add_argument("--force", action="store_true", help="rebuild files that look up to date")
    args = ap.parse_args()
    if args.all:
        args.big = args.big or "1G"
        args.one_line = args.one_line or "100M"
        args.latin1 = args.latin1 or "256K"
        args.empty = True
    if not (args.big or args.one_line or args.latin1 or args.empty):
        ap.error("nothing to do: give --big, --one-line, --latin1, --empty or --all")
    needs_corpus = args.big or args.one_line or args.latin1
    if needs_corpus and not os.path.exists(args.corpus):
        sys.exit(f"{args.corpus} is missing: run make_gcide.py first")
    os.makedirs(args.out_dir, exist_ok=True)
    out = lambda name: os.path.join(args.out_dir, name)
    results = []
    if args.big:
        results.append(make_big(args.corpus, out("gcide-1g.txt"), parse_size(args.big), args.force))
    if args.one_line:
        results.append(make_one_line(args.corpus, out("one-line-100m.txt"), parse_size(args.one_line), args.force))
    if args.latin1:
        results.append(make_latin1(args.corpus, out("latin1.txt"), parse_size(args.latin1), args.force))
    if args.empty:
        results.append(make_empty(out("empty.txt"), args.force))
    for r in results:
        print(json.dumps(r))


if __name__ == "__main__":
    main()
