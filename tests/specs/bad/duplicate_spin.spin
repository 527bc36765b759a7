# Two spins with the same label.
system {
  spin H 1H
  spin H 13C
}
