# Independent numpy reference for the nmrc end-to-end audit (tests/audit/).
# Nothing here calls the project's C code: Pauli algebra, Hamiltonians,
# Gibbs states, metrics (Wootters concurrence, brute-force discord),
# Liouvillian propagators and pulse propagators are written from the
# conventions of docs/physics.md and the formulas of docs/metrics.md,
# docs/compiler.md and docs/nmr-model.md, with numpy only.
import numpy as np

I2 = np.eye(2, dtype=complex)
X = np.array([[0, 1], [1, 0]], dtype=complex)
Y = np.array([[0, -1j], [1j, 0]], dtype=complex)
Z = np.array([[1, 0], [0, -1]], dtype=complex)
PAULI = (X, Y, Z)
LOG2 = np.log(2.0)


def kron(*ops):
    out = np.eye(1, dtype=complex)
    for o in ops:
        out = np.kron(out, o)
    return out


def two_spin_h(T, a=(0, 0, 0), b=(0, 0, 0)):
    """H = sum_ij T_ij s_i(x)s_j + a.s(x)1 + 1(x)b.s; spin 0 = left factor."""
    H = np.zeros((4, 4), dtype=complex)
    for i in range(3):
        for j in range(3):
            H += T[i][j] * kron(PAULI[i], PAULI[j])
        H += a[i] * kron(PAULI[i], I2) + b[i] * kron(I2, PAULI[i])
    return H


def battery_tensor(D, G, Delta, eps):
    """The paper's Eq. 12 coupling matrix in Pauli units (physics notes §1)."""
    return np.array([[-Delta / 3 + eps, D + G, 0],
                     [G - D, -Delta / 3 - eps, 0],
                     [0, 0, 2 * Delta / 3]], dtype=float)


def battery_h(B, D, G, Delta, eps):
    return two_spin_h(battery_tensor(D, G, Delta, eps), (0, 0, B), (0, 0, B))


def eq13_energies(B, D, G, Delta, eps):
    """The paper's Eq. 13 spectrum (third, closed-form argument)."""
    k1 = np.sqrt(9 * D * D + Delta * Delta)
    k2 = np.sqrt(B * B + G * G + eps * eps)
    return np.sort([-2 * (Delta + k1) / 3, 2 * (-Delta + k1) / 3,
                    2 * (Delta - 3 * k2) / 3, 2 * (Delta + 3 * k2) / 3])


def expmh(H, t):
    """exp(-i H t) for Hermitian H."""
    E, V = np.linalg.eigh(H)
    return (V * np.exp(-1j * E * t)) @ V.conj().T


def expm(A):
    """General matrix exponential: scaling and squaring with a Taylor series
    summed to machine precision (independent of LAPACK's eig)."""
    nrm = np.linalg.norm(A, 1)
    s = max(0, int(np.ceil(np.log2(nrm / 0.25))) if nrm > 0.25 else 0)
    A = A / (2.0 ** s)
    term = np.eye(A.shape[0], dtype=complex)
    out = term.copy()
    for k in range(1, 40):
        term = term @ A / k
        out = out + term
        if np.linalg.norm(term, 1) < 1e-18 * np.linalg.norm(out, 1):
            break
    for _ in range(s):
        out = out @ out
    return out


def gibbs_weights(E, T):
    """Boltzmann weights; T = 0: uniform over the (degenerate) ground level."""
    if T == 0:
        w = (E - E.min() <= 1e-10 * max(1.0, np.max(np.abs(E)))).astype(float)
    else:
        w = np.exp(-(E - E.min()) / T)
    return w / w.sum()


def gibbs(H, T):
    E, V = np.linalg.eigh(H)
    w = gibbs_weights(E, T)
    return (V * w) @ V.conj().T


def gibbs_factor(H, T):
    """W with rho = W W^+ built from the exact Gibbs weights (no square roots
    of rounding-level eigenvalues of rho)."""
    E, V = np.linalg.eigh(H)
    return V * np.sqrt(gibbs_weights(E, T))


