"""Typed response models (frozen attrs classes) and their parsers."""
