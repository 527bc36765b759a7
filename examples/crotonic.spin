# trans-Crotonic acid (fully 13C-labelled, CH3-CH=CH-COOH) as a four-spin
# 13C register, the workhorse of liquid-state NMR quantum computing:
#   E. Knill, R. Laflamme, R. Martinez, C.-H. Tseng, "An algorithmic
#   benchmark for quantum information processing", Nature 404, 368 (2000);
#   used again e.g. for quantum energy teleportation by N. A. Rodriguez-
#   Briones, H. Katiyar, E. Martin-Martinez, R. Laflamme, Phys. Rev. Lett.
#   130, 110801 (2023).
# Carbons C1 (COOH), C2 (=CH-, alpha), C3 (=CH-, beta), C4 (CH3); the methyl
# and alkene protons are decoupled.  J couplings as tabulated for this
# molecule in that work (Hz): one-bond C1-C2 72.4, C2-C3 69.7, C3-C4 41.6;
# three-bond C1-C4 7.0 (trans across the double bond); two-bond C1-C3 1.4
# and C2-C4 1.2.  Shifts: typical 13C values of trans-crotonic acid in CDCl3
# (SDBS, rounded): 172.2, 122.2, 147.5, 18.1 ppm.  Check the values against
# your own sample and solvent before running an experiment.
#
# The carrier is set on the alkene carbons; the C2-C3 shift difference,
# 25.3 ppm = 3.8 kHz at 600 MHz, is 55 times J(C2,C3): weak coupling.
#
# Target: a ring battery, DM on the one-bond chain C1-C2-C3-C4 and an
# XXZ-like dipolar term closing the ring through the three-bond C4-C1.

param Delta = 1
param eps = 0.2
param D = 0.4

system {
  field 600 MHz                      # 13C at 150.9 MHz
  spin C1 13C  shift 172.2 ppm       # COOH
  spin C2 13C  shift 122.2 ppm       # =CH- next to COOH
  spin C3 13C  shift 147.5 ppm       # =CH- next to CH3
  spin C4 13C  shift 18.1 ppm        # CH3
  carrier 13C 135 ppm                # f1 carrier (O1P) between the alkene lines
  homonuclear weak
  couple C1 C2 J 72.4 Hz
  couple C2 C3 J 69.7 Hz
  couple C3 C4 J 41.6 Hz
  couple C1 C4 J 7.0 Hz
  couple C1 C3 J 1.4 Hz
  couple C2 C4 J 1.2 Hz
}

omega = (7 Hz) / 4                    # below the weakest coupling a target pair uses

target {
  dipolar ring(C1, C2, C3, C4) Delta Delta eps eps
  dm chain(C1, C2, C3, C4) (0, 0, D)
}

charge { strength 1  axis x  time 0 : pi : 401 }
temperature 1
