#!/usr/bin/python3
# End-to-end physics audit of the `nmrc` program against the independent
# numpy reference (ref.py, seqprop.py): runs nmrc commands and compares their
# CSV/XML/Bruker outputs with numbers computed from the physics notes.  Parts:
# audit_sim.py (battery, map, thermal, dephase, state), audit_seq.py (compile,
# analyze, validate, library), audit_fid.py (fid).  Usage:
#   audit.py NMRC SOURCE_DIR PART [WORKDIR]     (exit 77 = skipped: no numpy)
import os
import sys
import tempfile

try:
    import numpy  # noqa: F401
except ImportError:
    print("SKIP: python3 numpy is not installed (Debian: python3-numpy)")
    sys.exit(77)

sys.dont_write_bytecode = True          # no __pycache__ in the source tree
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import audit_fid  # noqa: E402
import audit_seq  # noqa: E402
import audit_sim  # noqa: E402
import common  # noqa: E402
import seqprop  # noqa: E402

MODULES = (common, seqprop, audit_sim, audit_seq, audit_fid)
PARTS = dict(battery=audit_sim.part_battery, battery_initial=audit_sim.part_battery_initial,
             map=audit_sim.part_map, thermal=audit_sim.part_thermal,
             dephase=audit_sim.part_dephase, noise=audit_sim.part_noise,
             state=audit_sim.part_state, compile=audit_seq.part_compile,
             general=audit_seq.part_general, validate=audit_seq.part_validate,
             paper_dm=audit_seq.part_paper_dm, library=audit_seq.part_library,
             fid=audit_fid.part_fid, fid_compiled=audit_fid.part_fid_compiled,
             recovery=audit_fid.part_recovery, gradient=audit_fid.part_gradient)

if __name__ == '__main__':
    if len(sys.argv) < 4 or sys.argv[3] not in PARTS:
        print('usage: audit.py NMRC SOURCE_DIR PART [WORKDIR]; PART in %s' % ', '.join(PARTS))
        sys.exit(2)
    work = sys.argv[4] if len(sys.argv) > 4 else tempfile.mkdtemp(prefix='nmrc-audit-')
    os.makedirs(work, exist_ok=True)
    for mod in MODULES:
        mod.NMRC, mod.SRC = sys.argv[1], sys.argv[2]
        mod.BAT = os.path.join(sys.argv[2], 'examples', 'battery.spin')
        mod.WORK = work
    PARTS[sys.argv[3]]()
    if common.FAILS:
        print('%d check(s) failed: %s' % (len(common.FAILS), '; '.join(common.FAILS)))
        sys.exit(1)
    print('all checks passed')
