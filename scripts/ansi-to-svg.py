#!/usr/bin/env python3
"""Turns a colour terminal capture (`tmux capture-pane -e -p`) into an SVG picture for the README.

Understands what the explorer draws with: SGR 0 (reset), 1 (bold), 2 (dim), 7 (reverse), 22, 27,
38;5;n and 48;5;n (the 256-colour palette), 39 and 49 (default colours). Every character takes one
cell. Block elements (half and full blocks) are drawn as rectangles, so the letters stay crisp
whatever font the viewer has; everything else is text in a monospace font, placed cell by cell.

Usage: scripts/ansi-to-svg.py capture.ans picture.svg
"""
import re
import sys
from xml.sax.saxutils import escape

CELL_WIDTH, CELL_HEIGHT, FONT_SIZE = 8.4, 17.0, 14
# A terminal window's inner margin: without it the bottom row's descenders (and, in some renderers,
# more of the row) fall outside the picture.
PADDING = 6
DEFAULT_FOREGROUND, DEFAULT_BACKGROUND = "#d0d0d0", "#1c1c1c"


def palette(n):
    """xterm's 256 colours: 16 system colours, a 6x6x6 cube, 24 greys."""
    system = ["#000000", "#cd0000", "#00cd00", "#cdcd00", "#0000ee", "#cd00cd", "#00cdcd", "#e5e5e5",
              "#7f7f7f", "#ff0000", "#00ff00", "#ffff00", "#5c5cff", "#ff00ff", "#00ffff", "#ffffff"]
    if n < 16:
        return system[n]
    if n < 232:
        n -= 16
        levels = [0, 95, 135, 175, 215, 255]
        return "#%02x%02x%02x" % (levels[n // 36], levels[n // 6 % 6], levels[n % 6])
    grey = 8 + 10 * (n - 232)
    return "#%02x%02x%02x" % (grey, grey, grey)


def dimmed(colour):
    r, g, b = (int(colour[i:i + 2], 16) for i in (1, 3, 5))
    return "#%02x%02x%02x" % (r * 3 // 5, g * 3 // 5, b * 3 // 5)


def parse(text):
    """Rows of cells (character, foreground, background, bold)."""
    rows = []
    state = {"fg": None, "bg": None, "bold": False, "dim": False, "reverse": False}
    for line in text.rstrip("\n").split("\n"):
        cells = []
        for token in re.split(r"(\x1b\[[0-9;]*m)", line):
            if token.startswith("\x1b["):
                codes = [int(c) if c else 0 for c in token[2:-1].split(";")]
                i = 0
                while i < len(codes):
                    code = codes[i]
                    if code == 0:
                        state.update(fg=None, bg=None, bold=False, dim=False, reverse=False)
                    elif code == 1:
                        state["bold"] = True
                    elif code == 2:
                        state["dim"] = True
                    elif code == 22:
                        state.update(bold=False, dim=False)
                    elif code == 7:
                        state["reverse"] = True
                    elif code == 27:
                        state["reverse"] = False
                    elif code in (38, 48) and i + 2 < len(codes) and codes[i + 1] == 5:
                        state["fg" if code == 38 else "bg"] = palette(codes[i + 2])
                        i += 2
                    elif code == 39:
                        state["fg"] = None
                    elif code == 49:
                        state["bg"] = None
                    i += 1
                continue
            for character in token:
                fg = state["fg"] or DEFAULT_FOREGROUND
                bg = state["bg"] or DEFAULT_BACKGROUND
                if state["dim"]:
                    fg = dimmed(fg)
                if state["reverse"]:
                    fg, bg = bg, fg
                cells.append((character, fg, bg, state["bold"]))
        rows.append(cells)
    return rows


def svg(rows):
    columns = max((len(r) for r in rows), default=0)
    width, height = columns * CELL_WIDTH + 2 * PADDING, len(rows) * CELL_HEIGHT + 2 * PADDING
    out = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{width:.0f}" height="{height:.0f}" '
           f'viewBox="0 0 {width:.1f} {height:.1f}" shape-rendering="crispEdges">',
           f'<rect width="100%" height="100%" fill="{DEFAULT_BACKGROUND}"/>',
           f'<g transform="translate({PADDING},{PADDING})" '
           f'font-family="DejaVu Sans Mono, Menlo, Consolas, monospace" font-size="{FONT_SIZE}">']
    half = CELL_HEIGHT / 2
    for y, cells in enumerate(rows):
        top = y * CELL_HEIGHT
        run = []          # consecutive text cells of one style: [(x, character)], drawn as one <text>

        def flush():
            while run and run[-1][1] == " ":
                run.pop()
            if run:
                (first, _, fg, bold), count = run[0][0], len(run)
                text = escape("".join(c for _, c in run))
                weight = ' font-weight="bold"' if bold else ""
                # textLength pins the run to its cells whatever the font's advance width.
                out.append(f'<text x="{first * CELL_WIDTH:.1f}" y="{top + CELL_HEIGHT * 0.78:.1f}" fill="{fg}"{weight} '
                           f'textLength="{count * CELL_WIDTH:.1f}" lengthAdjust="spacingAndGlyphs" '
                           f'xml:space="preserve">{text}</text>')
            run.clear()

        blocks = {"▀": (0, half), "▄": (half, half), "█": (0, CELL_HEIGHT)}
        for x, (character, fg, bg, bold) in enumerate(cells):
            left = x * CELL_WIDTH
            if bg != DEFAULT_BACKGROUND:
                out.append(f'<rect x="{left:.1f}" y="{top:.1f}" width="{CELL_WIDTH}" height="{CELL_HEIGHT}" fill="{bg}"/>')
            if character in blocks:
                flush()
                offset, size = blocks[character]
                out.append(f'<rect x="{left:.1f}" y="{top + offset:.1f}" width="{CELL_WIDTH}" height="{size}" fill="{fg}"/>')
                continue
            if character == " " and not run:
                continue
            if run and (run[0][0][2], run[0][0][3]) != (fg, bold) and character != " ":
                flush()
            run.append(((x, character, fg, bold), character))
        flush()
    out.append("</g></svg>")
    return "\n".join(out) + "\n"


def main():
    if len(sys.argv) != 3:
        sys.exit("usage: ansi-to-svg.py capture.ans picture.svg")
    with open(sys.argv[1], encoding="utf-8") as source:
        rows = parse(source.read())
    with open(sys.argv[2], "w", encoding="utf-8") as target:
        target.write(svg(rows))


if __name__ == "__main__":
    main()
