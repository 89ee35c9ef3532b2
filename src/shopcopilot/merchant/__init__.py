"""The merchant face: listing from photo, store setup, and the operations copilot (knowledge, operations, copy)."""
