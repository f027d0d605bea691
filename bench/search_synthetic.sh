#!/usr/bin/env bash
# The TPE alone, against Optuna's, on standard functions: Branin (2-D) and Hartmann-6 (6-D), same budgets, same
# number of seeds, sequential trials, 10 random startup trials each. Independent of the VAE and of the scheduler.
# Prints, per function and budget, the median best regret (value − known minimum; lower is better) over seeds with
# its quartiles, for our tpe, random search, and Optuna's TPESampler(multivariate=True, constant_liar=True).
#
#   bench/search_synthetic.sh                       # 20 seeds x 100 trials; ~1 min for ours, ~10 for Optuna on 2 loaded cores
#   bench/search_synthetic.sh --seeds 5 --trials 50 --keep /tmp/syn
#
# Needs python3-optuna (Debian: apt-get install python3-optuna), run with /usr/bin/python3.
set -euo pipefail
cd "$(dirname "$0")/.."
SEEDS=20
TRIALS=100
KEEP=""
while [[ $# -gt 0 ]]; do
  case "$1" in
    --seeds) SEEDS="$2"; shift 2 ;;
    --trials) TRIALS="$2"; shift 2 ;;
    --keep) KEEP="$2"; shift 2 ;;
    -h|--help) sed -n '2,11p' "$0"; exit 0 ;;
    *) echo "search_synthetic.sh: unknown argument '$1' (see --help)" >&2; exit 2 ;;
  esac
done
PY=/usr/bin/python3
"$PY" -c "import optuna" 2>/dev/null || { echo "search_synthetic.sh: Optuna is missing; apt-get install python3-optuna" >&2; exit 3; }
if [[ -n "$KEEP" ]]; then mkdir -p "$KEEP"; DIR=$(cd "$KEEP" && pwd); else DIR=$(mktemp -d /tmp/vaesweep-syn.XXXXXX); trap 'rm -rf "$DIR"' EXIT; fi
dotnet build -c Release bench/SearchBench -nologo -v q >"$DIR/build.log" 2>&1 || { cat "$DIR/build.log"; exit 1; }
echo "== ours (tpe, random): $SEEDS seeds x $TRIALS trials"
dotnet bench/SearchBench/bin/Release/net10.0/VaeSweep.SearchBench.dll --seeds "$SEEDS" --trials "$TRIALS" >"$DIR/ours.csv"
echo "== Optuna $("$PY" -c 'import optuna; print(optuna.__version__)') TPESampler(multivariate=True, constant_liar=True): $SEEDS seeds x $TRIALS trials"
"$PY" bench/optuna_synthetic.py --seeds "$SEEDS" --trials "$TRIALS" >"$DIR/optuna.csv"
"$PY" bench/search_table.py "$DIR/ours.csv" "$DIR/optuna.csv"
