"""Extraction: indicators (tables and prose), targets and achievements from an outlined document."""
