temperatur 0.5   # a byte-order mark first: columns count from the next character
include "inc/bom_inner.spin"
