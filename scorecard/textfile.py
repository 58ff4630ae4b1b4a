"""Text files as officers save them: which encoding a CSV is in, and saying so when it was a guess.

Excel on Windows saves "CSV (Comma delimited)" in Windows-1252 (cp1252: '£' is byte 0xA3), "CSV
UTF-8" with a byte-order mark, and "Unicode Text" in UTF-16. `decode_text` reads all of them, and
returns a note when the encoding was assumed rather than marked (cp1252), so the caller can say so.
"""

from __future__ import annotations

import codecs

from scorecard.errors import ScorecardError

_BOMS = ((codecs.BOM_UTF8, "utf-8-sig", None),
         (codecs.BOM_UTF16_LE, "utf-16", "UTF-16 (Excel's Unicode Text)"),
         (codecs.BOM_UTF16_BE, "utf-16", "UTF-16 (Excel's Unicode Text)"))


def decode_text(data: bytes, name: str) -> tuple[str, str | None]:
    """(text, note): UTF-8 (with or without a BOM), UTF-16 with a BOM, else Windows-1252.

    The note is None for UTF-8 and says which encoding was assumed otherwise. Bytes that are none
    of these (or binary content) raise ScorecardError naming `name`.
    """
    for bom, codec, label in _BOMS:
        if data.startswith(bom):
            try:
                text = data.decode(codec)
            except UnicodeDecodeError as error:
                raise ScorecardError(f"{name}: starts as {codec} text but byte {error.start} is not "
                                     f"({error.reason}); save it again from Excel as CSV UTF-8") from None
            return text, None if label is None else f"{name}: read as {label}"
    if b"\0" in data[:65536]:
        raise ScorecardError(f"{name}: not a text file (it holds binary data); expected CSV text "
                             "or an .xlsx workbook")
    try:
        return data.decode("utf-8"), None
    except UnicodeDecodeError as utf8_error:
        try:
            text = data.decode("cp1252")
        except UnicodeDecodeError as error:
            raise ScorecardError(
                f"{name}: neither UTF-8 nor Windows-1252 (cp1252) text: byte 0x{data[error.start]:02x} at "
                f"position {error.start} is in neither; save it from Excel as 'CSV UTF-8 (Comma "
                "delimited)'") from None
        byte = data[utf8_error.start]
        return text, (f"{name}: not UTF-8 (byte 0x{byte:02x} at position {utf8_error.start}); read as "
                      f"Windows-1252 (cp1252), as Excel on Windows saves CSV, so 0x{byte:02x} is "
                      f"{bytes([byte]).decode('cp1252')!r}")
