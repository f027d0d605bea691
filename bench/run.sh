#!/usr/bin/env bash
# C# engine vs PyTorch on this machine, in one command:
#
#   bench/run.sh                 # GEMM table + training + side-by-side + IS throughput ratios (~5-8 min)
#   bench/run.sh --ll 10 1000    # additionally: train 10 full epochs in each, compare IS log p(x) on 1000 test examples
#   bench/run.sh --repeat 3      # best of 3 for every throughput figure (the host is shared; best-of is the stable statistic)
#   bench/run.sh --whole-only    # only the whole-process comparison (the headline figures)
#   bench/run.sh --torch-all     # whole process: PyTorch's best of all three thread settings, not only OMP=1 OPENBLAS=2
#   bench/run.sh --engines native,torch   # also a torch-engine column (C# bench --engine torch)
#
# Reference configuration everywhere: 784-400-20, ReLU, Gaussian sigma=0.1, beta=1, Adam 1e-3, batch 128,
# Fashion-MNIST from /usr/share/datasets/fashion-mnist. PyTorch runs under /usr/bin/python3 (Debian torch).
# Ratios > 1 mean the C# engine is faster.
#   one trial, both cores:   C# Threads=2 / best PyTorch thread setting (torch.set_num_threads(2);
#                            OMP_NUM_THREADS=1 + OPENBLAS_NUM_THREADS=2; OMP_NUM_THREADS=2)
#   two trials side by side: sum of two pinned C# Threads=1 processes / sum of two pinned 1-thread PyTorch processes
#   IS evaluation (K=1000):  C# Threads=2 examples/s / best PyTorch setting
# Whole process (start-up, data load, 3 epochs of 50 000 with validation, IS K=1000 on 1000 test examples):
#   one trial, both cores:   PyTorch best wall time / C# wall time (Threads=2)
#   two trials side by side: two 1-thread PyTorch processes (pinned), until both exit / one C# process running
#                            both trials (Threads=1 each, one shared dataset copy): the silo's own case
set -euo pipefail
shopt -s inherit_errexit
cd "$(dirname "$0")/.."

REPEAT=1
LL_EPOCHS=0
LL_EXAMPLES=1000
WHOLE_ONLY=0
ENGINES=native
WHOLE_EPOCHS=3
WHOLE_EXAMPLES=1000
# PyTorch thread settings (torch_run's indices) the whole-process runs try: OMP=1 OPENBLAS=2 alone by default, the
# setting that won every comparison here; the two OMP=2 ones idle-spin OpenMP threads and on a loaded host took
# 2-3x as long. --torch-all tries all three (the best counts).
WHOLE_TORCH=(1)
STEPS=200            # PyTorch timed steps per training measurement (after 20 warm-up steps)
SAMPLES=25600        # C# examples per epoch (= 200 steps); 3 epochs, the first is warm-up
EVAL_EXAMPLES=100
while [[ $# -gt 0 ]]; do
  case "$1" in
    --repeat) REPEAT="$2"; shift 2 ;;
    --ll) LL_EPOCHS="$2"; LL_EXAMPLES="$3"; shift 3 ;;
    --steps) STEPS="$2"; SAMPLES=$((STEPS * 128)); shift 2 ;;
    --whole-only) WHOLE_ONLY=1; shift ;;
    --torch-all) WHOLE_TORCH=(0 1 2); shift ;;
    --engines) ENGINES="$2"; shift 2 ;;
    -h|--help) sed -n '2,22p' "$0"; exit 0 ;;
    *) echo "run.sh: unknown argument '$1' (see --help)" >&2; exit 2 ;;
  esac
done

PY=/usr/bin/python3
PYVAE=bench/pytorch_vae.py
BENCH=(dotnet bench/Bench/bin/Release/net10.0/VaeSweep.Bench.dll)
if ! "$PY" -c 'import torch' 2>/dev/null; then
  echo "run.sh: $PY cannot import torch, the reference every ratio is against; install it as root:" >&2
  echo "  apt-get install -y python3-torch libopenblas0-pthread" >&2
  exit 3
