"""A document's PDF, rendered on first use from what issuing fixed (domain.md A.12).

Issuing stores what the document prints as canonical JSON (`printed`) with its SHA-256
(`printed_sha256`) and no PDF. The first request for the PDF (the document itself, its copy,
the print run) checks the text against the hash, renders it outside any transaction (the same
text always gives the same bytes) and stores the PDF where none is stored yet; from then on
the stored bytes are served. A text that does not match its hash is refused: the service does
not print a document whose data changed after issue. Documents issued before schema 3 carry
their PDF from the start.
"""

from __future__ import annotations

from inge_tui.domain.said import said
from inge_tui.server.errors import ServiceError
from inge_tui.server.store.cases import Row
from inge_tui.server.store.uow import Tx
from inge_tui.server.usecases.services import Services


class Tampered(ServiceError):
    status = 500
    code = "document_data_mismatch"


def pdfs(svc: Services, found: dict[str, bytes]) -> dict[str, bytes]:
    """`found` (number -> stored PDF, b"" when not yet rendered) with every PDF there."""
    missing = [number for number, pdf in found.items() if not pdf]
    if not missing:
        return found
    rows = svc.store.run(lambda tx: _printed(tx, missing), readonly=True)
    rendered = {row["certificate_id"]: render(row) for row in rows}

    def keep(tx: Tx) -> None:
        for number, pdf in rendered.items():
            tx.ledger.store_pdf(number, pdf)

    svc.store.run(keep)
    return {**found, **rendered}


def pdf_of(svc: Services, row: Row) -> bytes:
    """The PDF of a certificate row read with its `pdf` column."""
    number = str(row["certificate_id"])
    return pdfs(svc, {number: bytes(row["pdf"] or b"")})[number]


def render(row: Row) -> bytes:
    """Render a document from its stored text after checking the text against its hash."""
    from inge_tui.server.documents import data_from_json, data_hash, render_pdf

    printed, expected = row.get("printed"), row.get("printed_sha256")
    if not printed or not expected or data_hash(printed) != expected:
        raise Tampered(
            said(
                "Die gespeicherten Daten von {number} stimmen nicht mit ihrer Prüfsumme überein;"
                " das Dokument wird nicht gedruckt. Bitte den Betrieb verständigen (Prüfspur und"
                " Datenbank prüfen).",
                number=row["certificate_id"],
            )
        )
    return render_pdf(data_from_json(printed))


def _printed(tx: Tx, numbers: list[str]) -> list[Row]:
    rows = []
    for number in numbers:
        row = tx.ledger.certificate(number)
        if row is not None:
            rows.append(row)
    return rows
