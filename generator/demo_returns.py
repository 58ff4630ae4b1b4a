"""What the collection demo's example authorities type into their returns (generator.demo).

Four example authorities and two quarters of 000's Performance Dataset: seeded, plausible
values (some as numerator and denominator), targets, commentary that says how each value
moved since the quarter before (tests/test_director_view.py checks it agrees with the values),
officers' answers where the return asks for words, and in the reported quarter the shorthand
and mistakes of COLLECTION_SPECIAL that the error report shows.
"""

from __future__ import annotations

import datetime as dt
import random

from generator.collection.layout import UNIT_RULES
from generator.collection.store import Authority
from generator.workbooks.measure_pages import figure_text
from scorecard.periods import parse_period, previous

COLLECTION_DATASET = "performance-dataset"
COLLECTION_PERIODS = ("2023-24 Q4", "2024-25 Q1")  # oldest first; the last is reported
COLLECTION_REGION = "Example region"
COLLECTION_AUTHORITIES = (
    Authority("E99000001", "Northshire", COLLECTION_REGION, ("E99000002", "E99000003", "E99000004")),
    Authority("E99000002", "Southshire", COLLECTION_REGION, ("E99000001", "E99000003")),
    Authority("E99000003", "Eastshire", COLLECTION_REGION, ("E99000001", "E99000002")),
    Authority("E99000004", "Westshire", COLLECTION_REGION, ("E99000001", "E99000002")),
)
COLLECTION_HIGHLIGHT = "E99000001"  # benchmarked and given a scorecard
COLLECTION_NOT_RETURNING = "E99000004"
COLLECTION_SEED = 4
COLLECTION_ISSUED = dt.datetime(2024, 7, 1, 9, 0, tzinfo=dt.UTC)
COLLECTION_COLLECTED = "2024-08-01T09:00:00+00:00"
# What the example authorities type in the reported quarter beyond plain values:
# (authority, indicator id, field) -> as typed. Shorthand is accepted as missing; the rest
# are problems the error report shows.
COLLECTION_SPECIAL = {
    ("E99000001", "eyfs-gld-pct", "value"): "[c]",                 # shorthand: confidential
    ("E99000001", "neet-16-18-pct", "value"): "[x]",               # shorthand: not available
    ("E99000001", "sw-agency-pct", "target"): "[z]",               # shorthand target
    ("E99000002", "sw-vacancy-rate-pct", "value"): "[u]",          # shorthand: low reliability
    ("E99000002", "fsm-pct", "value"): "n/a",                      # placeholder: a warning
    ("E99000002", "attendance-rate-pct", "value"): 0.95,           # looks like a fraction
    ("E99000003", "academies-count", "value"): "about 40",         # text in a number: error
    ("E99000003", "schools-good-pct", "value"): 120,               # over 100%: error
}
_RANGES = {  # unit -> (low, high, decimal places) of example values
    "percentage": (20, 90, 1), "count": (0, 400, 0), "months": (1, 96, 0), "days": (300, 600, 0),
    "FTE": (60, 300, 1), "score": (10, 40, 1), "currency": (1000, 5000, 0),
    "percentage points": (-15, 15, 1),
}


