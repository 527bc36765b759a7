# Counts just above their limits: the message must show the value given,
# not a rounded one that looks inside the range ("got 1e+08").
system { spin H 1H }
evolve 0 : 10 : 100000001
readout { td 16777217 }
sequence { repeat 1000001 { delay 1 } }
