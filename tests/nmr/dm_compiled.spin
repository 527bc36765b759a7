# A pure DM_z target compiled by nmrc: the compiler emits the DM_z palindrome
# (docs/compiler.md, Compilation 2); `nmrc validate` must find fidelity >= 0.9999 with delta
# pulses.
param J = 215 Hz
param D = 0.8

system {
  spin H 1H   offset 0 Hz  T1 3 s  T2 1 s    p90 10 us
  spin C 13C  offset 0 Hz  T1 5 s  T2 0.5 s  p90 15 us
  couple H C J J
}
omega = J / 8

target { dm H C (0, 0, D) }
temperature 0.5
initial gibbs
compile { time 2 }
