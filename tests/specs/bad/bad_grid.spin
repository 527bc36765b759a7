# Grid points must be an integer >= 1.
charge { time 0 : pi : 2.5 }
evolve 0 : 10 : 0
system { spin H 1H }   # every spec needs a spin
