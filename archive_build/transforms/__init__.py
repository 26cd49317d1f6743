"""Transforms: plain functions ``Article -> Article`` run in a fixed order.

Per-article transforms (``clean``, ``metadata``, ``notes``, ``links``,
``annotate``, ``entities``) run in worker processes; anything that needs the
whole collection lives in ``archive_build.collection``.
"""
