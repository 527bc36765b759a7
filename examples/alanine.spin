# 13C3-labelled L-alanine as a three-spin (13C chain) quantum battery.
# The three carbons C' (carboxyl) - Ca - Cb (methyl) of fully 13C-labelled
# alanine were the first three-qubit NMR register used for quantum error
# correction:
#   D. G. Cory, M. D. Price, W. Maas, E. Knill, R. Laflamme, W. H. Zurek,
#   T. F. Havel, S. S. Somaroo, "Experimental Quantum Error Correction",
#   Phys. Rev. Lett. 81, 2152 (1998).
# Couplings: one-bond J(C',Ca) = 54 Hz and J(Ca,Cb) = 35 Hz, two-bond
# J(C',Cb) = -1.2 Hz (as used in that line of work; protons decoupled).
# Shifts: L-alanine in D2O (BMRB entry bmse000028, rounded): C' 178.5,
# Ca 53.2, Cb 18.9 ppm.  At 400 MHz the shift differences are >= 3.4 kHz,
# a hundred times the couplings, so the homonuclear couplings are weak
# (nmrc check prints each |offset difference| / |J|).  Check the values
# against your own sample before running an experiment.
#
# Target: the paper's battery Hamiltonian on the chain C'-Ca-Cb, with the
# same dipolar, DM and KSEA terms on both bonds (pairs of the natural J
# network; C'-Cb is coupled too, so all(*) would be allowed as well).

param Delta = 1      # axial dipolar target coupling (units of omega)
param eps = 0.1      # rhombic dipolar target coupling
param D = 0.5        # DM vector (0, 0, D)
param G = 0.2        # KSEA vector (0, 0, G)
param B = 0.3        # uniform field along z

system {
  field 400 MHz                      # 13C at 100.6 MHz
  spin C1 13C  shift 178.5 ppm       # C' (carboxyl)
  spin C2 13C  shift 53.2 ppm        # Ca
  spin C3 13C  shift 18.9 ppm        # Cb (methyl)
  # carrier 13C: not given, so the centre of the shifts (98.7 ppm)
  homonuclear weak                   # Delta nu >> J: secular (Iz Sz) couplings
  couple C1 C2 J 54 Hz
  couple C2 C3 J 35 Hz
  couple C1 C3 J -1.2 Hz
}

omega = (35 Hz) / 8                   # energy unit, well below the smallest one-bond J

target {
  zeeman B
  dipolar chain(C1, C2, C3) Delta Delta eps eps
  dm chain(C1, C2, C3) (0, 0, D)
  ksea chain(C1, C2, C3) (0, 0, G)
}

charge { strength 1  axis x  time 0 : pi : 401 }
temperature 0.5
