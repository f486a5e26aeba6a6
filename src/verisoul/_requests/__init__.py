"""Pure request builders: validate arguments and shape params/bodies, before any I/O.

Shared by both clients, so the generated sync code holds no logic of its own.
"""
