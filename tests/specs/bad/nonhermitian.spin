# An explicit density matrix must be Hermitian.
system { spin A 1H }
initial matrix [(0.5, 0.5i), (0.5i, 0.5)]
