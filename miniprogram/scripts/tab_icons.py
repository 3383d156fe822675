"""Draw the tab bar's icons (首页, 地图, 公报, 我的): 81x81 PNGs, grey and blue, as app.json's tabBar uses them.

Run from the repository root: ``.venv/bin/python miniprogram/scripts/tab_icons.py`` (Pillow comes with
qrcode[pil]). Each shape is drawn at four times the size and scaled down, for smooth edges; WeChat
wants icons of at most 40 KB, 81x81 px recommended.
"""

from __future__ import annotations

from pathlib import Path

from PIL import Image, ImageDraw

SIZE, SCALE = 81, 4
COLOURS = {"": "#666666", "-active": "#1677ff"}  # app.json: tabBar color / selectedColor
OUT = Path(__file__).resolve().parents[1] / "images" / "tab"


def home(draw: ImageDraw.ImageDraw, ink: str, s: int) -> None:
    draw.polygon([(s * 0.14, s * 0.47), (s * 0.5, s * 0.14), (s * 0.86, s * 0.47)], fill=ink)
    draw.rectangle([s * 0.24, s * 0.44, s * 0.76, s * 0.84], fill=ink)
    draw.rectangle([s * 0.43, s * 0.60, s * 0.57, s * 0.84], fill=(0, 0, 0, 0))  # the door


def pin(draw: ImageDraw.ImageDraw, ink: str, s: int) -> None:
    draw.ellipse([s * 0.24, s * 0.12, s * 0.76, s * 0.64], fill=ink)
    draw.polygon([(s * 0.28, s * 0.48), (s * 0.5, s * 0.88), (s * 0.72, s * 0.48)], fill=ink)
    draw.ellipse([s * 0.40, s * 0.28, s * 0.60, s * 0.48], fill=(0, 0, 0, 0))


def document(draw: ImageDraw.ImageDraw, ink: str, s: int) -> None:
    draw.polygon([(s * 0.22, s * 0.12), (s * 0.64, s * 0.12), (s * 0.78, s * 0.26), (s * 0.78, s * 0.88),
                  (s * 0.22, s * 0.88)], fill=ink)
    for y in (0.38, 0.52, 0.66):
        draw.rectangle([s * 0.32, s * y, s * 0.68, s * (y + 0.05)], fill=(0, 0, 0, 0))


def person(draw: ImageDraw.ImageDraw, ink: str, s: int) -> None:
    draw.ellipse([s * 0.33, s * 0.12, s * 0.67, s * 0.46], fill=ink)
    draw.pieslice([s * 0.16, s * 0.52, s * 0.84, s * 1.2], 180, 360, fill=ink)


ICONS = {"home": home, "map": pin, "gazette": document, "me": person}


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    big = SIZE * SCALE
    for name, shape in ICONS.items():
        for suffix, ink in COLOURS.items():
            image = Image.new("RGBA", (big, big), (0, 0, 0, 0))
            shape(ImageDraw.Draw(image), ink, big)
            image.resize((SIZE, SIZE), Image.LANCZOS).save(OUT / f"{name}{suffix}.png", optimize=True)


if __name__ == "__main__":
    main()
