# A parameter may only use parameters defined before it.
param kappa = pi * J / 2
param J = 215 Hz
system { spin H 1H }   # every spec needs a spin
