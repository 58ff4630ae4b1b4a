"""The one error type the core raises for bad input, so callers can catch it precisely."""


class ScorecardError(ValueError):
    """Bad input to a Scorecard rule; the message says what was given and what is allowed."""
