# Paper Fig. 4: quantum discord, concurrence and l1 coherence of the Gibbs
# state versus temperature T/omega (the x axis; the thermal command sweeps T).
# Five rows of panels, each varying one parameter over three values:
#   (a-c) eps = 0.1, 1.0, 10        with Delta = B = D = G = 0   <- defaults below
#   (d-f) B = 0.1, 1.0, 10          with Delta = 1, eps = 0.5, D = G = 0
#   (g-i) D = 0.1, 1.0, 10          with Delta = 1, eps = 0.5, G = B = 0
#   (j-l) G = 0.1, 1.0, 10          with Delta = 1, eps = 0.5, B = D = 0
#   (m-o) Delta = 0.1, 1.0, 10      with eps = 0.5, B = D = G = 0
# Other rows are reached with --set, e.g. --set Delta=1 --set eps=0.5 --set B=0.1.

param B = 0           # uniform Zeeman field along z
param D = 0           # DM vector (0, 0, D)
param G = 0           # KSEA (0, 0, G)
param Delta = 0       # axial dipolar anisotropy
param eps = 0.1       # VARIED: rhombic (transverse) anisotropy
param T = 1           # temperature, units of omega

system {
  spin H 1H          # two abstract spin-1/2 (labels only)
  spin C 13C
}

target {             # the paper's Eq. 12
  zeeman B
  dipolar H C Delta Delta eps eps
  dm H C (0, 0, D)
  ksea H C (0, 0, G)
}

temperature T
initial gibbs
