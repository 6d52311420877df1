"""Indonesian text classifiers for Netra: normalisation, rules, models, claim matching."""


def load_default(**kwargs):
    """The current neutrality model (trained from the shipped seed corpus on first use)."""
    from .pipeline import load_default as _load

    return _load(**kwargs)
