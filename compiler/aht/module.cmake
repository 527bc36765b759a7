# compiler/aht: the average-Hamiltonian compiler (toggling frames, SVD
# construction, palindromes, Trotter steps, finite pulses, sequence
# transforms) and the analysis of any sequence.
nmrc_module(aht DIR compiler/aht
  SOURCES aht.c svd_compile.c trotter.c finite.c transform.c analyze.c analyze_prop.c
    mat4.c compile_model.c offset_comp.c gate.c
  HEADERS compile.h
  DEPS core ir library)
