# Compiler CLI test: the flagship (examples/chloroform.spin) with the carriers
# 300 Hz below 1H and 300 Hz above 13C.  Below: the flagship's own notes.
#
# The natural 1H-13C scalar coupling (J = 215 Hz, kappa = pi*J/2 rad/s in
# Pauli units) is turned by pulse sequences into the paper's battery
# Hamiltonian (Eq. 12) with a Dzyaloshinskii-Moriya term.
#
# Energy unit: omega = J/8 = kappa/2.  The palindromic DM_z sequence gives
# D = kappa/2 (docs/compiler.md, Compilation 2), i.e. D = 1 omega at full duty; the
# target's nuclear norm 2*sqrt(D^2 + Delta^2/9) + 2*Delta/3 = 1.87 (in
# units of omega) is below kappa/omega = 2, so every omega*t is reachable
# in a coupling time shorter than t.

param J = 215 Hz     # 1H-13C one-bond scalar coupling
param Delta = 1      # axial dipolar target coupling (units of omega)
param eps = 0.1      # rhombic dipolar target coupling
param D = 0.5        # DM vector (0, 0, D)
param T = 1          # temperature (units of omega)

system {
  spin H 1H   offset 300 Hz  T1 3 s  T2 1 s    p90 10 us
  spin C 13C  offset -300 Hz  T1 5 s  T2 0.5 s  p90 15 us
  field 400 MHz                  # proton Larmor frequency (B0 = 9.39 T)
  couple H C J J
}

omega = J / 8                    # = kappa/2 = 26.9 Hz (168.9 rad/s)

target {
  dipolar H C Delta Delta eps eps
  dm H C (0, 0, D)
}

charge { strength 1  axis x  time 0 : pi : 201 }
temperature T
initial gibbs

readout {
  observe H C
  td 4096
  sw 2 kHz
}
