"""Drawing helpers shared by the tests/test_ocr_* modules (no tests here).

Pages and crops are drawn in the tests themselves, with WenQuanYi Zen Hei
(Debian fonts-wqy-zenhei), so every expected value is known exactly."""

from __future__ import annotations

import hashlib
import io
from pathlib import Path

import numpy as np
from PIL import Image, ImageDraw, ImageFont

FONT = "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc"
A4_200DPI = (1654, 2339)


def font(size: int) -> ImageFont.FreeTypeFont:
    return ImageFont.truetype(FONT, size)


def blank_page(size=A4_200DPI) -> Image.Image:
    return Image.new("L", size, 255)


def text_crop(text: str, size: int = 32, pad: int = 16) -> np.ndarray:
    """A tight white crop holding one line of ``text`` in black."""
    face = font(size)
    x0, top, x1, bottom = face.getbbox(text)
    image = Image.new("L", (x1 - x0 + 2 * pad, bottom - top + 2 * pad), 255)
    ImageDraw.Draw(image).text((pad - x0, pad - top), text, font=face, fill=0)
    return np.asarray(image)


def draw_grid(draw: ImageDraw.ImageDraw, xs: list[int], ys: list[int], width: int = 2) -> None:
    draw.rectangle((xs[0], ys[0], xs[-1], ys[-1]), outline=0, width=width + 1)
    for y in ys[1:-1]:
        draw.line((xs[0], y, xs[-1], y), fill=0, width=width)
    for x in xs[1:-1]:
        draw.line((x, ys[0], x, ys[-1]), fill=0, width=width)


def image_pdf(path: Path, image: Image.Image, dpi: float = 200) -> Path:
    """A one-page PDF holding ``image`` at ``dpi`` and no text: a scan."""
    import pypdfium2 as pdfium

    pdf = pdfium.PdfDocument.new()
    width, height = image.width * 72 / dpi, image.height * 72 / dpi
    page = pdf.new_page(width, height)
    obj = pdfium.PdfImage.new(pdf)
    obj.set_bitmap(pdfium.PdfBitmap.from_pil(image.convert("RGB")))
    obj.set_matrix(pdfium.PdfMatrix().scale(width, height))
    page.insert_obj(obj)
    page.gen_content()
    buffer = io.BytesIO()
    pdf.save(buffer)
    path.write_bytes(buffer.getvalue())
    return path


def minimal_pdf(objects: list[str], trailer_extra: str = "") -> bytes:
    """A PDF file from object bodies (object 1 is the catalog), with a correct xref."""
    out = b"%PDF-1.4\n"
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += f"{number} 0 obj\n{body}\nendobj\n".encode("latin-1")
    xref = len(out)
    out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
    out += b"".join(f"{offset:010d} 00000 n \n".encode() for offset in offsets)
    out += f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R {trailer_extra}>>\nstartxref\n{xref}\n%%EOF\n".encode("latin-1")
    return out


PAD = bytes.fromhex("28BF4E5E4E758A4164004E56FFFA01082E2E00B6D0683E802F0CA9FE6453697A")


def rc4(key: bytes, data: bytes) -> bytes:
    s = list(range(256))
    j = 0
    for i in range(256):
        j = (j + s[i] + key[i % len(key)]) % 256
        s[i], s[j] = s[j], s[i]
    i = j = 0
    out = bytearray()
    for byte in data:
        i = (i + 1) % 256
        j = (j + s[i]) % 256
        s[i], s[j] = s[j], s[i]
        out.append(byte ^ s[(s[i] + s[j]) % 256])
    return bytes(out)


def encrypted_pdf(user: bytes = b"secret", owner: bytes = b"owner") -> bytes:
    """A one-page PDF under the standard security handler (RC4 40-bit, revision 2,
    PDF 1.7 section 7.6.3), opening only with the user password ``secret``."""
    padded = lambda password: (password + PAD)[:32]  # noqa: E731
    o_entry = rc4(hashlib.md5(padded(owner)).digest()[:5], padded(user))
    permissions = (-4).to_bytes(4, "little", signed=True)
    file_id = b"0123456789abcdef"
    key = hashlib.md5(padded(user) + o_entry + permissions + file_id).digest()[:5]
    u_entry = rc4(key, PAD)
    encrypt = f"<< /Filter /Standard /V 1 /R 2 /O <{o_entry.hex()}> /U <{u_entry.hex()}> /P -4 >>"
    return minimal_pdf(
        ["<< /Type /Catalog /Pages 2 0 R >>", "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
         "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 100 100] >>", encrypt],
        f"/Encrypt 4 0 R /ID [<{file_id.hex()}> <{file_id.hex()}>] ",
    )
