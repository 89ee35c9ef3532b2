"""The web app: a few server-rendered pages and static JavaScript that use only the public HTTP API."""
