#!/usr/bin/python3
"""Vectorized numpy reference for bench_map: the Fig. 11 battery map
(Delta = -1, eps = 0.5, T = 1, B = 0, D and G on an n x n grid over -10..10,
1001 charging times wt = 0..pi), computed for the first `rows` D values.
Prints `numpy RATE SUM_ERGOTROPY_MAX SUM_COHERENCE_MAX` (rate in state
evaluations per second).  Usage: map_numpy.py [N] [ROWS]"""
import sys
import time

import numpy as np


def hamiltonians(D, G, B=0.0, Dl=-1.0, eps=0.5):
    """Eq. 12 in Pauli units for arrays D, G: shape (P, 4, 4)."""
    X = np.array([[0, 1], [1, 0]], complex)
    Y = np.array([[0, -1j], [1j, 0]])
    Z = np.diag([1.0 + 0j, -1.0])
    one = np.eye(2)
    P = [X, Y, Z]
    H = np.zeros((D.size, 4, 4), complex)
    T = np.zeros((D.size, 3, 3))
    T[:, 0, 0] = -Dl / 3 + eps
    T[:, 1, 1] = -Dl / 3 - eps
    T[:, 2, 2] = 2 * Dl / 3
    T[:, 0, 1] = D + G
    T[:, 1, 0] = G - D
    for a in range(3):
        for b in range(3):
            H += T[:, a, b, None, None] * np.kron(P[a], P[b])[None]
    H += B * (np.kron(Z, one) + np.kron(one, Z))[None]
    return H


def battery_map(H, temp, t, chunk=24):
    E, V = np.linalg.eigh(H)
    p = np.exp(-(E - E[:, :1]) / temp)
    p /= p.sum(1, keepdims=True)
    e_pass = (p * E).sum(1)
    e_act = (p[:, ::-1] * E).sum(1)
    X = np.array([[0, 1], [1, 0]], complex)
    R = np.cos(t)[:, None, None] * np.eye(2) - 1j * np.sin(t)[:, None, None] * X
    U = np.einsum('tab,tcd->tacbd', R, R).reshape(len(t), 4, 4)
    Uh = U.conj().transpose(0, 2, 1)
    out = np.empty((H.shape[0], 3))
    for s in range(0, H.shape[0], chunk):
        v = V[s:s + chunk]
        zeta = (v * p[s:s + chunk, None, :]) @ v.conj().transpose(0, 2, 1)
        rho = U[None] @ zeta[:, None] @ Uh[None]
        rt = v.conj().transpose(0, 2, 1)[:, None] @ rho @ v[:, None]
        diag = np.einsum('ctii->cti', rt)
        energy = np.einsum('cti,ci->ct', diag.real, E[s:s + chunk])
        coh = np.abs(rt).sum((-1, -2)) - np.abs(diag).sum(-1)
        out[s:s + chunk, 0] = energy.max(1) - e_pass[s:s + chunk]
        out[s:s + chunk, 1] = coh.max(1)
        out[s:s + chunk, 2] = energy.min(1) - e_act[s:s + chunk]
    return out


def main():
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 201
    rows = int(sys.argv[2]) if len(sys.argv) > 2 else 8
    vals = np.linspace(-10, 10, n)
    t = np.linspace(0, np.pi, 1001)
    D, G = np.meshgrid(vals[:rows], vals, indexing='ij')
    t0 = time.perf_counter()
    H = hamiltonians(D.ravel(), G.ravel())
    out = battery_map(H, 1.0, t)
    dt = time.perf_counter() - t0
    rate = D.size * len(t) / dt
    print(f"numpy {rate:.6g} {out[:, 0].sum():.15g} {out[:, 1].sum():.15g}")


if __name__ == '__main__':
    main()