# Plausible ranges for indicators whose unit's range would give figures a reader would query
# (attendance of 40%, NEET of 60%): indicator id -> (low, high).
_INDICATOR_RANGES = {
    "schools-by-type-primary": (100, 200), "schools-by-type-secondary": (20, 40),
    "schools-by-type-special": (5, 15), "academies-count": (40, 120),
    "academy-conversions-count": (0, 8), "schools-ri-duration": (12, 36),
    "fsm-pct": (15, 28), "sen-pct": (12, 19), "eal-pct": (6, 25), "deprivation": (12, 30),
    "place-provision-increase": (50, 300), "eyfs-inequality-gap": (25, 35),
    "eyfs-gld-pct": (62, 74), "re-referrals-12m-rate": (80, 130), "cin-rate": (300, 400),
    "cpp-rate": (35, 55), "lac-rate": (60, 90), "ks2-l4-rwm-cic-gap": (20, 35),
    "ks4-cic-gap-5ac-em": (25, 45), "lac-good-schools-pct": (75, 90),
    "adoption-entry-to-placement-days": (400, 550), "ks1-ks2-progress-maths-pct": (85, 95),
    "first-preference-primary-pct": (88, 95), "ks2-l4-rwm-pct": (55, 70),
    "ks2-l4-rwm-fsm-gap": (15, 25), "ks1-ks2-progress-reading-pct": (85, 95),
    "ks1-ks2-progress-writing-pct": (85, 95), "ks2-below-floor-schools": (0, 8),
    "gcse-5ac-em-pct": (50, 65), "ks2-ks4-progress-english-pct": (65, 80),
    "ks2-ks4-progress-maths-pct": (60, 75), "ks4-fsm-gap-5ac-em": (20, 30),
    "first-preference-secondary-pct": (80, 90), "ks4-below-floor-schools": (0, 5),
    "persistent-absence-all-pct": (15, 25), "schools-good-pct": (80, 92),
    "pupils-good-schools-pct": (80, 92), "permanent-exclusions-rate": (5, 12),
    "attendance-rate-pct": (91, 95), "fixed-exclusions-rate": (500, 900),
    "neet-16-18-pct": (2, 6), "not-known-16-18-pct": (1, 8), "in-learning-16-18-pct": (88, 95),
    "sw-vacancy-rate-pct": (10, 25), "sw-turnover-rate-pct": (12, 20),
    "sw-sickness-absence": (3, 6), "sw-agency-pct": (10, 25), "sw-count": (150, 400),
    "savings-target-pct": (80, 100),
}


def within_rule(number: float, unit: str) -> float:
    """`number` moved inside the range the template allows for the unit (generator.collection.layout)."""
    rule = UNIT_RULES.get(unit)
    if rule is not None and rule.maximum is not None:
        number = min(number, rule.maximum)
    if rule is not None and rule.minimum is not None:
        number = max(number, rule.minimum)
    return number


def example_value(indicator, code: str, period: str) -> float:
    """A plausible value for one authority, indicator and period (seeded, so repeatable)."""
    low, high, places = _RANGES.get(indicator.unit, (20, 600, 1))
    low, high = _INDICATOR_RANGES.get(indicator.id, (low, high))
    base = random.Random(f"{COLLECTION_SEED}-{code}-{indicator.id}").uniform(low, high)
    # A quarter's movement: up to a tenth of the indicator's plausible range either way.
    drift = random.Random(f"{COLLECTION_SEED}-{code}-{indicator.id}-{period}").uniform(-0.1, 0.1)
    value = round(within_rule(min(max(base + drift * (high - low), low), high), indicator.unit),
                  places)
    return int(value) if places == 0 else value


# What the example authorities write where the return asks for words (text indicators).
EXAMPLE_ANSWERS = {
    "governance-political": "The Lead Member and the scrutiny chair receive this scorecard "
                            "monthly; scrutiny last reviewed it in June.",
    "governance-managerial": "Monthly performance board chaired by the Director; service plans "
                             "refreshed in April.",
    "governance-community": "The partnership board meets quarterly; a parents' reference group "
                            "was consulted on the early help offer.",
    "governance-leadership": "Senior leadership team stable; a new Head of Safeguarding started "
                             "in May.",
    "governance-organisational": "Front door restructure complete; caseloads reviewed monthly "
                                 "by team managers.",
    "self-assessment-peer-challenge": "Self-assessment updated in June; regional peer challenge "
                                      "booked for the autumn.",
    "ofsted-last-inspection": "ILACS inspection, March 2023: Good overall.",
    "regional-improvement-engagement": "Takes part in the regional sufficiency and social work "
                                       "recruitment programmes.",
    "early-help-measure-tbc": "The region has not yet agreed this measure; early help "
                              "assessments are reported locally meanwhile.",
    "cyp-voice": "Feedback from children at every review; the children in care council meets "
                 "monthly with the Lead Member.",
    "practice-quality-methods": "Monthly case audits with moderation, and a practice week twice "
                                "a year.",
    "outcomes-methods": "Outcomes Star in early help; impact reviewed at quarterly performance "
                        "clinics.",
}


