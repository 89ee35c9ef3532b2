"""shopcopilot: shopping assistant, merchant copilot and image studio for one small offline machine."""

__version__ = "0.1.0"
