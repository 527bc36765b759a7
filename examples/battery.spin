# The paper's two-spin quantum battery, Eq. 12:
#   H = B (Z1 + Z2) - (1/3) s1.P.s2 + D (X1 Y2 - Y1 X2) + G (X1 Y2 + Y1 X2)
# with P = diag(Delta - 3 eps, Delta + 3 eps, -2 Delta).  Energies and the
# temperature are in units of omega; the charging field w drives
# H_ch = w (X1 + X2) for omega*t = 0 .. tmax.  Defaults: the Fig. 5 set.
# Sweep any parameter with --set, e.g. `nmrc battery examples/battery.spin --set D=0.5`.

param B = 0          # uniform Zeeman field along z
param D = 0          # Dzyaloshinskii-Moriya vector (0, 0, D)
param G = 0          # KSEA interaction (0, 0, G)
param Delta = 1      # axial dipolar coupling
param eps = 0.1      # rhombic dipolar coupling
param T = 1          # temperature
param w = 1          # charging field strength
param tmax = pi      # last charging time omega*t
param nt = 1001      # charging time points
param gamma = 0.2    # Pauli-X dephasing rate on both spins

system {
  spin H 1H          # two abstract spin-1/2; isotopes only label them
  spin C 13C
}

target {
  zeeman B                       # on every spin, along z
  dipolar H C Delta Delta eps eps
  dm H C (0, 0, D)
  ksea H C (0, 0, G)
}

charge { strength w  axis x  time 0 : tmax : nt }
temperature T
initial gibbs
evolve 0 : 10 : 201              # free / dissipative evolution, omega*t
noise { dephase X H C rate gamma }
