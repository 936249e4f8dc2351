"""Make a clean page image look scanned: tilt, blur, uneven light, noise, JPEG.

Everything is driven by one integer seed, so the same (image, level, seed)
always gives byte-identical output.  Only Pillow and numpy are used.
"""

from __future__ import annotations

import io
import math
from dataclasses import dataclass

import numpy as np
from PIL import Image, ImageFilter


@dataclass(frozen=True)
class Level:
    max_rotation_deg: float
    blur_sigma: float  # px at 200 dpi; scaled with the image's dpi
    noise_sigma: float  # grey levels
    lighting_drop: float  # darkest corner loses this fraction of brightness
    jpeg_quality: int | None  # also the quality the stand-in PDFs store pages at
    paper: int  # grey of blank paper
    ink: int  # grey of solid ink


LEVELS = {
    "clean": Level(0.0, 0.0, 0.0, 0.0, None, 255, 0),
    "scan": Level(1.0, 0.7, 3.0, 0.10, 60, 240, 40),
    "heavy": Level(2.0, 1.3, 12.0, 0.28, 30, 225, 70),
}


def rng_for(seed: int, stream: int) -> np.random.Generator:
    # One independent stream per effect, so tuning one effect leaves the others alone.
    return np.random.default_rng([seed, stream])


def page_rotation_deg(level: str, seed: int) -> float:
    """Counter-clockwise tilt for this seed: at least 40% of the level's maximum."""
    limit = LEVELS[level].max_rotation_deg
    if limit == 0:
        return 0.0
    rng = rng_for(seed, 1)
    magnitude = limit * rng.uniform(0.4, 1.0)
    return round(float(magnitude if rng.random() < 0.5 else -magnitude), 3)


def rotate_point(x: float, y: float, angle_deg: float, size: tuple[int, int]) -> tuple[float, float]:
    """Where PIL's Image.rotate(angle_deg) about the centre moves pixel (x, y)."""
    cx, cy = size[0] / 2, size[1] / 2
    a = math.radians(angle_deg)
    dx, dy = x - cx, y - cy
    return cx + dx * math.cos(a) + dy * math.sin(a), cy - dx * math.sin(a) + dy * math.cos(a)


def rotate_bbox(bbox: list[int], angle_deg: float, size: tuple[int, int]) -> list[int]:
    """Axis-aligned envelope of a bbox after the page is rotated."""
    x0, y0, x1, y1 = bbox
    corners = [rotate_point(x, y, angle_deg, size) for x, y in ((x0, y0), (x1, y0), (x0, y1), (x1, y1))]
    xs, ys = [c[0] for c in corners], [c[1] for c in corners]
    return [math.floor(min(xs)), math.floor(min(ys)), math.ceil(max(xs)), math.ceil(max(ys))]


def lighting_field(shape: tuple[int, int], drop: float, rng: np.random.Generator) -> np.ndarray:
    """A smooth brightness factor in [1 - drop, 1]: a tilted gradient plus a soft vignette."""
    h, w = shape
    ys, xs = np.mgrid[0:h, 0:w].astype(np.float32)
    xs, ys = xs / w - 0.5, ys / h - 0.5
    theta = rng.uniform(0, 2 * math.pi)
    gradient = xs * math.cos(theta) + ys * math.sin(theta)  # in about [-0.7, 0.7]
    vignette = xs**2 + ys**2  # 0 at the centre, 0.5 in the corners
    shade = 0.6 * (gradient + 0.71) / 1.42 + 0.4 * vignette / 0.5
    return (1.0 - drop * shade).astype(np.float32)


def scanned_pixels(image: Image.Image, level: str, seed: int, dpi: int) -> Image.Image:
    """Every effect but the JPEG step: tones, tilt, blur, uneven light, noise."""
    params = LEVELS[level]
    gray = image.convert("L")
    if level == "clean":
        return gray.copy()
    # Ink is never pure black nor paper pure white on a scan.
    tones = np.asarray(gray, dtype=np.float32) / 255.0
    toned = params.ink + tones * (params.paper - params.ink)
    page = Image.fromarray(np.clip(toned + 0.5, 0, 255).astype(np.uint8))
    page = page.rotate(page_rotation_deg(level, seed), resample=Image.Resampling.BICUBIC,
                       fillcolor=params.paper)
    if params.blur_sigma:
        page = page.filter(ImageFilter.GaussianBlur(params.blur_sigma * dpi / 200))
    pixels = np.asarray(page, dtype=np.float32)
    pixels = pixels * lighting_field(pixels.shape, params.lighting_drop, rng_for(seed, 2))
    pixels = pixels + rng_for(seed, 3).normal(0.0, params.noise_sigma, pixels.shape)
    return Image.fromarray(np.clip(pixels + 0.5, 0, 255).astype(np.uint8))


def degrade_to_jpeg(image: Image.Image, level: str = "scan", seed: int = 0, dpi: int = 200,
                    clean_quality: int = 75) -> bytes:
    """The degraded page as JPEG bytes; the JPEG step is the level's last degradation.

    The stand-in PDFs embed these bytes, so decoding them gives exactly what
    degrade() returns for the same arguments.
    """
    quality = LEVELS[level].jpeg_quality or clean_quality
    buffer = io.BytesIO()
    scanned_pixels(image, level, seed, dpi).save(buffer, format="JPEG", quality=quality,
                                                 optimize=True)
    return buffer.getvalue()


def degrade(image: Image.Image, level: str = "scan", seed: int = 0, dpi: int = 200) -> Image.Image:
    """Return a scanned-looking greyscale copy of `image` (levels: clean, scan, heavy)."""
    if LEVELS[level].jpeg_quality is None:
        return scanned_pixels(image, level, seed, dpi)
    jpeg = degrade_to_jpeg(image, level, seed, dpi)
    return Image.open(io.BytesIO(jpeg)).convert("L")
