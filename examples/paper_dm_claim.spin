# The paper's claimed Dzyaloshinskii-Moriya sequence on 13CHCl3, written as an
# explicit user sequence so that `nmrc analyze` / `nmrc compile` can judge it:
#   (pi/2)_x - tau - (pi/2)_y - tau - (pi/2)_-x - tau - (pi/2)_-y - tau
# with collective pulses (both channels at once).  It is NOT a closed cycle:
# the net propagator is a 120-degree rotation (the toggling frame turns by
# 120 degrees about (-1,1,1)/sqrt3), so it has no average Hamiltonian; its
# toggling-frame average is (kappa/4)(XX + 2YY + ZZ), which is symmetric and
# so contains no DM term at all (docs/compiler.md, "The paper's DM sequence").  Three
# cycles close (3 x 120 degrees) and average to (kappa/3)(XX + YY + ZZ).
# Compare with `nmrc compile` on a DM target, which emits the working
# 8-pulse palindrome.

param J = 215 Hz        # 1H-13C scalar coupling
param tau = 0.25        # each delay, in omega*t

system {
  spin H 1H   offset 0 Hz  p90 10 us
  spin C 13C  offset 0 Hz  p90 15 us
  field 400 MHz
  couple H C J J
}

omega = J / 8           # kappa/2

target {
  dm H C (0, 0, 1)      # the DM_z the paper claims: D = 1 omega = kappa/2, as in
}                       # sequences/paper_dm.xml and tests/nmr/paper_dm_cycle.spin (the
                        # most a cycle of this length can give: ||T||_* t = kappa t)

sequence {
  pulse H C 90 x
  delay tau
  pulse H C 90 y
  delay tau
  pulse H C 90 -x
  delay tau
  pulse H C 90 -y
  delay tau
}

compile { time 4 * tau }  # the target evolution spans the whole cycle
