# Paper Fig. 3: time evolution of quantum discord, concurrence and l1
# coherence under Pauli-X dephasing (Lindblad, Eq. 16-17, rate gamma = 0.2
# on both spins).  Five rows of panels, each varying one parameter:
#   (a-c) eps = 0.1, 0.5, 10        with D = G = B = Delta = 0   <- defaults below
#   (d-f) B = 0.1, 1.0, 10          with D = G = 0, Delta = 1, eps = 0.5
#   (g-i) D = 0.1, 1.0, 10          with B = G = 0, Delta = 1, eps = 0.5
#   (j-l) G = 0.1, 1.0, 10          with B = D = 0, Delta = 1, eps = 0.5
#   (m-o) Delta = 0.1, 1.0, 10      with B = G = 0, eps = 0.1 (D not stated: 0)
# Other rows are reached with --set, e.g. --set Delta=1 --set eps=0.5 --set B=0.1.
#
# Initial state: Sec. III does not say.  The reported behaviour fixes it to
# the {|00>, |11>} subspace: D and Delta have "no effect" (they act only on
# |01>, |10>, and Delta's ZZ part is the same on |00> and |11>), eps and G
# drive |00> <-> |11> oscillations whose peaks grow with them, and B
# detunes them (faster, smaller oscillations).  A Gibbs state would depend
# on D.  So we start from the product state |00> (both spins up).  T is
# kept only for commands that need a temperature; it does not enter here.

param B = 0           # uniform Zeeman field along z
param D = 0           # DM vector (0, 0, D)
param G = 0           # KSEA (0, 0, G)
param Delta = 0       # axial dipolar anisotropy
param eps = 0.1       # VARIED: rhombic (transverse) anisotropy
param T = 1           # temperature, units of omega
param gamma = 0.2     # Pauli-X dephasing rate, both spins

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
initial product "00"
evolve 0 : 10 : 2001            # omega*t; fine enough for eps = 10
noise { dephase X H C rate gamma }
