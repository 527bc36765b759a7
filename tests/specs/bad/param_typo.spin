# A misspelt parameter name gets the nearest defined one.
param Delta = 1
system { spin H 1H; spin C 13C }
target { dipolar H C Delta Detla }
