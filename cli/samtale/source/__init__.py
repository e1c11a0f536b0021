"""Loading: YAML files read with every position kept, the catalogue's and overlays' typed shape, their structure checked."""
