# An N = 6 quantum battery: the paper's two-spin Hamiltonian (Eq. 12) on
# every bond of an open chain of six spins, the larger battery of the
# paper's outlook (collective charging H_ch = w sum_i X_i):
#   H = B sum_i Z_i + sum_{i=1..5} [ -(1/3) s_i.P.s_(i+1)
#       + D (X_i Y_(i+1) - Y_i X_(i+1)) + G (X_i Y_(i+1) + Y_i X_(i+1)) ]
# with P = diag(Delta - 3 eps, Delta + 3 eps, -2 Delta); parameters the
# paper's Fig. 5 set with D and G switched on.  An abstract battery: no
# natural coupling network is given, so the target may couple any pairs;
# the isotopes only label the spins.  nmrc battery, state and thermal run
# it; nmrc compile does not take N > 2 yet and says so at the target line.

param B = 0.2
param D = 0.5
param G = 0.3
param Delta = 1
param eps = 0.1

system {
  spin S1 1H
  spin S2 1H
  spin S3 1H
  spin S4 1H
  spin S5 1H
  spin S6 1H
}

omega = 50 Hz         # energy unit (for commands that need a physical time)

target {
  zeeman B
  dipolar chain(*) Delta Delta eps eps
  dm chain(*) (0, 0, D)
  ksea chain(*) (0, 0, G)
}

charge { strength 1  axis x  time 0 : pi : 201 }
temperature 1
