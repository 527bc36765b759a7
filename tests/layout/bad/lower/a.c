/* A lower folder that includes the public header of a folder above it. */
#include "nmrc/upper.h"
