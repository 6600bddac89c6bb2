"""boardcheck: governance readiness of an NHS trust's collaborative arrangements."""

__version__ = "0.1.0"
