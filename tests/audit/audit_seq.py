# Audit of the compiler and the physical model: compile/analyze of the
# chloroform DM target and general two-spin targets (DM sign, virtual-Z,
# Trotter order, offsets, decoupling, composite pulses), nmrc validate,
# the library palindromes and the paper's open DM cycle.
import os

import numpy as np

import ref
from common import check, read_csv_text, run, sets
from seqprop import (OMEGA, analyze_csv, check_output_T, h_nat, load_seq, nuclear_norm,
                     process_finite, propagate_delta, propagate_finite, relax_ops,
                     state_figures, toggled_offset_sums, uhlmann)

NMRC = SRC = BAT = WORK = None


def audit_compiled(spec, want_T_omega, label, extra=(), infid=1e-9):
    xml = os.path.join(WORK, label + '.xml')
    run('compile', spec, '-o', xml, *extra)
    seq = load_seq(xml)
    chk, _ = run('check', spec)
    Tc, omega = check_output_T(chk)
    check('%s: nmrc check T (omega units) = Eq. 12 tensor' % label, Tc, want_T_omega, 1e-6)
    check('%s: check omega = J/8 Hz in rad/s' % label, omega, OMEGA, 1e-3)
    check('%s: XML target T / omega = Eq. 12 tensor (DM sign)' % label,
          seq['T'] / OMEGA, want_T_omega, 1e-12)
    check('%s: XML kappa = pi J / 2' % label, seq['kappa'], np.pi * 215 / 2, 1e-9)
    V = ref.expmh(ref.two_spin_h(seq['T'], seq['fields'][0], seq['fields'][1]), seq['time'])
    Ud, free = propagate_delta(seq, outer_halves=False)
    an = analyze_csv(xml)
    fd = ref.gate_fidelity(Ud, V)
    check('%s: delta-pulse gate fidelity |Tr(V^+U)|^2/16' % label, fd, 1.0, infid)
    seq['infidelity'] = 1 - fd
    if not any(e[0] == 'vz' for e in seq['events']) and not np.any(seq['fields']):
        check('%s: coupling time = Bennett bound |T|_* t / kappa' % label, free,
              nuclear_norm(seq['T']) * seq['time'] / seq['kappa'], 1e-12)
    Uo, _ = propagate_delta(seq, outer_halves=True)
    check('%s: nmrc analyze fidelity_delta (pulses at event centres)' % label,
          an['fidelity_delta'], ref.gate_fidelity(Uo, V), 1e-9)
    if any(p[3] > 0 for e in seq['events'] if e[0] == 'pulse' for p in e[2]):
        Uf = propagate_finite(seq)
        ff = ref.gate_fidelity(Uf, V)
        check('%s: nmrc analyze fidelity_finite' % label, an['fidelity_finite'], ff, 1e-9)
        check('%s: finite-pulse fidelity > 0.999' % label, min(ff, 0.999), 0.999, 0)
    return seq


