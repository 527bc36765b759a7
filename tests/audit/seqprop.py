# Independent propagation of nmrc pulse programs (XML read with xml.etree,
# only the exact nmrc:* attributes): delta and finite pulses on the 1H-13C
# pair, virtual-Z, Lindblad T1/T2 superoperators and their derivative with
# respect to the equilibrium polarization; helpers shared by the sequence and
# FID audits.
import numpy as np

import ref
from common import run

NMRC = SRC = BAT = WORK = None


OMEGA = 2 * np.pi * 215 / 8       # chloroform.spin: omega = J/8 (Hz) in rad/s


def load_seq(path):
    """Events from an nmrc XML file using only the exact nmrc:* attributes."""
    import xml.etree.ElementTree as ET
    root = ET.parse(path).getroot()
    NS = root.tag[:root.tag.index('}') + 1]      # urn:nmrc:seq:2, or :1 for an old file
    chans = {c.get('name'): i for i, c in enumerate(
        [c for c in root.findall(NS + 'channel') if c.get('type') == 'rf'])}
    tgt = root.find(NS + 'target')
    T, fields = np.zeros((3, 3)), [np.zeros(3), np.zeros(3)]
    if tgt is not None and tgt.find(NS + 'coupling') is not None:
        T = np.array([float(v) for v in tgt.find(NS + 'coupling').text.split()]).reshape(3, 3)
    for fe in ([] if tgt is None else tgt.findall(NS + 'field')):
        fields[int(fe.get('spin'))] = np.array([float(v) for v in fe.text.split()])
    nat = root.find(NS + 'natural')
    kappa = float(nat.get('kappa'))
    offs = [float(v) for v in nat.text.split()]

    def hf(e):
        return (chans[e.get(NS + 'channel')], float(e.get(NS + 'angle')),
                float(e.get(NS + 'phase')), float(e.get(NS + 'amplitude') or 0))

    def walk(parent):
        ev = []
        for e in parent:
            tag = e.tag
            if tag == 'DELAY':
                ev.append(('delay', float(e.get(NS + 'duration'))))
            elif tag == 'HF_PULSE':
                ev.append(('pulse', float(e.get(NS + 'duration')), [hf(e)]))
            elif tag == NS + 'simultaneous':
                hs = e.findall('HF_PULSE')
                ev.append(('pulse', float(hs[0].get(NS + 'duration')), [hf(h) for h in hs]))
            elif tag == NS + 'vz':
                ev.append(('vz', chans[e.get('channel') or e.get(NS + 'channel')],
                           float(e.get('phase') or e.get(NS + 'phase'))))
            elif tag == NS + 'loop':
                ev += walk(e) * int(e.get('count') or e.get(NS + 'count'))
            elif tag == 'ACQ_MULTI':
                pass
            else:
                raise ValueError('audit: unexpected element %s' % tag)
        return ev
    events = walk(root.find('PULSE_PROGRAM'))
    return dict(T=T, fields=fields, time=float(tgt.get('time') or 0) if tgt is not None else 0,
                kappa=kappa,
                offsets=offs[:2], events=events)


def h_nat(seq):
    return (seq['kappa'] * ref.kron(ref.Z, ref.Z) + seq['offsets'][0] * ref.kron(ref.Z, ref.I2)
            + seq['offsets'][1] * ref.kron(ref.I2, ref.Z))


def local(op, ch):
    return ref.kron(op, ref.I2) if ch == 0 else ref.kron(ref.I2, op)


def propagate_delta(seq, outer_halves):
    """delta pulses at the centres of their events; free evolution between
    centres under H_nat.  outer_halves=False drops the half pulse lengths
    before the first and after the last pulse (the ideal delta sequence)."""
    Hn = h_nat(seq)
    U = np.eye(4, dtype=complex)
    ev = seq['events']
    timed = [i for i, e in enumerate(ev) if e[0] != 'vz']
    free = 0.0
    for i, e in enumerate(ev):
        if e[0] == 'delay':
            U = ref.expmh(Hn, e[1]) @ U
            free += e[1]
        elif e[0] == 'vz':
            U = local(ref.rz(e[2]), e[1]) @ U
        else:
            half = e[1] / 2
            first, last = i == timed[0], i == timed[-1]
            if outer_halves or not first:
                U = ref.expmh(Hn, half) @ U
                free += half
            for ch, th, ph, _ in e[2]:
                U = local(ref.pulse(th, ph), ch) @ U
            if outer_halves or not last:
                U = ref.expmh(Hn, half) @ U
                free += half
    return U, free


