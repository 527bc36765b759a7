# With a natural coupling network, every target pair needs a natural
# coupling: average Hamiltonian theory makes a target coupling only from a
# natural one on the same pair.  Here the ring closes on S4-S1 and the
# all-to-all term needs S1-S3 and S2-S4, none of which is coupled.
system {
  field 500 MHz
  spin S1 13C shift 170 ppm
  spin S2 13C shift 120 ppm
  spin S3 13C shift 60 ppm
  spin S4 13C shift 20 ppm
  homonuclear weak
  couple chain(S1, S2, S3, S4) J 50 Hz
}
omega = 5 Hz
target {
  dm chain(*) (0, 0, 1)
  dipolar ring(S1, S2, S3, S4) Delta 1
  ksea all(*) (0, 0, 0.5)
  tensor S3 S1 [(0, 0, 0), (0, 0, 0), (0, 0, 1)]
}
