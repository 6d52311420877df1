"""Flagging: scoring stored posts with the classifiers and turning scores into review requests.

``classify`` and ``training`` run the models over stored posts and reviewers' decisions; they
may import the store, people, collect and the integrity modules, never cases or evidence
bundles. ``review`` is the human step on a flag (decide, escalate, reopen) and tells open cases
when one of their flags changes, so it sits one stage above ``monitor.cases``; nothing but the
dashboard, the demo and the CLI imports it. ``report_link`` (linking a public report about an
unregistered account to its employee) and ``groups`` build on ``review`` and sit beside it.
"""
