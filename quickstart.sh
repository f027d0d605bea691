#!/usr/bin/env bash
# Runs the quickstart sweep (experiments/fashion-quick.yaml) on Fashion-MNIST, installing Debian's
# dataset-fashion-mnist first where it is missing and this user may install packages.
# Extra arguments go to `vaesweep run` (e.g. --db results.db --slots 2). The database lands in the current
# directory (vaesweep.db unless --db says otherwise), like every other vaesweep command.
set -euo pipefail
root=$(cd "$(dirname "$0")" && pwd)
data=/usr/share/datasets/fashion-mnist

if [ ! -f "$data/train-images-idx3-ubyte.gz" ]; then
  if [ "$(id -u)" = 0 ]; then
    apt-get update -q && apt-get install -y -q dataset-fashion-mnist
  elif command -v sudo >/dev/null && sudo -n true 2>/dev/null; then
    sudo apt-get update -q && sudo apt-get install -y -q dataset-fashion-mnist
  else
    echo "quickstart: Fashion-MNIST is not in $data." >&2
    echo "  On Debian/Ubuntu: sudo apt-get install dataset-fashion-mnist" >&2
    echo "  Elsewhere: put the four IDX files (train-images-idx3-ubyte.gz, ...) in a directory and set" >&2
    echo "  dataset.path in experiments/fashion-quick.yaml to it." >&2
    exit 2
  fi
fi

exec dotnet run --project "$root/src/Client" -c Release -- run "$root/experiments/fashion-quick.yaml" "$@"