def part_compile():
    spec = os.path.join(SRC, 'examples', 'chloroform.spin')
    audit_compiled(spec, ref.battery_tensor(0.5, 0, 1, 0.1), 'chloroform')
    audit_compiled(spec, ref.battery_tensor(0.5, 0, 1, 0.1), 'chloroform_delta', ['--delta'])
    # a target with Zeeman and KSEA terms: Trotter steps with virtual-Z events
    text = open(spec).read().replace('param D = 0.5', 'param D = 0.5\nparam B = 0.3\n'
                                     'param G = -0.2').replace(
        'dm H C (0, 0, D)', 'dm H C (0, 0, D)\n  ksea H C (0, 0, G)\n  zeeman B')
    spec2 = os.path.join(WORK, 'chloroform_bg.spin')
    open(spec2, 'w').write(text)
    # chemical-shift offsets (Omega = pi * offset_hz on Z in H_nat): the construction
    # refocuses them (every interval half in its frames (u, v), half in (-u, -v)), so
    # the delta-pulse program is the target for any offsets; the analysis' fidelities
    # follow the offsets; --offset-compensation turns lone pi pulses by 180 degrees,
    # which raises the finite-pulse fidelity
    text = open(spec).read().replace('offset 0 Hz  T1 3 s', 'offset 300 Hz  T1 3 s').replace(
        'offset 0 Hz  T1 5 s', 'offset -250 Hz  T1 5 s')
    spec3 = os.path.join(WORK, 'chloroform_off.spin')
    open(spec3, 'w').write(text)
    fids = []
    for extra in ([], ['--offset-compensation']):
        xml = os.path.join(WORK, 'off%d.xml' % len(extra))
        run('compile', spec3, '-o', xml, *extra)
        seq = load_seq(xml)
        check('offsets%s: natural offsets = pi * (300, -250) Hz' % extra, seq['offsets'],
              [300 * np.pi, -250 * np.pi], 1e-9)
        V = ref.expmh(ref.two_spin_h(seq['T']), seq['time'])
        an = analyze_csv(xml)
        Uo, _ = propagate_delta(seq, outer_halves=True)
        Uf = propagate_finite(seq)
        check('offsets%s: analyze fidelity_delta, fidelity_finite' % extra,
              [an['fidelity_delta'], an['fidelity_finite']],
              [ref.gate_fidelity(Uo, V), ref.gate_fidelity(Uf, V)], 1e-9)
        fids.append(ref.gate_fidelity(Uf, V))
    check('offsets: compensation raises the finite-pulse fidelity', float(fids[1] > fids[0]),
          1.0, 0)
    print('     (finite-pulse fidelity without / with compensation: %.6f / %.6f)' % tuple(fids))
    # the delta-pulse program: exact for these offsets, toggling-frame offset sums
    # (1/T) sum tau_k u_k zero on every axis
    xml = os.path.join(WORK, 'off_delta.xml')
    run('compile', spec3, '-o', xml, '--delta')
    seq = load_seq(xml)
    V = ref.expmh(ref.two_spin_h(seq['T']), seq['time'])
    Ud, _ = propagate_delta(seq, outer_halves=False)
    check('offsets (delta): gate fidelity with offsets 300 / -250 Hz', ref.gate_fidelity(Ud, V),
          1.0, 1e-9)
    check('offsets (delta): toggling-frame offset sums vanish', toggled_offset_sums(seq),
          np.zeros((2, 3)), 1e-12)

    # decoupling: pi pulses on both spins keep kappa ZZ and refocus the offsets
    for dec in ('cpmg', 'xy8', 'udd4'):
        xml = os.path.join(WORK, 'dec_%s.xml' % dec)
        run('compile', spec3, '-o', xml, '--decouple', dec, '--delta', '--min-fidelity', '0')
        seq = load_seq(xml)
        V = ref.expmh(ref.two_spin_h(seq['T']), seq['time'])
        Ud, _ = propagate_delta(seq, outer_halves=False)
        check('offsets, --decouple %s (delta): gate fidelity' % dec,
              ref.gate_fidelity(Ud, V), 1.0, 1e-9)

    # composite pulses: with ideal pulses each one is the plain rotation
    for comp in ('bb1', 'corpse', 'scrofulous'):
        xml = os.path.join(WORK, 'comp_%s.xml' % comp)
        run('compile', spec, '-o', xml, '--composite', comp, '--delta')
        seq = load_seq(xml)
        V = ref.expmh(ref.two_spin_h(seq['T']), seq['time'])
        Ud, _ = propagate_delta(seq, outer_halves=False)
        check('--composite %s (delta): gate fidelity' % comp, ref.gate_fidelity(Ud, V), 1.0,
              1e-9)

    # symmetric Trotter steps: infidelity ~ N^-4 (physics notes §3)
    inf = []
    for n in (6, 12):
        seq = audit_compiled(spec2, ref.battery_tensor(0.5, -0.2, 1, 0.1),
                             'zeeman_ksea_%d' % n,
                             ['--delta', '--steps', str(n), '--min-fidelity', '0'], 1e-6)
        inf.append(seq['infidelity'])
    check('zeeman_ksea: Trotter infidelity exponent (symmetric) = 4',
          np.log(inf[0] / inf[1]) / np.log(2), 4.0, 0.2)
    check('zeeman_ksea: XML fields = B omega on z', np.concatenate(seq['fields']),
          [0, 0, 0.3 * OMEGA, 0, 0, 0.3 * OMEGA], 1e-9)
    check('zeeman_ksea: has virtual-Z events', float(any(e[0] == 'vz' for e in seq['events'])),
          1.0, 0)
    # TopSpin: the receiver follows the virtual-Z frame like later pulse phases
    # (docs/nmr-model.md), so ph31 = -(net virtual-Z of f1) at the final go=2
    pp = os.path.join(WORK, 'zeeman_ksea.pp')
    run('compile', spec2, '-o', os.path.join(WORK, 'zk.xml'), '--pp', pp, '--delta',
        '--steps', '12', '--min-fidelity', '0')
    vz = sum(e[2] for e in load_seq(os.path.join(WORK, 'zk.xml'))['events']
             if e[0] == 'vz' and e[1] == 0)
    line = [ln for ln in open(pp).read().splitlines() if ln.startswith('ph31=')][0]
    val = line.split('=')[1].split()
    unit = {'(65536)': 2 * np.pi / 65536, '(360)': np.pi / 180}.get(val[0], np.pi / 2)
    got = float(val[-1]) * unit
    check('zeeman_ksea: TopSpin ph31 = -(net virtual-Z on f1) (rad, mod 2 pi)',
          abs(np.angle(np.exp(1j * (got + vz)))), 0.0, 2 * np.pi / 65536)


