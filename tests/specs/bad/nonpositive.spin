# An explicit density matrix must be positive semidefinite: this one is
# Hermitian with trace 1, but its eigenvalues are 1.5 and -0.5.
system { spin A 1H }
initial matrix [(0.5, 1), (1, 0.5)]
