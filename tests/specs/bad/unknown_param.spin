# A parameter that is not defined.
system { spin H 1H }
target { zeeman Bz }
