# run: what the nmrc commands do, as library calls: inputs with overrides,
# the model's states and charging, battery curves, sweeps, maps, states at a
# time, FID runs (plan/execute) and validation reports.  Above every other
# module, below the program (cli/) and the Python package.
nmrc_module(run DIR run
  SOURCES input.c state.c battery.c sweep.c map.c fid_plan.c fid_exec.c validate.c
    validate_report.c
  HEADERS run.h
  DEPS core ir spec io library aht metrics ideal nmr acq dataset)
