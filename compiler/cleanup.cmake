# Internal sources split out of aht.c/analyze.c/trotter.c by the clean-up
# (shared 4x4 helpers, the exact propagators, spec-model extraction).
list(APPEND NMRC_SOURCES compiler/mat4.c compiler/analyze_prop.c
  compiler/compile_model.c)
