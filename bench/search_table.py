#!/usr/bin/env python3
"""Reads function,method,seed,trials,value CSV rows (several files or stdin) and prints, per function and budget, each
method's median and quartiles over seeds. --higher-better for log-likelihoods (default: regrets, lower is better)."""
import csv
import statistics
import sys
from collections import defaultdict


def main():
    higher = "--higher-better" in sys.argv
    files = [a for a in sys.argv[1:] if not a.startswith("--")]
    rows = defaultdict(list)
    for path in files or ["-"]:
        stream = sys.stdin if path == "-" else open(path)
        for row in csv.DictReader(stream):
            rows[(row["function"], int(row["trials"]), row["method"])].append(float(row[list(row)[-1]]))
    methods = sorted({m for (_, _, m) in rows})
    for function in sorted({f for (f, _, _) in rows}):
        print(f"\n{function}: median over seeds [quartiles], {'higher' if higher else 'lower'} is better")
        print(f"{'trials':>6}  " + "  ".join(f"{m:>28}" for m in methods))
        for budget in sorted({b for (f, b, _) in rows if f == function}):
            cells = []
            for m in methods:
                v = sorted(rows.get((function, budget, m), []))
                if not v:
                    cells.append(f"{'-':>28}")
                    continue
                q = statistics.quantiles(v, n=4) if len(v) > 1 else [v[0], v[0], v[0]]
                cells.append(f"{statistics.median(v):>10.4g} [{q[0]:.3g}, {q[2]:.3g}] n={len(v):<3}".rjust(28))
            print(f"{budget:>6}  " + "  ".join(cells))


if __name__ == "__main__":
    main()
