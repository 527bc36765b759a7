# sim/dataset: FIDs and spectra on disk: Bruker datasets, JCAMP-DX, SVG.
nmrc_module(dataset DIR sim/dataset
  SOURCES bruker.c jcamp.c fid_plot.c
  HEADERS dataset.h
  DEPS core acq)
