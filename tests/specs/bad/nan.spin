# 0/0 is not a number.
param x = 0/0
system { spin H 1H }   # every spec needs a spin
