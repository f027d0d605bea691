#!/usr/bin/env bash
# `vaesweep run` itself, timed as a user times it, in one invocation, against two references doing the same work:
#   PyTorch   bench/pytorch_vae.py whole (Debian python3-torch), the issue-22 reference
#   engine    VaeSweep.Bench.dll whole: the same trainers without the product around them (no CLI, store, silo,
#             Orleans or checkpoints), so product wall / engine wall is the product's overhead
#
#   bench/product.sh                # one round (~3-4 min on an idle 2-core host)
#   bench/product.sh --repeat 2     # best of 2 per column, columns interleaved within each round
#   bench/product.sh --epochs 1 --examples 100   # a quick look
#
# The work is what one trial of experiments/fashion-quick.yaml does with the reference configuration (784-400-20,
# ReLU, Gaussian sigma 0.1, batch 128, Adam 1e-3): 5000 examples held out of the 60 000 training images, --epochs
# epochs over the other 55 000 each followed by the validation ELBO on the 5000, then the K = 1000 estimate on the
# first --examples validation and the first --examples test examples.
#   one trial on both cores:   vaesweep run (threads 2) / engine (--threads 2) / PyTorch OMP=1 OPENBLAS=2 (run.sh's best)
#   two trials side by side:   vaesweep run --slots 2 (threads 1 each, seeds 1 and 2) / engine --trials 2 --threads 1
#                              / two pinned 1-thread PyTorch processes (wall until both exit, RSS summed)
# Wall and peak RSS come from GNU time. The product's phases come from its own database (timestamps the client
# stores, each trial's in-grain seconds, each epoch's seconds and samples/s): before the first trial starts
# (runtime start-up, spec, store, silo, data load), in the trials (training, validation, estimates, checkpoints),
# and after the last trial finished (storing, ranking, silo stop, exit).
set -euo pipefail
shopt -s inherit_errexit
cd "$(dirname "$0")/.."

REPEAT=1
EPOCHS=3
EXAMPLES=1000
DATA=/usr/share/datasets/fashion-mnist
while [[ $# -gt 0 ]]; do
  case "$1" in
    --repeat) REPEAT="$2"; shift 2 ;;
    --epochs) EPOCHS="$2"; shift 2 ;;
    --examples) EXAMPLES="$2"; shift 2 ;;
    -h|--help) sed -n '2,24p' "$0"; exit 0 ;;
    *) echo "product.sh: unknown argument '$1' (see --help)" >&2; exit 2 ;;
  esac
done

PY=/usr/bin/python3
if ! "$PY" -c 'import torch' 2>/dev/null; then
  echo "product.sh: $PY cannot import torch, the reference every ratio is against; install it as root:" >&2
  echo "  apt-get install -y python3-torch libopenblas0-pthread" >&2
  exit 3
fi
[[ -d "$DATA" ]] || { echo "product.sh: $DATA is missing (apt-get install dataset-fashion-mnist)" >&2; exit 3; }
LOG=$(mktemp -d /tmp/vaesweep-product.XXXXXX)
PIN0=(); PIN1=()
if command -v taskset >/dev/null && [[ $(nproc) -ge 2 ]]; then PIN0=(taskset -c 0); PIN1=(taskset -c 1); fi
# As run.sh: Debian's OpenBLAS may not know the CPU and fall back to generic kernels; give the reference its best.
if [[ -z "${OPENBLAS_CORETYPE:-}" ]] && grep -qw avx512f /proc/cpuinfo; then export OPENBLAS_CORETYPE=SkylakeX
elif [[ -z "${OPENBLAS_CORETYPE:-}" ]] && grep -qw avx2 /proc/cpuinfo; then export OPENBLAS_CORETYPE=Haswell; fi

echo "== building vaesweep and the engine harness (Release); logs in $LOG"
for project in src/Client bench/Bench; do
  dotnet build -c Release "$project" -nologo -v q >>"$LOG/build.log" 2>&1 || { cat "$LOG/build.log"; exit 1; }
done
VAESWEEP=(src/Client/bin/Release/net10.0/vaesweep)
ENGINE=(dotnet bench/Bench/bin/Release/net10.0/VaeSweep.Bench.dll whole --epochs "$EPOCHS" --examples "$EXAMPLES"
        --validation 5000 --estimates both)
PYTORCH=("$PY" bench/pytorch_vae.py whole --epochs "$EPOCHS" --examples "$EXAMPLES" --validation 5000 --estimate-validation)

spec() { # spec NAME THREADS SEEDS
  cat >"$LOG/$1.yaml" <<EOF
name: $1
dataset: { name: fashion-mnist, path: $DATA, validation: 5000 }
model: { hidden: [400], activation: relu, likelihood: gaussian, latent: 20, sigma: 0.1, beta: 1.0 }
train: { epochs: $EPOCHS, batch_size: 128, lr: 0.001, threads: $2 }
eval: { importance_samples: 1000, examples: $EXAMPLES }
sweep: { strategy: grid, parameters: { seed: $3 } }
EOF
}
spec one 2 "[1]"
spec two 1 "[1, 2]"

