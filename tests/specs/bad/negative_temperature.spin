# Temperature must be >= 0.
temperature -0.5
