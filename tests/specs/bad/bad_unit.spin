# A value with the wrong unit: the error points at the value.
system {
  spin H 1H offset 3 ms
}
omega = 50 us
