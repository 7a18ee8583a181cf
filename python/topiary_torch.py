#!/usr/bin/python3
"""Topiary models in PyTorch and PyTorch MLPs for Topiary, with nothing but torch (and numpy).

Loader:   load_topiary("model.safetensors") -> torch.nn.Module computing Topiary's outputs on raw inputs
          (logits for a classifier, values in the target's units for a regression model).
Exporter: save_state_dict(module, "mlp.safetensors") writes a plain state dict that
          `topiary import --model mlp.safetensors --activation relu` reads.

Names `topiary import` reads from a plain state dict (and that load_topiary's modules use):
  PREFIX.N.weight [out, in], PREFIX.N.bias [out]   entry N of one module list is a linear layer
  PREFIX.N.f.J.weight, PREFIX.N.f.J.bias           entry N is a residual block h + f(h), J its 1 or 2 layers
  input_scaling.mean/scale [inputs]                 x -> (x - mean) / scale first
  output_scaling.mean/scale [outputs]               y -> y * scale + mean last (regression)
PREFIX is one name for all entries (`layers` for a ModuleList, none for a bare Sequential); N and J only
need to increase (a Sequential's activations take indices). The state dict holds no activations:
--activation goes after every layer outside the blocks but the last, after a one-layer block's layer and
after the first of a two-layer block's layers, whose second is linear (as Topiary builds residual MLPs).
An entry that is both a layer and a block, a third layer in a block, or any other name is refused.

Command line:
  topiary_torch.py predict MODEL.safetensors DATA.csv   print probabilities (or values) per row, as CSV
See docs/pytorch.md for the mapping of names, shapes and activations.
"""
import json
import struct
import sys

import numpy as np
import torch
from torch import nn

_DTYPES = {"F32": (np.float32, torch.float32), "F64": (np.float64, torch.float64)}


def read_safetensors(path):
    """Returns ({name: float32 tensor}, {metadata})."""
    with open(path, "rb") as f:
        data = f.read()
    (n,) = struct.unpack("<Q", data[:8])
    header = json.loads(data[8:8 + n].decode("utf-8"))
    meta = header.pop("__metadata__", {}) or {}
    base = 8 + n
    tensors = {}
    for name, t in header.items():
        np_type, _ = _DTYPES[t["dtype"]]
        begin, end = t["data_offsets"]
        a = np.frombuffer(data[base + begin:base + end], dtype=np.dtype(np_type).newbyteorder("<"))
        tensors[name] = torch.from_numpy(a.astype(np.float32).reshape(t["shape"]))
    return tensors, meta


def write_safetensors(path, tensors, metadata=None):
    """Writes {name: tensor} as little-endian F32 safetensors, tensors in name order."""
    header = {}
    blobs = []
    offset = 0
    for name in sorted(tensors):
        a = tensors[name].detach().cpu().to(torch.float32).contiguous().numpy().astype("<f4")
        b = a.tobytes()
        header[name] = {"dtype": "F32", "shape": list(a.shape), "data_offsets": [offset, offset + len(b)]}
        blobs.append(b)
        offset += len(b)
    if metadata:
        header["__metadata__"] = {str(k): str(v) for k, v in metadata.items()}
    h = json.dumps(header, separators=(",", ":")).encode("utf-8")
    h += b" " * ((8 - (len(h) + 8) % 8) % 8)
    with open(path, "wb") as f:
        f.write(struct.pack("<Q", len(h)))
        f.write(h)
        for b in blobs:
            f.write(b)


def activation(name):
    """The torch module for a Topiary activation name."""
    return {
        "identity": nn.Identity(),
        "relu": nn.ReLU(),
        "leaky_relu": nn.LeakyReLU(0.01),
        "tanh": nn.Tanh(),
        "sigmoid": nn.Sigmoid(),
        "gelu": nn.GELU(approximate="tanh"),  # Topiary's GELU is the tanh form
        "silu": nn.SiLU(),
    }[name]


