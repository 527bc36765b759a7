# Audit of `nmrc fid`: thermal doublets (frequencies, widths, amplitudes,
# offset sign, Bruker/JCAMP/CSV consistency), compiled programs, T1 recovery
# (inversion recovery) and the gradient X-dephasing sandwich.
import os

import numpy as np

import ref
from common import check, read_csv_text, run
from seqprop import h_nat, load_seq, local, process_and_derivative, relax_ops

NMRC = SRC = BAT = WORK = None


# ---------------------------------------------------------------- 7-8. fid
def pencil(s, dt, m):
    """Matrix-pencil estimate of m damped exponentials: returns rates
    lambda = -Gamma + i*2*pi*nu (1/s) and amplitudes."""
    n = len(s)
    L = n // 3
    Yh = np.array([s[i:i + L + 1] for i in range(n - L)])
    _, _, Vh = np.linalg.svd(Yh, full_matrices=False)
    Vm = Vh[:m].T                   # rows of Vh span (z^0, z^1, ...)
    z = np.linalg.eigvals(np.linalg.pinv(Vm[:-1]) @ Vm[1:])
    lam = np.log(z) / dt
    A = np.linalg.lstsq(np.exp(np.outer(np.arange(n) * dt, lam)), s, rcond=None)[0]
    order = np.argsort(lam.imag)
    return lam[order], A[order]


def read_fid_csv(path):
    head, d = read_csv_text(open(path).read())
    assert head == ['t', 're', 'im'], head
    return d[:, 0], d[:, 1] + 1j * d[:, 2]


def audit_fid(spec, label, nus, t2s, J):
    out = os.path.join(WORK, label)
    run('fid', spec, '--thermal', '--out', out)
    gam_ratio = 6.72828e7 / 2.67522e8
    for nuc, nu, t2, amp in (('1H', nus[0], t2s[0], 1.0), ('13C', nus[1], t2s[1], gam_ratio)):
        t, s = read_fid_csv(os.path.join(out, nuc + '_fid.csv'))
        dt = t[1] - t[0]
        raw = np.fromfile(os.path.join(out, nuc, 'fid'), dtype='<f8')
        acqus = open(os.path.join(out, nuc, 'acqus')).read()
        td = int(acqus.split('##$TD=')[1].split()[0])
        swh = float(acqus.split('##$SW_h=')[1].split()[0])
        check('%s %s: Bruker fid = CSV (TD, re/im interleaved, LE float64)' % (label, nuc),
              np.concatenate([[len(raw)], raw[0::2][:len(s)], raw[1::2][:len(s)]]),
              np.concatenate([[td], s.real, s.imag]), 1e-11)
        check('%s %s: dwell = 1/SW_h' % (label, nuc), dt, 1 / swh, 1e-15)
        lam, A = pencil(s[:400], dt, 2)
        check('%s %s: doublet at offset -/+ J/2 (Hz)' % (label, nuc), lam.imag / (2 * np.pi),
              [nu - J / 2, nu + J / 2], 1e-6)
        check('%s %s: line width 1/(pi T2) (Hz)' % (label, nuc), -lam.real / np.pi,
              [1 / (np.pi * t2)] * 2, 1e-6)
        check('%s %s: doublet amplitudes (gamma/gamma_H)/2, phase 0' % (label, nuc),
              np.concatenate([A.real, A.imag]), [amp / 2, amp / 2, 0, 0], 1e-4)
        # spectrum CSV: the two highest points sit at +nu -/+ J/2 (within a bin)
        head, sp = read_csv_text(open(os.path.join(out, nuc + '_spectrum.csv')).read())
        assert head == ['hz', 'ppm', 're', 'im'], head
        top = np.sort(sp[np.argsort(sp[:, 2])[-2:], 0])
        binw = sp[1, 0] - sp[0, 0]
        check('%s %s: spectrum peaks at nu -/+ J/2 (Hz, one bin)' % (label, nuc), top,
              [nu - J / 2, nu + J / 2], binw)
        # JCAMP-DX spectrum: same Hz axis (sign) and real part as the CSV
        jdx = open(os.path.join(out, nuc + '.jdx')).read()
        yf = float(jdx.split('##YFACTOR=')[1].split()[0])
        dx = float(jdx.split('##DELTAX=')[1].split()[0])
        xs, ys = [], []
        for ln in jdx.split('##XYDATA= (X++(Y..Y))')[1].split('##END=')[0].strip().splitlines():
            v = ln.split()
            for j, yv in enumerate(v[1:]):
                xs.append(float(v[0]) + j * dx)
                ys.append(float(yv) * yf)
        check('%s %s: JCAMP-DX x (Hz) and y = spectrum CSV hz, re' % (label, nuc),
              np.concatenate([xs, np.array(ys) / np.max(np.abs(ys))]),
              np.concatenate([sp[:, 0], sp[:, 2] / np.max(np.abs(sp[:, 2]))]),
              np.concatenate([np.full(len(xs), 1e-6), np.full(len(ys), 1e-8)]))
        sfo1 = float(acqus.split('##$SFO1=')[1].split()[0])
        check('%s %s: ppm axis = Hz / SFO1' % (label, nuc), sp[:, 1], sp[:, 0] / sfo1, 1e-6)


