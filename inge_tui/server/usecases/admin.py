"""Operations' use cases: offices and tokens (role `admin`)."""

from __future__ import annotations

from inge_tui.api import models as m
from inge_tui.api.requests import OfficeIn, TokenIn
from inge_tui.domain.said import said
from inge_tui.server.auth import Principal, create_token
from inge_tui.server.errors import Conflict, NotFound
from inge_tui.server.store.uow import Tx
from inge_tui.server.usecases.services import Answer, Services, dump


def list_offices(svc: Services) -> Answer:
    rows = svc.store.run(lambda tx: tx.ledger.offices(), readonly=True)
    return Answer(200, [dump(m.Office.model_validate(r)) for r in rows])


def create_office(svc: Services, principal: Principal, body: OfficeIn) -> Answer:
    def run(tx: Tx) -> Answer:
        if not tx.ledger.ensure_office(body.code, body.name, tx.now):
            existing = tx.ledger.office(body.code)
            if existing is not None and existing["name"] == body.name:
                return Answer(200, dump(m.Office.model_validate(existing)), replayed=True)
            raise Conflict(
                said("Diese Regionalstelle gibt es schon."), code="office_exists", field="code"
            )
        tx.ledger.audit(
            at=tx.now,
            actor=principal,
            action="regionalstelle_angelegt",
            office=body.code,
            inputs=body.model_dump(),
        )
        return Answer(201, dump(m.Office(code=body.code, name=body.name)))

    return svc.store.run(run)


def list_tokens(svc: Services) -> Answer:
    rows = svc.store.run(lambda tx: tx.ledger.tokens(), readonly=True)
    return Answer(200, [dump(m.TokenInfo.model_validate(r)) for r in rows])


def issue_token(svc: Services, principal: Principal, body: TokenIn) -> Answer:
    def run(tx: Tx) -> Answer:
        if body.office is not None and tx.ledger.office(body.office) is None:
            from inge_tui.server.errors import invalid

            raise invalid("office", said("unbekannte Regionalstelle"))
        token, row = create_token(
            tx,
            role=body.role,
            office=body.office,
            name=body.name,
            days=body.days,
            role_days=svc.settings.token_days,
        )
        tx.ledger.audit(
            at=tx.now,
            actor=principal,
            action="token_angelegt",
            office=body.office,
            inputs={"token_id": row["token_id"], "role": body.role.value, "name": row["name"]},
        )
        return Answer(201, dump(m.TokenCreated.model_validate({**row, "token": token})))

    return svc.store.run(run)


def revoke_token(svc: Services, principal: Principal, token_id: int) -> Answer:
    def run(tx: Tx) -> Answer:
        row = tx.ledger.revoke_token(token_id, tx.now)
        if row is None:
            raise NotFound(said("Token nicht gefunden."))
        tx.ledger.audit(
            at=tx.now,
            actor=principal,
            action="token_widerrufen",
            office=row["office"],
            inputs={"token_id": token_id},
        )
        return Answer(200, dump(m.TokenInfo.model_validate(row)))

    return svc.store.run(run)
