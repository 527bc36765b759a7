# A string without its closing quote.
sequence "dm_z
