"""What the explorers with many changing numbers share to redraw in a few milliseconds.

matplotlib takes about a millisecond per text it lays out and draws, and PNG compression of
a whole picture takes several more. :class:`PillowText` draws a matplotlib ``Text`` with
Pillow, where matplotlib would draw it; :class:`BandedPNG` compresses again only the rows of
a picture that changed; :class:`PillowExplorer` is an :class:`~bplib.widgets.Explorer` that
redraws its shapes with matplotlib and its texts with Pillow. Notebook 01's network explorer,
04's chain explorer and 06's error explorer use them; their tests compare the result with
matplotlib's own drawing.
"""

from __future__ import annotations

import struct
import zlib

import numpy as np
from matplotlib import font_manager
from matplotlib.colors import to_rgba
from PIL import Image, ImageDraw, ImageFont

from ..widgets import Explorer


class PillowText:
    """A matplotlib ``Text`` drawn with Pillow, in the picture matplotlib would draw.

    Its string and colour are read from the artist (``update`` sets them as usual); its font
    file and size, its anchor and its baseline come from matplotlib's own layout of it, once
    (again if its font size changes). A line's baseline does not depend on the string
    (matplotlib sizes a line by the font's ascent and descent), so it stays put as the
    string changes. Two alignments, on one line, not rotated:

    - ``ha="center"``: the string is drawn whole, centred on matplotlib's anchor;
    - ``ha="right"`` (a monospace font), or ``ha="center"`` in a monospace font: each
      character at the start of its cell, as matplotlib places it (Pillow's own spacing is
      a little wider), so that a number sits where matplotlib would draw it.
    """

    def __init__(self, text):
        assert text.get_ha() in ("center", "right") and text.get_rotation() == 0
        self.text, self._size = text, None
        self.cells = text.get_ha() == "right" or "monospace" in text.get_fontfamily()

    def place(self, renderer):
        """Font, anchor and baseline (pixels from the top), as ``Text.draw`` computes them."""
        t = self.text
        prop = t.get_fontproperties()
        size_px = prop.get_size_in_points() * renderer.dpi / 72
        try:
            self.font = ImageFont.truetype(font_manager.findfont(prop), size_px)
        except TypeError:  # Pillow < 10.1 takes whole pixel sizes only
            self.font = ImageFont.truetype(font_manager.findfont(prop), round(size_px))
        self.x, y = t.get_transform().transform(t.get_position())
        (line,) = t._get_layout(renderer)[1]  # (text, (w, h, d), (x, y)); before 3.11: (.., x, y)
        dy = line[-1][1] if isinstance(line[-1], tuple) else line[-1]
        self.baseline = renderer.height - (y + dy)
        self.cell = line[1][0] / max(len(line[0]), 1)  # monospace: every character this wide
        self._size = prop.get_size_in_points()

    def draw(self, pixels, renderer):
        """Draw the text's current string and colour into ``pixels``, an (h, w, 4) array."""
        if self._size != self.text.get_fontsize():
            self.place(renderer)
        text = self.text.get_text()
        colour = tuple(
            round(255 * c) for c in to_rgba(self.text.get_color(), self.text.get_alpha())
        )
        if not self.cells:
            left, top, right, bottom = self.font.getbbox(text, anchor="ms")
            x0 = max(int(self.x + left) - 2, 0)  # a patch around its ink
            y0 = max(int(self.baseline + top) - 2, 0)
            x1, y1 = int(self.x + right) + 3, int(self.baseline + bottom) + 3
            pieces, anchor = [(self.x, text)], "ms"
        else:
            _, top, _, bottom = self.font.getbbox("0", anchor="ls")
            width = self.cell * len(text)
            left = self.x - (width if self.text.get_ha() == "right" else width / 2)
            x0, y0 = max(int(left) - 3, 0), max(int(self.baseline + top) - 3, 0)
            x1, y1 = int(left + width) + 4, int(self.baseline + bottom) + 4
            pieces, anchor = [(left + k * self.cell, c) for k, c in enumerate(text)], "ls"
        patch = Image.fromarray(pixels[y0:y1, x0:x1])  # drawing on a small copy is cheap
        draw = ImageDraw.Draw(patch)
        for x, piece in pieces:
            draw.text(
                (x - x0, self.baseline - y0), piece, font=self.font, fill=colour, anchor=anchor
            )
        pixels[y0:y1, x0:x1] = np.asarray(patch)


