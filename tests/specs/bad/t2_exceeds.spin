# T2 cannot exceed 2*T1.
system { spin H 1H T1 1 s T2 3 s }
