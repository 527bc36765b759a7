# core: status and error context, the one I/O module, constants, and the
# dense complex matrices and linear algebra every other folder builds on.
nmrc_module(core DIR core
  SOURCES status.c io.c consts.c cmat.c linalg.c
  HEADERS status.h consts.h io.h cmat.h linalg.h)
