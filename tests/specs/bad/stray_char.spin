# A character that is not part of the language.
param x = 3 $ 4
