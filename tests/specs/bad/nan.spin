# 0/0 is not a number.
param x = 0/0
