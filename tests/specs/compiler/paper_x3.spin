# Compiler CLI test: the paper's claimed DM cycle repeated three times.  The
# 120-degree net rotation makes three cycles close; the closed triple
# averages kappa ZZ to the isotropic (kappa/3)(XX + YY + ZZ): still no DM.
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
  dm H C (0, 0, 0.5)    # what the paper claims to produce: D = kappa/4
}

sequence {
  repeat 3 {
  pulse H C 90 x
  delay tau
  pulse H C 90 y
  delay tau
  pulse H C 90 -x
  delay tau
  pulse H C 90 -y
  delay tau
  }
}

compile { time 12 * tau }  # three cycles