class BandedPNG:
    """PNG bytes of a picture that changes in places: each band of ``rows`` rows is
    compressed on its own and kept, so that only the bands that changed are compressed again.

    The picture is one zlib stream (as a PNG requires): a header, the bands' deflate blocks
    (each ended by a sync flush, so they join), an empty final block and the checksum of all
    the rows. Compression level 1, no row filter, like :func:`bplib.plotting.encode_png`.
    """

    END = zlib.compressobj(1, zlib.DEFLATED, -15).flush()  # an empty final deflate block

    def __init__(self, rows=16):
        self.rows, self._bands = rows, {}

    @staticmethod
    def _chunk(kind, data):
        return (
            struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
        )

    def encode(self, pixels):
        """PNG bytes of ``pixels``, an (h, w, 3) RGB or (h, w, 4) RGBA uint8 array."""
        h, w, channels = pixels.shape
        raw = np.zeros((h, 1 + channels * w), np.uint8)  # each row: filter 0 ("none"), pixels
        raw[:, 1:] = pixels.reshape(h, -1)
        parts = []
        for top in range(0, h, self.rows):
            band = raw[top : top + self.rows].tobytes()
            kept = self._bands.get(top)
            if kept is None or kept[0] != band:
                z = zlib.compressobj(1, zlib.DEFLATED, -15)
                kept = self._bands[top] = (band, z.compress(band) + z.flush(zlib.Z_SYNC_FLUSH))
            parts.append(kept[1])
        stream = b"\x78\x01" + b"".join(parts) + self.END + struct.pack(">I", zlib.adler32(raw))
        colour_type = {3: 2, 4: 6}[channels]  # RGB or RGBA, 8 bits per channel
        header = struct.pack(">IIBBBBB", w, h, 8, colour_type, 0, 0, 0)
        return (
            b"\x89PNG\r\n\x1a\n"
            + self._chunk(b"IHDR", header)
            + self._chunk(b"IDAT", stream)
            + self._chunk(b"IEND", b"")
        )


class PillowExplorer(Explorer):
    """An explorer whose changing shapes are drawn by matplotlib and changing texts by Pillow.

    The static figure is drawn once (blitting, as :class:`~bplib.widgets.Explorer` does); each
    event restores it, redraws ``shapes`` with matplotlib, draws ``texts`` (centred or
    right-aligned, see :class:`PillowText`) with Pillow, about 0.1 ms each instead of
    matplotlib's 1-3 ms, and compresses again only the bands of rows that changed
    (:class:`BandedPNG`). The texts are drawn last, on top of the shapes.
    """

    def __init__(self, fig, controls, update, caption, *, shapes, texts, title=None):
        self._labels = [PillowText(t) for t in texts]
        self._png = BandedPNG()
        super().__init__(fig, controls, update, caption, animated=shapes, title=title)

    def render(self):
        canvas = self.fig.canvas
        if self._background is None:
            for label in self._labels:  # matplotlib never draws them: Pillow does, below
                label.text.set_visible(False)
            canvas.draw()
            self.fig.set_layout_engine("none")
            for a in self.animated:
                a.set_animated(True)
            canvas.draw()
            self._background = canvas.copy_from_bbox(self.fig.bbox)
            renderer = canvas.get_renderer()
            for label in self._labels:
                label.place(renderer)
        canvas.restore_region(self._background)
        for a in self.animated:
            a.axes.draw_artist(a)
        pixels, renderer = np.array(canvas.buffer_rgba()), canvas.get_renderer()
        for label in self._labels:
            label.draw(pixels, renderer)
        return self._png.encode(pixels)
