"""Shared vocabulary used by cases, resources and events.

The network's themes (its seven questions) and actors.
"""
