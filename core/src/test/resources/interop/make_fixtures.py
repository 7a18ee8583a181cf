#!/usr/bin/env python3
"""Writes the interoperability fixtures that InteropTest reads.

Uses only the standard library and numpy, so that the files are produced independently of Topiary's own
writer: two safetensors models with PyTorch-style tensor names and Topiary's metadata schema, and
expected.json with inputs and the outputs computed here in float64 numpy.

    python3 make_fixtures.py        # from this directory; rewrites the files next to it

The layout follows the safetensors reference implementation: an 8-byte little-endian header length,
a JSON header whose tensors are listed in name order and which is padded with spaces so the data starts
at a multiple of 8, then the tensors back to back in the same order.
"""
import json
import os
import struct

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
RNG = np.random.default_rng(20240517)

GELU_C = 0.7978845608028654
GELU_A = 0.044715

ACTIVATIONS = {
    "identity": lambda z: z,
    "relu": lambda z: np.maximum(z, 0.0),
    "tanh": np.tanh,
    "sigmoid": lambda z: 1.0 / (1.0 + np.exp(-z)),
    "gelu": lambda z: 0.5 * z * (1.0 + np.tanh(GELU_C * (z + GELU_A * z ** 3))),
    "silu": lambda z: z / (1.0 + np.exp(-z)),
    "leaky_relu": lambda z: np.where(z > 0, z, 0.01 * z),
}


def dense(n_in, n_out, activation):
    w = (RNG.standard_normal((n_out, n_in)) / np.sqrt(n_in)).astype(np.float32)
    b = (RNG.standard_normal(n_out) * 0.1).astype(np.float32)
    return {"kind": "dense", "in": n_in, "out": n_out, "activation": activation, "w": w, "b": b}


def residual(layers):
    return {"kind": "residual", "layers": layers}


def topology(n_input, layers, input_scaling, output_scaling):
    def strip(layer):
        if layer["kind"] == "dense":
            return {k: layer[k] for k in ("kind", "in", "out", "activation")}
        return {"kind": "residual", "layers": [strip(l) for l in layer["layers"]]}

    return {"input": n_input, "layers": [strip(l) for l in layers],
            "input_scaling": input_scaling is not None, "output_scaling": output_scaling is not None}


def state_dict(layers, input_scaling, output_scaling):
    """Tensors named as in a torch module with layers = nn.ModuleList and block.f = nn.ModuleList."""
    tensors = {}
    for i, layer in enumerate(layers):
        if layer["kind"] == "dense":
            tensors[f"layers.{i}.weight"] = layer["w"]
            tensors[f"layers.{i}.bias"] = layer["b"]
        else:
            for j, inner in enumerate(layer["layers"]):
                tensors[f"layers.{i}.f.{j}.weight"] = inner["w"]
                tensors[f"layers.{i}.f.{j}.bias"] = inner["b"]
    if input_scaling is not None:
        tensors["input_scaling.mean"], tensors["input_scaling.scale"] = input_scaling
    if output_scaling is not None:
        tensors["output_scaling.mean"], tensors["output_scaling.scale"] = output_scaling
    return tensors


def write_safetensors(path, tensors, metadata):
    header = {"__metadata__": metadata}
    offset = 0
    names = sorted(tensors)
    for name in names:
        nbytes = tensors[name].size * 4
        header[name] = {"dtype": "F32", "shape": list(tensors[name].shape),
                        "data_offsets": [offset, offset + nbytes]}
        offset += nbytes
    text = json.dumps(header, separators=(",", ":")).encode("utf-8")
    text += b" " * ((8 - (8 + len(text)) % 8) % 8)
    with open(path, "wb") as f:
        f.write(struct.pack("<Q", len(text)))
        f.write(text)
        for name in names:
            f.write(np.ascontiguousarray(tensors[name], dtype="<f4").tobytes())


def forward(x, layers, input_scaling):
    h = x.astype(np.float64)
    if input_scaling is not None:
        h = (h - input_scaling[0].astype(np.float64)) / input_scaling[1].astype(np.float64)

    def apply(layer, v):
        z = v @ layer["w"].astype(np.float64).T + layer["b"].astype(np.float64)
        return ACTIVATIONS[layer["activation"]](z)

    for layer in layers:
        if layer["kind"] == "dense":
            h = apply(layer, h)
        else:
            t = h
            for inner in layer["layers"]:
                t = apply(inner, t)
            h = h + t
    return h


def scaling(n):
    mean = RNG.uniform(-3, 3, n).astype(np.float32)
    scale = RNG.uniform(0.5, 2.5, n).astype(np.float32)
    return mean, scale


def inputs(rows, n, input_scaling):
    centre = input_scaling[0] if input_scaling is not None else np.zeros(n, np.float32)
    return (centre + RNG.uniform(-3, 3, (rows, n))).astype(np.float32)


def as_list(a):
    # float(np.float32) is exact in float64, and repr of a float64 round-trips.
    return [[float(v) for v in row] for row in a]


def main():
    expected = {}

    # A classifier 5 -> 7 (relu) -> 3 with input standardisation.
    labels = ["setosa", "versicolor", "virginica"]
    layers = [dense(5, 7, "relu"), dense(7, 3, "identity")]
    in_scaling = scaling(5)
    metadata = {
        "topiary.format": "1",
        "topiary.topology": json.dumps(topology(5, layers, in_scaling, None)),
        "topiary.task": json.dumps({"kind": "classification", "labels": labels}),
        "producer": "make_fixtures.py (numpy " + np.__version__ + ")",
    }
    write_safetensors(os.path.join(HERE, "classifier.safetensors"),
                      state_dict(layers, in_scaling, None), metadata)
    x = inputs(9, 5, in_scaling)
    logits = forward(x, layers, in_scaling)
    p = np.exp(logits - logits.max(axis=1, keepdims=True))
    p /= p.sum(axis=1, keepdims=True)
    expected["classifier"] = {"inputs": as_list(x), "logits": as_list(logits),
                              "probabilities": as_list(p), "classes": [int(c) for c in logits.argmax(axis=1)]}

    # A regressor 4 -> 6 (tanh) -> [6 -> 5 (gelu) -> 6] -> 5 (sigmoid) -> 2, with both standardisations.
    layers = [dense(4, 6, "tanh"), residual([dense(6, 5, "gelu"), dense(5, 6, "identity")]),
              dense(6, 5, "sigmoid"), dense(5, 2, "identity")]
    in_scaling = scaling(4)
    out_scaling = scaling(2)
    metadata = {
        "topiary.format": "1",
        "topiary.topology": json.dumps(topology(4, layers, in_scaling, out_scaling)),
        "topiary.task": json.dumps({"kind": "regression", "outputs": 2}),
        "producer": "make_fixtures.py (numpy " + np.__version__ + ")",
    }
    write_safetensors(os.path.join(HERE, "regressor.safetensors"),
                      state_dict(layers, in_scaling, out_scaling), metadata)
    x = inputs(11, 4, in_scaling)
    raw = forward(x, layers, in_scaling)
    values = raw * out_scaling[1].astype(np.float64) + out_scaling[0].astype(np.float64)
    expected["regressor"] = {"inputs": as_list(x), "outputs": as_list(raw), "values": as_list(values)}

    with open(os.path.join(HERE, "expected.json"), "w") as f:
        json.dump(expected, f, indent=1)
        f.write("\n")


if __name__ == "__main__":
    main()
