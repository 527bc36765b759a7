# Compiler CLI test: the target couples three spins, which the compiler does
# not support yet; the error must name the offending line.
system {
  spin H 1H
  spin C 13C
  spin F 19F
  couple H C J 215 Hz; couple C F J 20 Hz   # every target pair needs a natural coupling
}
omega = 50 Hz
target {
  dm H C (0, 0, 0.5)
  tensor C F [(0, 0, 0), (0, 0, 0), (0, 0, 1)]
}
