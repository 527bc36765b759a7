# More than 12 spins.
system {
  spin S1 1H
  spin S2 1H
  spin S3 1H
  spin S4 1H
  spin S5 1H
  spin S6 1H
  spin S7 1H
  spin S8 1H
  spin S9 1H
  spin S10 1H
  spin S11 1H
  spin S12 1H
  spin S13 1H
}
