# Pair sets: too few spins for the shape, a spin listed twice, '*' twice,
# an unknown spin, a pair of one spin.
system {
  spin A 1H
  spin B 13C
  spin C 15N
}
target {
  dm ring(A, B) (0, 0, 1)
  dipolar chain(A, B, A) Delta 1
  ksea all(*, B, *) (0, 0, 1)
  dm star(A, X) (0, 0, 1)
  tensor C C [(1, 0, 0), (0, 1, 0), (0, 0, 1)]
}
