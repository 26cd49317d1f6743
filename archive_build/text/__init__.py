"""Helpers about text that every layer shares: names, dates, addresses, header lines.

A leaf package: it imports nothing of the archive's but the model, so a
reader, a transform and a collection step can all use it.
"""
