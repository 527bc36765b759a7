; dm_z
;
; Closed, time-symmetric 8-pulse palindrome realizing the DM interaction
; (kappa/2)(XY - YX) from kappa ZZ: 1H 90_x tau 90_y 2tau 90_-y tau 90_-x,
; 13C 90_y tau 90_-x 2tau 90_x tau 90_-y (simultaneous). Exact to all orders
; for delta pulses and time-optimal (Bennett bound).
;
; Written by nmrc from its sequence IR.  Channels: f1 = 1H f2 = 13C.
;
;$CLASS=HighRes
;$DIM=1D
;$TYPE=
;$SUBTYPE=
;$COMMENT=

#include <Avance.incl>

1 ze
2 d1 pl1:f1 pl2:f2
  (p1 ph1):f1 (p3 ph2):f2
  d2
  (p1 ph2):f1 (p3 ph3):f2
  d3
  (p1 ph4):f1 (p3 ph1):f2
  d2
  (p1 ph3):f1 (p3 ph4):f2
  go=2 ph31  ; acquisition (the sequence itself has none)
  wr #0
exit

ph1=0
ph2=1
ph3=2
ph4=3
ph31=0

;pl1 : f1 channel - power level for pulse (default)  [calibrate: p1 = 90 degrees]
;pl2 : f2 channel - power level for pulse (default)  [calibrate: p3 = 90 degrees]
;p1 : f1 channel - 90 degree high power pulse  [10 usec]
;p3 : f2 channel - 90 degree high power pulse  [15 usec]
;d1 : relaxation delay; 1-5 * T1  [1 sec]
;d2 : tau  [500 usec]
;d3 : 2 tau  [1 msec]
;ns: 1 * n
