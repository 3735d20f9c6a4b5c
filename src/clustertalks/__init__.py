"""clustertalks: run a community talk series end to end."""
