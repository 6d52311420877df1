"""Claims: debunked hoaxes from fact-checkers, imported (``importers``) and matched against
stored posts (``check``), which opens or raises hoax flags with the fact-check link.

Same stage as classification: it may import the store, the audit log and ``classifiers``,
never cases, review or evidence bundles.
"""