class Residual(nn.Module):
    """h -> h + f(h), f a chain of linear layers, each followed by its activation."""

    def __init__(self, specs):
        super().__init__()
        self.f = nn.ModuleList(nn.Linear(s["in"], s["out"]) for s in specs)
        self.acts = nn.ModuleList(activation(s["activation"]) for s in specs)

    def forward(self, h):
        g = h
        for lin, act in zip(self.f, self.acts):
            g = act(lin(g))
        return h + g


class TopiaryMLP(nn.Module):
    """A Topiary network: tensor names match the safetensors file (layers.i.weight, layers.i.f.j.weight,
    input_scaling.mean/scale, output_scaling.mean/scale), so load_state_dict reads the file directly."""

    def __init__(self, topology, task):
        super().__init__()
        self.task = task
        self.layers = nn.ModuleList()
        self.acts = nn.ModuleList()
        for item in topology["layers"]:
            if item["kind"] == "dense":
                self.layers.append(nn.Linear(item["in"], item["out"]))
                self.acts.append(activation(item["activation"]))
            else:
                self.layers.append(Residual(item["layers"]))
                self.acts.append(nn.Identity())
        n_in = topology["input"]
        n_out = topology["layers"][-1]["out"]
        self.input_scaling = _Scaling(n_in) if topology["input_scaling"] else None
        self.output_scaling = _Scaling(n_out) if topology["output_scaling"] else None

    def forward(self, x):
        h = x
        if self.input_scaling is not None:
            h = (h - self.input_scaling.mean) / self.input_scaling.scale
        for layer, act in zip(self.layers, self.acts):
            h = act(layer(h))
        if self.output_scaling is not None:
            h = h * self.output_scaling.scale + self.output_scaling.mean
        return h


class _Scaling(nn.Module):
    def __init__(self, n):
        super().__init__()
        self.register_buffer("mean", torch.zeros(n))
        self.register_buffer("scale", torch.ones(n))


def load_topiary(path):
    """A TopiaryMLP holding the model in a Topiary .safetensors file, in eval mode."""
    tensors, meta = read_safetensors(path)
    model = TopiaryMLP(json.loads(meta["topiary.topology"]), json.loads(meta["topiary.task"]))
    model.load_state_dict(tensors, strict=True)
    return model.eval()


def save_state_dict(module, path, input_mean=None, input_scale=None):
    """Writes module.state_dict() as safetensors for `topiary import` (plus input_scaling.* if given).
    The module's parameter names must follow the convention above (a TopiaryMLP's do)."""
    sd = dict(module.state_dict())
    if input_mean is not None:
        sd["input_scaling.mean"] = torch.as_tensor(input_mean, dtype=torch.float32)
        sd["input_scaling.scale"] = torch.as_tensor(input_scale, dtype=torch.float32)
    write_safetensors(path, sd)


def read_features(csv_path, names):
    """The columns `names` of a CSV with a header, as a float32 tensor [rows, len(names)]."""
    with open(csv_path) as f:
        header = f.readline().strip().split(",")
        idx = [header.index(n) for n in names]
        rows = [[float(line.split(",")[i]) for i in idx] for line in f if line.strip()]
    return torch.tensor(rows, dtype=torch.float32)


def main(argv):
    if len(argv) != 4 or argv[1] != "predict":
        sys.exit("usage: topiary_torch.py predict MODEL.safetensors DATA.csv")
    model = load_topiary(argv[2])
    _, meta = read_safetensors(argv[2])
    names = json.loads(meta["topiary.features"])
    x = read_features(argv[3], names)
    with torch.no_grad():
        y = model(x)
        if model.task["kind"] == "classification":
            y = torch.softmax(y, dim=1)
    for i, row in enumerate(y.tolist()):
        print(",".join([str(i + 1)] + [repr(float(v)) for v in row]))


if __name__ == "__main__":
    main(sys.argv)
