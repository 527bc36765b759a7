# The paper's claimed DM sequence, (pi/2)_x - tau - (pi/2)_y - tau -
# (pi/2)_-x - tau - (pi/2)_-y - tau with collective pulses on 1H and 13C, run
# against the DM_z target it is said to realize.  docs/compiler.md: the cycle
# is open (net 120-degree rotation about (-1,1,1)/sqrt3) and averages ZZ to
# (kappa/4)(XX + 2YY + ZZ); `nmrc validate` must fail on it.
param J = 215 Hz

system {
  spin H 1H   offset 0 Hz  T1 3 s  T2 1 s    p90 10 us
  spin C 13C  offset 0 Hz  T1 5 s  T2 0.5 s  p90 15 us
  couple H C J J
}
omega = J / 8                  # = kappa/2, so D = 1 is kappa/2

target { dm H C (0, 0, 1) }
initial product "01"

sequence {
  pulse H C 90 x
  delay 0.25
  pulse H C 90 y
  delay 0.25
  pulse H C 90 -x
  delay 0.25
  pulse H C 90 -y
  delay 0.25
}
compile { time 1 }
