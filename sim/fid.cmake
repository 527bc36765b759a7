list(APPEND NMRC_SOURCES sim/fid.c sim/spectrum.c sim/bruker.c sim/jcamp.c sim/fid_plot.c)
