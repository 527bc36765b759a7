/* An upper folder: using the folder below is fine. */
#include "nmrc/lower.h"
