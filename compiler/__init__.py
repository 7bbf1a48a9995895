"""schemac's driver: frontends, passes, pipeline, config, CLI and file writer."""

__version__ = "0.1.0"
