"""The house style (workbook_templates/house_style.json) turned into xlsxwriter formats.

The JSON file is the specification a designer edits; this module only reads it. Formats are
made once per workbook and cached by their properties, because xlsxwriter writes one style
record per Format object and thousands of identical objects make big, slow files.
"""

from __future__ import annotations

import json
from functools import cache
from importlib import resources
from pathlib import Path

# A package resource, so an installed (not only an editable) Scorecard finds it.
HOUSE_STYLE_PATH = Path(str(resources.files("workbook_templates").joinpath("house_style.json")))


@cache
def house_style(path: Path = HOUSE_STYLE_PATH) -> dict:
    """The house style specification as a dictionary."""
    return json.loads(Path(path).read_text(encoding="utf-8"))


def number_format(unit: str, decimal_places: int | None = None, style: dict | None = None) -> str:
    """Excel number format for a unit; decimal places from the catalogue win over the default."""
    style = style or house_style()
    spec = style["number_formats"].get(unit) or style["number_formats"]["score"]
    places = spec["decimal_places"] if decimal_places is None else int(decimal_places)
    decimals = "." + "0" * places if places > 0 else ""
    return spec["format"].replace("{decimals}", decimals)


def unit_decimal_places(unit: str, decimal_places: int | None = None,
                        style: dict | None = None) -> int:
    """Decimal places a unit's figures are shown (and published) to: the catalogue's, else the
    house style's default for the unit."""
    if decimal_places is not None:
        return int(decimal_places)
    style = style or house_style()
    spec = style["number_formats"].get(unit) or style["number_formats"]["score"]
    return int(spec["decimal_places"])


def unit_label(unit: str, style: dict | None = None) -> str:
    style = style or house_style()
    return style["unit_labels"].get(unit, unit)


class Formats:
    """Cached xlsxwriter formats in the house style for one workbook."""

    def __init__(self, workbook, style: dict | None = None):
        self.workbook = workbook
        self.style = style or house_style()
        self._cache: dict[tuple, object] = {}
        self.base = {"font_name": self.style["font"]["name"], "font_size": self.style["font"]["size"],
                     "valign": "top"}

    def get(self, **properties):
        """A format with the house font plus `properties` (made once, then reused)."""
        key = tuple(sorted(properties.items()))
        fmt = self._cache.get(key)
        if fmt is None:
            fmt = self.workbook.add_format({**self.base, **properties})
            self._cache[key] = fmt
        return fmt

    def colour(self, name: str) -> str:
        return self.style["colours"][name]

    def title(self):
        return self.get(bold=True, font_size=16, font_color=self.colour("title"), valign="vcenter")

    def subtitle(self):
        return self.get(italic=True, font_color=self.colour("muted"))

    def header(self, wrap: bool = True):
        return self.get(bold=True, font_color=self.colour("header_font"),
                        bg_color=self.colour("header_fill"), text_wrap=wrap, valign="vcenter",
                        border=1, border_color=self.colour("border"))

    def text(self, wrap: bool = False, bold: bool = False):
        return self.get(text_wrap=wrap, bold=bold, border=1, border_color=self.colour("border"))

    def plain(self, **extra):
        return self.get(**extra)

    def number(self, unit: str, decimal_places: int | None = None, bold: bool = False):
        return self.get(num_format=number_format(unit, decimal_places, self.style), bold=bold,
                        border=1, border_color=self.colour("border"))

    def centred(self, bold: bool = False):
        return self.get(align="center", bold=bold, border=1, border_color=self.colour("border"))

    def link(self):
        return self.get(font_color=self.colour("link"), underline=1)

    def status_fill(self, status: str):
        """Conditional-format colours for a status word (fill and font)."""
        spec = self.style["status"][status]
        return self.workbook.add_format({"bg_color": spec["fill"], "font_color": spec["font"],
                                         "bold": True})

    def level_fill(self, level: str):
        spec = self.style["risk_levels"][level]
        return self.workbook.add_format({"bg_color": spec["fill"], "font_color": spec["font"]})

    def direction_font(self, direction: str):
        spec = self.style["direction"][direction]
        return self.workbook.add_format({"font_color": spec["font"]})


