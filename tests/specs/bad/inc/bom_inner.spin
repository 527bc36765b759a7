system { spin H 1H p90 8 µs T1 2 μs T2 3 µsec }
