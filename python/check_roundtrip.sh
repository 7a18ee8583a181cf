#!/usr/bin/env bash
# The issue's "done when", end to end with the command line, on Debian's python3-torch and python3-onnx:
#  1. PyTorch MLPs saved as a plain state dict (plain and residual) and through torch.onnx.export import
#     into Topiary and give PyTorch's probabilities;
#  2. an imported model is pruned, and the pruned model loaded back into PyTorch (python/topiary_torch.py)
#     gives the predictions `topiary predict` writes;
#  3. a model trained and pruned by Topiary exports to ONNX that onnx.checker accepts.
# (ONNX Runtime runs the exports in the test suite: interop's OnnxRuntimeTest.)
# Usage: python/check_roundtrip.sh [WORK_DIR]
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
py=/usr/bin/python3
work="${1:-$(mktemp -d)}"
mkdir -p "$work"
topiary() { "$root/topiary" "$@"; }

"$py" "$root/python/torch_fixtures.py" "$work"
names="f0,f1,f2,f3,f4,f5"

compare() { # compare A.csv B.csv: rows "row,p..." equal within 1e-5
  "$py" - "$1" "$2" <<'PY'
import sys
a = [l.strip().split(",") for l in open(sys.argv[1]) if l.strip() and not l.startswith("row")]
b = [l.strip().split(",") for l in open(sys.argv[2]) if l.strip() and not l.startswith("row")]
assert len(a) == len(b), (len(a), len(b))
worst = max(abs(float(x) - float(y)) for ra, rb in zip(a, b) for x, y in zip(ra[-3:], rb[-3:]))
print(f"  {sys.argv[1].split('/')[-1]} vs {sys.argv[2].split('/')[-1]}: {len(a)} rows, largest difference {worst:.2e}")
sys.exit(0 if worst <= 1e-5 else 1)
PY
}

echo "== 1. import from PyTorch"
topiary import --model "$work/seq_relu.safetensors" --activation relu --features "$names" --out "$work/seq_sd.safetensors" -q
topiary import --model "$work/list_gelu.safetensors" --activation gelu --features "$names" --out "$work/list_gelu_sd.safetensors" -q
topiary import --model "$work/res_sd.safetensors" --activation silu --features "$names" --out "$work/res_sd_sd.safetensors" -q
for m in seq_relu res_silu gelu_tanh; do
  topiary import --model "$work/$m.onnx" --features "$names" --out "$work/${m}_onnx.safetensors" -q
done
for pair in seq_sd:seq_relu list_gelu_sd:list_gelu res_sd_sd:res_sd seq_relu_onnx:seq_relu res_silu_onnx:res_silu gelu_tanh_onnx:gelu_tanh; do
  topiary predict --model "$work/${pair%%:*}.safetensors" --data "$work/data.csv" --out "$work/${pair%%:*}.topiary.csv" -q
  compare "$work/${pair%%:*}.topiary.csv" "$work/${pair#*:}.probs.csv"
done
if topiary import --model "$work/gelu_exact.onnx" --out "$work/never.safetensors" 2>"$work/refused.txt"; then
  echo "exact GELU was imported; it must be refused" >&2; exit 1
fi
echo "  refused as it should be: $(cat "$work/refused.txt")"

echo "== 2. prune and go back to PyTorch"
for m in seq_sd res_sd_sd res_silu_onnx; do
  topiary prune --model "$work/$m.safetensors" --data "$work/data.csv" --out "$work/$m.pruned.safetensors" \
    --ratio 0.5 --finetune 0.1 --original-epochs 20 --latency-ms 0 -q > /dev/null
  topiary inspect --model "$work/$m.pruned.safetensors" | sed -n 2p
  topiary predict --model "$work/$m.pruned.safetensors" --data "$work/data.csv" --out "$work/$m.pruned.topiary.csv" -q
  "$py" "$root/python/topiary_torch.py" predict "$work/$m.pruned.safetensors" "$work/data.csv" > "$work/$m.pruned.torch.csv"
  compare "$work/$m.pruned.topiary.csv" "$work/$m.pruned.torch.csv"
done

echo "== 3. train, prune, export to ONNX, onnx.checker"
topiary train --data builtin:wine --out "$work/wine.safetensors" --hidden 32,32 --epochs 30 -q > /dev/null
topiary prune --model "$work/wine.safetensors" --data builtin:wine --out "$work/wine.pruned.safetensors" --ratio 0.5 --latency-ms 0 -q > /dev/null
topiary export --model "$work/wine.pruned.safetensors" --format onnx --out "$work/wine.pruned.onnx" -q
topiary export --model "$work/res_silu_onnx.pruned.safetensors" --format onnx --out "$work/res_silu.pruned.onnx" -q
"$py" "$root/python/check_onnx.py" "$work/wine.pruned.onnx" "$work/res_silu.pruned.onnx"
echo "all checks passed ($work)"
