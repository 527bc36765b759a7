x=3
param x = 1
initial bell psi-
system{spin A 1H spin B 2H}
initial product "01"
sequence "dm_z"
