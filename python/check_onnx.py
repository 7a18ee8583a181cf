#!/usr/bin/python3
"""Checks ONNX files with the ONNX project's own checker (onnx.checker, full check with shape
inference) and prints each graph's inputs, outputs and operators.

Usage: check_onnx.py FILE.onnx [...]     exit status 1 if any file fails the check
"""
import sys

import onnx


def main(paths):
    failed = 0
    for path in paths:
        model = onnx.load(path)
        try:
            onnx.checker.check_model(model, full_check=True)
        except onnx.checker.ValidationError as e:
            print(f"{path}: INVALID: {e}")
            failed += 1
            continue
        inferred = onnx.shape_inference.infer_shapes(model, strict_mode=True)
        ops = sorted({n.op_type for n in inferred.graph.node})
        ins = [i.name for i in inferred.graph.input]
        outs = [o.name for o in inferred.graph.output]
        print(f"{path}: ok (IR {model.ir_version}, opset {model.opset_import[0].version}); inputs {ins}, "
              f"outputs {outs}, operators {ops}")
    return 1 if failed else 0


if __name__ == "__main__":
    if len(sys.argv) < 2:
        sys.exit(__doc__)
    sys.exit(main(sys.argv[1:]))
