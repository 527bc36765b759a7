# Compiler CLI test: a spec that names the library's DM_z palindrome and
# states the DM target it is meant to realize (D = kappa/2 = omega for the
# cycle length), so `nmrc analyze` judges the library file against it.
param J = 215 Hz
system {
  spin H 1H   p90 10 us
  spin C 13C  p90 15 us
  couple H C J J
}
omega = J / 4            # = kappa
target { dm H C (0, 0, 0.5) }
sequence "dm_z"
compile { time 2e-3 * 2 * pi * 215 / 4 }   # the library cycle lasts 2 ms: omega t
