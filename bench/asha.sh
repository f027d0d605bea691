#!/usr/bin/env bash
# Early stopping (ASHA) against the full sweep: what the schedule saves, and whether it still finds the best trial.
#
# Runs one seeded random sweep twice, each into its own database with the same --slots: once with no schedule
# (every trial trains all its epochs) and once with `schedule: { kind: asha, grace: 1, reduction: 3 }` (rungs at
# epochs 1 and 3 of 9; pruned trials are not evaluated). Both specs draw the same trials (trial ids are hashes of
# the resolved config), so the two runs can be compared trial by trial. Prints:
#   epochs trained (rows of `epochs`) in each, and full / asha, against a 2.5x target
#   wall time of each `vaesweep run` (start-up to exit) and full / asha
#   ASHA's decisions per rung, and each run's best trial by validation held-out log-likelihood (`top`, rank 1)
#   a verdict: ASHA's best is the full sweep's best, or else whether its held-out LL in the *full* run is within
#   one paired standard error of the full best (top's diff and diff_se columns: the SE of the per-example
#   difference over the same 1000 validation examples), or missed.
#
#   bench/asha.sh                    # ~4 min on a quiet 2-core host (7 under load): 27 trials x 9 epochs of 55 000 examples, --slots 2
#   bench/asha.sh --seed 3 --limit 20000 --keep /tmp/asha   # another draw, shorter epochs; keep specs, dbs, logs
#   bench/asha.sh --trials 81 --epochs 9 --slots 2 --no-build   # use the Release build already in src/Client/bin
#
# The epoch ratio does not depend on the host, only on the draws: ASHA here is the stopping form judged in sweep
# order (a trial continues if it is in the top floor(n/3), at least one, of the n trials so far at the rung) and
# min_trials 3 lets the first three trials through every rung, so 27 trials x 9 epochs train ~90 epochs, not
# synchronous halving's 27 + 9*2 + 3*6 = 63. Wall times are noisy on a shared host; the full run also estimates the
# held-out LL of all trials, ASHA only of the survivors, and paused trials resume from a checkpoint.
set -euo pipefail
shopt -s inherit_errexit
cd "$(dirname "$0")/.."

TRIALS=27
EPOCHS=9
SLOTS=2
SEED=11
LIMIT=0              # training examples per epoch (0: all 55 000 left after the 5000 for validation)
KEEP=""
BUILD=1
DATA=/usr/share/datasets/fashion-mnist
while [[ $# -gt 0 ]]; do
  case "$1" in
    --trials) TRIALS="$2"; shift 2 ;;
    --epochs) EPOCHS="$2"; shift 2 ;;
    --slots) SLOTS="$2"; shift 2 ;;
    --seed) SEED="$2"; shift 2 ;;
    --limit) LIMIT="$2"; shift 2 ;;
    --keep) KEEP="$2"; shift 2 ;;
    --no-build) BUILD=0; shift ;;
    -h|--help) sed -n '2,23p' "$0"; exit 0 ;;
    *) echo "asha.sh: unknown argument '$1' (see --help)" >&2; exit 2 ;;
  esac
done
[[ -d "$DATA" ]] || { echo "asha.sh: no dataset at $DATA (install dataset-fashion-mnist)" >&2; exit 1; }

if [[ -n "$KEEP" ]]; then
  mkdir -p "$KEEP"; DIR=$(cd "$KEEP" && pwd)
  rm -f "$DIR"/full.db* "$DIR"/asha.db*   # a fresh comparison, not the finishing of an old one
else
  DIR=$(mktemp -d /tmp/vaesweep-asha.XXXXXX); trap 'rm -rf "$DIR"' EXIT
fi
DLL=src/Client/bin/Release/net10.0/vaesweep.dll
if [[ $BUILD == 1 ]]; then
  echo "== building src/Client (Release)"
  dotnet build -c Release src/Client -nologo -v q >"$DIR/build.log" 2>&1 || { cat "$DIR/build.log"; exit 1; }
fi
[[ -f "$DLL" ]] || { echo "asha.sh: $DLL is missing (run without --no-build)" >&2; exit 1; }
CLI=(dotnet "$DLL")

# spec NAME SCHEDULE_LINE: the sweep both runs share; only the name and the schedule line differ.
# One hidden layer of 200 keeps an epoch of 55 000 examples near two seconds on one core. Full epochs matter with
# grace 1: with 20 000 examples one draw (--seed 3) pruned its eventual best (lr 2e-3, still slow after one short
# epoch) at rung 1. The held-out estimate (K = 500 on the first 1000 validation and test examples) ranks the trials.
spec() {
  cat <<EOF
name: $1
description: bench/asha.sh, $TRIALS random trials x $EPOCHS epochs
dataset: { name: fashion-mnist, path: $DATA, validation: 5000, split_seed: 0, limit: $LIMIT }
model: { hidden: [200], activation: relu, likelihood: gaussian }
train: { epochs: $EPOCHS, batch_size: 128, seed: 1 }
eval: { importance_samples: 500, examples: 1000 }
sweep:
  strategy: random
  trials: $TRIALS
  seed: $SEED
  parameters:
    lr: { log_uniform: [0.0001, 0.03] }
    latent: { int_uniform: [2, 32] }
    sigma: { log_uniform: [0.05, 0.3] }
    beta: { uniform: [0.5, 2.0] }
$2
EOF
}
spec asha-full "" >"$DIR/full.yaml"
spec asha-asha "schedule: { kind: asha, grace: 1, reduction: 3 }" >"$DIR/asha.yaml"

