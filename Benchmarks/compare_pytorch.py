#!/usr/bin/env python3
"""Sittings of the embedding suite against PyTorch: the reference script's cases, then ours.

Each sitting runs PyTorch's embedding cases (imported from the reference script, so the cases and
timing are exactly its own), then `benchmarks --json --filter embedding/`, back to back. The table
gives, per case and op, the median over sittings of

- generic ÷ fused (`swift-autograd` ÷ `swift-autograd-fused`),
- generic ÷ PyTorch and fused ÷ PyTorch, against `pytorch` for `forward` and `step_momentum` (our
  momentum keeps dense semantics) and `pytorch-sparse` for `step` (our plain step is row-sparse),

with every sitting's value beside the median. Ratios are read within a sitting: the machine is
shared and its absolute speed drifts.

    /tmp/torch-venv/bin/python Benchmarks/compare_pytorch.py --sittings 3 \
        --anchor ../shared/anchors/pytorch_bench.py --jsonl docs/benchmarks-DATE-embedding.jsonl
"""
import argparse, contextlib, importlib.util, io, json, os, statistics, subprocess, sys

PYTORCH_BASE = {"forward": "pytorch", "step": "pytorch-sparse", "step_momentum": "pytorch"}


def pytorch_lines(anchor):
    spec = importlib.util.spec_from_file_location("pytorch_bench", anchor)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    captured = io.StringIO()
    with contextlib.redirect_stdout(captured):
        module.emit(suite="meta", impl="pytorch", version=module.torch.__version__,
                    threads=module.torch.get_num_threads())
        module.embedding_suite(False)
    return [json.loads(line) for line in captured.getvalue().splitlines() if line.strip()]


def swift_lines(binary):
    output = subprocess.run([binary, "--json", "--filter", "embedding/"], check=True, capture_output=True,
                            text=True).stdout
    return [json.loads(line) for line in output.splitlines() if line.startswith("{")]


def median_ms(lines, case, op, impl):
    for line in lines:
        if line.get("case") == case and line.get("op") == op and line.get("impl") == impl:
            return line["median_ms"]
    return None


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sittings", type=int, default=3)
    parser.add_argument("--anchor", default=os.path.join("..", "shared", "anchors", "pytorch_bench.py"))
    parser.add_argument("--binary", default=os.path.join(".build", "release", "benchmarks"))
    parser.add_argument("--jsonl", help="append every sitting's raw lines here")
    args = parser.parse_args()

    ratios = {}   # (case, op, name) -> [ratio per sitting]
    for sitting in range(args.sittings):
        torch_lines = pytorch_lines(args.anchor)
        ours = swift_lines(args.binary)
        if args.jsonl:
            with open(args.jsonl, "a") as file:
                for line in torch_lines + ours:
                    file.write(json.dumps(dict(line, sitting=sitting + 1)) + "\n")
        for case in ("book", "gpt2", "llama"):
            for op, base in PYTORCH_BASE.items():
                generic = median_ms(ours, case, op, "swift-autograd")
                fused = median_ms(ours, case, op, "swift-autograd-fused")
                reference = median_ms(torch_lines, case, op, base)
                if None in (generic, fused, reference):
                    continue
                for name, value in (("generic/fused", generic / fused), (f"generic/{base}", generic / reference),
                                    (f"fused/{base}", fused / reference)):
                    ratios.setdefault((case, op, name), []).append(value)
        print(f"sitting {sitting + 1} done", file=sys.stderr)

    print("| case/op | ratio | median | each sitting |")
    print("|---|---|---|---|")
    for (case, op, name), values in ratios.items():
        each = ", ".join(f"{value:.2f}" for value in values)
        print(f"| {case}/{op} | {name} | **{statistics.median(values):.2f}** | {each} |")


if __name__ == "__main__":
    main()
