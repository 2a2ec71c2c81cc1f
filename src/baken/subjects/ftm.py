"""FollowTheMoney export of a subject's network (issue 5, item 9).

FollowTheMoney (FtM) is the entity model of OCCRP's Aleph and of many investigative tools; an
RIEC partner can load these entities as they are. Each subject kind maps onto an FtM schema
and each relation kind onto an FtM interval (Relation's docstring):

- person → Person; organisation → Company when it is registered (KvK number or legal form),
  Organization otherwise; address → Address; vehicle → Vehicle;
- owner_of → Ownership (an FtM asset must be a Company or Vehicle; ownership of a premises or
  an unregistered organisation becomes an UnknownLink with role "owner of");
- director_of → Directorship; family_of → Family; associate_of → Associate between two
  persons, UnknownLink otherwise; employed_by → Employment;
- lives_at / registered_at → the `addressEntity` of the person or organisation (FtM has no
  dated residence, so dates are not carried);
- uses_vehicle → UnknownLink with role "uses vehicle".

Every entity is checked against the FtM schema with the `followthemoney` library before it
leaves (`validate`): an unknown property, a wrong value or a dangling reference is a bug, and
raises rather than producing a file a partner cannot read.
"""

from collections.abc import Iterable

from .models import Relation, Subject
from .network import Network

PREFIX = "baken"
Kind = Relation.Kind


class InvalidEntity(ValueError):
    pass


def _id(kind: str, pk: int) -> str:
    return f"{PREFIX}-{kind}-{pk}"


def _schema(subject: Subject) -> str:
    if subject.kind == Subject.Kind.PERSON:
        return "Person"
    if subject.kind == Subject.Kind.ORGANISATION:
        return "Company" if subject.kvk_number or subject.legal_form else "Organization"
    if subject.kind == Subject.Kind.ADDRESS:
        return "Address"
    return "Vehicle"


def _props(**values) -> dict[str, list[str]]:
    return {
        key: [
            str(v) for v in (value if isinstance(value, list) else [value]) if v not in ("", None)
        ]
        for key, value in values.items()
        if value not in ("", None, [])
    }


def _subject_entity(subject: Subject, addresses: dict[int, list[str]]) -> dict:
    schema = _schema(subject)
    if schema == "Person":
        props = _props(
            name=subject.name,
            birthDate=subject.birth_date and subject.birth_date.isoformat(),
            idNumber=subject.bsn,
        )
    elif schema in ("Company", "Organization"):
        props = _props(
            name=subject.name,
            registrationNumber=subject.kvk_number,
            legalForm=subject.legal_form,
            alias=list(subject.trade_names or []),
            jurisdiction="nl" if subject.kvk_number else "",
        )
    elif schema == "Address":
        number = f"{subject.house_number or ''}{subject.house_letter}"
        number += f"-{subject.addition}" if subject.addition else ""
        props = _props(
            full=subject.name,
            street=f"{subject.street} {number}".strip(),
            postalCode=subject.postcode,
            city=subject.city,
            country="nl",
            latitude=subject.lat,
            longitude=subject.lon,
        )
    else:
        props = _props(
            name=subject.name,
            registrationNumber=subject.license_plate,
            type=subject.object_kind,
            model=subject.make,
        )
    if addresses.get(subject.pk) and schema != "Address":
        props["addressEntity"] = addresses[subject.pk]
    return {"id": _id("subject", subject.pk), "schema": schema, "properties": props}


def _relation_entity(relation: Relation, schemas: dict[int, str]) -> dict | None:
    src, dst = _id("subject", relation.source_id), _id("subject", relation.target_id)
    kind = relation.kind
    if kind in (Kind.LIVES_AT, Kind.REGISTERED_AT):
        return None  # carried as addressEntity on the person or organisation
    target_schema = schemas[relation.target_id]
    both_persons = schemas[relation.source_id] == "Person" == target_schema
    if kind == Kind.OWNER_OF and target_schema in ("Company", "Vehicle"):
        schema, props = "Ownership", {"owner": [src], "asset": [dst]}
    elif kind == Kind.DIRECTOR_OF:
        schema, props = "Directorship", {"director": [src], "organization": [dst]}
    elif kind == Kind.FAMILY_OF:
        schema, props = "Family", {"person": [src], "relative": [dst]}
    elif kind == Kind.ASSOCIATE_OF and both_persons:
        schema, props = "Associate", {"person": [src], "associate": [dst]}
    elif kind == Kind.EMPLOYED_BY:
        schema, props = "Employment", {"employee": [src], "employer": [dst]}
    else:
        schema = "UnknownLink"
        props = {"subject": [src], "object": [dst], "role": [relation.kind.replace("_", " ")]}
    props.update(
        _props(
            startDate=relation.start_date and relation.start_date.isoformat(),
            endDate=relation.end_date and relation.end_date.isoformat(),
            # The registry it came from; a source report is not named: the partner may not
            # know it, and its reference is not theirs to see.
            publisher=relation.source_registry,
        )
    )
    return {"id": _id("relation", relation.pk), "schema": schema, "properties": props}


def entities(network: Network) -> list[dict]:
    """The FtM entities for the subjects and relations of `network` (already scoped to what
    may be seen), subjects first so a reader meets every entity before a link to it."""
    addresses: dict[int, list[str]] = {}
    for relation in network.edges.values():
        if relation.kind in (Kind.LIVES_AT, Kind.REGISTERED_AT):
            addresses.setdefault(relation.source_id, []).append(_id("subject", relation.target_id))
    schemas = {pk: _schema(s) for pk, s in network.nodes.items()}
    result = [_subject_entity(s, addresses) for s in network.nodes.values()]
    for relation in network.edges.values():
        entity = _relation_entity(relation, schemas)
        if entity is not None:
            result.append(entity)
    validate(result)
    return result


def validate(items: Iterable[dict]) -> None:
    """Check every entity against the FtM model: a concrete schema, known properties,
    values of the right type, and references to entities of the right schema in the set."""
    # Here, not at the top, for start-up: FollowTheMoney reads its schemas at import (3 s
    # measured), which every `baken` command (its checks load the URLs) would pay.
    from followthemoney import model

    items = list(items)
    schemas = {}
    for item in items:
        schema = model.get(item.get("schema", ""))
        if schema is None or schema.abstract:
            raise InvalidEntity(
                f"{item.get('id')}: unknown or abstract schema {item.get('schema')}"
            )
        schemas[item["id"]] = schema
    for item in items:
        _validate_properties(item, schemas[item["id"]], schemas)


def _validate_properties(item: dict, schema, schemas: dict) -> None:
    for name, values in item["properties"].items():
        prop = schema.properties.get(name)
        if prop is None:
            raise InvalidEntity(f"{item['id']}: {schema.name} has no property {name}")
        for value in values:
            if prop.type.name == "entity":
                other = schemas.get(value)
                if other is None or not other.is_a(prop.range):
                    raise InvalidEntity(f"{item['id']}.{name}: {value} is not a {prop.range.name}")
            elif prop.type.clean(value) is None:
                raise InvalidEntity(f"{item['id']}.{name}: {value!r} is not a {prop.type.name}")
