# Includes the first file again.
include "../include_cycle.spin"
