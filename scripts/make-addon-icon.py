#!/usr/bin/python3
"""Draws the add-on's icon (spotify2mqtt/icon.png, 128x128): a green disc with three white arcs,
the look of a speaker's sound waves. Pure Python (zlib), so the picture is made here, not fetched.

Usage: scripts/make-addon-icon.py [OUTPUT]   (default spotify2mqtt/icon.png next to this script)
"""
import math
import os
import struct
import sys
import zlib

SIZE = 128
GREEN = (29, 185, 84)
WHITE = (255, 255, 255)


def pixel(x, y):
    """RGBA of one pixel: transparent outside the disc, white on the arcs, green elsewhere."""
    cx = cy = SIZE / 2
    dx, dy = x + 0.5 - cx, y + 0.5 - cy
    r = math.hypot(dx, dy)
    if r > SIZE / 2 - 1:
        return (0, 0, 0, 0)
    # Three arcs opening to the right, centred left of the middle.
    ax, ay = x + 0.5 - (cx - 22), y + 0.5 - cy
    ar = math.hypot(ax, ay)
    angle = abs(math.degrees(math.atan2(ay, ax)))
    for radius in (18, 34, 50):
        if abs(ar - radius) < 4.5 and angle < 50:
            return (*WHITE, 255)
    if ar < 7:
        return (*WHITE, 255)
    return (*GREEN, 255)


def png(width, height, rgba_at):
    rows = b"".join(b"\x00" + b"".join(bytes(rgba_at(x, y)) for x in range(width))
                    for y in range(height))

    def chunk(kind, data):
        return (struct.pack(">I", len(data)) + kind + data
                + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF))

    header = struct.pack(">IIBBBBB", width, height, 8, 6, 0, 0, 0)  # 8-bit RGBA
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header)
            + chunk(b"IDAT", zlib.compress(rows, 9)) + chunk(b"IEND", b""))


if __name__ == "__main__":
    here = os.path.dirname(os.path.abspath(__file__))
    out = sys.argv[1] if len(sys.argv) > 1 else os.path.join(here, "..", "spotify2mqtt", "icon.png")
    with open(out, "wb") as f:
        f.write(png(SIZE, SIZE, pixel))
    print(f"make-addon-icon: wrote {out}")
