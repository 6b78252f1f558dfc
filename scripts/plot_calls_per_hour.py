#!/usr/bin/env python3
"""Plots the calls per hour of one simulated week, the bridge next to Home Assistant, as a PNG.

The CSV comes from the listening-day benchmark:
    build/bin/listening_day_bench --csv calls.csv
    python3 scripts/plot_calls_per_hour.py calls.csv calls-per-hour.png

No plotting library is needed: the PNG is written with zlib and struct, and the few labels use a
built-in 5x7 pixel font. Blue: spotify2mqtt, orange: Home Assistant; one tick per day (Monday
first), horizontal lines every 100 calls an hour.
"""
import struct
import sys
import zlib

FONT = {  # 5x7, rows top to bottom, 1 = ink
    "0": ["01110", "10001", "10011", "10101", "11001", "10001", "01110"],
    "1": ["00100", "01100", "00100", "00100", "00100", "00100", "01110"],
    "2": ["01110", "10001", "00001", "00010", "00100", "01000", "11111"],
    "3": ["11110", "00001", "00001", "01110", "00001", "00001", "11110"],
    "4": ["00010", "00110", "01010", "10010", "11111", "00010", "00010"],
    "5": ["11111", "10000", "11110", "00001", "00001", "10001", "01110"],
    "6": ["00110", "01000", "10000", "11110", "10001", "10001", "01110"],
    "7": ["11111", "00001", "00010", "00100", "01000", "01000", "01000"],
    "8": ["01110", "10001", "10001", "01110", "10001", "10001", "01110"],
    "9": ["01110", "10001", "10001", "01111", "00001", "00010", "01100"],
    "M": ["10001", "11011", "10101", "10101", "10001", "10001", "10001"],
    "T": ["11111", "00100", "00100", "00100", "00100", "00100", "00100"],
    "W": ["10001", "10001", "10001", "10101", "10101", "10101", "01010"],
    "F": ["11111", "10000", "10000", "11110", "10000", "10000", "10000"],
    "S": ["01111", "10000", "10000", "01110", "00001", "00001", "11110"],
    "H": ["10001", "10001", "10001", "11111", "10001", "10001", "10001"],
    "A": ["01110", "10001", "10001", "11111", "10001", "10001", "10001"],
    "s": ["00000", "00000", "01111", "10000", "01110", "00001", "11110"],
    "/": ["00001", "00010", "00010", "00100", "01000", "01000", "10000"],
    "h": ["10000", "10000", "10110", "11001", "10001", "10001", "10001"],
    "c": ["00000", "00000", "01110", "10000", "10000", "10001", "01110"],
    "a": ["00000", "00000", "01110", "00001", "01111", "10001", "01111"],
    "l": ["01100", "00100", "00100", "00100", "00100", "00100", "01110"],
    "o": ["00000", "00000", "01110", "10001", "10001", "10001", "01110"],
    "u": ["00000", "00000", "10001", "10001", "10001", "10011", "01101"],
    "r": ["00000", "00000", "10110", "11001", "10000", "10000", "10000"],
    "p": ["00000", "00000", "11110", "10001", "11110", "10000", "10000"],
    "t": ["01000", "01000", "11100", "01000", "01000", "01001", "00110"],
    "i": ["00100", "00000", "01100", "00100", "00100", "00100", "01110"],
    "f": ["00110", "01001", "01000", "11100", "01000", "01000", "01000"],
    "y": ["00000", "00000", "10001", "10001", "01111", "00001", "01110"],
    "q": ["00000", "00000", "01101", "10011", "01111", "00001", "00001"],
    "e": ["00000", "00000", "01110", "10001", "11111", "10000", "01110"],
    "n": ["00000", "00000", "10110", "11001", "10001", "10001", "10001"],
    "d": ["00001", "00001", "01101", "10011", "10001", "10001", "01111"],
    "m": ["00000", "00000", "11010", "10101", "10101", "10001", "10001"],
    "w": ["00000", "00000", "10001", "10001", "10101", "10101", "01010"],
    "k": ["10000", "10000", "10010", "10100", "11000", "10100", "10010"],
    " ": ["00000"] * 7,
    ",": ["00000", "00000", "00000", "00000", "00110", "00100", "01000"],
    "(": ["00010", "00100", "01000", "01000", "01000", "00100", "00010"],
    ")": ["01000", "00100", "00010", "00010", "00010", "00100", "01000"],
}

