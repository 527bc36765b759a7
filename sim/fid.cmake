list(APPEND NMRC_SOURCES sim/fid.c sim/fid_liou.c sim/fid_model.c sim/spectrum.c sim/bruker.c
  sim/jcamp.c sim/fid_plot.c)
# The FID synthesis loop (independent lanes of complex recurrences) needs the
# vectorizer's full cost model; -fno-math-errno lets exp/cos/sin inline.
set_source_files_properties(sim/fid.c PROPERTIES COMPILE_OPTIONS "-O3;-fno-math-errno")
