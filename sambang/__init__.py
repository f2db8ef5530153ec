"""Sambang: the information system for Indonesia's community policing."""

__version__ = "0.1.0"
