"""Cases: from one employee's confirmed flags to the superior's action and the PPK's sanction.

``codes`` (the violation codes and their sanctions) and ``deadlines`` (working-day arithmetic)
import nothing of Netra's and may be used by any stage from flagging up. ``notify`` (e-mail to
superiors), ``workflow`` (the status chain and four-eyes review) and ``export`` (case files as
PDF/CSV/XLSX) may import the store, people, auth and the audit log; never the review queue,
evidence bundles, the CLI or the dashboard.
"""