fi
LOG=$(mktemp -d /tmp/vaesweep-bench.XXXXXX)
PIN0=(); PIN1=()
if command -v taskset >/dev/null && [[ $(nproc) -ge 2 ]]; then PIN0=(taskset -c 0); PIN1=(taskset -c 1); fi

# The OpenBLAS kernel set PyTorch's BLAS runs on (Debian's torch uses the system libopenblas).
openblas_core() {
  "$PY" -c 'import ctypes, ctypes.util
lib = ctypes.CDLL(ctypes.util.find_library("openblas") or "libopenblas.so.0")
lib.openblas_get_corename.restype = ctypes.c_char_p
print(lib.openblas_get_corename().decode())' 2>/dev/null || echo unknown
}
# Debian 12's OpenBLAS (0.3.21) does not recognise every newer CPU and then falls back to its generic SSE3 kernels
# ('Prescott'), several times slower than the AVX-512 or AVX2 ones the CPU runs. The reference must get its best, so
# name the kernel set the CPU supports, unless the caller already chose one.
if [[ -z "${OPENBLAS_CORETYPE:-}" && "$(openblas_core)" == Prescott ]]; then
  if grep -qw avx512f /proc/cpuinfo; then export OPENBLAS_CORETYPE=SkylakeX
  elif grep -qw avx2 /proc/cpuinfo; then export OPENBLAS_CORETYPE=Haswell; fi
fi
echo "== PyTorch's BLAS: OpenBLAS with $(openblas_core) kernels${OPENBLAS_CORETYPE:+ (OPENBLAS_CORETYPE=$OPENBLAS_CORETYPE)}"

echo "== building bench (Release); logs in $LOG"
dotnet build -c Release bench/Bench -nologo -v q >"$LOG/build.log" 2>&1 || { cat "$LOG/build.log"; exit 1; }

# result KEY FILE: the value of "RESULT KEY=value" in FILE.
result() { grep "^RESULT $1=" "$2" | tail -1 | cut -d= -f2; }
# best KEY CMD...: runs CMD REPEAT times, echoes the largest KEY value; output goes to the log.
best() {
  local key=$1; shift
  local top=0 out
  for ((r = 1; r <= REPEAT; r++)); do
    out="$LOG/run.$RANDOM.log"
    "$@" >"$out" 2>&1 || { echo "FAILED: $*" >&2; cat "$out" >&2; exit 1; }
    top=$(awk -v a="$top" -v b="$(result "$key" "$out")" 'BEGIN { print (b > a ? b : a) }')
  done
  echo "$top"
}
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", (b > 0 ? a / b : 0) }'; }

# PyTorch thread settings: name, environment, --threads.
declare -a TORCH_NAMES=("set_num_threads(2)" "OMP=1 OPENBLAS=2" "OMP=2")
torch_run() { # torch_run INDEX ARGS...
  local i=$1; shift
  case $i in
    0) env -u OMP_NUM_THREADS -u OPENBLAS_NUM_THREADS "$PY" "$PYVAE" "$@" --threads 2 ;;
    1) env OMP_NUM_THREADS=1 OPENBLAS_NUM_THREADS=2 "$PY" "$PYVAE" "$@" --threads 1 ;;
    2) env -u OPENBLAS_NUM_THREADS OMP_NUM_THREADS=2 "$PY" "$PYVAE" "$@" --threads 2 ;;
  esac
}


if [[ $WHOLE_ONLY == 0 ]]; then
echo "== GEMM, threads 1 and 2"
"${BENCH[@]}" gemm --threads 1 | grep -v '^RESULT'
"${BENCH[@]}" gemm --threads 2 | grep -v '^RESULT' | tail -n +2