# run NAME: runs DIR/NAME.yaml into DIR/NAME.db, echoes the wall seconds. Exit 3 (some trial diverged, e.g. at a
# large learning rate) is a result, not a failure of the bench.
run() {
  local t0=$EPOCHREALTIME rc=0
  "${CLI[@]}" run "$DIR/$1.yaml" --db "$DIR/$1.db" --slots "$SLOTS" >"$DIR/$1.log" 2>&1 || rc=$?
  local t1=$EPOCHREALTIME
  if [[ $rc != 0 && $rc != 3 ]]; then echo "FAILED ($rc): vaesweep run $1.yaml" >&2; tail -20 "$DIR/$1.log" >&2; exit 1; fi
  awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.1f", b - a }'
}
q() { "${CLI[@]}" query --db "$DIR/$1.db" --format csv "$2" | tail -n +2; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", (b > 0 ? a / b : 0) }'; }
# field RUN TRIAL|rank1 COLUMN: a column of RUN's `top --format csv` (DIR/RUN.top.csv) for one trial, or for the
# rank-1 row, by header name.
field() {
  awk -F, -v want="$2" -v col="$3" '
    NR == 1 { for (i = 1; i <= NF; i++) h[$i] = i; next }
    (want == "rank1" && $h["rank"] == "1") || $h["trial"] == want { print $h[col]; exit }' "$DIR/$1.top.csv"
}

echo "== $TRIALS trials x $EPOCHS epochs, random seed $SEED, --slots $SLOTS; files in $DIR"
WALL_FULL=$(run full)
echo "full sweep:  ${WALL_FULL} s"
WALL_ASHA=$(run asha)
echo "ASHA sweep:  ${WALL_ASHA} s"

SAME=$(comm -12 <(q full "SELECT trial_id FROM trials ORDER BY 1") <(q asha "SELECT trial_id FROM trials ORDER BY 1") | wc -l)
[[ "$SAME" == "$TRIALS" ]] || { echo "asha.sh: the two specs drew different trials ($SAME of $TRIALS shared)" >&2; exit 1; }

EP_FULL=$(q full "SELECT count(*) FROM epochs")
EP_ASHA=$(q asha "SELECT count(*) FROM epochs")
echo
echo "== ASHA's statuses and decisions"
statuses() { q "$1" "SELECT group_concat(n || ' ' || status, ' / ') FROM (SELECT status, count(*) n FROM trials GROUP BY status ORDER BY status)"; }
echo "ASHA run statuses: $(statuses asha)"
echo "full run statuses: $(statuses full)"
q asha "SELECT rung, sum(verdict = 'continue'), sum(verdict = 'prune'), sum(cutoff IS NULL) FROM rung_decisions GROUP BY rung ORDER BY rung" |
  while IFS=, read -r rung cont prune nocut; do
    echo "rung $rung: $cont continue, $prune pruned ($nocut judged before min_trials earlier trials had scored)"
  done

"${CLI[@]}" top --db "$DIR/full.db" --sweep asha-full --limit 0 --format csv >"$DIR/full.top.csv"
"${CLI[@]}" top --db "$DIR/asha.db" --sweep asha-asha --limit 0 --format csv >"$DIR/asha.top.csv"
BEST_FULL=$(field full rank1 trial)
BEST_ASHA=$(field asha rank1 trial)
row() { # row RUN TRIAL: held-out LL ± SE, epochs and the config, from RUN's top
  printf "%s  LL %.2f ± %.2f  (lr %.3g, latent %s, sigma %.3g, beta %.2f)" "${2:0:12}" \
    "$(field "$1" "$2" heldout_ll)" "$(field "$1" "$2" heldout_ll_se)" "$(field "$1" "$2" lr)" \
    "$(field "$1" "$2" latent)" "$(field "$1" "$2" sigma)" "$(field "$1" "$2" beta)"
}
echo
echo "== best trial by validation held-out log-likelihood (nats; ± its standard error over 1000 examples)"
echo "full sweep:  $(row full "$BEST_FULL")"
echo "ASHA sweep:  $(row asha "$BEST_ASHA")"

echo
echo "== summary"
MET=$(awk -v a="$EP_FULL" -v b="$EP_ASHA" 'BEGIN { print (a >= 2.5 * b ? "met" : "NOT met") }')
echo "epochs trained:  full $EP_FULL, ASHA $EP_ASHA   full / ASHA = $(ratio "$EP_FULL" "$EP_ASHA")x  (target >= 2.5x: $MET)"
echo "wall time:       full $WALL_FULL s, ASHA $WALL_ASHA s   full / ASHA = $(ratio "$WALL_FULL" "$WALL_ASHA")x"
if [[ "$BEST_FULL" == "$BEST_ASHA" ]]; then
  echo "VERDICT: ASHA found the full sweep's best trial (${BEST_FULL:0:12}) with $(ratio "$EP_FULL" "$EP_ASHA")x fewer epochs (2.5x target $MET)"
else
  # ASHA's best as the full run saw it after all epochs: its gap to the full best and the paired SE of that gap.
  DIFF=$(field full "$BEST_ASHA" diff)
  DSE=$(field full "$BEST_ASHA" diff_se)
  RANK=$(field full "$BEST_ASHA" rank)
  printf "ASHA's best in the full run: rank %s, %.2f nats below the full best, paired SE of the difference %.2f\n" "$RANK" "$DIFF" "$DSE"
  if awk -v d="$DIFF" -v s="$DSE" 'BEGIN { exit !(d <= s) }'; then
    echo "VERDICT: ASHA's best is another trial, within one paired SE of the full sweep's best ($(ratio "$EP_FULL" "$EP_ASHA")x fewer epochs, 2.5x target $MET)"
  else
    echo "VERDICT: ASHA MISSED the full sweep's best: its best is $(awk -v d="$DIFF" -v s="$DSE" 'BEGIN { printf "%.1f", d / s }') paired SEs below it"
  fi
fi