# ------------------------------------------- general two-spin targets (5b)
def general_h(tensor, dm, ksea, fields):
    """Independent assembly: tensor term, Eq. 6 DM, Eq. 9 KSEA, local fields."""
    s1 = [ref.kron(p, ref.I2) for p in ref.PAULI]
    s2 = [ref.kron(ref.I2, p) for p in ref.PAULI]
    x, y, z = 0, 1, 2
    H = sum(tensor[a][b] * s1[a] @ s2[b] for a in range(3) for b in range(3))
    H = H + dm[0] * (s1[y] @ s2[z] - s1[z] @ s2[y]) + dm[1] * (s1[z] @ s2[x] - s1[x] @ s2[z]) \
        + dm[2] * (s1[x] @ s2[y] - s1[y] @ s2[x])
    H = H + ksea[0] * (s1[y] @ s2[z] + s1[z] @ s2[y]) + ksea[1] * (s1[z] @ s2[x] + s1[x] @ s2[z]) \
        + ksea[2] * (s1[x] @ s2[y] + s1[y] @ s2[x])
    for a in range(3):
        H = H + fields[0][a] * s1[a] + fields[1][a] * s2[a]
    return H


def general_spec(rng, path, with_fields):
    tensor = rng.uniform(-1, 1, (3, 3))
    dm, ksea = rng.uniform(-1, 1, 3), rng.uniform(-1, 1, 3)
    fields = [np.zeros(3), np.zeros(3)]
    lines = ['target {',
             '  tensor H C [%s]' % ', '.join('(%s)' % ', '.join('%.17g' % v for v in r)
                                             for r in tensor),
             '  dm H C (%s)' % ', '.join('%.17g' % v for v in dm),
             '  ksea H C (%s)' % ', '.join('%.17g' % v for v in ksea)]
    if with_fields:
        fields = [np.array([rng.uniform(-0.5, 0.5), 0, rng.uniform(-0.5, 0.5)]),
                  np.array([0, rng.uniform(-0.5, 0.5), rng.uniform(-0.5, 0.5)])]
        lines += ['  zeeman H %.17g along x' % fields[0][0],
                  '  zeeman H (%.17g) along z' % fields[0][2],
                  '  zeeman C (%.17g) along y' % fields[1][1],
                  '  zeeman C (%.17g) along z' % fields[1][2]]
    lines.append('}')
    spec = open(os.path.join(SRC, 'examples', 'chloroform.spin')).read()
    head, tail = spec.split('target {')
    tail = tail.split('}', 1)[1]
    open(path, 'w').write(head + '\n'.join(lines) + tail)
    return general_h(tensor, dm, ksea, fields)


