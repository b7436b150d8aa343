"""The one image comparison of the test suite: same shape and a small maximum per-channel difference.

A count of differing pixels lets a changed or hidden label through (a "14.4" drawn as "41.4" changes only a few
hundred pixels of a widget figure); the largest difference of any channel of any pixel does not: a glyph that moved
or vanished changes some pixel by (nearly) full contrast. ``TOLERANCE`` is the largest difference the renderer's
legitimate variations produce (blitted vs fully drawn frames, measured over every widget test: 0) plus headroom for
anti-aliasing rounding; a changed label differs by well over 100 (``tests/test_ui_render.py`` shows it fails).
"""

from __future__ import annotations

import base64
import io
import re

import numpy as np

#: Largest per-channel difference (0-255) two pictures of the same state may have.
TOLERANCE = 0


def pixels(image) -> np.ndarray:
    """RGB pixels (int array, height x width x 3) of PNG bytes, a base64 string, or an ``<img src=data:…>`` tag."""
    from PIL import Image

    if isinstance(image, str):
        found = re.search(r"base64,([^\"']+)", image)
        image = base64.b64decode(found.group(1) if found else image)
    return np.asarray(Image.open(io.BytesIO(image)).convert("RGB"), dtype=int)


def max_difference(a, b) -> int:
    """The largest per-channel difference between two pictures of the same shape (ValueError if the shapes differ)."""
    pa, pb = pixels(a), pixels(b)
    if pa.shape != pb.shape:
        raise ValueError(f"different sizes: {pa.shape} vs {pb.shape}")
    return int(np.abs(pa - pb).max())


def assert_same_image(a, b, tolerance: int = TOLERANCE) -> None:
    """Fail unless ``a`` and ``b`` have the same shape and no channel of any pixel differs by more than ``tolerance``."""
    pa, pb = pixels(a), pixels(b)
    assert pa.shape == pb.shape, f"different sizes: {pa.shape} vs {pb.shape}"
    diff = np.abs(pa - pb).max(axis=2)
    worst = int(diff.max())
    assert worst <= tolerance, (f"images differ: max per-channel difference {worst} > {tolerance} "
                                f"({int((diff > tolerance).sum())} pixels over the tolerance)")
