"""boardcheck: governance readiness of an NHS trust's collaborative arrangements."""

__version__ = "0.1.0"
# Where a reader of a machine report (SARIF's informationUri) learns what boardcheck is;
# the same address as `[project.urls]` in pyproject.toml (a test holds them together).
HOME_PAGE = "https://github.com/YOUR-ORG/boardcheck"
