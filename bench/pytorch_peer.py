#!/usr/bin/python3
"""PyTorch CPU as the peer of Topiary's training and inference, driven by bench/run-pytorch-comparison.sh.

Needs Debian's python3-torch (run with /usr/bin/python3). Two modes, each printing one RESULT line of
key=value pairs:

  epochs --data DIR --threads T --epochs N
      Fashion-MNIST training epochs over the 60,000 training rows: 784-256-256-256-10 ReLU, softmax
      cross-entropy, AdamW (lr 1e-3, weight decay 1e-4), batches of 128 in a fresh random order each
      epoch, inputs standardised per column (population standard deviation, scale 1 where constant), as
      Topiary's default recipe does. Prints each epoch's wall time.

  infer --model FILE.safetensors --threads T --batch 1,256 [--millis MS]
      Median time per call of class probabilities for B rows of a Topiary model file (standardisation,
      the dense layers with their activations, softmax), under torch.no_grad(), timed as Topiary's
      `bench infer` times (a quarter of the budget warming up, then samples of about 200 us).
"""
import argparse
import gzip
import json
import os
import struct
import sys
import time

import numpy as np
import torch
from torch import nn


def read_idx(path):
    opener = gzip.open if path.endswith(".gz") else open
    with opener(path, "rb") as f:
        data = f.read()
    _, dtype, dims = struct.unpack(">HBB", data[:4])
    if dtype != 0x08:
        raise SystemExit(f"{path}: only unsigned-byte IDX files are read, found type {dtype:#x}")
    shape = struct.unpack(">" + "I" * dims, data[4:4 + 4 * dims])
    return np.frombuffer(data, dtype=np.uint8, offset=4 + 4 * dims).reshape(shape)


def find(directory, stem):
    for name in (stem, stem + ".gz"):
        p = os.path.join(directory, name)
        if os.path.exists(p):
            return p
    raise SystemExit(f"no {stem}[.gz] in {directory} (apt-get install -y dataset-fashion-mnist)")


def standardise(x):
    mean = x.mean(axis=0, dtype=np.float64)
    sd = x.std(axis=0, dtype=np.float64)
    sd[sd <= 1e-12 * np.maximum(1.0, np.abs(mean))] = 1.0
    return ((x - mean) / sd).astype(np.float32)


def mlp(widths, activation):
    layers = []
    for i in range(len(widths) - 1):
        layers.append(nn.Linear(widths[i], widths[i + 1]))
        if i < len(widths) - 2:
            layers.append(activation())
    return nn.Sequential(*layers)


def epochs(args):
    x = read_idx(find(args.data, "train-images-idx3-ubyte")).reshape(60000, -1).astype(np.float32) / 255
    y = read_idx(find(args.data, "train-labels-idx1-ubyte")).astype(np.int64)
    x = torch.from_numpy(standardise(x))
    y = torch.from_numpy(y)
    torch.manual_seed(1)
    net = mlp([x.shape[1], 256, 256, 256, 10], nn.ReLU)
    opt = torch.optim.AdamW(net.parameters(), lr=1e-3, weight_decay=1e-4)
    loss_fn = nn.CrossEntropyLoss()
    batch = 128
    times = []
    for epoch in range(1, args.epochs + 1):
        start = time.perf_counter()
        order = torch.randperm(x.shape[0])
        total = 0.0
        for s in range(0, x.shape[0], batch):
            idx = order[s:s + batch]
            opt.zero_grad(set_to_none=True)
            loss = loss_fn(net(x[idx]), y[idx])
            loss.backward()
            opt.step()
            total += loss.item() * len(idx)
        seconds = time.perf_counter() - start
        times.append(seconds)
        print(f"epoch {epoch}: {seconds:.2f} s, training loss {total / x.shape[0]:.4f}", flush=True)
    print(f"RESULT mode=epochs peer=pytorch torch={torch.__version__} threads={torch.get_num_threads()} "
          f"rows={x.shape[0]} batch={batch} optimizer=AdamW epochs={args.epochs} "
          f"best_epoch_s={min(times):.3f} all_s=[{','.join(f'{t:.3f}' for t in times)}]", flush=True)


