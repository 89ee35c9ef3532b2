"""Feedback on assistant answers: thumbs up/down with an optional comment, stored per turn."""
