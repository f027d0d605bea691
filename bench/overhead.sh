#!/usr/bin/env bash
# Scheduling overhead per trial (issue 17.7): many trivial trials, where almost all the wall time is scheduling.
#
# Runs a random sweep of N trials of 1 epoch over 300 Fashion-MNIST examples (a few milliseconds of training each)
# and, as the reference in the same invocation, a sweep of 1 such trial, each into a fresh database, first on the
# embedded silo and then on a cluster (a private redis-server and one `vaesweep silo` on loopback, same slots).
# Start-up (process, silo, database) is in both runs, so
#   per-trial overhead = (wall(N trials) - wall(1 trial) - training) / (N - 1)
# where training is the trials' own stored seconds (training plus held-out estimate) divided by the slots.
# Prints both that and the all-in (wall(N) - wall(1)) / (N - 1), against the targets 20 ms (embedded), 50 ms (cluster).
#
#   bench/overhead.sh                       # 600 trials, --slots 2; ~1-3 min per mode on a 2-core host
#   bench/overhead.sh --trials 200 --no-cluster --no-build
set -euo pipefail
shopt -s inherit_errexit
cd "$(dirname "$0")/.."

TRIALS=600
SLOTS=2
BUILD=1
CLUSTER=1
KEEP=""
DATA=/usr/share/datasets/fashion-mnist
while [[ $# -gt 0 ]]; do
  case "$1" in
    --trials) TRIALS="$2"; shift 2 ;;
    --slots) SLOTS="$2"; shift 2 ;;
    --no-build) BUILD=0; shift ;;
    --no-cluster) CLUSTER=0; shift ;;
    --keep) KEEP="$2"; shift 2 ;;
    -h|--help) sed -n '2,14p' "$0"; exit 0 ;;
    *) echo "overhead.sh: unknown argument '$1' (see --help)" >&2; exit 2 ;;
  esac
done
[[ -d "$DATA" ]] || { echo "overhead.sh: no dataset at $DATA (install dataset-fashion-mnist)" >&2; exit 1; }
(( TRIALS >= 2 )) || { echo "overhead.sh: --trials must be at least 2" >&2; exit 2; }

if [[ -n "$KEEP" ]]; then mkdir -p "$KEEP"; DIR=$(cd "$KEEP" && pwd); rm -f "$DIR"/*.db* "$DIR"/*.log
else DIR=$(mktemp -d /tmp/vaesweep-overhead.XXXXXX); fi
PIDS=()
cleanup() { for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done; wait 2>/dev/null || true; [[ -n "$KEEP" ]] || rm -rf "$DIR"; }
trap cleanup EXIT

DLL=src/Client/bin/Release/net10.0/vaesweep.dll
if [[ $BUILD == 1 ]]; then
  echo "== building src/Client (Release)"
  dotnet build -c Release src/Client -nologo -v q >"$DIR/build.log" 2>&1 || { cat "$DIR/build.log"; exit 1; }
fi
[[ -f "$DLL" ]] || { echo "overhead.sh: $DLL is missing (run without --no-build)" >&2; exit 1; }
CLI=(dotnet "$DLL")

spec() { # spec NAME TRIALS
  cat <<YAML
name: $1
dataset: { name: fashion-mnist, path: $DATA, validation: 100, split_seed: 0, limit: 300 }
model: { hidden: [16], activation: relu, likelihood: gaussian }
train: { epochs: 1, batch_size: 100, seed: 1 }
eval: { importance_samples: 5, examples: 20 }
sweep:
  strategy: random
  trials: $2
  seed: 7
  parameters:
    lr: { log_uniform: [0.0001, 0.01] }
    latent: { int_uniform: [2, 16] }
YAML
}

# run NAME TRIALS ARGS...: wall seconds of `vaesweep run`, then the trials' summed stored seconds
run() {
  local name=$1 n=$2; shift 2
  spec "$name" "$n" >"$DIR/$name.yaml"
  local t0=$EPOCHREALTIME rc=0
  "${CLI[@]}" run "$DIR/$name.yaml" --db "$DIR/$name.db" "$@" >"$DIR/$name.log" 2>&1 || rc=$?
  local t1=$EPOCHREALTIME
  if [[ $rc != 0 && $rc != 3 ]]; then echo "FAILED ($rc): vaesweep run $name.yaml" >&2; tail -20 "$DIR/$name.log" >&2; exit 1; fi
  local trained
  trained=$("${CLI[@]}" query --db "$DIR/$name.db" --format csv "SELECT coalesce(sum(seconds), 0) FROM trials" | tail -n 1)
  echo "$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.3f", b - a }') $trained"
}

measure() { # measure MODE TARGET_MS ARGS...
  local mode=$1 target=$2; shift 2
  read -r W1 S1 < <(run "$mode-one" 1 "$@")
  read -r WN SN < <(run "$mode-many" "$TRIALS" "$@")
  awk -v m="$mode" -v n="$TRIALS" -v w1="$W1" -v wn="$WN" -v s1="$S1" -v sn="$SN" -v slots="$SLOTS" -v t="$target" 'BEGIN {
    allin = (wn - w1) / (n - 1) * 1000
    net = (wn - w1 - (sn - s1) / slots) / (n - 1) * 1000
    printf "%-9s 1 trial %7.2f s | %d trials %7.2f s (training %6.2f s over %d slots) | overhead %6.1f ms/trial (all-in %6.1f) | target <= %d ms: %s\n",
      m, w1, n, wn, (sn - s1) / slots, slots, net, allin, t, (net <= t ? "met" : "NOT met")
  }'
}

echo "== $TRIALS trivial trials vs 1, --slots $SLOTS; files in $DIR"
measure embedded 20 --slots "$SLOTS"

if [[ $CLUSTER == 1 ]]; then
  command -v redis-server >/dev/null || { echo "overhead.sh: redis-server not installed; cluster mode skipped (--no-cluster)" >&2; exit 1; }
  free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()'; }
  RPORT=$(free_port)
  redis-server --port "$RPORT" --bind 127.0.0.1 --save "" --appendonly no --dir "$DIR" >"$DIR/redis.log" 2>&1 &
  PIDS+=($!)
  until redis-cli -p "$RPORT" ping >/dev/null 2>&1; do sleep 0.1; done
  URI="redis://127.0.0.1:$RPORT/overhead"
  "${CLI[@]}" silo --cluster "$URI" --slots "$SLOTS" --name bench --address 127.0.0.1 --port "$(free_port)" --gateway-port "$(free_port)" >"$DIR/silo.log" 2>&1 &
  PIDS+=($!)
  until grep -q joined "$DIR/silo.log"; do sleep 0.2; done
  measure cluster 50 --cluster "$URI"
fi
