# AHT compiler and sequence analysis (owner: compiler helper):
# include/nmrc/compile.h.
list(APPEND NMRC_SOURCES compiler/aht.c compiler/svd_compile.c compiler/trotter.c
  compiler/finite.c compiler/composite.c compiler/analyze.c)
