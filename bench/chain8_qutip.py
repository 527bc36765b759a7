#!/usr/bin/python3
"""QuTiP reference for bench_chain8: the N = 8 chain of bench/chain8.spin
(nearest-neighbour dipolar Delta = 1, eps = 0.1, DM D = 0.5, KSEA G = 0.3,
Zeeman B = 0.2 on every spin, Pauli-X dephasing gamma = 0.2 on every spin,
Gibbs state at T = 1, 201 output times over t = 0..10), solved with mesolve
at rtol 1e-8, atol 1e-10, twice (cold, then warm).  The Hamiltonian is built
here independently of nmrc.  With STATES (raw complex128, column-major d x d
reference matrices written by bench_chain8 at every STRIDE-th output time)
it also prints max |rho_qutip - reference|.  Prints `qutip WALL1 CPU1 WALL2
CPU2 MAXDIFF` (wall and CPU seconds of each mesolve call; MAXDIFF nan
without STATES).
Usage: chain8_qutip.py [STATES STRIDE]"""
import math
import sys
import time

import numpy as np
import qutip as qt

N, D, G, DELTA, EPS, B, GAMMA, T = 8, 0.5, 0.3, 1.0, 0.1, 0.2, 0.2, 1.0


def op(single, i):
    return qt.tensor([single if k == i else qt.qeye(2) for k in range(N)])


def hamiltonian():
    P = [qt.sigmax(), qt.sigmay(), qt.sigmaz()]
    # Eq. 12 coupling matrix in Pauli units (physics notes, Sec. 1).
    Tm = [[-DELTA / 3 + EPS, D + G, 0.0], [G - D, -DELTA / 3 - EPS, 0.0],
          [0.0, 0.0, 2 * DELTA / 3]]
    H = 0
    for i in range(N - 1):
        for a in range(3):
            for b in range(3):
                if Tm[a][b] != 0.0:
                    H = H + Tm[a][b] * op(P[a], i) * op(P[b], i + 1)
    for i in range(N):
        H = H + B * op(qt.sigmaz(), i)
    return H


def main():
    H = hamiltonian()
    e, v = np.linalg.eigh(H.full())
    p = np.exp(-(e - e[0]) / T)
    rho0 = (v * (p / p.sum())) @ v.conj().T
    rho0 = qt.Qobj(rho0, dims=H.dims)
    c_ops = [math.sqrt(GAMMA) * op(qt.sigmax(), i) for i in range(N)]
    tlist = np.linspace(0.0, 10.0, 201)
    opts = qt.Options(atol=1e-10, rtol=1e-8, nsteps=1000000, store_states=True)
    times = []
    for _ in range(2):
        t0, c0 = time.perf_counter(), time.process_time()
        res = qt.mesolve(H, rho0, tlist, c_ops, [], options=opts)
        times += [time.perf_counter() - t0, time.process_time() - c0]
    diff = float('nan')
    if len(sys.argv) > 2:
        stride = int(sys.argv[2])
        d = 2 ** N
        ours = np.fromfile(sys.argv[1], dtype=np.complex128).reshape(-1, d, d)
        ours = ours.transpose(0, 2, 1)  # column-major -> (row, col)
        idx = list(range(0, len(tlist), stride))[:ours.shape[0]]
        diff = max(np.abs(ours[k] - res.states[i].full()).max() for k, i in enumerate(idx))
    print("qutip " + " ".join(f"{x:.6g}" for x in times) + f" {diff:.3e}")


if __name__ == '__main__':
    main()
