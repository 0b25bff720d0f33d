"""The store: engines (`db`), tables (`schema`), schema versions (`migrations`), the unit of
work (`uow`) and the repositories it binds: `cases`, `postbox`, `ledger` (offices, tokens,
stored answers, document numbers, documents, withdrawals, audit). SQLite and PostgreSQL alike.
"""