echo "== one trial on both cores (training samples/s)"
CS_TRAIN=$(best train_samples_per_s "${BENCH[@]}" train --threads 2 --samples "$SAMPLES" --epochs 3)
echo "C#       Threads=2: $CS_TRAIN"
PT_TRAIN=0
for i in 0 1 2; do
  v=$(best train_samples_per_s torch_run "$i" train --steps "$STEPS")
  echo "PyTorch  ${TORCH_NAMES[$i]}: $v"
  PT_TRAIN=$(awk -v a="$PT_TRAIN" -v b="$v" 'BEGIN { print (b > a ? b : a) }')
done

echo "== two trials side by side (Threads=1 each, pinned to one core each)"
pair() { # pair KEY CMD... : runs CMD twice concurrently on cores 0 and 1, echoes the sum of KEY
  local key=$1; shift
  local a="$LOG/pair.a.$RANDOM.log" b="$LOG/pair.b.$RANDOM.log"
  "${PIN0[@]}" "$@" >"$a" 2>&1 & local pa=$!
  "${PIN1[@]}" "$@" >"$b" 2>&1 & local pb=$!
  wait "$pa" && wait "$pb" || { echo "FAILED: $*" >&2; cat "$a" "$b" >&2; exit 1; }
  awk -v x="$(result "$key" "$a")" -v y="$(result "$key" "$b")" 'BEGIN { print x + y }'
}
best_pair() { local key=$1; shift; local top=0 v; for ((r = 1; r <= REPEAT; r++)); do
  v=$(pair "$key" "$@"); top=$(awk -v a="$top" -v b="$v" 'BEGIN { print (b > a ? b : a) }'); done; echo "$top"; }
CS_PAIR=$(best_pair train_samples_per_s "${BENCH[@]}" train --threads 1 --samples "$SAMPLES" --epochs 3)
echo "C#       2 × Threads=1: $CS_PAIR"
PT_PAIR=$(best_pair train_samples_per_s env OMP_NUM_THREADS=1 OPENBLAS_NUM_THREADS=1 "$PY" "$PYVAE" train --steps "$STEPS" --threads 1)
echo "PyTorch  2 × 1 thread:  $PT_PAIR"

echo "== importance-sampling evaluation, K=1000 ($EVAL_EXAMPLES test examples; examples/s)"
CS_EVAL=$(best eval_examples_per_s "${BENCH[@]}" eval --threads 2 --examples "$EVAL_EXAMPLES")
echo "C#       Threads=2: $CS_EVAL"
PT_EVAL=0
for i in 0 1 2; do
  v=$(best eval_examples_per_s torch_run "$i" eval --examples "$EVAL_EXAMPLES")
  echo "PyTorch  ${TORCH_NAMES[$i]}: $v"
  PT_EVAL=$(awk -v a="$PT_EVAL" -v b="$v" 'BEGIN { print (b > a ? b : a) }')
done

echo
echo "== ratios (C# / PyTorch; > 1 means C# is faster)"
echo "one trial on 2 cores:      $(ratio "$CS_TRAIN" "$PT_TRAIN")   ($CS_TRAIN vs $PT_TRAIN samples/s)"
echo "two trials side by side:   $(ratio "$CS_PAIR" "$PT_PAIR")   ($CS_PAIR vs $PT_PAIR samples/s)"
echo "IS evaluation (K=1000):    $(ratio "$CS_EVAL" "$PT_EVAL")   ($CS_EVAL vs $PT_EVAL examples/s)"

fi