def entropy_bits(rho):
    lam = np.linalg.eigvalsh(rho)
    lam = lam[lam > 1e-300]
    return float(-np.sum(lam * np.log2(lam)))


def l1(rho):
    return float(np.sum(np.abs(rho)) - np.sum(np.abs(np.diag(rho))))


def battery_figures(rho, H, zeta):
    """energy, ergotropy, anti-ergotropy, capacity, l1 coherence in the
    energy basis (H non-degenerate).  Passive = Gibbs state zeta for the
    unitary charge (physics notes §2); active state by sorting."""
    E, V = np.linalg.eigh(H)
    lam = np.sort(np.linalg.eigvalsh(rho))              # increasing
    energy = float(np.real(np.trace(rho @ H)))
    e_passive = float(np.real(np.trace(zeta @ H)))
    e_passive_sorted = float(np.sum(lam[::-1] * E))
    e_active = float(np.sum(lam * E))
    erg = energy - e_passive
    anti = energy - e_active
    cap = e_active - e_passive
    coh = l1(V.conj().T @ rho @ V)
    return energy, erg, anti, cap, coh, e_passive_sorted - e_passive


def concurrence(rho, W=None):
    """Wootters: sqrt of the eigenvalues of rho (YY) rho* (YY).  With a
    factor rho = W W^+ they are the singular values of W^T (YY) W."""
    yy = kron(Y, Y)
    if W is not None:
        ev = np.linalg.svd(W.T @ yy @ W, compute_uv=False)
        return max(0.0, ev[0] - ev[1] - ev[2] - ev[3])
    R = rho @ yy @ rho.conj() @ yy
    ev = np.sqrt(np.abs(np.real(np.linalg.eigvals(R))))
    ev = np.sort(ev)[::-1]
    return max(0.0, ev[0] - ev[1] - ev[2] - ev[3])


def _sphere(theta, phi):
    st = np.sin(theta)
    return np.stack([st * np.cos(phi), st * np.sin(phi), np.cos(theta)], axis=-1)


def _cond_entropy(rho4, n):
    """sum_s p_s S(rho_B|s) for measurements Pi_s = (1 + s n.sigma)/2 on A,
    by explicit projectors and a partial trace; n has shape (M, 3)."""
    r = rho4.reshape(2, 2, 2, 2)                           # [a, b, a', b']
    ns = np.einsum('mk,kij->mij', n, np.array(PAULI))      # n.sigma, (M,2,2)
    total = np.zeros(n.shape[0])
    for s in (1, -1):
        P = 0.5 * (I2[None] + s * ns)                      # (M,2,2) on A
        # Tr_A[(P (x) 1) rho]: sum_{a,a'} P[a',a] rho[a,b,a',b']
        rb = np.einsum('mqa,abqc->mbc', P, r)
        p = np.real(rb[:, 0, 0] + rb[:, 1, 1])
        tr = p
        det = np.real(rb[:, 0, 0] * rb[:, 1, 1] - rb[:, 0, 1] * rb[:, 1, 0])
        disc = np.sqrt(np.maximum(tr * tr - 4 * det, 0))
        for lam in ((tr + disc) / 2, (tr - disc) / 2):
            with np.errstate(divide='ignore', invalid='ignore'):
                q = np.where(p > 1e-300, lam / np.where(p > 1e-300, p, 1), 0)
                h = np.where(q > 1e-300, -q * np.log2(np.where(q > 1e-300, q, 1)), 0)
            total += p * h
    return total


