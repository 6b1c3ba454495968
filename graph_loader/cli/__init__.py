"""`imr-graph`: the command line over the library."""