def part_general():
    rng = np.random.default_rng(31)
    for k in range(3):
        spec = os.path.join(WORK, 'general%d.spin' % k)
        H = general_spec(rng, spec, with_fields=k > 0)
        out, _ = run('state', spec, '--set', 'T=0.8', '--csv', '-')
        _, d = read_csv_text(out)
        rho = np.zeros((4, 4), dtype=complex)
        for r, c, re, im in d:
            rho[int(r), int(c)] = re + 1j * im
        want = ref.gibbs(H, 0.8)
        check('general target %d: Gibbs state (tensor + DM + KSEA + fields)' % k,
              np.concatenate([rho.real.ravel(), rho.imag.ravel()]),
              np.concatenate([want.real.ravel(), want.imag.ravel()]), 1e-11)
        xml = os.path.join(WORK, 'general%d.xml' % k)
        steps = ['--steps', '16'] if k > 0 else []
        run('compile', spec, '-o', xml, '--delta', *steps)
        seq = load_seq(xml)
        check('general target %d: XML target H = H_spec * omega' % k,
              np.abs(ref.two_spin_h(seq['T'], *seq['fields']) - OMEGA * H).ravel(),
              np.zeros(16), 1e-12 * OMEGA)
        V = ref.expmh(OMEGA * H, seq['time'])
        Ud, free = propagate_delta(seq, outer_halves=False)
        check('general target %d: delta-pulse gate fidelity vs exp(-i H_spec t)' % k,
              ref.gate_fidelity(Ud, V), 1.0, 1e-9 if k == 0 else 1e-5)
        an = analyze_csv(xml)
        check('general target %d: nmrc analyze fidelity_delta' % k,
              an['fidelity_delta'], ref.gate_fidelity(Ud, V), 1e-9)
    # charging about an axis in the xy plane: H_ch = w (cos a X + sin a Y) per spin
    text = open(BAT).read().replace('axis x', 'axis 30 deg')
    spec = os.path.join(WORK, 'battery_axis30.spin')
    open(spec, 'w').write(text)
    p = dict(B=0.4, D=0.3, G=-0.2, Delta=1.1, eps=0.15, T=0.9, w=0.8, tmax=2.0, nt=11)
    out, _ = run('battery', spec, *sets(p), '--csv', '-')
    _, d = read_csv_text(out)
    H = ref.battery_h(p['B'], p['D'], p['G'], p['Delta'], p['eps'])
    zeta = ref.gibbs(H, p['T'])
    a = np.pi / 6
    n = np.cos(a) * ref.X + np.sin(a) * ref.Y
    Hch = p['w'] * (ref.kron(n, ref.I2) + ref.kron(ref.I2, n))
    want = []
    for t in d[:, 0]:
        U = ref.expmh(Hch, t)
        want.append(ref.battery_figures(U @ zeta @ U.conj().T, H, zeta)[:5])
    check('battery, charge axis 30 deg: all columns', d[:, 1:], np.array(want), 2e-10)


def part_validate():
    spec = os.path.join(SRC, 'examples', 'chloroform.spin')
    validate_one(spec, ref.battery_h(0, 0.5, 0, 1, 0.1), 'chloroform')
    validate_one(spec, ref.battery_h(0, 0.5, 0, 1, 0.1), 'chloroform_rf1.04', 1.04)
    # Zeeman + KSEA: Trotter steps with virtual-Z in the physical model
    text = open(spec).read().replace('param D = 0.5', 'param D = 0.5\nparam B = 0.3\n'
                                     'param G = -0.2').replace(
        'dm H C (0, 0, D)', 'dm H C (0, 0, D)\n  ksea H C (0, 0, G)\n  zeeman B')
    spec2 = os.path.join(WORK, 'validate_bg.spin')
    # fixed Trotter steps: validate's delta run keeps the step count its finite
    # compile chose (auto N from finite pulses), `compile --delta` would not
    open(spec2, 'w').write(text + '\ncompile { steps 4 }\n')
    validate_one(spec2, ref.battery_h(0.3, 0.5, -0.2, 1, 0.1), 'zeeman_ksea')


