param x = 2*pi*50 rad/s
system { spin A 1H offset 3 ppm; spin B 13C T1 1 s T2 0.5 s p90 10us; field 9.4 T; couple A B J 100 Hz dipolar 2 kHz }
omega = x
target { zeeman A 0.3 along (1, 1, 0); zeeman 0.2 along y; dipolar A B tensor [(1,0,0),(0,1,0),(0,0,-2)]; tensor A B [(1,2,3)(4,5,6)(7,8,9)] ; ksea A B (1,2,3) }
charge { strength 2 axis 45 deg time 0 : 1 : 3 }
initial matrix [(0.5, 0.5i, 0, 0), (-0.5i, 0.5, 0, 0), (0,0,0,0), (0,0,0,0)]
evolve 0:1:2
noise { dephase Z A B rate 0.1 damp A rate 0.2 }
readout { observe A td 1024 sw 10 kHz tomography observables energy, ergotropy }
sequence { pulse A B 90 -x delay 1 ms repeat 4 { pulse A 180 y; delay 0.5 } gradient z 1 ms 0.1 T/m acquire }
compile { steps 10 order plain max_error 1e-3 composite bb1 decouple udd4 offset_compensation time 2 }
