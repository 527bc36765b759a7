# Compiler CLI test: every `compile { }` option given in the spec itself
# (plain Trotter order, fixed steps, BB1 composite pulses, XY-8 decoupling,
# offset compensation) on a DM + Zeeman target with chemical-shift offsets.
param J = 215 Hz
system {
  spin H 1H   offset 20 Hz
  spin C 13C  offset -15 Hz
  couple H C J J
}
omega = J / 8
target {
  dm H C (0, 0, 0.5)
  dipolar H C Delta 1 eps 0.2
  zeeman 0.3
}
compile {
  steps 3
  order plain
  composite bb1
  decouple xy8
  offset_compensation
  time 2
}
