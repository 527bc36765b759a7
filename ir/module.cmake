# ir: the two plain-data contracts between the stages: the resolved
# experiment model and the pulse-sequence IR.
nmrc_module(ir DIR ir
  SOURCES model.c seq.c seq_check.c seq_system.c
  HEADERS model.h seq.h
  DEPS core)
