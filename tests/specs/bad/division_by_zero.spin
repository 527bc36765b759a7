# Division by zero and overflow.
param a = 1 / (2 - 2)
param b = 1e400
system { spin H 1H }   # every spec needs a spin
