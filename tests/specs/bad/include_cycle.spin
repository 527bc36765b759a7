# A file that includes a file that includes it back.
include "inc/cycle_b.spin"
