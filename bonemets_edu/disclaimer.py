"""The education-only notice shown by every lesson and calculator."""

DISCLAIMER = (
    "For education only — not for diagnosis or treatment decisions. "
    "The models are simplified teaching models and the figures are summaries of published studies; "
    "decisions about a real patient belong to the treating team."
)

SHORT = "For education only — not for treatment decisions."
