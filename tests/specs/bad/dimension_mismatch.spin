# Multiplying a frequency by a time is not allowed.
param f = 1 Hz
param t = 1 ms
param x = f * t
system { spin H 1H }   # every spec needs a spin
