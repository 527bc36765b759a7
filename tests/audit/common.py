# Shared helpers of the nmrc audit (tests/audit/): running the `nmrc` program,
# reading its CSV output, comparing numbers with a tolerance and collecting
# failures.  audit.py sets NMRC, SRC, BAT and WORK in every audit module.
import subprocess

import numpy as np

import ref

NMRC = SRC = BAT = WORK = None
FAILS = []


def check(name, got, want, tol):
    diff = np.abs(np.asarray(got, dtype=float) - np.asarray(want, dtype=float))
    ok = bool(np.all(diff <= tol))      # tol may be a number or one per element
    err = float(np.max(diff))
    print("%s %-58s max|diff| %.3g (tol %.1g)" % ("ok  " if ok else "FAIL", name, err,
                                                  float(np.max(tol))))
    if not ok:
        FAILS.append(name)
        print("      got  %s\n      want %s" % (np.asarray(got), np.asarray(want)))
    return ok


def run(*args, csv=True):
    p = subprocess.run([NMRC] + list(args), capture_output=True, text=True)
    if p.returncode != 0:
        print("FAIL nmrc %s exited %d:\n%s" % (" ".join(args), p.returncode, p.stderr))
        FAILS.append(" ".join(args))
        raise SystemExit(1)
    return p.stdout, p.stderr


def read_csv_text(text):
    lines = [ln for ln in text.strip().splitlines() if ln]
    head = lines[0].split(',')
    data = np.array([[float(v) for v in ln.split(',')] for ln in lines[1:]])
    return head, data


def sets(params):
    out = []
    for k, v in params.items():
        out += ['--set', '%s=%.17g' % (k, v)]
    return out


def random_battery_params(rng, n):
    """Random, non-degenerate parameter sets of Eq. 12."""
    res = []
    while len(res) < n:
        p = dict(B=rng.uniform(-2, 2), D=rng.uniform(-1.5, 1.5), G=rng.uniform(-1.5, 1.5),
                 Delta=rng.uniform(-2, 2), eps=rng.uniform(-1, 1), T=rng.uniform(0.2, 3),
                 w=rng.uniform(0.3, 2))
        E = ref.eq13_energies(p['B'], p['D'], p['G'], p['Delta'], p['eps'])
        if np.min(np.diff(E)) > 0.05:
            res.append(p)
    return res
