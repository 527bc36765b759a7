# A 1H-15N pair with a third spin (19F, coupled to 1H by J and a dipolar
# coupling) and everything a spin system can say: offsets, T1/T2, p90s,
# the field, a negative J.  test_xml compiles it, writes the XML, reads it
# back and checks that the physical model built from the file's nmrc:system
# equals the one built from this spec.
param J = 92 Hz

system {
  spin H 1H   offset 120 Hz  T1 2 s  T2 0.8 s  p90 9.5 us
  spin N 15N  offset -35 Hz  T1 4 s  T2 0.4 s  p90 38 us
  spin F 19F  offset 2 ppm   T1 1 s  T2 0.5 s
  field 600 MHz
  couple H N J -J
  couple H F J 48 Hz dipolar 300 Hz
}
omega = J / 8

target { dm H N (0, 0, 0.5) }
compile { time 1 }
