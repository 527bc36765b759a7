# The two-spin battery: fast charging kernel and time-optimized maps.
list(APPEND NMRC_SOURCES sim/charge.c sim/charge_map.c)