def load_topiary(path):
    """The network of a Topiary safetensors file: standardisation and dense layers (no residual blocks)."""
    with open(path, "rb") as f:
        raw = f.read()
    (n,) = struct.unpack("<Q", raw[:8])
    header = json.loads(raw[8:8 + n])
    data = raw[8 + n:]
    meta = header.pop("__metadata__", {})
    topology = json.loads(meta["topiary.topology"])

    def tensor(name):
        t = header[name]
        if t["dtype"] != "F32":
            raise SystemExit(f"{path}: {name} is {t['dtype']}, only F32 is read")
        a, b = t["data_offsets"]
        return torch.from_numpy(np.frombuffer(data[a:b], dtype="<f4").reshape(t["shape"]).copy())

    acts = {"identity": nn.Identity, "relu": nn.ReLU, "tanh": nn.Tanh, "sigmoid": nn.Sigmoid,
            "gelu": lambda: nn.GELU(approximate="tanh"), "silu": nn.SiLU,
            "leaky_relu": lambda: nn.LeakyReLU(0.01)}
    layers = []
    for i, layer in enumerate(topology["layers"]):
        if layer["kind"] != "dense":
            raise SystemExit(f"{path}: layer {i} is {layer['kind']}; only dense layers are compared")
        lin = nn.Linear(layer["in"], layer["out"])
        with torch.no_grad():
            lin.weight.copy_(tensor(f"layers.{i}.weight"))
            lin.bias.copy_(tensor(f"layers.{i}.bias"))
        layers.append(lin)
        act = layer.get("activation", "identity").lower()
        if act not in acts:
            raise SystemExit(f"{path}: layer {i} has activation {act}, which this script does not map")
        if act != "identity":
            layers.append(acts[act]())
    mean = tensor("input_scaling.mean") if topology.get("input_scaling") else None
    scale = tensor("input_scaling.scale") if topology.get("input_scaling") else None
    return topology["input"], mean, scale, nn.Sequential(*layers).eval()


def infer(args):
    inputs, mean, scale, net = load_topiary(args.model)
    gen = torch.Generator().manual_seed(1)
    results = []
    with torch.no_grad():
        for b in args.batch:
            x = torch.rand(b, inputs, generator=gen)

            def call():
                z = (x - mean) / scale if mean is not None else x
                return torch.softmax(net(z), dim=1)

            budget = args.millis / 1000
            end = time.perf_counter() + budget / 4
            calls_per_sample = 1
            while time.perf_counter() < end:
                t0 = time.perf_counter()
                for _ in range(calls_per_sample):
                    call()
                if time.perf_counter() - t0 < 200e-6:
                    calls_per_sample *= 2
            samples = []
            end = time.perf_counter() + budget * 3 / 4
            while time.perf_counter() < end or len(samples) < 5:
                t0 = time.perf_counter()
                for _ in range(calls_per_sample):
                    call()
                samples.append((time.perf_counter() - t0) / calls_per_sample)
            samples.sort()
            median = samples[len(samples) // 2]
            results.append((b, median))
            print(f"RESULT mode=infer peer=pytorch torch={torch.__version__} threads={torch.get_num_threads()} "
                  f"model={os.path.basename(args.model)} batch={b} median_us={median * 1e6:.2f} "
                  f"fastest_us={samples[0] * 1e6:.2f} samples={len(samples)}", flush=True)


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("mode", choices=["epochs", "infer"])
    p.add_argument("--threads", type=int, default=1)
    p.add_argument("--data", default="/usr/share/datasets/fashion-mnist")
    p.add_argument("--epochs", type=int, default=3)
    p.add_argument("--model")
    p.add_argument("--batch", type=lambda s: [int(v) for v in s.split(",")], default=[1, 256])
    p.add_argument("--millis", type=int, default=1000)
    args = p.parse_args()
    torch.set_num_threads(args.threads)
    torch.set_num_interop_threads(1)
    if args.mode == "epochs":
        epochs(args)
    else:
        if not args.model:
            p.error("infer needs --model")
        infer(args)


if __name__ == "__main__":
    sys.exit(main())
