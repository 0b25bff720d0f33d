"""The official documents as PDF: the Zertifikat Integrationskurs and the Bescheinigung.

`render_pdf(DocumentData)` (in `render`) gives the bytes; `data` holds what a document prints,
`layout` draws the page, `text` makes every name printable with the embedded font in `fonts/`.
fpdf2 loads on the first render only.
"""

from inge_tui.server.documents.data import DocumentData, data_from_json, data_hash, data_json
from inge_tui.server.documents.render import render_pdf

__all__ = ["DocumentData", "data_from_json", "data_hash", "data_json", "render_pdf"]
