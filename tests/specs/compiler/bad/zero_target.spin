# Compile diagnostic: every target term is zero, so there is nothing to
# compile; the error points at the target's first coupling term.
param D = 0
system {
  spin H 1H
  spin C 13C
  couple H C J 215 Hz
}
omega = 50 Hz
target {
  dm H C (0, 0, D)
}
