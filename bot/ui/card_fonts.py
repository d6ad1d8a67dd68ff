"""Fonts for the text drawn on images (the rank card) in every script the bot speaks.

Pillow's own font (Aileron) draws Latin scripts only; Greek, Cyrillic, Japanese, Korean, Chinese,
Hindi and Thai would show as empty boxes (the font's "notdef" glyph). So each text is drawn with
the first font that has a glyph for each of its characters: Pillow's own, then the system fonts
Debian's `fonts-noto-core` and `fonts-noto-cjk` install (and DejaVu Sans), then whatever
fontconfig's `fc-match` finds, when it is installed. A character is covered when its glyph is not
the font's notdef glyph (the one it draws for U+FFFF, which no font maps). Every answer is cached:
a font file is read once, each character is checked once per font. When no font covers a text,
the one covering most of it draws it (Pillow's own when none does better): never an error.
"""

from __future__ import annotations

import logging
import shutil
import subprocess
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from PIL import ImageFont

from bot.i18n.messages import known_locale

log = logging.getLogger(__name__)

Font = ImageFont.FreeTypeFont | ImageFont.ImageFont
# A font file and the face in it (a .ttc collection holds several); None is Pillow's own font.
Face = tuple[str, int] | None

NOTO = "/usr/share/fonts/truetype/noto"
NOTO_CJK = "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc"
# The faces of NotoSansCJK-Regular.ttc: the same characters, drawn the way each language does.
CJK_FACES = {"ja": 0, "ko": 1, "zh-CN": 2, "zh-TW": 3}
SYSTEM_FONTS = (
    f"{NOTO}/NotoSans-Regular.ttf",  # Latin (Vietnamese too), Greek, Cyrillic
    NOTO_CJK,
    f"{NOTO}/NotoSansDevanagari-Regular.ttf",
    f"{NOTO}/NotoSansThai-Regular.ttf",
    "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf",
)
PROBE_SIZE = 16
NOT_A_CHARACTER = "\uffff"
# Characters every font "covers": spaces, line breaks and invisible format characters.
BLANK_CATEGORIES = frozenset({"Zs", "Zl", "Zp", "Cc", "Cf"})
FC_MATCH_TIMEOUT = 2.0
FC_MATCH_MAX_CHARACTERS = 8  # fontconfig is asked about this many uncovered characters per text

_fallback_logged = False


@lru_cache(maxsize=256)
def load(face: Face, size: int) -> Font:
    if face is None:
        return ImageFont.load_default(size=size)
    return ImageFont.truetype(face[0], size, index=face[1])


def _glyph(font: ImageFont.FreeTypeFont, char: str) -> tuple[tuple[int, int], bytes]:
    mask = font.getmask(char)
    return mask.size, bytes(mask)


@lru_cache(maxsize=64)
def _notdef(face: Face) -> tuple[tuple[int, int], bytes] | None:
    font = load(face, PROBE_SIZE)
    return _glyph(font, NOT_A_CHARACTER) if isinstance(font, ImageFont.FreeTypeFont) else None


@lru_cache(maxsize=65536)
def covers(face: Face, char: str) -> bool:
    """Whether `face` has a glyph for `char` (not its notdef box)."""
    if unicodedata.category(char) in BLANK_CATEGORIES:
        return True
    font = load(face, PROBE_SIZE)
    if not isinstance(font, ImageFont.FreeTypeFont):  # Pillow without FreeType: a bitmap font
        return char.isascii()
    return _glyph(font, char) != _notdef(face)


def _loads(face: Face) -> bool:
    try:
        load(face, PROBE_SIZE)
    except OSError:
        return False
    return True


@lru_cache(maxsize=64)
def candidates(language: str) -> tuple[Face, ...]:
    """The faces to try, in order, for a text in `language` (a Discord locale code)."""
    faces: list[Face] = [None]
    for path in SYSTEM_FONTS:
        index = CJK_FACES.get(language, 0) if path == NOTO_CJK else 0
        if Path(path).is_file() and _loads((path, index)):
            faces.append((path, index))
    return tuple(faces)


@lru_cache(maxsize=4096)
def _fc_match(char: str) -> Face:
    """The face fontconfig picks for `char` when it has it; None otherwise (or no fontconfig)."""
    command = shutil.which("fc-match")
    if command is None:
        return None
    pattern = f"sans-serif:charset={ord(char):x}"
    try:
        found = subprocess.run(
            [command, "--format=%{file}\t%{index}", pattern],
            capture_output=True,
            text=True,
            timeout=FC_MATCH_TIMEOUT,
            check=False,
        ).stdout
        path, index = found.split("\t")
        face: Face = (path, int(index))
    except (OSError, subprocess.SubprocessError, ValueError):
        return None
    return face if _loads(face) and covers(face, char) else None


def _score(face: Face, chars: Iterable[str]) -> int:
    return sum(covers(face, char) for char in chars)


@lru_cache(maxsize=2048)
def face_for(chars: frozenset[str], language: str) -> Face:
    """The first face that covers every one of `chars`, or the one covering the most."""
    faces = list(candidates(language))
    for face in faces:
        if all(covers(face, char) for char in chars):
            return face
    missing = sorted(c for c in chars if not any(covers(face, c) for face in faces))
    for char in missing[:FC_MATCH_MAX_CHARACTERS]:
        found = _fc_match(char)
        if found is not None and found not in faces:
            faces.append(found)
    best = max(faces, key=lambda face: _score(face, chars))  # the first among equals
    if all(covers(best, char) for char in chars):
        return best
    global _fallback_logged
    if not _fallback_logged:
        _fallback_logged = True
        log.info(
            "No installed font has every character of %r; images draw the missing ones as boxes "
            "(install fonts-noto-core and fonts-noto-cjk)",
            "".join(sorted(chars)),
        )
    return best


@dataclass(frozen=True)
class Typefaces:
    """The fonts of one image: `main` for every text it covers (so the image keeps one look),
    the text's own choice for the others."""

    main: Face
    language: str

    @classmethod
    def for_text(cls, texts: Iterable[str], locale: object = None) -> Typefaces:
        language = known_locale(locale)
        return cls(face_for(frozenset("".join(texts)), language), language)

    def __call__(self, size: int, text: str) -> Font:
        chars = frozenset(text)
        if all(covers(self.main, char) for char in chars):
            return load(self.main, size)
        return load(face_for(chars, self.language), size)
