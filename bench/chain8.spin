# The Lindblad benchmark of the issue: an N = 8 spin chain with the paper's
# couplings on every neighbouring pair (dipolar Delta = 1, eps = 0.1; DM
# D = 0.5; KSEA G = 0.3), a Zeeman field B = 0.2 on every spin, Pauli-X
# dephasing gamma = 0.2 on every spin, starting in the chain's Gibbs state
# at T = 1, 201 output times over omega*t = 0..10.
#   nmrc dephase bench/chain8.spin --csv -
# (bench/bench_chain8 times it against QuTiP's mesolve.)

param D = 0.5
param G = 0.3
param Delta = 1
param eps = 0.1
param B = 0.2
param gamma = 0.2
param T = 1

system {
  spin s0 1H
  spin s1 1H
  spin s2 1H
  spin s3 1H
  spin s4 1H
  spin s5 1H
  spin s6 1H
  spin s7 1H
}

target {
  zeeman B                         # on every spin, along z
  dipolar s0 s1 Delta Delta eps eps
  dipolar s1 s2 Delta Delta eps eps
  dipolar s2 s3 Delta Delta eps eps
  dipolar s3 s4 Delta Delta eps eps
  dipolar s4 s5 Delta Delta eps eps
  dipolar s5 s6 Delta Delta eps eps
  dipolar s6 s7 Delta Delta eps eps
  dm s0 s1 (0, 0, D)
  dm s1 s2 (0, 0, D)
  dm s2 s3 (0, 0, D)
  dm s3 s4 (0, 0, D)
  dm s4 s5 (0, 0, D)
  dm s5 s6 (0, 0, D)
  dm s6 s7 (0, 0, D)
  ksea s0 s1 (0, 0, G)
  ksea s1 s2 (0, 0, G)
  ksea s2 s3 (0, 0, G)
  ksea s3 s4 (0, 0, G)
  ksea s4 s5 (0, 0, G)
  ksea s5 s6 (0, 0, G)
  ksea s6 s7 (0, 0, G)
}

temperature T
initial gibbs
evolve 0 : 10 : 201
noise { dephase X s0 s1 s2 s3 s4 s5 s6 s7 rate gamma }
