# Compiler CLI test: a Zeeman + KSEA + dipolar target on 13CHCl3.  The local
# field does not commute with the KSEA and rhombic terms, so the compiler
# Trotterizes (palindromic steps by default).
param J = 215 Hz
param B = 0.5
param G = 0.3

system {
  spin H 1H   p90 10 us
  spin C 13C  p90 15 us
  field 400 MHz
  couple H C J J
}
omega = J / 8

target {
  zeeman B
  dipolar H C Delta 1 eps 0.1
  ksea H C (0, 0, G)
}

compile { time 1 }
