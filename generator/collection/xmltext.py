"""XML as spreadsheet files hold it, read leniently and in linear time: tokens, attributes,
entities, Excel's escapes, the declared encoding (used by generator.collection.xlsx).

No regular expression here can backtrack over a part: every search moves forward, and an
unclosed tag, comment or CDATA section ends the part. Only the five predefined entities and
character references are expanded (the guard refuses any DTD).
"""

from __future__ import annotations

import codecs
import re

TEXT, CDATA, START, END = range(4)
_ATTR = re.compile(rb"""([\w:.-]+)\s*=\s*(?:"([^"]*)"|'([^']*)')""")
_NAME_END = re.compile(rb"[\s/]")


def tokens(xml: bytes):
    """(kind, local name or text, attribute bytes, self-closing) for each piece of `xml`.

    Linear in the length of `xml`: every search moves forward, and an unclosed tag, comment
    or CDATA section ends the part (what follows it cannot be read)."""
    find, n, pos = xml.find, len(xml), 0
    while pos < n:
        lt = find(b"<", pos)
        if lt < 0:
            yield TEXT, xml[pos:], b"", False
            return
        if lt > pos:
            yield TEXT, xml[pos:lt], b"", False
        if xml.startswith(b"<![CDATA[", lt):
            end = find(b"]]>", lt + 9)
            if end < 0:
                return
            yield CDATA, xml[lt + 9:end], b"", False
            pos = end + 3
            continue
        if xml.startswith(b"<!--", lt):
            end = find(b"-->", lt + 4)
            if end < 0:
                return
            pos = end + 3
            continue
        gt = find(b">", lt + 1)
        if gt < 0:
            return
        pos = gt + 1
        body = xml[lt + 1:gt]
        if body[:1] in (b"?", b"!"):
            continue
        closing = body.startswith(b"/")
        if closing:
            body = body[1:]
        self_closing = body.endswith(b"/")
        if self_closing:
            body = body[:-1]
        split = _NAME_END.search(body)
        name = body[:split.start()] if split else body
        attrs = body[split.start():] if split else b""
        yield (END if closing else START), name.rpartition(b":")[2], attrs, self_closing


_FAST_TOKEN = re.compile(rb"<(/?)([^\s/>!?]+)([^>]*?)(/?)>|([^<]+)")


def fast_tokens(xml: bytes):
    """tokens() in one regular-expression pass, for a part holding no comment, CDATA or
    declaration (what spreadsheet software writes); anything else goes to tokens(). Linear:
    the search stops at the last '>', so every '<' it tries has a '>' after it."""
    if b"<!" in xml or b"<?" in xml:
        yield from tokens(xml)
        return
    for match in _FAST_TOKEN.finditer(xml, 0, xml.rfind(b">") + 1):
        closing, name, attrs, slash, text = match.groups()
        if text is not None:
            yield TEXT, text, b"", False
        else:
            if b":" in name:
                name = name.rpartition(b":")[2]
            yield (END if closing else START), name, attrs, bool(slash)


def attributes(attrs: bytes) -> dict[bytes, str]:
    """Attributes by local name (either quote), values unescaped."""
    result = {}
    for match in _ATTR.finditer(attrs):
        value = match.group(2) if match.group(2) is not None else match.group(3)
        result[match.group(1).rpartition(b":")[2]] = unescape(value.decode("utf-8", "replace"))
    return result


_ENTITY = re.compile(r"&(#[0-9]+|#x[0-9A-Fa-f]+|lt|gt|amp|quot|apos);")
_PREDEFINED = {"lt": "<", "gt": ">", "amp": "&", "quot": '"', "apos": "'"}
_EXCEL_ESCAPE = re.compile(r"_x([0-9A-Fa-f]{4})_")


def _entity(match) -> str:
    name = match.group(1)
    if name[0] != "#":
        return _PREDEFINED[name]
    try:
        return chr(int(name[2:], 16) if name[1] in "xX" else int(name[1:]))
    except (ValueError, OverflowError):
        return match.group(0)


def unescape(text: str) -> str:
    """XML entities (the predefined five and character references only)."""
    return _ENTITY.sub(_entity, text) if "&" in text else text


def joined_text(parts: list[tuple[bytes, bool]]) -> tuple[str, bool]:
    """(text, valid): text pieces joined, entities resolved outside CDATA, line ends
    normalised as an XML parser does; valid is False when the bytes were not UTF-8."""
    pieces, valid = [], True
    for data, is_cdata in parts:
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError:
            text, valid = data.decode("utf-8", "replace"), False
        text = text.replace("\r\n", "\n").replace("\r", "\n")
        pieces.append(text if is_cdata else unescape(text))
    return "".join(pieces), valid


def excel_unescape(text: str) -> str:
    """Excel's escapes for characters XML cannot hold (_x000D_ is a carriage return)."""
    return _EXCEL_ESCAPE.sub(lambda m: chr(int(m.group(1), 16)), text) if "_x" in text else text


_DECLARED = re.compile(rb"""^<\?xml[^>]*?encoding\s*=\s*["']([\w.:-]+)["']""")


def utf8(xml: bytes) -> bytes:
    """The part as UTF-8, whatever encoding it declares (or its byte-order mark says)."""
    if xml.startswith(codecs.BOM_UTF8):
        return xml[3:]
    if xml.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return xml.decode("utf-16", "replace").encode("utf-8")
    declared = _DECLARED.match(xml[:200])
    if declared:
        name = declared.group(1).decode("ascii").lower()
        try:
            codec = codecs.lookup(name).name
        except LookupError:
            return xml
        if codec not in ("utf-8", "ascii"):
            return xml.decode(codec, "replace").encode("utf-8")
    return xml
