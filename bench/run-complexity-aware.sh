#!/usr/bin/env bash
# Complexity-aware training on Fashion-MNIST with a residual MLP: the runs behind the
# "Complexity-aware training" section of docs/results.md. Every run is one `topiary` command with
# --json; bench/complexity_aware_tables.py turns the JSON files into the tables and the chart.
#
#   bench/run-complexity-aware.sh OUT_DIR [PART...]
#
# PARTs: dense grid ablations prune robust sensitivity (default: all). Settings are scaled to a shared
# 2-core machine: ARCH, EPOCHS, SEEDS and THREADS can be overridden from the environment.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
out="${1:?usage: run-complexity-aware.sh OUT_DIR [PART...]}"
shift || true
parts=("$@")
[ ${#parts[@]} -eq 0 ] && parts=(dense grid ablations prune robust sensitivity)
data="${DATA:-idx:/usr/share/datasets/fashion-mnist}"
arch="${ARCH:-residual:6:128}"
epochs="${EPOCHS:-6}"
seeds="${SEEDS:-1}"
threads="${THREADS:-1}"
nus="${NUS:-0.1 0.3}"
sens_nu="${SENS_NU:-0.3}"
mkdir -p "$out"
t() { nice -n 10 "$root/topiary" "$@" --json --quiet; }

train() { # NAME SEED ARGS...
  local name="$1" seed="$2"
  shift 2
  [ -s "$out/$name.json" ] && return 0
  t train --data "$data" --out "$out/$name.safetensors" --epochs "$epochs" --seed "$seed" --threads "$threads" "$@" \
    > "$out/$name.json.tmp"
  mv "$out/$name.json.tmp" "$out/$name.json"
}

for part in "${parts[@]}"; do
  case "$part" in
    dense)
      for s in $seeds; do train "dense-s$s" "$s" --architecture "$arch"; done ;;
    grid)
      for s in $seeds; do for nu in $nus; do
        train "joint-nu$nu-s$s" "$s" --architecture "$arch" --complexity-aware --nu "$nu"
      done; done ;;
    ablations)
      for s in $seeds; do for nu in $nus; do
        train "units-nu$nu-s$s" "$s" --architecture "$arch" --complexity-aware --nu "$nu" --gates units
        train "blocks-nu$nu-s$s" "$s" --architecture "$arch" --complexity-aware --nu "$nu" --gates blocks
      done; done ;;
    prune)
      # ODF2NNA (variance) and l2-both on the dense residual network, at several removal ratios, and
      # prune --auto (the wall-time comparison). Pruning runs on all processors (prune has no --threads).
      for s in $seeds; do
        for method in variance l2-both; do for r in ${RATIOS:-0.5 0.8 0.95}; do
          f="$out/$method-r$r-s$s.json"
          [ -s "$f" ] || { t prune --model "$out/dense-s$s.safetensors" --data "$data" --out "$out/$method-r$r-s$s.safetensors" \
            --method "$method" --ratio "$r" > "$f.tmp" && mv "$f.tmp" "$f"; }
        done; done
        f="$out/auto-s$s.json"
        [ -s "$f" ] || { t prune --model "$out/dense-s$s.safetensors" --data "$data" --out "$out/auto-s$s.safetensors" \
          > "$f.tmp" && mv "$f.tmp" "$f"; }
      done ;;
    robust)
      for s in $seeds; do
        # --nu 2 is what these runs used (the default was 2 when they ran; it is 0.1 now).
        train "mlp300-dense-s$s" "$s" --hidden 300,100
        train "lenet300-s$s" "$s" --hidden 300,100 --complexity-aware --nu 2 --gates units
        train "lenet600-s$s" "$s" --hidden 600,200 --complexity-aware --nu 2 --gates units
      done ;;
    sensitivity)
      for s in $seeds; do
        for a in 0.2 0.8; do train "alpha$a-s$s" "$s" --architecture "$arch" --complexity-aware --nu "$sens_nu" --alpha "$a"; done
        for b in 0 1; do train "beta$b-s$s" "$s" --architecture "$arch" --complexity-aware --nu "$sens_nu" --beta "$b"; done
      done ;;
    *) echo "unknown part $part" >&2; exit 2 ;;
  esac
done
