# Paper Fig. 6: battery metrics versus omega*t for Zeeman fields
# B/omega = 0, 0.5, 1.0, 1.5, 2.0.  Fixed (caption): G = D = 0,
# Delta/omega = 1, T/omega = 0.5, eps/omega = 0.1.

param B = 0           # VARIED: uniform Zeeman field along z
param D = 0           # DM vector (0, 0, D)
param G = 0           # KSEA (0, 0, G)
param Delta = 1       # axial dipolar anisotropy
param eps = 0.1       # rhombic (transverse) anisotropy
param T = 0.5         # temperature, units of omega
param w = 1           # charging field, units of omega
param tmax = pi       # last charging time omega*t
param nt = 1001       # charging time points

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

charge { strength w  axis x  time 0 : tmax : nt }   # H_ch = w (X1 + X2), Eq. 18
initial gibbs
temperature T
