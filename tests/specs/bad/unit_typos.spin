# Unit typos are reported as units, with the unit meant; parsing goes on
# as if it had been written right, so one run reports all of them.
system {
  spin H 1H offset -90 hz  T1 3 sec  T2 1 S  p90 8 uS
  spin C 13C offset 2 KHZ  p90 20 ns
}
omega = 2*pi*50 rad/sec
temperature 300 k
