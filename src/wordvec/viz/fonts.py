"""Fonts for labels: find one with Korean (and other CJK) glyphs so labels never show empty boxes.

matplotlib's default font (DejaVu Sans) has no Hangul; a label such as ``왕`` would render as
a box. :func:`label_fonts` returns a family list for matplotlib's per-glyph fallback
(matplotlib >= 3.6): the default font first, then a CJK font found on the system — Debian's
``fonts-nanum`` (NanumGothic) or ``fonts-noto-cjk`` (Noto Sans CJK), or any installed font
whose character map covers the labels. When none is found it warns once, naming the
packages to install.
"""

from __future__ import annotations

import functools
import warnings
from collections.abc import Iterable
from pathlib import Path

from wordvec.viz._extras import require

__all__ = ["CJK_FAMILIES", "find_cjk_font", "label_fonts", "missing_glyphs"]

#: Preferred families, best first (Korean-first because Korean is this project's second language).
CJK_FAMILIES = (
    "NanumGothic", "NanumBarunGothic", "Noto Sans CJK KR", "Noto Sans KR", "Noto Sans CJK JP",
    "Noto Sans CJK SC", "Source Han Sans KR", "Source Han Sans", "UnDotum", "Baekmuk Gulim",
    "Malgun Gothic", "AppleGothic", "Apple SD Gothic Neo", "WenQuanYi Zen Hei", "Droid Sans Fallback",
)
#: A Hangul syllable every Korean font has: used to tell a Korean-capable font from others.
_PROBE = "한"
_HINT = ("install a font with Korean/CJK glyphs, e.g. `apt-get install fonts-nanum` or "
         "`apt-get install fonts-noto-cjk` (Debian/Ubuntu), then delete matplotlib's font cache "
         "(~/.cache/matplotlib) if the font is still not found")


@functools.cache
def _charmap(path: str) -> frozenset[int]:
    ft2font = require("matplotlib.ft2font", "reading font character maps")
    try:
        return frozenset(ft2font.FT2Font(path).get_charmap())
    except (OSError, RuntimeError, ValueError):
        return frozenset()


def missing_glyphs(text: str, font_paths: Iterable[str | Path]) -> set[str]:
    """Characters of ``text`` (whitespace aside) that none of ``font_paths`` has a glyph for.

    >>> from matplotlib import font_manager
    >>> dejavu = font_manager.findfont("DejaVu Sans")
    >>> sorted(missing_glyphs("king 임금", [dejavu]))       # DejaVu Sans has no Hangul
    ['금', '임']
    """
    maps = [_charmap(str(p)) for p in font_paths]
    return {ch for ch in set(text) if not ch.isspace() and not any(ord(ch) in m for m in maps)}


@functools.cache
def find_cjk_font(text: str = _PROBE) -> tuple[str, Path] | None:
    """``(family, path)`` of an installed font that has glyphs for every character of ``text``.

    Known CJK families come first, then fonts whose file name suggests CJK, then the rest.
    Fonts installed after matplotlib built its font cache are found too (by scanning the
    system font directories) and registered with matplotlib. None when no font covers ``text``.
    """
    font_manager = require("matplotlib.font_manager", "finding a CJK font")
    manager = font_manager.fontManager
    registered = {(f.name, f.fname) for f in manager.ttflist}
    known_files = {path for _, path in registered}
    for name, path in _ranked(registered):
        if not missing_glyphs(text, [path]):
            return name, Path(path)
    unregistered = []
    for path in sorted(set(font_manager.findSystemFonts()) - known_files):
        try:
            unregistered.append((font_manager.get_font(path).family_name, path))
        except (OSError, RuntimeError, ValueError):
            continue
    for name, path in _ranked(unregistered):
        if not missing_glyphs(text, [path]):
            manager.addfont(path)
            return name, Path(path)
    return None


def _ranked(entries) -> list[tuple[str, str]]:
    """Known CJK families first, then CJK-looking file names, then the rest; never a "last resort"
    font (its character map points every code point at one placeholder box)."""
    entries = sorted((e for e in entries if "last resort" not in e[0].lower()), key=lambda e: e[1])
    rank = {name: i for i, name in enumerate(CJK_FAMILIES)}
    known = sorted((e for e in entries if e[0] in rank), key=lambda e: (rank[e[0]], e[1]))
    hinted = [e for e in entries if e[0] not in rank and any(
        k in Path(e[1]).name.lower() for k in ("cjk", "nanum", "hangul", "gothic", "kr", "han", "gulim", "batang"))]
    rest = [e for e in entries if e[0] not in rank and e not in hinted]
    return [*known, *hinted, *rest]


def _default_font() -> tuple[str, str]:
    font_manager = require("matplotlib.font_manager", "finding fonts")
    path = font_manager.findfont(font_manager.FontProperties())  # the rcParams default
    return font_manager.get_font(path).family_name, path


def label_fonts(labels: Iterable[str]) -> list[str]:
    """matplotlib font families (fallback order) that render every character of ``labels``.

    >>> label_fonts(["king", "queen"])                    # the default font covers Latin
    ['DejaVu Sans']

    The default font alone when it covers them; otherwise the default plus a CJK font. If no
    installed font covers them a UserWarning says which characters will show as boxes and how
    to install a font.
    """
    text = "".join(labels)
    default_name, default_path = _default_font()
    missing = missing_glyphs(text, [default_path])
    if not missing:
        return [default_name]
    found = find_cjk_font(_PROBE) if _is_cjk(missing) else None
    if found is None or missing_glyphs("".join(sorted(missing)), [found[1]]):
        found = find_cjk_font("".join(sorted(missing)))
    if found is None:
        sample = "".join(sorted(missing)[:10])
        warnings.warn(f"no installed font has glyphs for {len(missing)} label character(s) ({sample!r}); "
                      f"they will render as empty boxes: {_HINT}", UserWarning, stacklevel=2)
        return [default_name]
    return [default_name, found[0]]


def _is_cjk(chars: Iterable[str]) -> bool:
    return any(0x1100 <= ord(c) <= 0x11FF or 0x3000 <= ord(c) <= 0x9FFF or 0xAC00 <= ord(c) <= 0xD7AF
               or 0xF900 <= ord(c) <= 0xFAFF for c in chars)
