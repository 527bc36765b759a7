# Compile diagnostic: an explicit sequence pulses a spin the target does not
# couple (the compiler drives the target's pair only).
system {
  spin H 1H
  spin C 13C
  spin F 19F
  couple H C J 215 Hz
}
omega = 50 Hz
target {
  dm H C (0, 0, 0.5)
}
sequence {
  pulse H C 90 x
  delay 0.25
  pulse F 90 y
}
