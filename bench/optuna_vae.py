#!/usr/bin/env python3
"""Optuna's TPE driving bench/search.sh's objective: the same VAE, data, training seed and evaluation.

Each Optuna trial writes a one-config list spec over DIR/base.yaml (the base sections bench/search.sh wrote for its
own sweeps), runs `dotnet VAESWEEP.dll run SPEC --db DB --slots 1` into a database of its own, and returns the
trial's validation held-out log-likelihood, maximised; a trial that diverged (no estimate) returns the worst value,
as `vaesweep` ranks it. TPESampler(multivariate=True, constant_liar=True, n_startup_trials=10, seed=seed) with
n_jobs=JOBS threads, so JOBS trials train at once, as `vaesweep run --slots JOBS` does. Prints CSV rows
fashion-vae,optuna-tpe,seed,budget,best for budgets 12, 24, 48 (best of the first `budget` trials by number).

  optuna_vae.py --dll src/Client/bin/Release/net10.0/vaesweep.dll --dir DIR [--seeds 5] [--trials 48] [--jobs 2]
"""
import argparse
import math
import os
import sqlite3
import subprocess
import sys
import warnings

import optuna

# Finite, so the TPE ranks a diverged trial last rather than dropping it (Optuna ignores failed trials).
WORST = -1e9


def objective_for(args, seed):
    base = open(os.path.join(args.dir, "base.yaml")).read()
    work = os.path.join(args.dir, "optuna")
    os.makedirs(work, exist_ok=True)

    def objective(trial):
        lr = trial.suggest_float("lr", 0.0001, 0.03, log=True)
        latent = trial.suggest_int("latent", 2, 32)
        sigma = trial.suggest_float("sigma", 0.05, 0.5, log=True)
        beta = trial.suggest_float("beta", 0.5, 2.0)
        name = f"optuna-s{seed}-t{trial.number}"
        spec = os.path.join(work, name + ".yaml")
        db = os.path.join(work, name + ".db")
        with open(spec, "w") as f:
            f.write(f"name: {name}\ndescription: bench/optuna_vae.py\n{base}sweep:\n  strategy: list\n  configs:\n"
                    f"    - {{ lr: {lr!r}, latent: {latent}, sigma: {sigma!r}, beta: {beta!r} }}\n")
        with open(os.path.join(work, name + ".log"), "w") as log:
            rc = subprocess.run(["dotnet", args.dll, "run", spec, "--db", db, "--slots", "1"], stdout=log, stderr=log).returncode
        if rc not in (0, 3):  # 3: the trial diverged, a result
            raise RuntimeError(f"vaesweep run {spec} exited {rc}; see {name}.log")
        with sqlite3.connect(db) as connection:
            row = connection.execute("SELECT heldout_ll FROM results WHERE sweep = ?", (name,)).fetchone()
        return WORST if row is None or row[0] is None else row[0]

    return objective


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--dll", required=True)
    parser.add_argument("--dir", required=True)
    parser.add_argument("--seeds", type=int, default=5)
    parser.add_argument("--trials", type=int, default=48)
    parser.add_argument("--jobs", type=int, default=2)
    args = parser.parse_args()
    warnings.filterwarnings("ignore")  # multivariate and constant_liar are "experimental" in 3.1
    optuna.logging.set_verbosity(optuna.logging.ERROR)
    print("function,method,seed,trials,best_heldout_ll", flush=True)
    for seed in range(1, args.seeds + 1):
        sampler = optuna.samplers.TPESampler(multivariate=True, constant_liar=True, n_startup_trials=10, seed=seed)
        study = optuna.create_study(sampler=sampler, direction="maximize")
        study.optimize(objective_for(args, seed), n_trials=args.trials, n_jobs=args.jobs)
        trials = sorted(study.trials, key=lambda t: t.number)
        for budget in (12, 24, 48):
            if budget <= len(trials):
                values = [t.value for t in trials[:budget] if t.value is not None and t.value > WORST]
                best = max(values) if values else math.nan
                print(f"fashion-vae,optuna-tpe,{seed},{budget},{best}", flush=True)
        print(f"optuna seed {seed}: {len(trials)} trials", file=sys.stderr, flush=True)


if __name__ == "__main__":
    main()
