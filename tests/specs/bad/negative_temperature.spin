# Temperature must be >= 0.
temperature -0.5
system { spin H 1H }   # every spec needs a spin