def validate_one(spec, Hb, label, rf_scale=1.0):
    out, _ = run('validate', spec, '--rf-scale', repr(rf_scale), '--min-fidelity', '0')
    rows = {}
    for ln in out.splitlines():
        for key in ('delta pulses', 'finite pulses', '+ RF errors, T1/T2'):
            if ln.strip().startswith(key):
                rows[key] = [float(v) for v in ln.strip()[len(key):].split()]
        for key in ('energy', 'ergotropy', 'anti-ergotropy', 'capacity', 'coherence'):
            if ln.split() and ln.split()[0] == key:
                rows['b_' + key] = [float(v) for v in ln.split()[1:]]
    xd, xf = os.path.join(WORK, label + '_vd.xml'), os.path.join(WORK, label + '_vf.xml')
    run('compile', spec, '-o', xd, '--delta')
    run('compile', spec, '-o', xf)
    sd, sf = load_seq(xd), load_seq(xf)
    V = ref.expmh(ref.two_spin_h(sd['T'], *sd['fields']), sd['time'])
    rho0 = ref.gibbs(Hb, 1.0)
    ideal = V @ rho0 @ V.conj().T
    Ud, _ = propagate_delta(sd, outer_halves=False)
    Uf = propagate_finite(sf)
    S = process_finite(sf, relax_ops((3, 5), (1, 0.5)), rf_scale)
    res, finals = {}, {}
    for key, U in (('delta pulses', Ud), ('finite pulses', Uf)):
        F = ref.gate_fidelity(U, V)
        finals[key] = U @ rho0 @ U.conj().T
        res[key] = F
    # Choi fidelity (1/d^2) sum_kl [V^+ E(|k><l|) V]_kl
    F = 0
    for k in range(4):
        for m in range(4):
            E = np.zeros((4, 4), dtype=complex)
            E[k, m] = 1
            F += (V.conj().T @ ref.unvec(S @ ref.vec(E), 4) @ V)[k, m]
    res['+ RF errors, T1/T2'] = float(np.real(F)) / 16
    finals['+ RF errors, T1/T2'] = ref.unvec(S @ ref.vec(rho0), 4)
    for key in res:
        r = finals[key]
        ev = np.linalg.eigvalsh(r - ideal)
        want = [res[key], (4 * res[key] + 1) / 5, uhlmann(ideal, r), 0.5 * np.sum(np.abs(ev))]
        # validate prints the fidelities with 7 decimals and the trace distance
        # with 4 significant digits (%.3e): compare each to its printed precision
        tol = 6e-7 * np.maximum(1, np.abs(want)) + 1e-10
        tol[3] = max(tol[3], 5.01e-4 * abs(want[3]))
        check('validate %s %s: process, average, state fid., trace dist.' % (label, key),
              rows[key], want, tol)
    for c, key in enumerate(('energy', 'ergotropy', 'anti-ergotropy', 'capacity', 'coherence')):
        want = [state_figures(ideal, Hb)[c]] + [state_figures(finals[k], Hb)[c] for k in
                                                ('delta pulses', 'finite pulses',
                                                 '+ RF errors, T1/T2')]
        check('validate %s battery %s: ideal, delta, finite, physical' % (label, key), rows['b_' + key],
              want, 1e-5 * np.max(np.abs(want)) + 1e-12)


