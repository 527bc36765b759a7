# sim/acq: acquisition: FIDs as exact sums of damped exponentials, the
# model's acquisition Hamiltonian and thermal states, spectra with FFTW.
nmrc_module(acq DIR sim/acq
  SOURCES fid.c fid_liou.c fid_model.c spectrum.c
  HEADERS fid.h
  DEPS core ir nmr
  FAST fid.c)
