# A pair set that is not closed, and one with a number in it.
system { spin A 1H; spin B 13C }
target {
  dm chain(A, B (0, 0, 1)
  ksea all(A, 2) (0, 0, 1)
}
