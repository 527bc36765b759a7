# Included by ../include_error.spin.
system { spin H 1H offset 2 ppm }
