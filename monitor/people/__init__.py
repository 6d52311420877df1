"""People: who is watched and who is watched for — the employee registry (units, employees,
their accounts), NIP/NIK parsing, handle normalisation, and the election registry (elections,
candidates, parties, campaign accounts, terms).

Sits just above the store and the audit log: it may import ``monitor.store``,
``monitor.evidence.audit``/``keys`` and the foundation modules (``config``, ``paths``,
``atomic``), never a later stage such as collection, flagging or cases.
"""
