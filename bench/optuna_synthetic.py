#!/usr/bin/env python3
"""Optuna's TPE on the functions of bench/SearchBench, with the same budgets and seeds count, printing the same CSV.

TPESampler(multivariate=True, constant_liar=True, n_startup_trials=STARTUP, seed=seed), n_jobs=1 (sequential, as
SearchBench runs ours). Debian's python3-optuna (3.1). Usage: optuna_synthetic.py [--seeds 20] [--trials 100] [--startup 10]
"""
import argparse
import math
import warnings

import numpy as np
import optuna

BRANIN_MIN = 0.397887357729738
H6_MIN = -3.32236801141551
H6_A = np.array([1.0, 1.2, 3.0, 3.2])
H6_ALPHA = np.array([[10, 3, 17, 3.5, 1.7, 8], [0.05, 10, 17, 0.1, 8, 14], [3, 3.5, 1.7, 10, 17, 8], [17, 8, 0.05, 10, 0.1, 14]])
H6_P = np.array([[0.1312, 0.1696, 0.5569, 0.0124, 0.8283, 0.5886], [0.2329, 0.4135, 0.8307, 0.3736, 0.1004, 0.9991],
                 [0.2348, 0.1451, 0.3522, 0.2883, 0.3047, 0.6650], [0.4047, 0.8828, 0.8732, 0.5743, 0.1091, 0.0381]])


def branin(trial):
    x0 = trial.suggest_float("x0", -5, 10)
    x1 = trial.suggest_float("x1", 0, 15)
    b, c, t = 5.1 / (4 * math.pi ** 2), 5 / math.pi, 1 / (8 * math.pi)
    return (x1 - b * x0 ** 2 + c * x0 - 6) ** 2 + 10 * (1 - t) * math.cos(x0) + 10


def hartmann6(trial):
    x = np.array([trial.suggest_float(f"x{j}", 0, 1) for j in range(6)])
    return float(-np.sum(H6_A * np.exp(-np.sum(H6_ALPHA * (x - H6_P) ** 2, axis=1))))


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--seeds", type=int, default=20)
    parser.add_argument("--trials", type=int, default=100)
    parser.add_argument("--startup", type=int, default=10)
    args = parser.parse_args()
    warnings.filterwarnings("ignore")  # multivariate and constant_liar are "experimental" in 3.1
    optuna.logging.set_verbosity(optuna.logging.ERROR)
    budgets = [b for b in (10, 25, 50, 100, 200) if b <= args.trials]
    print("function,method,seed,trials,best_regret", flush=True)
    for name, objective, minimum in (("branin", branin, BRANIN_MIN), ("hartmann6", hartmann6, H6_MIN)):
        for seed in range(args.seeds):
            sampler = optuna.samplers.TPESampler(multivariate=True, constant_liar=True, n_startup_trials=args.startup, seed=seed)
            study = optuna.create_study(sampler=sampler, direction="minimize")
            study.optimize(objective, n_trials=args.trials)
            best = math.inf
            for n, trial in enumerate(study.trials, start=1):
                best = min(best, trial.value)
                if n in budgets:
                    print(f"{name},optuna-tpe,{seed},{n},{best - minimum:.6g}", flush=True)


if __name__ == "__main__":
    main()
