# A 1+3 star: the 13C-labelled methyl group of acetonitrile-2-13C (13CH3CN),
# one 13C at the centre and its three equivalent protons, each coupled to it
# by the one-bond 1J(13C,1H) = 136 Hz.  Star-topology registers of this kind
# (acetonitrile 1+3, trimethylphosphite 1+9, ...) are used in
#   P. Pal, V. Batra, V. R. Krithika, T. S. Mahesh, "Temporal order in
#   periodically driven spins in star-shaped clusters", Phys. Rev. Lett.
#   120, 180602 (2018).
# Shifts (CDCl3, rounded): 13C 1.9 ppm, 1H 2.0 ppm.  The H-H couplings inside
# the methyl group are not written: between magnetically equivalent protons
# they commute with everything that treats the protons alike, so they do not
# act on a star target.  13C-1H is heteronuclear, hence weak.
#
# Target: the star battery, a dipolar and a DM term from the centre to each
# leaf (star(C, *): centre C, leaves all other spins), a field on the centre.

param Delta = 1
param D = 0.5
param Bc = 0.5

system {
  field 400 MHz
  spin C  13C shift 1.9 ppm
  spin H1 1H  shift 2.0 ppm
  spin H2 1H  shift 2.0 ppm
  spin H3 1H  shift 2.0 ppm
  couple star(C, *) J 136 Hz
}

omega = (136 Hz) / 8

target {
  zeeman C Bc
  dipolar star(C, *) Delta Delta
  dm star(C, *) (0, 0, D)
}

charge { strength 1  axis x  time 0 : pi : 401 }
temperature 1
