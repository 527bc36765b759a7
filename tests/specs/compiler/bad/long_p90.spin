# Compile diagnostic: 1 ms pulses do not fit between the delays of this
# explicit sequence; the error points at the pulse statement.
system {
  spin H 1H   p90 1 ms
  spin C 13C  p90 1 ms
  couple H C J 215 Hz
}
omega = 50 Hz
target {
  dm H C (0, 0, 0.5)
}
sequence {
  pulse H C 90 x
  delay 0.01
  pulse H C 90 -x
}
