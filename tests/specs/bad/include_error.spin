# An error inside an included file is reported with that file's path.
include "inc/inner_error.spin"
