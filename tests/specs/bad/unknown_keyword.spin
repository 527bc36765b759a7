# A misspelt keyword gets the nearest valid one.
system { spin H 1H }
tempreature 0.5
