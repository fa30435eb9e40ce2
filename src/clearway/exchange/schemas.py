"""API shapes of the exchange: partners and agreements as staff read and write them."""

from __future__ import annotations

from datetime import date

from pydantic import BaseModel, Field

from clearway.exchange.model import Agreement, Partner


class PartnerIn(BaseModel):
    code: str = Field(max_length=8, description="The partner's country code (MK)")
    name: str = Field(max_length=200)
    inbox_url: str = Field(max_length=500,
                           description="Its inbox: https://…/api/v1/exchange/inbox")
    public_key_pem: str = Field(max_length=4000, description="Its Ed25519 public key (PEM)")
    status: str = Field("active", description="active or suspended")


class PartnerOut(BaseModel):
    code: str
    name: str
    inbox_url: str
    public_key_pem: str
    status: str

    @classmethod
    def of(cls, partner: Partner) -> PartnerOut:
        return cls(code=partner.code, name=partner.name, inbox_url=partner.inbox_url,
                   public_key_pem=partner.public_key_pem, status=partner.status)


class AgreementOut(BaseModel):
    id: str
    parties: list[str]
    legal_basis: str
    valid_from: date
    valid_to: date | None
    message_types: list[str]
    purposes: dict[str, list[str]] = Field(description="Purpose -> payload fields allowed")
    retention_days: int
    onward_transfer: str

    @classmethod
    def of(cls, agreement: Agreement) -> AgreementOut:
        return cls(id=agreement.id, parties=sorted(agreement.parties),
                   legal_basis=agreement.legal_basis, valid_from=agreement.valid_from,
                   valid_to=agreement.valid_to,
                   message_types=sorted(agreement.message_types),
                   purposes={p: sorted(agreement.allowed_fields(p))
                             for p in sorted(agreement.purposes)},
                   retention_days=agreement.retention_days,
                   onward_transfer=agreement.onward_transfer)