result() { grep "^RESULT $1=" "$2" | tail -1 | cut -d= -f2; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", (b > 0 ? a / b : 0) }'; }
# timed OUT CMD...: CMD with its output in OUT, then "RESULT wall_s=", "RESULT rss_kb=" (GNU time) and
# "RESULT exec_at=" (epoch seconds just before exec, for the product's phases).
timed() {
  local out=$1; shift
  echo "RESULT exec_at=$EPOCHREALTIME" >"$out"
  /usr/bin/time -f "RESULT wall_s=%e
RESULT rss_kb=%M
RESULT cpu_s=%U+%S" -a -o "$out" "$@" >>"$out" 2>&1 || { echo "FAILED: $*" >&2; cat "$out" >&2; exit 1; }
}
timed_pair() { # two pinned copies of CMD at once: wall until both exit, RSS summed, the first's log-likelihood
  local out=$1; shift
  local t0=$EPOCHREALTIME
  timed "$out.a" "${PIN0[@]}" "$@" & local pa=$!
  timed "$out.b" "${PIN1[@]}" "$@" & local pb=$!
  wait "$pa" && wait "$pb" || exit 1
  { echo "RESULT wall_s=$(awk -v a="$t0" -v b="$EPOCHREALTIME" 'BEGIN { printf "%.2f", b - a }')"
    echo "RESULT rss_kb=$(( $(result rss_kb "$out.a") + $(result rss_kb "$out.b") ))"
    echo "RESULT cpu_s=$(result cpu_s "$out.a")+$(result cpu_s "$out.b")"
    for k in load_s train_s validation_s estimate_s; do
      echo "RESULT $k=$(awk -v x="$(result $k "$out.a")" -v y="$(result $k "$out.b")" 'BEGIN { print (x > y ? x : y) }')"; done
    echo "RESULT test_ll=$(result test_ll "$out.a")"
  } >"$out"
}
# product OUT SPEC ARGS...: vaesweep run into a fresh database, then its phases appended to OUT.
product() {
  local out=$1 name=$2; shift 2
  local db="$out.db"
  timed "$out" "${VAESWEEP[@]}" run "$LOG/$name.yaml" --db "$db" "$@"
  "$PY" - "$db" "$(result exec_at "$out")" "$(result wall_s "$out")" >>"$out" <<'EOF'
import sqlite3, sys
from datetime import datetime, timezone
db, exec_at, wall = sys.argv[1], float(sys.argv[2]), float(sys.argv[3])
con = sqlite3.connect(db)
def at(text): return datetime.strptime(text, "%Y-%m-%dT%H:%M:%S.%fZ").replace(tzinfo=timezone.utc).timestamp()
trials = con.execute("SELECT trial_id, status, started_at, finished_at, seconds FROM trials").fetchall()
bad = [t for t in trials if t[1] != "finished"]
if bad: sys.exit(f"trials not finished: {bad}")
first = min(at(t[2]) for t in trials) - exec_at
last = exec_at + wall - max(at(t[3]) for t in trials)
in_trials = max(t[4] for t in trials)
epochs = con.execute("""SELECT e.trial_id, sum(e.seconds), sum(x.n / e.samples_per_sec) FROM epochs e
    JOIN (SELECT trial_id, 55000.0 AS n FROM trials) x USING (trial_id) GROUP BY e.trial_id""").fetchall()
train = max(e[2] for e in epochs)
validation = max(e[1] - e[2] for e in epochs)
estimates = max(t[4] for t in trials) - max(e[1] for e in epochs)
ll = con.execute("SELECT mean FROM evaluations WHERE split = 'test' ORDER BY trial_id").fetchone()[0]
print(f"RESULT before_first_start_s={first:.3f}")
print(f"RESULT in_trials_s={in_trials:.3f}")
print(f"RESULT train_s={train:.3f}")
print(f"RESULT validation_s={validation:.3f}")
print(f"RESULT estimate_s={estimates:.3f}")
print(f"RESULT after_last_finish_s={last:.3f}")
print(f"RESULT test_ll={ll:.4f}")
EOF
}

declare -A BEST=()
keep() { # keep NAME OUT: OUT becomes NAME's run if its wall time is the best so far
  local old=${BEST[$1]:-}
  if [[ -z "$old" ]] || awk -v a="$(result wall_s "$2")" -v b="$(result wall_s "$old")" 'BEGIN { exit !(a < b) }'; then BEST[$1]=$2; fi
}
echo "== $EPOCHS epochs of 55 000 (+ validation ELBO on 5000), K=1000 on $EXAMPLES validation + $EXAMPLES test examples; best of $REPEAT, columns interleaved"
echo "   load average now: $(cut -d' ' -f1-3 /proc/loadavg) (the host is shared: read the ratios, not the seconds)"
for ((r = 1; r <= REPEAT; r++)); do
  o="$LOG/product1.$r"; product "$o" one --slots 1; keep product1 "$o"
  o="$LOG/engine1.$r"; timed "$o" "${ENGINE[@]}" --trials 1 --threads 2; keep engine1 "$o"
  o="$LOG/pytorch1.$r"; timed "$o" env OMP_NUM_THREADS=1 OPENBLAS_NUM_THREADS=2 "${PYTORCH[@]}" --threads 1; keep pytorch1 "$o"
  o="$LOG/product2.$r"; product "$o" two --slots 2; keep product2 "$o"
  o="$LOG/engine2.$r"; timed "$o" "${ENGINE[@]}" --trials 2 --threads 1; keep engine2 "$o"
  o="$LOG/pytorch2.$r"; timed_pair "$o" env OMP_NUM_THREADS=1 OPENBLAS_NUM_THREADS=1 "${PYTORCH[@]}" --threads 1; keep pytorch2 "$o"
  echo "round $r of $REPEAT done (load average $(cut -d' ' -f1 /proc/loadavg))"
done

row() { # row LABEL FILE
  printf "  %-32s %7.2f s %6.0f MiB  CPU %6.1f s   log p(x) %s\n" "$1" "$(result wall_s "$2")" "$(( $(result rss_kb "$2") / 1024 ))" \
    "$(cpu "$2")" "$(result test_ll "$2")"
}
cpu() { awk "BEGIN { print $(result cpu_s "$1") }"; }   # user + system seconds, summed over processes
phases() { # phases FILE: the product's own breakdown
  printf "    phases: before the first trial starts %s s | in the trial(s) %s s = train %s + validation %s + estimates and checkpoints %s | after the last finished %s s\n" \
    "$(result before_first_start_s "$1")" "$(result in_trials_s "$1")" "$(result train_s "$1")" "$(result validation_s "$1")" \
    "$(result estimate_s "$1")" "$(result after_last_finish_s "$1")"
}
engine_phases() {
  printf "    phases: load %s s, train %s s, validation %s s, estimates %s s\n" \
    "$(result load_s "$1")" "$(result train_s "$1")" "$(result validation_s "$1")" "$(result estimate_s "$1")"
}
echo
echo "one trial on both cores:            wall, peak RSS, held-out log p(x) on the test examples"
row "vaesweep run (threads 2)" "${BEST[product1]}"; phases "${BEST[product1]}"
row "engine alone (threads 2)" "${BEST[engine1]}"; engine_phases "${BEST[engine1]}"
row "PyTorch (OMP=1 OPENBLAS=2)" "${BEST[pytorch1]}"; engine_phases "${BEST[pytorch1]}"
echo "two trials side by side:            wall until both finish, total peak RSS"
row "vaesweep run --slots 2" "${BEST[product2]}"; phases "${BEST[product2]}"
row "engine alone, 2 trials" "${BEST[engine2]}"; engine_phases "${BEST[engine2]}"
row "PyTorch, two 1-thread processes" "${BEST[pytorch2]}"; engine_phases "${BEST[pytorch2]}"
echo
w() { result wall_s "${BEST[$1]}"; }
over() { awk -v p="$1" -v e="$2" 'BEGIN { printf "%+.1f%%", (p / e - 1) * 100 }'; }
echo "== ratios (PyTorch wall / vaesweep run wall; > 1 means the product is faster)"
echo "one trial on 2 cores:      $(ratio "$(w pytorch1)" "$(w product1)")×   (engine alone: $(ratio "$(w pytorch1)" "$(w engine1)")×; product overhead over the engine $(over "$(w product1)" "$(w engine1)"))"
echo "two trials side by side:   $(ratio "$(w pytorch2)" "$(w product2)")×   (engine alone: $(ratio "$(w pytorch2)" "$(w engine2)")×; product overhead over the engine $(over "$(w product2)" "$(w engine2)"))"
echo "CPU seconds (user + system; less sensitive to a loaded host than wall time): one trial $(cpu "${BEST[product1]}") vs engine $(cpu "${BEST[engine1]}") ($(over "$(cpu "${BEST[product1]}")" "$(cpu "${BEST[engine1]}")")), two trials $(cpu "${BEST[product2]}") vs engine $(cpu "${BEST[engine2]}") ($(over "$(cpu "${BEST[product2]}")" "$(cpu "${BEST[engine2]}")")), PyTorch $(cpu "${BEST[pytorch1]}") and $(cpu "${BEST[pytorch2]}")"
echo "peak RSS, two trials:      vaesweep run $(( $(result rss_kb "${BEST[product2]}") / 1024 )) MiB, engine alone $(( $(result rss_kb "${BEST[engine2]}") / 1024 )) MiB, PyTorch $(( $(result rss_kb "${BEST[pytorch2]}") / 1024 )) MiB"
echo "load average at the end: $(cut -d' ' -f1-3 /proc/loadavg)"
