"""The bot challenge of the public report form (issue 8 item 6: "a bot challenge that works offline").

No third-party service and no internet: the page shows a small picture, drawn here with Pillow, of a sum such as
“7 + 5 = ?”, and the person types the answer. The form carries a signed token (django.core.signing, with the time
it was issued) holding a random nonce, never the answer: the sum is derived from the nonce with an HMAC under the
site's secret key, so neither the token nor the page tells a bot the answer without reading the picture. A token
answers once (the nonce is marked used in the shared cache) and expires after CHALLENGE_MAX_AGE seconds. Nothing
is kept in a session, so an anonymous visitor writes no session row.

The picture is a data: URL in the page (the Content-Security-Policy allows `img-src data:`). A person who cannot
read it can still report by telephone or through the API; this is a speed bump against form-filling bots (with the
honeypot field of forms_public and the rate limit per address), not a wall against a determined attacker.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets
import unicodedata
from dataclasses import dataclass
from io import BytesIO

from django.conf import settings
from django.core import signing
from django.core.cache import cache
from PIL import Image, ImageDraw, ImageFont

SALT = "anjian.hazards.public-report-challenge"
CHALLENGE_MAX_AGE = 30 * 60
WIDTH, HEIGHT = 200, 64


@dataclass(frozen=True)
class Challenge:
    token: str
    image: str  # a data: URL of the PNG


def _numbers(nonce: str) -> tuple[int, int, str]:
    digest = hmac.new(settings.SECRET_KEY.encode(), f"{SALT}:{nonce}".encode(), hashlib.sha256).digest()
    first, second = 2 + digest[0] % 18, 1 + digest[1] % 9
    if digest[2] % 2 and first > second:
        return first, second, "-"
    return first, second, "+"


def question_for(nonce: str) -> tuple[str, int]:
    """The sum drawn for `nonce` and its answer (the same for the same nonce and secret key)."""
    first, second, operator = _numbers(nonce)
    answer = first - second if operator == "-" else first + second
    return f"{first} {operator} {second} = ?", answer


def draw(text: str) -> bytes:
    """A PNG of `text` with each character a little displaced, over noise lines and dots."""
    rng = secrets.SystemRandom()
    image = Image.new("RGB", (WIDTH, HEIGHT), (246, 248, 250))
    pen = ImageDraw.Draw(image)
    for _line in range(6):
        pen.line([(rng.randint(0, WIDTH), rng.randint(0, HEIGHT)), (rng.randint(0, WIDTH), rng.randint(0, HEIGHT))],
                 fill=(rng.randint(150, 210), rng.randint(150, 210), rng.randint(150, 210)), width=1)
    font = ImageFont.load_default(size=30)
    x = 12
    for char in text:
        if char == " ":
            x += 8
            continue
        y = 14 + rng.randint(-6, 6)
        pen.text((x, y), char, font=font, fill=(rng.randint(10, 80), rng.randint(10, 80), rng.randint(60, 140)))
        x += int(pen.textlength(char, font=font)) + rng.randint(2, 6)
    for _dot in range(120):
        pen.point((rng.randint(0, WIDTH - 1), rng.randint(0, HEIGHT - 1)),
                  fill=(rng.randint(100, 200), rng.randint(100, 200), rng.randint(100, 200)))
    buffer = BytesIO()
    image.save(buffer, "PNG")
    return buffer.getvalue()


def new_challenge() -> Challenge:
    nonce = secrets.token_urlsafe(12)
    token = signing.TimestampSigner(salt=SALT).sign(nonce)
    picture = base64.b64encode(draw(question_for(nonce)[0])).decode("ascii")
    return Challenge(token=token, image=f"data:image/png;base64,{picture}")


def _nonce(token: str) -> str | None:
    try:
        return signing.TimestampSigner(salt=SALT).unsign(str(token or ""), max_age=CHALLENGE_MAX_AGE)
    except signing.BadSignature:
        # SignatureExpired is a BadSignature: an old page answers like a forged token.
        return None


def read_answer(value: str) -> int | None:
    text = unicodedata.normalize("NFKC", str(value or "")).strip()
    if not text or len(text) > 4 or not text.lstrip("-").isdigit():
        return None
    return int(text)


def solution(token: str) -> int | None:
    """The answer to the challenge of `token` (None for a forged or expired one): what the picture shows, for
    tests and for the operators' own scripts that hold the secret key."""
    nonce = _nonce(token)
    return None if nonce is None else question_for(nonce)[1]


def check(token: str, answer: str) -> bool:
    """Whether `answer` solves the challenge of `token`; a right answer uses the token up (it answers once)."""
    nonce = _nonce(token)
    given = read_answer(answer)
    if nonce is None or given is None or given != question_for(nonce)[1]:
        return False
    return cache.add(f"anjian:publicreport:challenge:{nonce}", True, CHALLENGE_MAX_AGE)
