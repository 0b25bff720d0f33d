"""The InGe-compatible service (FastAPI over SQLAlchemy Core; never Textual).

- `app` builds the FastAPI app; `routes/` holds the HTTP routes by caller; `settings`,
  `auth` (tokens, roles, offices), `errors` (refusals and their HTTP answers), `limits`
  (request sizes) and `commands` (`inge-tui serve`, `token create`, `demo seed`) sit here.
- `usecases/` is what the service does; `store/` is where it keeps it; `documents/` renders the
  PDFs; `demo/` makes synthetic data.
"""