IR_SPEC = """system {
  spin H 1H  T1 3 s  T2 1 s  p90 10 us
  spin C 13C  T1 5 s  T2 0.5 s  p90 15 us
  field 400 MHz
  couple H C J 215 Hz
}
omega = 26.875 Hz
sequence {
  pulse H 180 x
  delay %s s
  pulse H 90 y
  acquire
}
readout { observe H  td 256  sw 2 kHz }
"""


def part_recovery():
    """Inversion recovery: T1 must return the thermal deviation state to
    equilibrium.  Reference: the trace-one state 1/4 + e rho_dev with <Z_i>
    relaxing to e * 2 gamma_i/gamma_H (Bloch), finite pulses, exact
    Liouvillian; rho_dev out as the exact derivative in e at e = 0."""
    g = 6.72828e7 / 2.67522e8
    rho_dev = 0.5 * (ref.kron(ref.Z, ref.I2) + g * ref.kron(ref.I2, ref.Z))
    for tau in (0.5, 3.0, 30.0):
        spec = os.path.join(WORK, 'ir_%g.spin' % tau)
        open(spec, 'w').write(IR_SPEC % repr(tau))
        out = os.path.join(WORK, 'ir_%g' % tau)
        run('fid', spec, '--out', out)
        t, s = read_fid_csv(os.path.join(out, '1H_fid.csv'))
        xml = os.path.join(WORK, 'ir_%g.xml' % tau)
        run('compile', spec, '-o', xml)
        seq = load_seq(xml)
        check('inversion recovery tau=%g s: compiled 180_x, delay, 90_y' % tau,
              [len(seq['events']), seq['events'][0][2][0][1], seq['events'][2][2][0][2]],
              [3, np.pi, np.pi / 2], 1e-15)
        # physical state 1/4 + e rho_dev, <Z_i> relaxing to e * 2 gamma_i/gamma_H:
        # d/de at e = 0 of the output is S rho_dev + dS (1/4)
        S, dS = process_and_derivative(seq, (3, 5), (1, 0.5), (2, 2 * g))
        r = ref.unvec(S @ ref.vec(rho_dev) + dS @ ref.vec(np.eye(4) / 4), 4)
        sig = np.trace(r @ ref.kron(np.array([[0, 1], [0, 0]]), ref.I2))
        check('inversion recovery tau=%g s: FID(0) (re, im)' % tau, [s[0].real, s[0].imag],
              [sig.real, sig.imag], 1e-8)
        check('inversion recovery tau=%g s: ~ 1 - 2 exp(-tau/T1)' % tau, s[0].real,
              1 - 2 * np.exp(-tau / 3), 1e-4)


def part_fid_compiled():
    """nmrc fid on a compiled program: thermal deviation state, the finite
    program with T1/T2 (T1 recovering to equilibrium), no read pulse when
    transverse magnetization is left, acquisition under H_nat with T2."""
    spec = os.path.join(SRC, 'examples', 'chloroform.spin')
    text = open(spec).read().replace('param D = 0.5', 'param D = 0.5\nparam B = 0.3\n'
                                     'param G = -0.2').replace(
        'dm H C (0, 0, D)', 'dm H C (0, 0, D)\n  ksea H C (0, 0, G)\n  zeeman B')
    spec2 = os.path.join(WORK, 'fidc_bg.spin')
    open(spec2, 'w').write(text + '\ncompile { steps 4 }\n')
    g = 6.72828e7 / 2.67522e8
    rho_dev = 0.5 * (ref.kron(ref.Z, ref.I2) + g * ref.kron(ref.I2, ref.Z))
    up = np.array([[0, 1], [0, 0]], dtype=complex)
    for label, sp in (('chloroform', spec), ('zeeman_ksea', spec2)):
        xml = os.path.join(WORK, 'fidc_%s.xml' % label)
        run('compile', sp, '-o', xml)
        seq = load_seq(xml)
        S, dS = process_and_derivative(seq, (3, 5), (1, 0.5), (2, 2 * g))
        r = ref.unvec(S @ ref.vec(rho_dev) + dS @ ref.vec(np.eye(4) / 4), 4)
        out = os.path.join(WORK, 'fidc_' + label)
        run('fid', sp, '--out', out)
        Lacq = ref.liouvillian(h_nat(seq), [np.sqrt(1 / 2.0) * local(ref.Z, 0),
                                            np.sqrt(1 / 1.0) * local(ref.Z, 1)])
        for ch, nuc in ((0, '1H'), (1, '13C')):
            t, sig = read_fid_csv(os.path.join(out, nuc + '_fid.csv'))
            P = ref.expm(Lacq * (t[1] - t[0]))
            v, want = ref.vec(r), []
            for k in range(40):
                want.append(np.trace(ref.unvec(v, 4) @ local(up, ch)))
                v = P @ v
            want = np.array(want)
            check('fid %s %s: first 40 points of the compiled program\'s FID' % (label, nuc),
                  np.concatenate([sig[:40].real, sig[:40].imag]),
                  np.concatenate([want.real, want.imag]), 1e-9)


