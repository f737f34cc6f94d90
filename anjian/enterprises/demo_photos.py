"""Demo site photos (issue 6 item 6): one drawn photo on each of the first enterprises of the demo town, so the
enterprise page shows the 照片与附件 panel with a thumbnail, a time and a position.

Each photo is drawn with Pillow and carries EXIF DateTimeOriginal and GPS near the enterprise's coordinates, then
goes through the same processing as a person's upload (anjian.core.attachments): the panel shows what the EXIF
said, and the stored file has no EXIF left.
"""

from __future__ import annotations

import datetime as dt
import random
from decimal import Decimal
from io import BytesIO

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.utils import timezone
from PIL import ExifTags, Image, ImageDraw, ImageFont
from PIL.TiffImagePlugin import IFDRational

from anjian.core.attachments import attachments_of, delete_rows, store_attachments
from anjian.core.models import Attachment
from anjian.core.registry import DemoOptions
from anjian.enterprises.models import Enterprise

DEMO_TOWN = "441900003000"  # 东城街道, the demo town of the demo accounts
PHOTO_COUNT = 8
# Marks the generated photos (Attachment.purpose), so they can be found and removed with the demo data.
DEMO_PURPOSE = "demo"
WIDTH, HEIGHT = 640, 480


def _dms(value: float) -> tuple[IFDRational, IFDRational, IFDRational]:
    """Decimal degrees as EXIF degrees, minutes and seconds (hundredths of a second)."""
    value = abs(value)
    degrees = int(value)
    minutes = int((value - degrees) * 60)
    seconds = round(((value - degrees) * 60 - minutes) * 60 * 100)
    return IFDRational(degrees, 1), IFDRational(minutes, 1), IFDRational(seconds, 100)


def _exif(taken_at: dt.datetime, latitude: Decimal | None, longitude: Decimal | None) -> Image.Exif:
    exif = Image.Exif()
    exif[ExifTags.Base.Make] = "anjian"
    exif[ExifTags.Base.Model] = "demo"
    details = exif.get_ifd(ExifTags.IFD.Exif)
    details[ExifTags.Base.DateTimeOriginal] = taken_at.strftime("%Y:%m:%d %H:%M:%S")
    details[ExifTags.Base.OffsetTimeOriginal] = taken_at.strftime("%z")[:3] + ":" + taken_at.strftime("%z")[3:]
    if latitude is not None and longitude is not None:
        gps = exif.get_ifd(ExifTags.IFD.GPSInfo)
        gps[ExifTags.GPS.GPSLatitudeRef] = "N" if latitude >= 0 else "S"
        gps[ExifTags.GPS.GPSLatitude] = _dms(float(latitude))
        gps[ExifTags.GPS.GPSLongitudeRef] = "E" if longitude >= 0 else "W"
        gps[ExifTags.GPS.GPSLongitude] = _dms(float(longitude))
    return exif


def _font(size: int) -> ImageFont.ImageFont | ImageFont.FreeTypeFont:
    try:
        return ImageFont.load_default(size=size)
    except (TypeError, OSError):  # Pillow built without FreeType: the fixed bitmap font
        return ImageFont.load_default()