# ---- whole process ------------------------------------------------------------------------------------------
# timed OUT CMD...: runs CMD with its output in OUT, appends "RESULT wall_s=" and "RESULT rss_kb=" (GNU time).
timed() {
  local out=$1; shift
  /usr/bin/time -f "RESULT wall_s=%e
RESULT rss_kb=%M" -a -o "$out" "$@" >>"$out" 2>&1 || { echo "FAILED: $*" >&2; cat "$out" >&2; exit 1; }
}
# timed_pair OUT CMD...: CMD twice at once, pinned to cores 0 and 1; wall until both exit, RSS and samples/s summed.
timed_pair() {
  local out=$1; shift
  local t0=$EPOCHREALTIME
  timed "$out.a" "${PIN0[@]}" "$@" & local pa=$!
  timed "$out.b" "${PIN1[@]}" "$@" & local pb=$!
  wait "$pa" && wait "$pb" || exit 1
  local t1=$EPOCHREALTIME
  { echo "RESULT wall_s=$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.2f", b - a }')"
    echo "RESULT rss_kb=$(( $(result rss_kb "$out.a") + $(result rss_kb "$out.b") ))"
    echo "RESULT train_samples_per_s=$(awk -v x="$(result train_samples_per_s "$out.a")" -v y="$(result train_samples_per_s "$out.b")" 'BEGIN { print x + y }')"
    for k in load_s train_s validation_s estimate_s; do
      echo "RESULT $k=$(awk -v x="$(result $k "$out.a")" -v y="$(result $k "$out.b")" 'BEGIN { print (x > y ? x : y) }')"; done
  } >"$out"
}
# keep NAME OUT: remembers OUT as NAME's run if its wall time is the best so far (best-of-REPEAT per column).
declare -A BEST=()
keep() {
  local old=${BEST[$1]:-}
  if [[ -z "$old" ]] || awk -v a="$(result wall_s "$2")" -v b="$(result wall_s "$old")" 'BEGIN { exit !(a < b) }'; then BEST[$1]=$2; fi
}
WHOLE=(whole --epochs "$WHOLE_EPOCHS" --examples "$WHOLE_EXAMPLES")
PYWHOLE=(whole --epochs "$WHOLE_EPOCHS" --examples "$WHOLE_EXAMPLES")
IFS=, read -r -a ENGINE_LIST <<<"$ENGINES"
echo "== whole process: start-up, data load, $WHOLE_EPOCHS epochs of 50 000 (+ validation), IS K=1000 on $WHOLE_EXAMPLES test examples; best of $REPEAT, engines interleaved"
for ((r = 1; r <= REPEAT; r++)); do
  # One round runs every column once, so a noisy spell on the shared host hits all of them alike.
  for e in "${ENGINE_LIST[@]}"; do
    o="$LOG/whole1.$e.$r.log"; timed "$o" "${BENCH[@]}" "${WHOLE[@]}" --engine "$e" --trials 1 --threads 2; keep "1:$e" "$o"
    o="$LOG/whole2.$e.$r.log"; timed "$o" "${BENCH[@]}" "${WHOLE[@]}" --engine "$e" --trials 2 --threads 1; keep "2:$e" "$o"
  done
  for i in "${WHOLE_TORCH[@]}"; do
    case $i in   # the same three thread settings as torch_run, as commands GNU time can start
      0) set -- env -u OMP_NUM_THREADS -u OPENBLAS_NUM_THREADS "$PY" "$PYVAE" "${PYWHOLE[@]}" --threads 2 ;;
      1) set -- env OMP_NUM_THREADS=1 OPENBLAS_NUM_THREADS=2 "$PY" "$PYVAE" "${PYWHOLE[@]}" --threads 1 ;;
      2) set -- env -u OPENBLAS_NUM_THREADS OMP_NUM_THREADS=2 "$PY" "$PYVAE" "${PYWHOLE[@]}" --threads 2 ;;
    esac
    o="$LOG/whole1.pt$i.$r.log"; timed "$o" "$@"; keep "1:pytorch" "$o"
  done
  o="$LOG/whole2.pt.$r.log"
  timed_pair "$o" env OMP_NUM_THREADS=1 OPENBLAS_NUM_THREADS=1 "$PY" "$PYVAE" "${PYWHOLE[@]}" --threads 1; keep "2:pytorch" "$o"
  o="$LOG/whole2.csproc.$r.log"
  timed_pair "$o" "${BENCH[@]}" "${WHOLE[@]}" --engine native --trials 1 --threads 1; keep "2:native-2proc" "$o"
  echo "round $r of $REPEAT done"
