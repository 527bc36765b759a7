# AHT compiler and sequence analysis:
# include/nmrc/compile.h.
list(APPEND NMRC_SOURCES compiler/aht.c compiler/svd_compile.c compiler/trotter.c
  compiler/finite.c compiler/composite.c compiler/analyze.c compiler/analyze_prop.c
  compiler/mat4.c compiler/compile_model.c)