def draw_site_photo(rng: random.Random, caption: str) -> Image.Image:
    """A plain picture of a workshop: sky, a saw-tooth roofed building, a chimney, a warning sign, an extinguisher."""
    image = Image.new("RGB", (WIDTH, HEIGHT))
    draw = ImageDraw.Draw(image)
    horizon = 330
    for y in range(horizon):
        shade = int(150 + 90 * y / horizon)
        draw.line([(0, y), (WIDTH, y)], fill=(shade - 60, shade - 20, 255))
    draw.rectangle([0, horizon, WIDTH, HEIGHT], fill=(120, 124, 118))
    wall = rng.choice([(214, 208, 196), (190, 200, 210), (222, 214, 170), (200, 186, 170)])
    left, right, top = 70, 470, 190
    draw.rectangle([left, top, right, horizon + 20], fill=wall, outline=(80, 80, 80), width=2)
    teeth = 4
    step = (right - left) // teeth
    for index in range(teeth):
        x = left + index * step
        draw.polygon([(x, top), (x + step, top - 45), (x + step, top)], fill=(95, 110, 130), outline=(60, 60, 60))
    for row in range(2):
        for column in range(rng.randint(4, 6)):
            x = left + 25 + column * 70
            y = top + 25 + row * 55
            if x + 40 < right - 10:
                draw.rectangle([x, y, x + 40, y + 30], fill=(150, 190, 220), outline=(70, 70, 70))
    draw.rectangle([right - 95, horizon - 60, right - 35, horizon + 20], fill=(90, 90, 95))
    chimney = right + 40
    draw.rectangle([chimney, 90, chimney + 28, horizon + 20], fill=(160, 80, 70), outline=(70, 40, 40))
    for puff in range(rng.randint(2, 4)):
        x, y, size = chimney + 10 + puff * 22, 70 - puff * 18, 26 + puff * 6
        draw.ellipse([x - size, y - size // 2, x + size, y + size // 2], fill=(225, 225, 225))
    sign_x, sign_y = 520, 380
    draw.rectangle([sign_x + 23, sign_y, sign_x + 29, HEIGHT - 20], fill=(70, 70, 70))
    draw.polygon([(sign_x, sign_y), (sign_x + 52, sign_y), (sign_x + 26, sign_y - 46)], fill=(250, 200, 0),
                 outline=(20, 20, 20))
    draw.text((sign_x + 21, sign_y - 34), "!", fill=(20, 20, 20), font=_font(26))
    draw.rounded_rectangle([40, 380, 62, 440], radius=6, fill=(200, 30, 30), outline=(90, 10, 10))
    draw.rectangle([46, 372, 56, 380], fill=(40, 40, 40))
    draw.text((12, HEIGHT - 30), caption, fill=(255, 160, 0), font=_font(18))
    return image


def _photo_bytes(image: Image.Image, exif: Image.Exif) -> bytes:
    buffer = BytesIO()
    image.save(buffer, "JPEG", quality=88, exif=exif)
    return buffer.getvalue()


def generate_demo_photos(options: DemoOptions) -> str:
    """`anjian demo`'s step for site photos: one photo on each of the first 8 enterprises (by name) of 东城街道
    that has no attachment yet. Answers a line for the terminal."""
    enterprises = list(
        Enterprise._base_manager.filter(region__parent__code=DEMO_TOWN).order_by("name", "id")[:PHOTO_COUNT]
    )
    if not enterprises:
        return "东城街道没有企业，未生成演示照片。"
    skipped = 0
    stored: list[Attachment] = []
    try:
        with transaction.atomic():
            skipped = _photograph(enterprises, options, stored)
    except BaseException:
        for row in stored:
            row.delete_files()
        raise
    return (
        f"东城街道前 {len(enterprises)} 家企业中 {len(stored)} 家各添加 1 张演示现场照片"
        f"（{skipped} 家已有附件，未添加）。"
    )


def _photograph(enterprises: list[Enterprise], options: DemoOptions, stored: list[Attachment]) -> int:
    """Add the photos, appending each stored row to `stored`; answers how many enterprises were skipped."""
    today = timezone.localdate()
    zone = timezone.get_default_timezone()
    skipped = 0
    for number, enterprise in enumerate(enterprises, 1):
        if attachments_of(enterprise).exists():
            skipped += 1
            continue
        rng = random.Random(f"{options.seed}-photo-{enterprise.uscc}")
        day = today - dt.timedelta(days=rng.randint(1, 30))
        taken_at = dt.datetime.combine(day, dt.time(rng.randint(8, 17), rng.randint(0, 59)), tzinfo=zone)
        latitude = longitude = None
        if enterprise.latitude is not None and enterprise.longitude is not None:
            # A few dozen metres from the registered point, as a phone's fix in the yard would be.
            latitude = enterprise.latitude + Decimal(str(round(rng.uniform(-0.0004, 0.0004), 6)))
            longitude = enterprise.longitude + Decimal(str(round(rng.uniform(-0.0004, 0.0004), 6)))
        image = draw_site_photo(rng, f"{taken_at:%Y-%m-%d %H:%M}  DEMO {number}")
        upload = SimpleUploadedFile(
            f"现场照片-{number}.jpg", _photo_bytes(image, _exif(taken_at, latitude, longitude)),
            content_type="image/jpeg",
        )
        stored.extend(store_attachments(obj=enterprise, files=[upload], purpose=DEMO_PURPOSE,
                                        note="演示照片：现场检查"))
    return skipped


def delete_demo_photos() -> int:
    """Delete the generated photos and their files (before the demo enterprises are deleted); answers the count."""
    # The files go only if the deletion commits (`--replace` runs inside the generator's transaction).
    return delete_rows(Attachment.objects.filter(purpose=DEMO_PURPOSE, content_type__app_label="enterprises",
                                                 content_type__model="enterprise"))
