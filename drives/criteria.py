"""What staff ask for when they build a drive, as stored on it (Drive.listing_criteria / target_criteria)."""

from dataclasses import asdict, dataclass, field


@dataclass(frozen=True)
class ListingCriteria:
    """Which listings: published ones hosted by the centre (and below), of these sellers, in these fields (IPC
    sections), and if `idle_only` only those no one has negotiated or dealt on yet (存量专利盘活)."""

    seller_ids: list[int] = field(default_factory=list)
    fields: list[str] = field(default_factory=list)
    idle_only: bool = False

    def as_dict(self) -> dict:
        return asdict(self)

    @classmethod
    def of(cls, data: dict) -> "ListingCriteria":
        return cls(
            seller_ids=[int(pk) for pk in data.get("seller_ids", [])],
            fields=list(data.get("fields", [])),
            idle_only=bool(data.get("idle_only", False)),
        )


@dataclass(frozen=True)
class TargetCriteria:
    """Which firms: verified enterprises registered with the centre (and below), in these cities, of these sizes
    (the size class a firm states: marketplace.organisations.models.EnterpriseSize), working in these fields (those
    of their demands, or of the listings they enquired on), and if `with_demands_only` only those that have posted
    a technology demand."""

    cities: list[str] = field(default_factory=list)
    fields: list[str] = field(default_factory=list)
    with_demands_only: bool = False
    sizes: list[str] = field(default_factory=list)

    def as_dict(self) -> dict:
        return asdict(self)

    @classmethod
    def of(cls, data: dict) -> "TargetCriteria":
        return cls(
            cities=list(data.get("cities", [])),
            fields=list(data.get("fields", [])),
            with_demands_only=bool(data.get("with_demands_only", False)),
            sizes=list(data.get("sizes", [])),
        )
