#!/usr/bin/env python3
"""Parameter importance cases for bench/importance.sh: writes them, scores them with Optuna's fANOVA, and prints the
comparison table with ours and the closed-form main-effect shares.

  optuna_importance.py write DIR          # DIR/<case>.csv: bounds row, then points (features..., value)
  optuna_importance.py table DIR OURS.csv # Optuna 3.1's fANOVA on the same points and bounds, beside ours

Optuna's side is optuna.importance._fanova._Fanova (what FanovaImportanceEvaluator runs: scikit-learn's
RandomForestRegressor, 64 trees, max_depth 64, min_samples_split 2, min_samples_leaf 1), called directly so both get
the same coordinates and bounds (the evaluator itself would put log_uniform parameters on a linear scale).
"""
import csv
import itertools
import statistics
import sys
from collections import defaultdict

import numpy as np

SEEDS = 5


def cases():
    """(name, X, bounds, y, closed-form shares or None): uniform samples of functions with known decompositions."""
    rng = np.random.default_rng(2014)
    u = lambda n, k: rng.random((n, k))
    unit = [(0.0, 1.0)] * 3
    step = lambda v: (v > 0.5).astype(float)
    out = []
    x = u(60, 3)
    out.append(("steps_60", x, unit, 3 * step(x[:, 0]) + step(x[:, 1]), [0.9, 0.1, 0.0]))
    x = u(60, 3)
    out.append(("linear_60", x, unit, 3 * x[:, 0] + x[:, 1], [0.9, 0.1, 0.0]))
    x = u(20, 3)
    out.append(("linear_20", x, unit, 3 * x[:, 0] + x[:, 1], [0.9, 0.1, 0.0]))
    x = u(40, 3)
    # sin(2πx) has variance 1/2 on [0, 1]; x² has variance 4/45.
    out.append(("sine_plus_square_40", x, unit, np.sin(2 * np.pi * x[:, 0]) + 2 * x[:, 1] ** 2,
                [0.5 / (0.5 + 16 / 45), (16 / 45) / (0.5 + 16 / 45), 0.0]))
    x = u(50, 3)
    # x1·x2 on [0,1]²: main effects x/2 each (variance 1/48), total variance 7/144; plus 0.5·x3 (variance 1/48).
    total = 7 / 144 + 1 / 48
    out.append(("product_50", x, unit, x[:, 0] * x[:, 1] + 0.5 * x[:, 2], [1 / 48 / total, 1 / 48 / total, 1 / 48 / total]))
    # log-uniform learning rate in [1e-4, 1e-1] as ln(lr), a 3-level list as indices, a uniform σ: y = −(ln lr + 7)² + level effect.
    n = 30
    lnlr = rng.uniform(np.log(1e-4), np.log(1e-1), n)
    level = rng.integers(0, 3, n).astype(float)
    sigma = rng.uniform(0.1, 1.0, n)
    y = -(lnlr + 7) ** 2 + np.array([0.0, 3.0, 1.0])[level.astype(int)]
    out.append(("vae_like_30", np.column_stack([lnlr, level, sigma]), [(np.log(1e-4), np.log(1e-1)), (-0.5, 2.5), (0.1, 1.0)], y, None))
    # A 4×3×2 grid of levels, one cell missing, additive.
    a, b, c = [0, 2, 5, 1], [0, -1, 1], [0, 0.3]
    grid = [(i, j, k) for i, j, k in itertools.product(range(4), range(3), range(2))][1:]
    va, vb, vc = np.var(a), np.var(b), np.var(c)
    out.append(("grid_23_of_24", np.array(grid, dtype=float), [(-0.5, 3.5), (-0.5, 2.5), (-0.5, 1.5)],
                np.array([a[i] + b[j] + c[k] for i, j, k in grid], dtype=float), [v / (va + vb + vc) for v in (va, vb, vc)]))
    return out


def write(directory):
    for name, x, bounds, y, _ in cases():
        with open(f"{directory}/{name}.csv", "w") as f:
            f.write(",".join(f"{lo!r}:{hi!r}" for lo, hi in bounds) + "\n")
            for row, value in zip(x, y):
                f.write(",".join(repr(float(v)) for v in row) + f",{float(value)!r}\n")


def table(directory, ours_path):
    from optuna.importance._fanova._fanova import _Fanova
    ours = defaultdict(list)
    with open(ours_path) as f:
        for row in csv.DictReader(f):
            ours[(row["case"], row["feature"])].append(float(row["share"]))
    print("mean over 5 forest seeds (sd); closed form = the function's exact main-effect share on the box")
    print(f"{'case':22} {'param':5} {'closed form':>11} {'ours':>15} {'Optuna 3.1':>15} {'ours−Optuna':>11}")
    for name, x, bounds, y, exact in cases():
        optuna = defaultdict(list)
        for seed in range(SEEDS):
            fanova = _Fanova(n_trees=64, max_depth=64, min_samples_split=2, min_samples_leaf=1, seed=seed)
            fanova.fit(x, y, np.array(bounds, dtype=float), [np.array([i]) for i in range(x.shape[1])])
            for i in range(x.shape[1]):
                optuna[i].append(fanova.get_importance(i)[0])
        for i in range(x.shape[1]):
            o, p = ours[(name, f"x{i + 1}")], optuna[i]
            cf = f"{exact[i]:.3f}" if exact else "-"
            print(f"{name:22} x{i + 1:<4} {cf:>11} {statistics.mean(o):7.3f} ({statistics.pstdev(o):.3f}) "
                  f"{statistics.mean(p):7.3f} ({statistics.pstdev(p):.3f}) {statistics.mean(o) - statistics.mean(p):+11.3f}")


if __name__ == "__main__":
    if len(sys.argv) == 3 and sys.argv[1] == "write":
        write(sys.argv[2])
    elif len(sys.argv) == 4 and sys.argv[1] == "table":
        table(sys.argv[2], sys.argv[3])
    else:
        sys.exit(__doc__)