# ------------------------------------------------ 6b. library palindromes
def part_library():
    """sequences/dm_z, ksea_z, xy_z: the notes' palindromes give
    (kappa/2)(XY - YX), (kappa/2)(XY + YX), (kappa/2)(XX + YY) exactly."""
    XY, YX = ref.kron(ref.X, ref.Y), ref.kron(ref.Y, ref.X)
    XX, YY = ref.kron(ref.X, ref.X), ref.kron(ref.Y, ref.Y)
    for name, Hw in (('dm_z', XY - YX), ('ksea_z', XY + YX), ('xy_z', XX + YY)):
        seq = load_seq(os.path.join(SRC, 'sequences', name + '.xml'))
        k = seq['kappa']
        check('%s: recorded target = (kappa/2) * notes operator' % name,
              np.abs(ref.two_spin_h(seq['T']) - k / 2 * Hw).ravel(), np.zeros(16), 1e-9 * k)
        U, free = propagate_delta(seq, outer_halves=False)
        check('%s: delta propagator = exp(-i (kappa/2) H t), t = cycle time' % name,
              ref.gate_fidelity(U, ref.expmh(k / 2 * Hw, free)), 1.0, 1e-12)
        check('%s: cycle time = target time' % name, free, seq['time'], 1e-15)
        ph = [[np.degrees(p[2]) % 360 for p in e[2]] for e in seq['events'] if e[0] == 'pulse']
        notes = dict(dm_z=[[0, 90], [90, 180], [270, 0], [180, 270]],
                     ksea_z=[[0, 270], [90, 180], [270, 0], [180, 90]],
                     xy_z=[[0, 0], [90, 90], [270, 270], [180, 180]])[name]
        check('%s: pulse phases = physics notes §3 table (1H, 13C)' % name,
              np.array(ph), np.array(notes), 1e-9)


# ---------------------------------------------------------------- 6. paper_dm
def part_paper_dm():
    path = os.path.join(SRC, 'sequences', 'paper_dm.xml')
    seq = load_seq(path)
    kappa = seq['kappa']
    Hn = h_nat(seq)
    Uc = [np.eye(2, dtype=complex), np.eye(2, dtype=complex)]
    Hbar, ttot = np.zeros((4, 4), dtype=complex), 0.0
    for e in seq['events']:
        if e[0] == 'pulse':
            for ch, th, ph, _ in e[2]:
                Uc[ch] = ref.pulse(th, ph) @ Uc[ch]
        elif e[0] == 'delay':
            Ut = ref.kron(Uc[0], Uc[1])
            Hbar += e[1] * Ut.conj().T @ Hn @ Ut
            ttot += e[1]
    Hbar /= ttot
    want = kappa / 4 * (ref.kron(ref.X, ref.X) + 2 * ref.kron(ref.Y, ref.Y)
                        + ref.kron(ref.Z, ref.Z))
    check('paper_dm: toggling-frame average = (kappa/4)(XX+2YY+ZZ)',
          np.abs(Hbar - want).ravel(), np.zeros(16), 1e-9 * kappa)
    for ch in (0, 1):
        ang, axis = ref.rotation_of(Uc[ch])
        check('paper_dm: channel f%d net rotation 120 deg (open cycle)' % (ch + 1),
              np.degrees(ang), 120.0, 1e-9)
        check('paper_dm: f%d propagator axis along (1,-1,-1)/sqrt3' % (ch + 1),
              axis, np.array([1, -1, -1]) / np.sqrt(3), 1e-12)
    an = analyze_csv(path)
    check('paper_dm: analyze reports the cycle open (closed_1, closed_2)',
          [an['closed_1'], an['closed_2']], [0, 0], 0)
    check('paper_dm: analyze net angles', [an['net_angle_deg_1'], an['net_angle_deg_2']],
          [120, 120], 1e-6)
    Tan = np.array([[an['T_' + a + b] for b in 'xyz'] for a in 'xyz'])
    check('paper_dm: analyze H0 coupling = kappa/4 diag(1,2,1)', Tan,
          kappa / 4 * np.diag([1, 2, 1]), 1e-9 * kappa)
    V = ref.expmh(ref.two_spin_h(seq['T']), seq['time'])
    Ud, _ = propagate_delta(seq, outer_halves=True)
    check('paper_dm: analyze fidelity_delta vs target DM', an['fidelity_delta'],
          ref.gate_fidelity(Ud, V), 1e-9)