def header_text(text: str) -> str:
    """Text for a page header or footer, where & starts a code."""
    return text.replace("&", "&&")[:120]


# Characters of the default column width unit across the printable width of an A4 page (0.4"
# margins) at 100%: what a sheet can hold before fitting it to the page width shrinks its text.
PAGE_CHARACTERS = {"landscape": 140, "portrait": 95}


def set_print(sheet, title: str, authority: str = "", period: str = "",
              repeat_row: int | None = None, last_col: int | None = None,
              last_row: int | None = None, *, landscape: bool = True,
              fit_height: int = 0) -> None:
    """The print setup every sheet we write gets (one helper for every writer).

    A4, landscape unless `landscape=False`, fitted to one page wide (and `fit_height` pages
    tall; 0 lets it run onto as many pages as it needs), the header row `repeat_row` (0-based)
    repeated on every page, the title and "authority · period" in the page header and the
    sheet name, "Page x of y" and the file name in the footer. `last_col` and `last_row` set
    the print area from A1 (helper columns beyond it do not print).
    """
    spec = house_style()["print"]
    sheet.set_paper(9)
    if landscape:
        sheet.set_landscape()
    else:
        sheet.set_portrait()
    sheet.fit_to_pages(spec["fit_pages_wide"], fit_height)
    margin = spec["margins_inches"]
    sheet.set_margins(left=margin, right=margin, top=margin + 0.3, bottom=margin + 0.3)
    context = " · ".join(part for part in (authority, period) if part)
    sheet.set_header(f"&L&8{header_text(title)}"
                     + (f"&R&8{header_text(context)}" if context else ""))
    sheet.set_footer(spec["footer"])
    if repeat_row is not None:
        sheet.repeat_rows(repeat_row)
    if last_col is not None and last_row is not None:
        sheet.print_area(0, 0, last_row, last_col)


def fit_widths(natural: list[float], page: float, floors: list[float] | float = 12,
               wants: list[float] | None = None) -> list[float]:
    """Column widths that fit `page` characters where they can.

    Too wide: the widest columns (text that wraps) are narrowed to a common width, none below
    its floor (`floors`: one per column, or one for all; never above the natural width).
    Narrower than the page: the column whose text `wants` the most more room (its width
    unwrapped) is widened into the room left, up to twice its natural width, so it wraps less.
    """
    if not isinstance(floors, list):
        floors = [floors] * len(natural)
    floors = [min(width, floor) for width, floor in zip(natural, floors, strict=True)]
    if sum(natural) > page:
        cap = max(natural)
        while cap > min(floors) and sum(max(min(w, cap), f) for w, f in
                                        zip(natural, floors, strict=True)) > page:
            cap -= 0.5
        return [max(min(w, cap), f) for w, f in zip(natural, floors, strict=True)]
    widths = list(natural)
    short = [(want - width, col) for col, (want, width) in enumerate(zip(wants or natural, widths,
                                                                         strict=True))]
    shortfall, col = max(short, default=(0, 0))
    if shortfall > 0:
        widths[col] += min(shortfall, page - sum(widths), natural[col])
    return widths


def wrapped_lines(text: str, width: float) -> int:
    """Lines a wrapped cell needs; LibreOffice does not grow rows to fit on load."""
    per_line = max(int(width * 1.05), 1)
    return sum(max(1, -(-len(paragraph) // per_line)) for paragraph in text.splitlines() or [""])


def row_height(texts_and_widths: list[tuple[str, float]]) -> float:
    """Row height in points for the tallest of some wrapped texts in columns of given widths."""
    return 12.75 * max(wrapped_lines(text, width) for text, width in texts_and_widths) + 1.5
