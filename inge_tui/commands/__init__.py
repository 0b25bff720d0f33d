"""The one command set shared by keys, palette, scripts and `inge-tui run`."""
