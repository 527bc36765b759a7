# Paper Fig. 10: density maps of max_t ergotropy, min_t anti-ergotropy,
# capacity and max_t l1 coherence versus axial anisotropy Delta/omega and
# transverse anisotropy eps/omega (both varied; the map sweeps them).
# Fixed (caption): D = G = B = 0, T/omega = 1.0.  The paper does not state
# the map ranges; the text mentions both signs of Delta.  The values below
# are only the defaults for a single `nmrc check` / battery run.

param B = 0           # uniform Zeeman field along z
param D = 0           # DM vector (0, 0, D)
param G = 0           # KSEA (0, 0, G)
param Delta = 1       # VARIED: axial dipolar anisotropy
param eps = 0.1       # VARIED: rhombic (transverse) anisotropy
param T = 1           # temperature, units of omega
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
