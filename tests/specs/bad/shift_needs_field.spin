# A chemical shift in ppm becomes an offset from the carrier in Hz: that
# needs the field.
system {
  spin C1 13C shift 170 ppm
  spin C2 13C shift 20 ppm
}
