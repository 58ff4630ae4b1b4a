"""England, the regions and the authorities LAIT publishes figures for.

LAIT numbers its areas: authorities below 970, England 970, the regions 980-990 (London as a
whole 986, Inner and Outer London 987 and 988). Its authority list also keeps five authorities
abolished by local government reorganisation, whose older figures are still in the data:

| predecessor | replaced on | by |
| --- | --- | --- |
| 835 Dorset (Pre LG), 836 Poole (Pre LG), 837 Bournemouth (Pre LG) | 1 April 2019 | 838, 839 |
| 928 Northamptonshire | 1 April 2021 | 940, 941 |
| 909 Cumbria | 1 April 2023 | 942, 943 |

(838 Dorset, 839 Bournemouth, Christchurch and Poole, 940 North and 941 West Northamptonshire,
942 Cumberland, 943 Westmorland and Furness.)

The comparison set for quartile bands and ranks is the 153 current authorities (not England, not
the regions, not the predecessors: a predecessor's figure beside its successors' would count one
place twice). A region is found from the authority's region as the list writes it; for London
authorities LAIT shows Inner or Outer London, or London as a whole where the measure has no
Inner/Outer figure.
"""

from __future__ import annotations

from dataclasses import dataclass

ENGLAND = 970
LONDON = 986
REGIONS = range(980, 991)
FIRST_NON_AUTHORITY = 970
PREDECESSORS: dict[int, tuple[tuple[int, ...], str]] = {
    835: ((838, 839), "2019-04-01"), 836: ((839,), "2019-04-01"), 837: ((839,), "2019-04-01"),
    928: ((940, 941), "2021-04-01"), 909: ((942, 943), "2023-04-01"),
}
# The authority list's region words -> the region's own name in the data (compared case-blind).
_REGION_ALIASES = {"inner london": "london (inner)", "outer london": "london (outer)"}


@dataclass(frozen=True)
class Area:
    code: int
    name: str
    region: str = ""  # as the authority list writes it
    type: str = ""

    @property
    def is_authority(self) -> bool:
        return self.code < FIRST_NON_AUTHORITY

    @property
    def is_current(self) -> bool:
        """An authority today (one of the 153): not England, a region or a predecessor."""
        return self.is_authority and self.code not in PREDECESSORS


def region_code(area: Area, regions: dict[str, int]) -> int | None:
    """The region (980-990) an authority belongs to, from `regions` (region name, lower case -> code)."""
    key = " ".join(area.region.lower().split())
    return regions.get(_REGION_ALIASES.get(key, key))


def find_authority(areas: list[Area], wanted: str | int) -> Area:
    """The authority named `wanted` (its name, any case, or its LA number); ScorecardError if none."""
    from scorecard.errors import ScorecardError

    text = str(wanted).strip()
    for area in areas:
        if area.is_authority and (text.casefold() == area.name.casefold() or text == str(area.code)):
            return area
    near = [area.name for area in areas if area.is_authority and text.casefold() in area.name.casefold()][:5]
    hint = f"; did you mean {', '.join(near)}?" if near else "; give the name as LAIT writes it, or its LA number"
    if not areas:
        hint = ": no authority list in the store yet (scorecard import lait ... la_code_list.xlsx)"
    raise ScorecardError(f"no authority {text!r} on the authority list{hint}")


def area_code(areas: list[Area], wanted: str) -> int:
    """The LA number of England, a region or an authority: `wanted` is a name (any case), or an
    authority's LA number; ScorecardError (as `find_authority`) if it is none of them."""
    text = wanted.strip()
    if text.casefold() == "england":
        return ENGLAND
    named = {area.name.casefold(): area.code for area in areas}
    code = named.get(text.casefold())
    return code if code is not None else find_authority(areas, text).code
