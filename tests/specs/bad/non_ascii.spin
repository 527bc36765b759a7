# Characters that look like ASCII but are not: one error each, with the
# code point and what to write instead.
system { spin H 1H offset 3 − 2 Hz }
temperature 0.5 
