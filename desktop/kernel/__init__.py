"""The shared kernel every package stands on: Chinese labels, logs, limits, zip and XML checks, output files, paths."""
