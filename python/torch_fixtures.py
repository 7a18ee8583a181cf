#!/usr/bin/python3
"""Writes PyTorch MLPs in every form `topiary import` reads, data to run them on, and PyTorch's own
predictions, into OUT_DIR:

  seq_relu.safetensors     nn.Sequential 6-16-16-3 ReLU, plain state dict (names 0.*, 2.*, 4.*)
  list_gelu.safetensors    ModuleList 6-12-3 GELU(tanh) with input_scaling.*, names layers.N.*
  seq_relu.onnx            the Sequential ReLU model through torch.onnx.export (opset 17)
  res_silu.onnx            standardisation, a residual block and SiLU, through torch.onnx.export
  res_sd.safetensors       a residual MLP 6-10-[block 10-7-10]-[block 10-10]-3, SiLU, standardised, as a plain
                           state dict in the names `topiary import` reads (layers.N.*, layers.N.f.J.*)
  gelu_tanh.onnx           GELU(approximate="tanh"), as torch decomposes it for opset 17
  gelu_exact.onnx          exact (erf) GELU, which Topiary must refuse
  data.csv                 f0..f5 and a class label (the ReLU model's own prediction)
  NAME.probs.csv           PyTorch's softmax probabilities of each model on data.csv (row,p0,p1,p2)

Usage: torch_fixtures.py OUT_DIR
"""
import os
import sys

import torch
from torch import nn

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import topiary_torch  # noqa: E402


class ListMLP(nn.Module):
    def __init__(self, widths, act, mean=None, scale=None):
        super().__init__()
        self.layers = nn.ModuleList(nn.Linear(a, b) for a, b in zip(widths, widths[1:]))
        self.act = act
        self.mean = mean
        self.scale = scale

    def forward(self, x):
        h = x if self.mean is None else (x - self.mean) / self.scale
        for i, lin in enumerate(self.layers):
            h = lin(h)
            if i < len(self.layers) - 1:
                h = self.act(h)
        return h


class ResMLP(nn.Module):
    def __init__(self, mean, scale):
        super().__init__()
        self.register_buffer("mean", mean)
        self.register_buffer("scale", scale)
        self.inp = nn.Linear(6, 10)
        self.f1 = nn.Linear(10, 7)
        self.f2 = nn.Linear(7, 10)
        self.out = nn.Linear(10, 3)
        self.act = nn.SiLU()

    def forward(self, x):
        h = self.act(self.inp((x - self.mean) / self.scale))
        h = h + self.f2(self.act(self.f1(h)))
        return self.out(h)


class Block(nn.Module):
    """h + f(h), f = Linear, act[, Linear]: Topiary's residual block (one or two layers, the second linear)."""

    def __init__(self, width, inner, act):
        super().__init__()
        if inner is None:
            self.f = nn.Sequential(nn.Linear(width, width), act)            # names f.0.*
        else:
            self.f = nn.Sequential(nn.Linear(width, inner), act, nn.Linear(inner, width))  # f.0.*, f.2.*

    def forward(self, h):
        return h + self.f(h)


class ResidualMLP(nn.Module):
    """A stem, residual blocks and a head in one ModuleList named `layers`, as `train --architecture
    residual:BLOCKS:WIDTH[:LAYERS]` builds them; input standardisation as buffers input_scaling.*."""

    def __init__(self, mean, scale, act):
        super().__init__()
        self.input_scaling = nn.Module()
        self.input_scaling.register_buffer("mean", mean)
        self.input_scaling.register_buffer("scale", scale)
        self.act = act
        self.layers = nn.ModuleList([nn.Linear(6, 10), Block(10, 7, act), Block(10, None, act), nn.Linear(10, 3)])

    def forward(self, x):
        h = self.act(self.layers[0]((x - self.input_scaling.mean) / self.input_scaling.scale))
        for block in self.layers[1:-1]:
            h = block(h)
        return self.layers[-1](h)


def onnx(model, path):
    torch.onnx.export(model, torch.zeros(2, 6), path, input_names=["x"], output_names=["logits"],
                      dynamic_axes={"x": {0: "batch"}, "logits": {0: "batch"}}, opset_version=17)


def probs(model, x, path):
    with torch.no_grad():
        p = torch.softmax(model(x), dim=1)
    with open(path, "w") as f:
        for i, row in enumerate(p.tolist()):
            f.write(",".join([str(i + 1)] + [repr(float(v)) for v in row]) + "\n")


def main(out):
    torch.manual_seed(7)
    os.makedirs(out, exist_ok=True)
    x = torch.randn(300, 6) * 2 + 1
    mean = torch.tensor([1.0, 0.5, -0.5, 2.0, 0.0, 1.5])
    scale = torch.tensor([2.0, 1.5, 3.0, 0.5, 1.0, 2.5])

    seq = nn.Sequential(nn.Linear(6, 16), nn.ReLU(), nn.Linear(16, 16), nn.ReLU(), nn.Linear(16, 3)).eval()
    topiary_torch.save_state_dict(seq, os.path.join(out, "seq_relu.safetensors"))
    onnx(seq, os.path.join(out, "seq_relu.onnx"))
    probs(seq, x, os.path.join(out, "seq_relu.probs.csv"))

    gelu = ListMLP([6, 12, 3], nn.GELU(approximate="tanh"), mean, scale).eval()
    topiary_torch.save_state_dict(gelu, os.path.join(out, "list_gelu.safetensors"), mean, scale)
    probs(gelu, x, os.path.join(out, "list_gelu.probs.csv"))

    res = ResMLP(mean, scale).eval()
    onnx(res, os.path.join(out, "res_silu.onnx"))
    probs(res, x, os.path.join(out, "res_silu.probs.csv"))

    res_sd = ResidualMLP(mean, scale, nn.SiLU()).eval()
    topiary_torch.save_state_dict(res_sd, os.path.join(out, "res_sd.safetensors"))
    probs(res_sd, x, os.path.join(out, "res_sd.probs.csv"))

    tanh_gelu = ListMLP([6, 9, 3], nn.GELU(approximate="tanh")).eval()
    onnx(tanh_gelu, os.path.join(out, "gelu_tanh.onnx"))
    probs(tanh_gelu, x, os.path.join(out, "gelu_tanh.probs.csv"))

    onnx(ListMLP([6, 9, 3], nn.GELU()).eval(), os.path.join(out, "gelu_exact.onnx"))

    with torch.no_grad():
        labels = seq(x).argmax(dim=1)
    with open(os.path.join(out, "data.csv"), "w") as f:
        f.write(",".join(f"f{j}" for j in range(6)) + ",label\n")
        for row, c in zip(x.tolist(), labels.tolist()):
            f.write(",".join(repr(float(v)) for v in row) + f",{c}\n")


if __name__ == "__main__":
    main(sys.argv[1])