done
row() { # row LABEL FILE
  printf "  %-34s %7.2f s %10.0f %8.0f MiB   (load %s, train %s, validation %s, estimate %s s)\n" "$1" \
    "$(result wall_s "$2")" "$(result train_samples_per_s "$2")" "$(( $(result rss_kb "$2") / 1024 ))" \
    "$(result load_s "$2")" "$(result train_s "$2")" "$(result validation_s "$2")" "$(result estimate_s "$2")"
}
for setup in 1 2; do
  if [[ $setup == 1 ]]; then echo "one trial on both cores:   wall, training samples/s, peak RSS"
  else echo "two trials side by side (1 thread each): wall until both finish, total samples/s, total peak RSS"; fi
  for e in "${ENGINE_LIST[@]}"; do
    if [[ $setup == 1 ]]; then row "C# $e, Threads=2" "${BEST[1:$e]}"; else row "C# $e, one process, 2 trials" "${BEST[2:$e]}"; fi
  done
  [[ $setup == 2 ]] && row "C# native, two processes" "${BEST[2:native-2proc]}"
  if [[ $setup == 1 ]]; then row "PyTorch, best thread setting" "${BEST[1:pytorch]}"; else row "PyTorch, two processes" "${BEST[2:pytorch]}"; fi
done
echo
echo "== whole-process ratios (PyTorch wall / C# wall; > 1 means C# is faster)"
for e in "${ENGINE_LIST[@]}"; do
  echo "engine $e:"
  echo "  one trial on 2 cores:     $(ratio "$(result wall_s "${BEST[1:pytorch]}")" "$(result wall_s "${BEST[1:$e]}")")×  wall   " \
       "$(ratio "$(result train_samples_per_s "${BEST[1:$e]}")" "$(result train_samples_per_s "${BEST[1:pytorch]}")")×  training samples/s"
  echo "  two trials side by side:  $(ratio "$(result wall_s "${BEST[2:pytorch]}")" "$(result wall_s "${BEST[2:$e]}")")×  wall   " \
       "$(ratio "$(result train_samples_per_s "${BEST[2:$e]}")" "$(result train_samples_per_s "${BEST[2:pytorch]}")")×  training samples/s   " \
       "peak RSS $(( $(result rss_kb "${BEST[2:$e]}") / 1024 )) vs $(( $(result rss_kb "${BEST[2:pytorch]}") / 1024 )) MiB"
done
[[ " ${ENGINE_LIST[*]} " == *" torch "* ]] || echo "engine torch: (pending; run with --engines native,torch once the build has it)"

if [[ "$LL_EPOCHS" -gt 0 ]]; then
  echo
  echo "== held-out log-likelihood after $LL_EPOCHS epochs, IS K=1000 on the first $LL_EXAMPLES test examples"
  "${BENCH[@]}" ll --threads 2 --epochs "$LL_EPOCHS" --examples "$LL_EXAMPLES" | tee "$LOG/ll.cs.log" | grep -v '^RESULT'
  env -u OMP_NUM_THREADS -u OPENBLAS_NUM_THREADS "$PY" "$PYVAE" ll --threads 2 --epochs "$LL_EPOCHS" --examples "$LL_EXAMPLES" \
    | tee "$LOG/ll.pt.log" | grep -v '^RESULT'
  echo "log p(x): C# $(result test_ll "$LOG/ll.cs.log") ± $(result test_ll_se "$LOG/ll.cs.log")   " \
       "PyTorch $(result test_ll "$LOG/ll.pt.log") ± $(result test_ll_se "$LOG/ll.pt.log")  (nats; independent seeds and held-out sets)"
fi
