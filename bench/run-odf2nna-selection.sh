#!/usr/bin/env bash
# Reproduces the ODF2NNA selection tables of docs/results.md: for each data set and seed, the default
# `topiary train`, then the default `topiary prune --auto` (tested search, iterative schedule), the
# one-shot schedule on the same model, and l2-both magnitude pruning at the parameter share the
# default run kept; every run's JSON report goes to OUT, and bench/odf2nna_selection_tables.py turns
# them into the tables.
#
#   bench/run-odf2nna-selection.sh OUT [SEEDS] [SETS...]
#
# SETS are SRC values: builtin:NAME, idx:DIR, or a CSV path (NAME=path to name it). Defaults: the
# seven embedded sets and Fashion-MNIST from /usr/share/datasets/fashion-mnist. Set VARIANTS to a
# subset of "default one-shot l2-both" to run fewer. Runs at nice 10; takes tens of minutes on two cores.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
out="${1:?usage: $0 OUT [SEEDS] [SETS...]}"
seeds="${2:-1 2 3}"
shift $(( $# >= 2 ? 2 : $# ))
sets=("$@")
if [ ${#sets[@]} -eq 0 ]; then
  sets=(builtin:iris builtin:wine builtin:breast_cancer builtin:digits builtin:penguins builtin:diabetes
        builtin:concrete fashion=idx:/usr/share/datasets/fashion-mnist)
fi
variants="${VARIANTS:-default one-shot l2-both}"
mkdir -p "$out"
topiary() { nice -n 10 "$here/topiary" "$@"; }
for entry in "${sets[@]}"; do
  if [[ "$entry" == *=* ]]; then name="${entry%%=*}"; src="${entry#*=}"; else name="${entry##*:}"; src="$entry"; fi
  name="$(basename "$name" .csv)"
  for seed in $seeds; do
    base="$out/$name-s$seed"
    if [ ! -f "$base.safetensors" ]; then
      topiary train --data "$src" --out "$base.safetensors" --seed "$seed" --json > "$base.train.json" 2> "$base.train.log"
    fi
    for v in $variants; do
      [ -f "$base.$v.json" ] && continue
      case "$v" in
        default)  topiary prune --model "$base.safetensors" --data "$src" --out "$base.$v.safetensors" \
                    --report "$base.$v.json" > "$base.$v.log" 2>&1 ;;
        one-shot) topiary prune --model "$base.safetensors" --data "$src" --out "$base.$v.safetensors" \
                    --schedule one-shot --report "$base.$v.json" > "$base.$v.log" 2>&1 ;;
        l2-both)
          keep="$(python3 -c "import json,sys; r=json.load(open(sys.argv[1])); print(max(1e-6, r['parameters_after']/r['parameters_before']))" "$base.default.json")"
          topiary prune --model "$base.safetensors" --data "$src" --out "$base.$v.safetensors" --method l2-both \
            --keep "$keep" --report "$base.$v.json" > "$base.$v.log" 2>&1 || echo "$base l2-both failed" >&2 ;;
      esac
      echo "$(date -u +%H:%M:%S) $name seed $seed $v done" >&2
    done
  done
done
