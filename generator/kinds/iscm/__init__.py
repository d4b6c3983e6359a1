"""The ISCM Highlights: the registry of mechanisms, their events, theme tables and chart."""
