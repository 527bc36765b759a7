# The system block is never closed: the error names where it opened.
param D = 0.5

system {
  spin H 1H
  spin C 13C

target { dm H C (0, 0, D) }
