"""The async clients: the hand-written source the sync clients are generated from."""
