"""Outsourcing Relationship Planner."""

__version__ = "0.1.0"
APP_NAME = "Outsourcing Relationship Planner"
APP_ID = "io.github.orplanner.Planner"
