# A term names a spin that is not declared.
system { spin H 1H; spin C 13C }
target { dm H X (0, 0, 1) }