def typed_value(indicator, n: int, code: str, period: str) -> float:
    """The value the example return gives (a percentage typed as numerator and denominator,
    for every third indicator, reads back to the nearest quarter point)."""
    value = example_value(indicator, code, period)
    if indicator.unit == "percentage" and n % 3 == 0:
        return round(value * 4) / 4
    return value


def example_commentary(indicator, n: int, code: str, period: str) -> str:
    """Commentary that says how the value moved since the period before, as an officer would
    (it agrees with the figures: tests/test_director_view.py checks)."""
    now = typed_value(indicator, n, code, period)
    if period == COLLECTION_PERIODS[0]:
        return f"{figure_text(now, indicator.unit)} this quarter: the first quarter on this return."
    # Any period, not only the demo's: the hub's load test collects one of its own.
    before_period = str(previous(parse_period(period)))
    before = typed_value(indicator, n, code, before_period)
    was = f"{figure_text(before, indicator.unit)} in {before_period}"
    if now > before:
        return f"Up from {was} to {figure_text(now, indicator.unit)}."
    if now < before:
        return f"Down from {was} to {figure_text(now, indicator.unit)}."
    return f"Unchanged from {was}."


def example_entries(indicators, authority: Authority, period: str) -> dict[str, dict[str, object]]:
    """What `authority` types into its return for `period`: values, some as numerator and
    denominator, targets for measures with a polarity, some commentary, and in the reported
    quarter the shorthand and mistakes of COLLECTION_SPECIAL."""
    entries: dict[str, dict[str, object]] = {}
    special = {(indicator_id, field) for code, indicator_id, field in COLLECTION_SPECIAL
               if code == authority.code and period == COLLECTION_PERIODS[-1]}
    for n, indicator in enumerate(indicators):
        unit = indicator.unit
        if unit == "text":
            entry: dict[str, object] = {"value": EXAMPLE_ANSWERS.get(
                indicator.id, "Described in the covering report.")}
        elif unit == "yes/no":
            entry = {"value": ("Yes", "No")[n % 2]}
        elif unit == "date":
            entry = {"value": dt.date(2024, 6, 30)}
        else:
            value = example_value(indicator, authority.code, period)
            if unit == "percentage" and n % 3 == 0:
                entry = {"numerator": round(value * 4), "denominator": 400}
            else:
                entry = {"value": value}
            if indicator.polarity.is_judged:  # near last year's level: some met, some missed
                near = random.Random(f"{COLLECTION_SEED}-{authority.code}-{indicator.id}-target")
                target = example_value(indicator, authority.code, "target") * near.uniform(0.94, 1.08)
                entry["target"] = round(within_rule(target, unit), _RANGES.get(unit, (0, 0, 1))[2])
        if n % 4 == 0 and unit not in ("text", "yes/no", "date") and (
                indicator.id, "value") not in special:
            entry["commentary"] = example_commentary(indicator, n, authority.code, period)
        entries[indicator.id] = entry
    if period == COLLECTION_PERIODS[-1]:
        for (code, indicator_id, field), typed in COLLECTION_SPECIAL.items():
            if code == authority.code and indicator_id in entries:
                entry = entries[indicator_id]
                if field == "value":
                    entry.pop("numerator", None)
                    entry.pop("denominator", None)
                entry[field] = typed
    return entries


def example_comparators(indicators) -> list[tuple[str, str, str, float]]:
    """Example England and region values for every numeric indicator and period."""
    rows = []
    for period in COLLECTION_PERIODS:
        for indicator in indicators:
            if indicator.unit not in ("text", "yes/no", "date"):
                for area in ("England", COLLECTION_REGION):
                    rows.append((period, indicator.id, area,
                                 float(example_value(indicator, area, period))))
    return rows
