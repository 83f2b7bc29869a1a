"""Time one full-batch gradient and one Adam step of lecture2, optionally next to PyTorch.

For each architecture and data size n it measures

- ``grad``: one call of ``Network.loss_and_grad`` (forward pass, backprop,
  gradient over all n points);
- ``step``: one ``Adam.step`` on the full-batch objective (the same gradient
  plus the Adam update of the p weights);

and, when ``torch`` can be imported, the same two operations in PyTorch with
float64 tensors, the same weights and the same loss ``1/(2n) sum (f - y)^2``
(``forward + backward``, and ``zero_grad + forward + backward + Adam.step``).
The last columns are the ratios lecture2 / PyTorch (above 1: lecture2 is
slower). Each time is the best of several repeats of an automatically sized
loop, in milliseconds; on a shared machine the minimum is the most stable
statistic. Before timing, the two gradients are compared (relative
difference printed in the last column).

Both libraries run single-threaded by default (``--threads N`` changes
that): a like-for-like comparison, and on a shared machine multi-threaded
BLAS and PyTorch kernels lose badly whenever a thread is descheduled.

Run ``python benchmarks/bench_training.py`` (``--quick`` for fewer repeats,
``--no-torch`` to skip PyTorch).
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path


def _threads(argv):
    """The --threads value, read before numpy is imported (BLAS reads it once)."""
    for i, arg in enumerate(argv):
        if arg == "--threads" and i + 1 < len(argv):
            return argv[i + 1]
        if arg.startswith("--threads="):
            return arg.split("=", 1)[1]
    return "1"


for _var in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ[_var] = _threads(sys.argv[1:])

import numpy as np

try:
    import lecture2  # noqa: F401
except ImportError:  # run from a checkout without installing the package
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from lecture2.data import make_sinusoid
from lecture2.network import Network
from lecture2.optim import Adam

ARCHITECTURES = ([1, 20, 20, 1], [1, 64, 64, 1], [1, 64, 64, 64, 64, 64, 1])
SIZES = (200, 1000, 10000)


def best_time(fn, repeat=5, min_loop=0.05):
    """Best time of one call of ``fn`` in seconds (timeit-style autorange)."""
    number = 1
    while True:
        start = time.perf_counter()
        for _ in range(number):
            fn()
        elapsed = time.perf_counter() - start
        if elapsed >= min_loop:
            break
        number *= 2
    best = elapsed / number
    for _ in range(repeat - 1):
        start = time.perf_counter()
        for _ in range(number):
            fn()
        best = min(best, (time.perf_counter() - start) / number)
    return best


def time_lecture2(net, X, Y, repeat):
    fun = net.objective(X, Y)
    w0 = net.w.copy()
    grad_time = best_time(lambda: fun(w0), repeat)

    opt = Adam()
    state = {"w": w0.copy()}

    def step():
        state["w"] = opt.step(state["w"], fun, 1e-3)[0]

    return grad_time, best_time(step, repeat)


def torch_model(torch, net):
    """A torch.nn.Sequential in float64 with the weights of ``net``."""
    layers = []
    for l, (W, b) in enumerate(net.weights, start=1):
        linear = torch.nn.Linear(W.shape[0], W.shape[1], dtype=torch.float64)
        with torch.no_grad():
            linear.weight.copy_(torch.from_numpy(W.T.copy()))  # torch stores (out, in)
            linear.bias.copy_(torch.from_numpy(b.copy()))
        layers.append(linear)
        if l < net.L:
            layers.append(torch.nn.Tanh())
    return torch.nn.Sequential(*layers)


def time_torch(torch, net, X, Y, repeat):
    model = torch_model(torch, net)
    Xt, Yt = torch.from_numpy(X), torch.from_numpy(Y)

    def loss_fn():
        return 0.5 * torch.mean((model(Xt) - Yt) ** 2)  # = lecture2's mean reduction

    # check that both libraries compute the same gradient before timing
    model.zero_grad()
    loss_fn().backward()
    grad_t = np.concatenate([np.concatenate([lin.weight.grad.numpy().T.ravel(),
                                             lin.bias.grad.numpy()])
                             for lin in model if isinstance(lin, torch.nn.Linear)])
    grad_np = net.loss_and_grad(X, Y)[1]
    rel = np.linalg.norm(grad_t - grad_np) / np.linalg.norm(grad_np)

    def gradient():
        model.zero_grad(set_to_none=True)
        loss_fn().backward()

    opt = torch.optim.Adam(model.parameters(), lr=1e-3)

    def step():
        opt.zero_grad(set_to_none=True)
        loss_fn().backward()
        opt.step()

    return best_time(gradient, repeat), best_time(step, repeat), rel


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="3 repeats instead of 7")
    parser.add_argument("--no-torch", action="store_true", help="skip PyTorch")
    parser.add_argument("--threads", type=int, default=1,
                        help="threads for OpenBLAS/OpenMP and torch (default 1)")
    args = parser.parse_args(argv)
    repeat = 3 if args.quick else 7

    torch = None
    if not args.no_torch:
        try:
            import torch
        except ImportError:
            print("torch is not importable: timing lecture2 only.\n")
    if torch is not None:
        torch.set_num_threads(args.threads)

    print(f"numpy {np.__version__}"
          + (f", torch {torch.__version__}" if torch is not None else "")
          + f"; {args.threads} thread(s) each, {os.cpu_count()} CPUs;"
          f" times in ms, best of {repeat}")
    header = f"{'architecture':<26}{'p':>6}{'n':>7}{'grad':>9}{'step':>9}"
    if torch is not None:
        header += f"{'torch grad':>12}{'torch step':>12}{'grad ratio':>12}" \
                  f"{'step ratio':>12}{'grad diff':>11}"
    print(header)
    print("-" * len(header))

    rng = np.random.default_rng(0)
    for sizes in ARCHITECTURES:
        for n in SIZES:
            X, Y = make_sinusoid(n, rng=rng)
            net = Network(sizes, "tanh", rng=rng, init="xavier")
            grad_t, step_t = time_lecture2(net, X, Y, repeat)
            row = f"{sizes!s:<26}{net.p:>6}{n:>7}{1e3 * grad_t:>9.3f}{1e3 * step_t:>9.3f}"
            if torch is not None:
                tg, ts, rel = time_torch(torch, net, X, Y, repeat)
                row += (f"{1e3 * tg:>12.3f}{1e3 * ts:>12.3f}{grad_t / tg:>12.2f}"
                        f"{step_t / ts:>12.2f}{rel:>11.1e}")
            print(row, flush=True)


if __name__ == "__main__":
    main()
