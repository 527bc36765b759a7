# A temperature in kelvin is converted to units of omega: it needs omega.
system { spin H 1H }
temperature 300 K
