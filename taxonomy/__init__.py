"""Shared vocabulary: the network's themes (its seven questions) and actors, used by cases, resources and events."""
