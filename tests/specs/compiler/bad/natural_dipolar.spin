# Compile diagnostic: a natural dipolar coupling, which the compiler does not
# handle yet, points at the `couple` statement.
system {
  spin H 1H
  spin C 13C
  couple H C J 215 Hz dipolar 2 kHz
}
omega = 50 Hz
target {
  dm H C (0, 0, 0.5)
}
