# An included file that does not exist.
include "no-such-file.spin"
