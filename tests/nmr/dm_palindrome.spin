# The DM_z palindrome (docs/compiler.md, Compilation 2), written by hand:
#   1H : 90_x  tau 90_y  2tau 90_-y tau 90_-x
#   13C: 90_y  tau 90_-x 2tau 90_x  tau 90_-y   ->  (kappa/2)(XY - YX)
# Closed, time-symmetric and exact: validates at fidelity >= 0.9999 with
# delta pulses.
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
  pulse H 90 x
  pulse C 90 y
  delay 0.25
  pulse H 90 y
  pulse C 90 -x
  delay 0.5
  pulse H 90 -y
  pulse C 90 x
  delay 0.25
  pulse H 90 -x
  pulse C 90 -y
}
compile { time 1 }