def propagate_finite(seq):
    """Rectangular pulses, start-aligned in their event, length angle/(2 pi amp),
    H = H_nat + pi*amp*(cos phi X + sin phi Y) per channel, exact."""
    Hn = h_nat(seq)
    U = np.eye(4, dtype=complex)
    for e in seq['events']:
        if e[0] == 'delay':
            U = ref.expmh(Hn, e[1]) @ U
        elif e[0] == 'vz':
            U = local(ref.rz(e[2]), e[1]) @ U
        else:
            dur = e[1]
            ends = sorted(set([dur] + [p[1] / (2 * np.pi * p[3]) for p in e[2]]))
            assert ends[-1] <= dur * (1 + 1e-9), 'pulse longer than its event'
            t0 = 0.0
            for t1 in ends:
                H = Hn.copy()
                for ch, th, ph, amp in e[2]:
                    if th / (2 * np.pi * amp) > t0 + 1e-15:
                        H = H + np.pi * amp * local(np.cos(ph) * ref.X + np.sin(ph) * ref.Y, ch)
                U = ref.expmh(H, t1 - t0) @ U
                t0 = t1
    return U


def toggled_offset_sums(seq):
    """(1/T) sum_k tau_k u_k per channel, u = R^T e_z of the cumulative
    delta-pulse rotation (pulses at event centres)."""
    U = [np.eye(2, dtype=complex), np.eye(2, dtype=complex)]
    acc, total = np.zeros((2, 3)), 0.0

    def frame(Uc):
        return np.real([np.trace(Uc.conj().T @ ref.Z @ Uc @ p) / 2 for p in ref.PAULI])

    def free(t):
        nonlocal total
        for c in (0, 1):
            acc[c] += t * frame(U[c])
        total += t
    for e in seq['events']:
        if e[0] == 'delay':
            free(e[1])
        elif e[0] == 'vz':
            U[e[1]] = ref.rz(e[2]) @ U[e[1]]
        else:
            free(e[1] / 2)
            for ch, th, ph, _ in e[2]:
                U[ch] = ref.pulse(th, ph) @ U[ch]
            free(e[1] / 2)
    return acc / total


def nuclear_norm(T):
    return float(np.sum(np.linalg.svd(T, compute_uv=False)))


def check_output_T(text):
    """T (units of omega) and omega (rad/s) as printed by `nmrc check`."""
    lines = text.splitlines()
    om = [ln for ln in lines if ln.startswith('omega:')][0]
    omega = float(om.split()[1])
    i = [j for j, ln in enumerate(lines) if 'coupling tensor T(' in ln][0]
    T = np.array([[float(v) for v in lines[i + r].strip().strip('[]').split()]
                  for r in (1, 2, 3)])
    return T, omega


def analyze_csv(path):
    out, _ = run('analyze', path, '--csv', '-')
    lines = out.strip().splitlines()
    head, row = lines[0].split(','), lines[1].split(',')
    assert row[0] == 'whole', row[0]
    return {h: float(v) for h, v in zip(head[1:], row[1:])}


# ------------------------------------------------------ 5c. nmrc validate
def relax_ops(t1s, t2s, pols=(0, 0)):
    """docs/nmr-model.md relaxation: L_up = sqrt((1+p)/(2 T1)) |0><1|,
    L_down = sqrt((1-p)/(2 T1)) |1><0|, L_z = sqrt(r) Z, r = (1/T2 - 1/(2 T1))/2;
    <Z> relaxes to p (Bloch equations)."""
    up = np.array([[0, 1], [0, 0]], dtype=complex)
    Ls = []
    for i, (t1, t2, p) in enumerate(zip(t1s, t2s, pols)):
        r = (1 / t2 - 1 / (2 * t1)) / 2
        Ls += [np.sqrt((1 + p) / (2 * t1)) * local(up, i),
               np.sqrt((1 - p) / (2 * t1)) * local(up.T, i), np.sqrt(r) * local(ref.Z, i)]
    return Ls


