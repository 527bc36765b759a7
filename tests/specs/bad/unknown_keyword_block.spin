# A misspelt keyword inside a block.
system { spin H 1H; spin C 13C }
target {
  dn H C (0, 0, 1)
  ksea H C (0, 0, 1)
}
