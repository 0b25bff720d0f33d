"""Bearer tokens: creation (only the SHA-256 hash is stored), lookup, role and office checks.

A token is `inge_` followed by 43 URL-safe random characters. It travels only in the
`Authorization` header, never in a URL, so access logs never see it.
"""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta

from inge_tui.api.models import Role
from inge_tui.api.words import ROLE_NAMES
from inge_tui.domain.said import joined, said
from inge_tui.server.errors import Forbidden, NotFound, Unauthorized, invalid
from inge_tui.server.store.uow import Store, Tx

OFFICE_ROLES = frozenset({Role.CASEWORKER, Role.SUPERVISOR})
CASE_ROLES = (Role.CASEWORKER, Role.SUPERVISOR)


@dataclass(frozen=True)
class Principal:
    """Who is calling: one token, one role, maybe one office."""

    token_id: int
    role: Role
    office: str | None
    name: str

    def __repr__(self) -> str:  # never the token, just who
        return f"Principal({self.token_id}, {self.role.value}, {self.office})"


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def new_token() -> str:
    return "inge_" + secrets.token_urlsafe(32)


TOKEN_DAYS: dict[Role, int] = {
    Role.CASEWORKER: 180,  # a person: twice a year a new token, handed over in person
    Role.SUPERVISOR: 180,
    Role.ADMIN: 90,  # the widest rights, the shortest life
    Role.COURSE_PROVIDER: 365,  # systems: once a year, planned with the provider
    Role.TEST_INSTITUTE: 365,
    Role.OET: 365,
}
"""How long a new token lives by default (`token create --days N`, `POST /v1/tokens` `days`)."""


def create_token(
    tx: Tx,
    *,
    role: Role | str,
    office: str | None = None,
    name: str | None = None,
    days: int | None = None,
    expires: bool = True,
    role_days: Mapping[str, int] | None = None,
) -> tuple[str, dict[str, object]]:
    """Make a token (and its office when new); returns the token and its stored row. It
    expires after `days`, else after the role's days in `role_days` (`[server.token_days]`),
    else after `TOKEN_DAYS` of its role; never with `expires=False`."""
    role = Role(role)
    default = (role_days or {}).get(role.value, TOKEN_DAYS[role])
    lifetime = (days if days is not None else default) if expires else None
    if days is not None and not 1 <= days <= 3660:
        raise invalid("days", said("Gültigkeit in Tagen: eine ganze Zahl von 1 bis 3660"))
    if role in OFFICE_ROLES and not office:
        raise invalid(
            "office",
            said("die Rolle {role} braucht eine Regionalstelle (--office)", role=role.value),
        )
    if office:
        tx.ledger.ensure_office(office, f"Regionalstelle {office}", tx.now)
    token = new_token()
    row = tx.ledger.insert_token(
        {
            "token_hash": hash_token(token),
            "role": role.value,
            "office": office,
            "name": name or (f"{role.value}@{office}" if office else role.value),
            "created_at": tx.now,
            "expires_at": None if lifetime is None else tx.now + timedelta(days=lifetime),
        }
    )
    return token, row


@dataclass(frozen=True)
class _Stranger:
    """The actor of a refused sign-in in the audit: nobody we know."""

    token_id: None = None
    name: str = "unbekannt"
    role: str = "unbekannt"


def record_refused_signin(store: Store, address: str, why: str) -> None:
    """Audit a sign-in with an unknown or revoked token: the client address and why, never the
    token (issue 15, item 3). At most `SignInGuard.limit` a minute per address get this far."""
    store.run(
        lambda tx: tx.ledger.audit(
            at=tx.now,
            actor=_Stranger(),
            action="anmeldung_abgelehnt",
            inputs={"adresse": address},
            outcome={"grund": why},
        )
    )


def authenticate(store: Store, authorization: str | None) -> Principal:
    """The principal behind an `Authorization: Bearer …` header, or 401."""
    if not authorization:
        raise Unauthorized(said("Anmeldung erforderlich: Authorization: Bearer <Token> fehlt."))
    scheme, _, token = authorization.partition(" ")
    token = token.strip()
    if scheme.lower() != "bearer" or not token or len(token) > 200:
        raise Unauthorized(said("Anmeldung erforderlich: Authorization: Bearer <Token> erwartet."))
    row, now = store.run(
        lambda tx: (tx.ledger.token_by_hash(hash_token(token)), tx.now), readonly=True
    )
    if row is None:
        raise Unauthorized(said("Das Token ist unbekannt oder widerrufen."))
    expires = row.get("expires_at")
    if isinstance(expires, datetime) and expires <= now:
        raise Unauthorized(
            said(
                "Das Token ist am {day} abgelaufen – bitte ein neues anlegen lassen.",
                day=f"{expires:%d.%m.%Y}",
            )
        )
    return Principal(
        token_id=int(row["token_id"]),  # type: ignore[call-overload]
        role=Role(row["role"]),
        office=row["office"],  # type: ignore[arg-type]
        name=str(row["name"]),
    )


def require_role(principal: Principal, roles: Iterable[Role]) -> None:
    allowed = tuple(roles)
    if principal.role not in allowed:
        names = joined(", ", [said(ROLE_NAMES[r]) for r in allowed])
        raise Forbidden(
            said(
                "Die Rolle „{role}“ darf das nicht (erlaubt: {names}).",
                role=said(ROLE_NAMES[principal.role]),
                names=names,
            ),
            code="role_forbidden",
        )


def require_office(principal: Principal, office: str, *, what: str | None = None) -> None:
    """A case of another office answers as if it did not exist; `what` names the thing
    (`said("Datenanforderung")`), the case if not given."""
    if (principal.office is not None and principal.office != office) or (
        principal.role in OFFICE_ROLES and principal.office is None
    ):
        raise NotFound(
            said("{what} nicht gefunden.", what=what) if what else said("Fall nicht gefunden.")
        )
