#!/usr/bin/env bash
# Parameter importance: ours (fANOVA over ML.NET's FastForest, src/Client/Report/FunctionalAnova.cs) beside Optuna
# 3.1's fANOVA (scikit-learn's random forest) on the same points and bounds, and the closed-form main-effect shares
# where the function has them. Functions on uniform samples (20–60 points, as sweeps have), a log-scaled mock VAE
# space, and a grid with one cell missing. Prints the mean and sd over 5 forest seeds of each.
#
#   bench/importance.sh                 # ~5 min on 2 loaded cores, most of it the build and scikit-learn
#   bench/importance.sh --keep /tmp/imp # keep the cases and our CSV
#
# Needs python3-optuna and python3-sklearn (Debian), run with /usr/bin/python3.
set -euo pipefail
cd "$(dirname "$0")/.."
KEEP=""
while [[ $# -gt 0 ]]; do
  case "$1" in
    --keep) KEEP="$2"; shift 2 ;;
    -h|--help) sed -n '2,10p' "$0"; exit 0 ;;
    *) echo "importance.sh: unknown argument '$1' (see --help)" >&2; exit 2 ;;
  esac
done
PY=/usr/bin/python3
"$PY" -c "import optuna, sklearn" 2>/dev/null || { echo "importance.sh: Optuna or scikit-learn is missing; apt-get install python3-optuna python3-sklearn" >&2; exit 3; }
if [[ -n "$KEEP" ]]; then mkdir -p "$KEEP"; DIR=$(cd "$KEEP" && pwd); else DIR=$(mktemp -d /tmp/vaesweep-imp.XXXXXX); trap 'rm -rf "$DIR"' EXIT; fi
dotnet build -c Release bench/ImportanceBench -nologo -v q >"$DIR/build.log" 2>&1 || { cat "$DIR/build.log"; exit 1; }
"$PY" bench/optuna_importance.py write "$DIR"
dotnet bench/ImportanceBench/bin/Release/net10.0/VaeSweep.ImportanceBench.dll --seeds 5 "$DIR"/*.csv >"$DIR/ours.csv"
"$PY" bench/optuna_importance.py table "$DIR" "$DIR/ours.csv"