def discord_bits(rho4):
    """Ollivier-Zurek discord, projective measurement on A (left factor),
    bits: brute force over a fine hemisphere grid, then repeated local
    zooms (tangent-plane grids) around the best grid points."""
    rA = np.trace(rho4.reshape(2, 2, 2, 2), axis1=1, axis2=3)
    base = entropy_bits(rA) - entropy_bits(rho4)
    th, ph = np.meshgrid(np.linspace(0, np.pi / 2, 121),
                         np.linspace(0, 2 * np.pi, 240, endpoint=False), indexing='ij')
    n = _sphere(th.ravel(), ph.ravel())
    f = _cond_entropy(rho4, n)
    best = np.inf
    for idx in np.argsort(f)[:6]:
        n0, step = n[idx], 0.03
        fbest = f[idx]
        for _ in range(14):
            e1 = np.cross(n0, [1.0, 0, 0] if abs(n0[0]) < 0.9 else [0, 1.0, 0])
            e1 /= np.linalg.norm(e1)
            e2 = np.cross(n0, e1)
            g = np.linspace(-step, step, 21)
            A, Bg = np.meshgrid(g, g, indexing='ij')
            cand = n0[None] + A.ravel()[:, None] * e1 + Bg.ravel()[:, None] * e2
            cand /= np.linalg.norm(cand, axis=1)[:, None]
            fc = _cond_entropy(rho4, cand)
            k = int(np.argmin(fc))
            if fc[k] <= fbest:
                fbest, n0 = fc[k], cand[k]
            step /= 4
        best = min(best, fbest)
    return base + best


def reduce_pair(rho, nspins, i, j):
    """Reduced state of spins i (left) and j (right) of an n-spin state."""
    d = 2 ** nspins
    r = rho.reshape([2] * (2 * nspins))
    keep = [i, j]
    rest = [k for k in range(nspins) if k not in keep]
    # bring to [i, j, rest..., i', j', rest'...] and trace rest
    perm = keep + rest + [nspins + k for k in keep] + [nspins + k for k in rest]
    r = np.transpose(r, perm).reshape(4, d // 4, 4, d // 4)
    return np.einsum('akbk->ab', r)


def liouvillian(H, Ls):
    """Column-stacking vec: vec(A X B) = (B^T (x) A) vec X."""
    d = H.shape[0]
    Id = np.eye(d)
    Lv = -1j * (np.kron(Id, H) - np.kron(H.T, Id))
    for L in Ls:
        LdL = L.conj().T @ L
        Lv += np.kron(L.conj(), L) - 0.5 * np.kron(Id, LdL) - 0.5 * np.kron(LdL.T, Id)
    return Lv


def vec(rho):
    return rho.reshape(-1, order='F')


def unvec(v, d):
    return v.reshape(d, d, order='F')


def pulse(theta, phi):
    """U = exp(-i theta (cos phi X + sin phi Y)/2) (physics notes §1)."""
    n = np.cos(phi) * X + np.sin(phi) * Y
    return np.cos(theta / 2) * I2 - 1j * np.sin(theta / 2) * n


def rz(a):
    """Virtual-Z: exp(-i a Z / 2) (docs/xml-format.md)."""
    return np.diag([np.exp(-0.5j * a), np.exp(0.5j * a)])


def gate_fidelity(U, V):
    d = U.shape[0]
    return float(abs(np.trace(V.conj().T @ U)) ** 2 / d ** 2)


def rotation_of(U):
    """Angle (rad) and axis of an SU(2)-up-to-phase single-qubit unitary."""
    U = U / np.sqrt(np.linalg.det(U))
    c = np.real(np.trace(U)) / 2
    v = np.array([np.imag(U[1, 0] + U[0, 1]) / -2, np.real(U[1, 0] - U[0, 1]) / 2,
                  np.imag(U[1, 1] - U[0, 0]) / 2])
    # U = c 1 - i s n.sigma  =>  n.sigma coefficients from the off-diagonals
    s = np.linalg.norm(v)
    ang = 2 * np.arctan2(s, c)
    if ang > np.pi:
        ang, v = 2 * np.pi - ang, -v
    return ang, (v / s if s > 0 else v)