def part_gradient():
    """The library X-dephasing sandwich (pi/2)_y - G - (pi/2)_-y (weakened to
    G = 0.75 mT/m so the attenuation is visible), run by `nmrc fid` with the
    chloroform spins and read out with 90_y: slice average of a uniform 20 mm
    sample = sinc(A L/2 sum_i gamma_i dm_i) on each coherence, J and T1/T2
    during the 1 ms gradient (docs/nmr-model.md)."""
    src = open(os.path.join(SRC, 'sequences', 'x_dephasing.xml')).read()
    assert 'nmrc:amplitude="0.05"' in src
    xml = os.path.join(WORK, 'xdeph.xml')
    open(xml, 'w').write(src.replace('nmrc:amplitude="0.05"', 'nmrc:amplitude="0.00075"'))
    out = os.path.join(WORK, 'xdeph')
    run('fid', xml, '--spec', os.path.join(SRC, 'examples', 'chloroform.spin'), '--out', out)
    gam = np.array([267.5221877e6, 67.2828e6])          # rad/s/T
    g = gam[1] / gam[0]
    A, L, tg = 0.00075 * 1e-3, 0.02, 1e-3
    m = np.array([[0.5, 0.5], [0.5, -0.5], [-0.5, 0.5], [-0.5, -0.5]])   # m_i(k)
    gk = m @ gam * A
    phase = (gk[:, None] - gk[None, :]) * L / 2
    Dg = np.diag(ref.vec(np.sinc(phase / np.pi)))       # np.sinc(x) = sin(pi x)/(pi x)
    up = np.array([[0, 1], [0, 0]], dtype=complex)
    L1 = sum(q / (2 * t1) * (ref.liouvillian(np.zeros((4, 4)), [local(up, i)])
                             - ref.liouvillian(np.zeros((4, 4)), [local(up.T, i)]))
             for i, (t1, q) in enumerate(((3, 2), (5, 2 * g))))
    L0 = ref.liouvillian(np.pi * 215 / 2 * ref.kron(ref.Z, ref.Z), relax_ops((3, 5), (1, 0.5)))
    M = ref.expm(np.block([[L0, L1], [np.zeros_like(L0), L0]]) * tg)
    P, Q = M[:16, :16], M[:16, 16:]

    def both(phi):
        U = ref.kron(ref.pulse(np.pi / 2, phi), ref.pulse(np.pi / 2, phi))
        return np.kron(U.conj(), U)
    S, dS = both(np.pi / 2), np.zeros((16, 16), dtype=complex)
    S, dS = Dg @ P @ S, Dg @ (P @ dS + Q @ S)
    S, dS = both(3 * np.pi / 2) @ S, both(3 * np.pi / 2) @ dS
    rho_dev = 0.5 * (ref.kron(ref.Z, ref.I2) + g * ref.kron(ref.I2, ref.Z))
    r = ref.unvec(S @ ref.vec(rho_dev) + dS @ ref.vec(np.eye(4) / 4), 4)
    for ch, nuc in ((0, '1H'), (1, '13C')):
        Ur = local(ref.pulse(np.pi / 2, np.pi / 2), ch)          # the 90_y read pulse
        want = np.trace(Ur @ r @ Ur.conj().T @ local(up, ch))
        t, sig = read_fid_csv(os.path.join(out, nuc + '_fid.csv'))
        check('X-dephasing sandwich, %s: FID(0) after the 90_y read pulse' % nuc,
              [sig[0].real, sig[0].imag], [want.real, want.imag], 1e-6)
    x = gam * A * L / 2
    print('     (analytic: sinc(x) e^{-t/T2} cos(pi J t) = %.6f (1H), %.6f (13C))'
          % (np.sinc(x[0] / np.pi) * np.exp(-tg) * np.cos(np.pi * 215 * tg),
             g * np.sinc(x[1] / np.pi) * np.exp(-tg / 0.5) * np.cos(np.pi * 215 * tg)))


def part_fid():
    spec = os.path.join(SRC, 'examples', 'chloroform.spin')
    audit_fid(spec, 'fid_chloroform', (0, 0), (1.0, 0.5), 215)
    # sign convention: positive offsets must appear at positive Hz (docs/fid.md)
    text = open(spec).read().replace('offset 0 Hz  T1 3 s', 'offset 300 Hz  T1 3 s').replace(
        'offset 0 Hz  T1 5 s', 'offset -250 Hz  T1 5 s')
    spec2 = os.path.join(WORK, 'chloroform_offsets.spin')
    open(spec2, 'w').write(text)
    audit_fid(spec2, 'fid_offsets', (300, -250), (1.0, 0.5), 215)