def process_finite(seq, Ls, rf_scale=1.0):
    """Superoperator of the finite-pulse program with relaxation (exact
    piecewise expm of the Liouvillian; relaxation acts during pulses); RF
    miscalibration scales every amplitude (pulse lengths as written)."""
    Hn = h_nat(seq)
    S = np.eye(16, dtype=complex)
    for e in seq['events']:
        if e[0] == 'delay':
            S = ref.expm(ref.liouvillian(Hn, Ls) * e[1]) @ S
        elif e[0] == 'vz':
            R = local(ref.rz(e[2]), e[1])
            S = np.kron(R.conj(), R) @ S
        else:
            dur = e[1]
            ends = sorted(set([dur] + [p[1] / (2 * np.pi * p[3]) for p in e[2]]))
            t0 = 0.0
            for t1 in ends:
                H = Hn.copy()
                for ch, th, ph, amp in e[2]:
                    if th / (2 * np.pi * amp) > t0 + 1e-15:
                        H = H + np.pi * amp * rf_scale * local(np.cos(ph) * ref.X
                                                               + np.sin(ph) * ref.Y, ch)
                S = ref.expm(ref.liouvillian(H, Ls) * (t1 - t0)) @ S
                t0 = t1
    return S


def process_and_derivative(seq, t1s, t2s, dpols):
    """(S, dS/de): the superoperator of the finite-pulse program with
    relaxation (eq_pol 0) and its exact derivative with respect to the
    equilibrium polarizations p_i = e * dpols[i], from the block exponential
    exp([[L0, L1], [0, L0]] t) (Van Loan), no finite differences."""
    up = np.array([[0, 1], [0, 0]], dtype=complex)
    L1 = np.zeros((16, 16), dtype=complex)
    zero = np.zeros((4, 4), dtype=complex)
    for i, (t1, q) in enumerate(zip(t1s, dpols)):
        L1 += q / (2 * t1) * (ref.liouvillian(zero, [local(up, i)])
                              - ref.liouvillian(zero, [local(up.T, i)]))
    Ls = relax_ops(t1s, t2s)
    S, dS = np.eye(16, dtype=complex), np.zeros((16, 16), dtype=complex)

    def step(H, t):
        nonlocal S, dS
        L0 = ref.liouvillian(H, Ls)
        M = ref.expm(np.block([[L0, L1], [np.zeros_like(L0), L0]]) * t)
        P, Q = M[:16, :16], M[:16, 16:]
        S, dS = P @ S, P @ dS + Q @ S
    Hn = h_nat(seq)
    for e in seq['events']:
        if e[0] == 'delay':
            step(Hn, e[1])
        elif e[0] == 'vz':
            R = local(ref.rz(e[2]), e[1])
            S, dS = np.kron(R.conj(), R) @ S, np.kron(R.conj(), R) @ dS
        else:
            ends = sorted(set([e[1]] + [p[1] / (2 * np.pi * p[3]) for p in e[2]]))
            t0 = 0.0
            for t1 in ends:
                H = Hn.copy()
                for ch, th, ph, amp in e[2]:
                    if th / (2 * np.pi * amp) > t0 + 1e-15:
                        H = H + np.pi * amp * local(np.cos(ph) * ref.X + np.sin(ph) * ref.Y, ch)
                step(H, t1 - t0)
                t0 = t1
    return S, dS


def uhlmann(r, s):
    E, V = np.linalg.eigh(r)
    sq = (V * np.sqrt(np.maximum(E, 0))) @ V.conj().T
    ev = np.linalg.eigvalsh(sq @ s @ sq)
    return float(np.sum(np.sqrt(np.maximum(ev, 0))) ** 2)


def state_figures(rho, H):
    E = np.linalg.eigvalsh(H)
    lam = np.sort(np.linalg.eigvalsh(rho))
    energy = float(np.real(np.trace(rho @ H)))
    _, V = np.linalg.eigh(H)
    return [energy, energy - np.sum(lam[::-1] * E), energy - np.sum(lam * E),
            np.sum(lam * E) - np.sum(lam[::-1] * E), ref.l1(V.conj().T @ rho @ V)]