WHITE, BLACK, GREY = (255, 255, 255), (0, 0, 0), (215, 215, 215)
BLUE, ORANGE = (31, 119, 180), (255, 127, 14)


class Canvas:
    def __init__(self, width, height):
        self.width, self.height = width, height
        self.pixels = [[WHITE] * width for _ in range(height)]

    def dot(self, x, y, colour):
        if 0 <= x < self.width and 0 <= y < self.height:
            self.pixels[y][x] = colour

    def line(self, x0, y0, x1, y1, colour, thick=1):
        steps = max(abs(x1 - x0), abs(y1 - y0), 1)
        for i in range(steps + 1):
            x = round(x0 + (x1 - x0) * i / steps)
            y = round(y0 + (y1 - y0) * i / steps)
            for dx in range(thick):
                for dy in range(thick):
                    self.dot(x + dx, y + dy, colour)

    def text(self, x, y, words, colour=BLACK, scale=2):
        for ch in words:
            glyph = FONT.get(ch, FONT[" "])
            for row, bits in enumerate(glyph):
                for col, bit in enumerate(bits):
                    if bit == "1":
                        for dx in range(scale):
                            for dy in range(scale):
                                self.dot(x + col * scale + dx, y + row * scale + dy, colour)
            x += 6 * scale

    def png(self):
        raw = b"".join(b"\x00" + bytes(v for px in row for v in px) for row in self.pixels)

        def chunk(kind, data):
            body = kind + data
            return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

        header = struct.pack(">IIBBBBB", self.width, self.height, 8, 2, 0, 0, 0)
        return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) +
                chunk(b"IDAT", zlib.compress(raw, 9)) + chunk(b"IEND", b""))


def read_csv(path):
    ours, theirs = [], []
    with open(path) as source:
        for line in source:
            if line.startswith("#") or line.startswith("hour"):
                continue
            _, a, b = line.strip().split(",")
            ours.append(int(a))
            theirs.append(int(b))
    if not ours:
        sys.exit(f"{path} holds no rows")
    return ours, theirs


def plot(ours, theirs):
    width, height = 1100, 420
    left, right, top, bottom = 70, 20, 50, 60
    canvas = Canvas(width, height)
    plot_w, plot_h = width - left - right, height - top - bottom
    peak = max(max(ours), max(theirs))
    y_max = ((peak // 100) + 1) * 100
    hours = len(ours)

    def to_xy(hour, value):
        return (left + round(hour * plot_w / max(1, hours - 1)),
                top + plot_h - round(value * plot_h / y_max))

    for calls in range(0, y_max + 1, 100):  # grid and y labels
        _, y = to_xy(0, calls)
        canvas.line(left, y, left + plot_w, y, GREY)
        label = str(calls)
        canvas.text(left - 8 - len(label) * 12, y - 7, label)
    for day, name in enumerate(["Mo", "Tu", "We", "Th", "Fr", "Sa", "Su"]):
        x, _ = to_xy(day * 24, 0)
        canvas.line(x, top, x, top + plot_h, GREY)
        canvas.text(x + 4, top + plot_h + 10, name)
    canvas.line(left, top, left, top + plot_h, BLACK, 2)
    canvas.line(left, top + plot_h, left + plot_w, top + plot_h, BLACK, 2)
    for series, colour in ((theirs, ORANGE), (ours, BLUE)):
        for hour in range(1, hours):
            x0, y0 = to_xy(hour - 1, series[hour - 1])
            x1, y1 = to_xy(hour, series[hour])
            canvas.line(x0, y0, x1, y1, colour, 2)
    canvas.text(left, 12, "calls per hour, one simulated week")
    canvas.line(left + 470, 19, left + 500, 19, BLUE, 3)
    canvas.text(left + 508, 12, "spotify2mqtt", BLUE)
    canvas.line(left + 680, 19, left + 710, 19, ORANGE, 3)
    canvas.text(left + 718, 12, "Home Assistant", ORANGE)
    return canvas.png()


def main():
    if len(sys.argv) != 3:
        sys.exit("usage: plot_calls_per_hour.py CALLS.csv OUT.png")
    ours, theirs = read_csv(sys.argv[1])
    with open(sys.argv[2], "wb") as out:
        out.write(plot(ours, theirs))


if __name__ == "__main__":
    main()
