#!/usr/bin/python3
"""Reference FID for bench_fid: QuTiP builds the Hamiltonian, the T2
Lindblad operators and the Liouvillian; the propagator over one dwell time,
P = expm(L dt), is applied to vec(rho) step by step (time stepping with
propagators) and the signal Tr[rho D], D = sum_i sigma+_i, is recorded.

usage: fid_qutip.py PARAMS FID.bin all|K
PARAMS (written by bench_fid): n, td, sw, `spin g offset_hz t2` lines (g =
gamma/gamma_1H) and `couple i j J_hz` lines.  Conventions as nmrc: Pauli
matrices, basis |0> = up, spin 0 leftmost; H = sum pi nu_i Z_i + sum
(pi J / 2) Z_i Z_j between different nuclei, (pi J / 2) sigma.sigma within one
(the isotope is the 5th field of a spin line); L_i =
sqrt(1/(2 T2_i)) Z_i; rho0 = 2^{1-N} sum g_i X_i (90_y on every spin).
Prints seconds_per_point, points, max_rel_diff (max |ours - ref| / max |ref|
over the points computed).  With K, only the first K points are stepped and
the time per point is extrapolated (stepping is linear in the points).
"""
import sys
import time

import numpy as np
import qutip as qt


def read_params(path):
    spins, couples, p = [], [], {}
    for line in open(path):
        f = line.split()
        if f[0] == "spin":
            spins.append(tuple(float(x) for x in f[1:4]) + (f[4] if len(f) > 4 else str(len(spins)),))
        elif f[0] == "couple":
            couples.append((int(f[1]), int(f[2]), float(f[3])))
        else:
            p[f[0]] = float(f[1])
    return int(p["n"]), int(p["td"]), p["sw"], spins, couples


def op(n, i, o):
    return qt.tensor([o if k == i else qt.qeye(2) for k in range(n)])


def main():
    n, td, sw, spins, couples = read_params(sys.argv[1])
    ours = np.fromfile(sys.argv[2], dtype=np.complex128)
    steps = td if sys.argv[3] == "all" else min(td, int(sys.argv[3]))
    t0 = time.perf_counter()
    Z = [op(n, i, qt.sigmaz()) for i in range(n)]
    X = [op(n, i, qt.sigmax()) for i in range(n)]
    H = 0 * Z[0] + sum(np.pi * s[1] * Z[i] for i, s in enumerate(spins))
    Y = [op(n, i, qt.sigmay()) for i in range(n)]
    for i, j, J in couples:
        H += (np.pi * J / 2) * Z[i] * Z[j]
        if spins[i][3] == spins[j][3]:  # same isotope: full J sigma.sigma
            H += (np.pi * J / 2) * (X[i] * X[j] + Y[i] * Y[j])
    c_ops = [np.sqrt(0.5 / s[2]) * Z[i] for i, s in enumerate(spins) if s[2] > 0]
    L = qt.liouvillian(H, c_ops)
    dt = 1.0 / sw
    Ld = L.data.tocsr()
    diag = Ld.diagonal()
    if abs(Ld).sum() - abs(diag).sum() == 0:
        # L is diagonal here (weak coupling, Z dephasing): expm(L dt) is the
        # elementwise exponential; the same propagator QuTiP's expm returns.
        P = np.exp(diag * dt)
        step = lambda v: P * v  # noqa: E731
    else:
        Pm = (L * dt).expm().data.tocsr()
        step = lambda v: Pm @ v  # noqa: E731
    rho = 2.0 ** (1 - n) * sum(s[0] * X[i] for i, s in enumerate(spins))
    v = qt.operator_to_vector(rho).full().ravel()
    D = sum(op(n, i, qt.sigmap()) for i in range(n))
    d = D.full().T.reshape(-1, order="F")  # Tr[D rho] = d . vec(rho)
    ref = np.empty(steps, dtype=complex)
    for k in range(steps):
        ref[k] = d @ v
        v = step(v)
    elapsed = time.perf_counter() - t0
    diff = np.max(np.abs(ours[:steps] - ref)) / np.max(np.abs(ref))
    print("method QuTiP liouvillian + propagator stepping (Liouville dim %d)" % (4 ** n))
    print("seconds_per_point %.6e" % (elapsed / steps))
    print("points %d" % steps)
    print("max_rel_diff %.3e" % diff)


if __name__ == "__main__":
    main()
