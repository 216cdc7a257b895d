"""Helpers the tests share: real servers to start and stop, signed requests."""
