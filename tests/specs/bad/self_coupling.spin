# A coupling term between a spin and itself, and a duplicate statement.
system { spin H 1H }
target { dm H H (0, 0, 1) }
temperature 1
temperature 2
