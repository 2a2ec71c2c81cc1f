"""Synthetic reports for the demo municipality of Havenwaard: deterministic for a seed, and
written in batches so that a million takes minutes, not hours.

Nothing here is real: streets, names, companies and plates are drawn from small invented
lists; BSNs are generated to pass the 11-test but lie in the range 9xxxxxxxx that the
Dutch government reserves for tests.
"""

import io
import json
import random
import secrets
import uuid
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from typing import Any

from django.db import connection, transaction
from django.utils import timezone
from PIL import Image, ImageDraw

from baken.accounts.models import Team
from baken.audit.actions import AuditAction
from baken.audit.services import audit_record
from baken.core import crypto
from baken.core.actors import SYSTEM
from baken.demo.cases import DemoCases, Linked
from baken.demo.departments import DEMO_DEPARTMENTS, demo_departments
from baken.places.areas import area_reports_add
from baken.places.models import RegisteredAddress
from baken.reports import attachments as files
from baken.reports import keys
from baken.reports.models import (
    Attachment,
    Category,
    Decision,
    DepartmentSize,
    Indicator,
    Report,
    ReporterContact,
    ReportKey,
    ReportSubject,
    StatusChange,
)
from baken.reports.workflow import Status

# The moment the demo data was dated to before it took a `now` (issue 18); the benchmarks that
# compare with figures measured then still load their reports relative to it.
ANCHOR = datetime(2026, 11, 27, 17, 0, tzinfo=UTC)
SPAN_DAYS = 730
BATCH = 2000

DISTRICTS = {
    "OOV Havenwaard": [
        ("Havenkade", "1781"),
        ("Kanaalstraat", "1782"),
        ("Visserslaan", "1783"),
        ("Pakhuisweg", "1784"),
        ("Dokweg", "1785"),
        ("Marktplein", "1786"),
    ],
    "OOV Dorpen": [
        ("Dorpsstraat", "1791"),
        ("Polderweg", "1792"),
        ("Kerkpad", "1793"),
        ("Molenlaan", "1794"),
        ("Schuurweg", "1795"),
    ],
}
TOWNS = {"OOV Havenwaard": "Havenwaard", "OOV Dorpen": "Oosterdijk"}
CENTRE = (52.9587, 4.7603)
FIRST = [
    "Jan",
    "Fatima",
    "Pieter",
    "Sanne",
    "Mohamed",
    "Anouk",
    "Kees",
    "Yusuf",
    "Lotte",
    "Dennis",
    "Sevda",
    "Bram",
    "Noor",
    "Ricardo",
    "Ilse",
    "Tomasz",
]
LAST = [
    "de Vries",
    "Jansen",
    "van den Berg",
    "Bakker",
    "El Idrissi",
    "Visser",
    "Smit",
    "Yilmaz",
    "de Boer",
    "Mulder",
    "Kowalski",
    "Dekker",
    "van Dijk",
    "Bos",
    "Peters",
    "Hendriks",
]
COMPANIES = [
    "Havenlogistiek",
    "Kade Vastgoed",
    "Polder Trading",
    "Nachtwinkel De Haven",
    "Autoverhuur Noord",
    "Schoonmaakbedrijf Glans",
    "Kapsalon Chique",
    "Botenopslag West",
]
FORMS = ["B.V.", "V.O.F.", "", "Holding B.V."]
TEXTS = {
    "drugs": [
        "Sterke hennepgeur rond de schuur, ramen afgeplakt.",
        "Veel korte bezoekjes 's avonds, steeds andere auto's.",
        "Vaten en jerrycans gedumpt langs de {street}.",
    ],
    "mensenhandel": ["Busje haalt 's ochtends vroeg steeds andere mensen op bij nummer {number}."],
    "illegale-prostitutie": ["Advertentie met dit woonadres; veel wisselende bezoekers."],
    "witwassen": ["Nieuwe eigenaar betaalde de verbouwing contant, grote bedragen."],
    "vastgoed": ["Pand staat leeg maar er is wel veel verkeer; huur vooruit betaald."],
    "fraude-corruptie": ["Aanvragen met hetzelfde adres als postadres voor veel personen."],
    "malafide-bedrijven": [
        "Winkel zonder klanten die toch open blijft, eigenaar wisselt vaak.",
        "Loods in het buitengebied met zware camera's, niemand te zien.",
    ],
    "intimidatie": ["Ondernemer aan de {street} wil niet meer praten na bezoek van onbekenden."],
    "wapenhandel": ["Gesprek opgevangen over opslag van wapens in een garagebox."],
    "cybercrime": ["Woning met opvallend veel apparatuur en koeling, hoog stroomverbruik."],
    "motorbendes": ["Clubhuis aan de {street} krijgt zware beveiliging erbij."],
    "niet-pluis": ["Iets klopt niet bij nummer {number}: vreemde tijden, afgeplakte ramen."],
}
CHANNELS = ["web"] * 70 + ["app"] * 10 + ["phone"] * 10 + ["email"] * 7 + ["partner"] * 3
_STREETS = [s for ss in DISTRICTS.values() for s in ss]
OUTCOMES = [Status.NO_ACTION, Status.REFERRED, Status.FORWARDED, Status.IN_ANALYSIS]
# The weighed decision's rationale per outcome (the decision kinds are these statuses' codes).
RATIONALES = {
    Status.NO_ACTION: "Weging 1: te weinig concreet om op te handelen.",
    Status.REFERRED: "Weging 2: past bij de aanpak van een vakafdeling.",
    Status.FORWARDED: "Weging 2: voor de partner (RIEC of politie).",
    Status.IN_ANALYSIS: "Weging 3: concreet en ernstig genoeg voor nader onderzoek.",
}
# To whom a referred or forwarded report went (the decision requires it: reports/weighing.py).
RECIPIENTS: dict[str, list[str]] = {
    Status.REFERRED: ["Afdeling Vergunningen", "Afdeling Handhaving", "Gemeente Schagen"],
    Status.FORWARDED: ["RIEC Noord-Holland", "Politie Noord-Holland", "Belastingdienst"],
}
_ALPHABET = "23456789ABCDEFGHJKMNPQRSTWXYZ"


def parse_now(value: str | None) -> datetime | None:
    """The `--now` of the demo commands: an ISO 8601 moment with its offset
    (2026-12-01T12:00:00+01:00); None for none given (the real now)."""
    if not value:
        return None
    try:
        moment = datetime.fromisoformat(value)
    except ValueError as exc:
        raise ValueError(f"--now {value!r} is not an ISO 8601 moment.") from exc
    if timezone.is_naive(moment):
        raise ValueError(f"--now {value!r} lacks its offset, e.g. 2026-12-01T12:00:00+01:00.")
    return moment


def _recipient(kind: str, report_id: int) -> str:
    """A referred or forwarded report's recipient, the same for a report every time."""
    names = RECIPIENTS.get(kind, [])
    return names[report_id % len(names)] if names else ""


def _postcode(pc4: str, number: int) -> str:
    letters = "ABCDEGHJKLMNPRST"
    block = (number - 1) // 20
    return f"{pc4}{letters[block // len(letters)]}{letters[block % len(letters)]}"


def _point(street_index: int, number: int) -> tuple[float, float]:
    """Streets laid out as parallel lines around the centre, numbers along them."""
    return (
        round(CENTRE[0] - 0.02 + street_index * 0.004, 6),
        round(CENTRE[1] - 0.03 + number * 0.0003, 6),
    )


def demo_register() -> list:
    """The synthetic address register of Havenwaard (every street, numbers 1 to 180)."""
    addresses = []
    for index, (team, streets) in enumerate((t, s) for t, ss in DISTRICTS.items() for s in ss):
        street, pc4 = streets
        for number in range(1, 181):
            lat, lon = _point(index, number)
            addresses.append(
                RegisteredAddress(
                    postcode=_postcode(pc4, number),
                    house_number=number,
                    street=street,
                    city=TOWNS[team],
                    lat=lat,
                    lon=lon,
                )
            )
    return addresses


def _test_bsn(rng: random.Random) -> str:
    while True:
        digits = [9] + [rng.randrange(10) for _ in range(7)]
        total = sum(d * w for d, w in zip(digits, range(9, 1, -1), strict=True))
        last = total % 11
        if last < 10:
            return "".join(map(str, digits)) + str(last)


def _plate(rng: random.Random) -> str:
    letters = "BDFGHJKLNPRSTVXZ"
    return (
        f"{rng.choice(letters)}{rng.choice(letters)}-{rng.randrange(100, 999)}-"
        f"{rng.choice(letters)}"
    )


def _path(age_days: float, rng: random.Random) -> list[str]:
    """The statuses a report of this age has passed through, oldest first."""
    path: list[str] = [Status.RECEIVED]
    if age_days > 2 or rng.random() < 0.5:
        path.append(Status.IN_TRIAGE)
    if age_days > 14 or (len(path) > 1 and rng.random() < 0.4):
        path.append(Status.WEIGHED)
        outcome = rng.choice(OUTCOMES)
        path.append(outcome)
        if outcome == Status.IN_ANALYSIS and age_days > 60 and rng.random() < 0.5:
            path.append(Status.LINKED_TO_CASE)
    elif len(path) > 1 and rng.random() < 0.1:
        path.append(Status.AWAITING_REPORTER)
    return path


def _sent(subject: dict) -> dict:
    """A subject as the intake format writes it: its kind as "type", dates as ISO text."""
    sent = {key: value for key, value in subject.items() if key != "kind"}
    if "birth_date" in sent:
        sent["birth_date"] = sent["birth_date"].isoformat()
    return {"type": subject["kind"], **sent}


def _photo(rng: random.Random) -> bytes:
    image = Image.new(
        "RGB", (160, 120), (rng.randrange(256), rng.randrange(256), rng.randrange(256))
    )
    draw = ImageDraw.Draw(image)
    draw.rectangle([20, 40, 140, 110], fill=(90, 90, 90))
    draw.polygon([(20, 40), (80, 10), (140, 40)], fill=(120, 40, 40))
    out = io.BytesIO()
    image.save(out, "JPEG", quality=70)
    return out.getvalue()


class DemoReports:
    """Demo reports dated relative to `now` (default: the real now): the newest came in just
    before it, the oldest two years earlier, and their statuses follow their age. The same
    seed and the same `now` give the same demo data (in an empty database; in one that holds
    demo reports already, a reference that is taken is drawn again)."""

    def __init__(self, *, seed: int, photo_share: float = 0.02, now: datetime | None = None):
        # Deterministic on purpose: the same seed must give the same demo data.
        self.rng = random.Random(seed)  # noqa: S311
        self.photo_share = photo_share
        self.now = now or timezone.now()
        if timezone.is_naive(self.now):
            raise ValueError("now must carry a time zone")
        self.references: set[str] = set()
        self.categories = list(Category.objects.filter(is_active=True))
        self.teams = {name: Team.objects.get_or_create(name=name)[0] for name in DISTRICTS}
        self.cases = DemoCases(seed=seed, anchor=self.now)
        # The reporter's department and the signs they ticked (issue 17) are drawn from a
        # generator of their own, so the rest of a seed's demo stays what it was.
        self.awareness_rng = random.Random(f"{seed}:awareness")  # noqa: S311
        self.departments = demo_departments()
        weights = {d.code: d.weight for d in DEMO_DEPARTMENTS}
        self.department_weights = [weights.get(d.code, 1) for d in self.departments]
        self.signs: dict[int, list[int]] = {}
        for category_id, sign_id in Indicator.objects.order_by(
            "category", "position", "pk"
        ).values_list("category_id", "pk"):
            self.signs.setdefault(category_id, []).append(sign_id)

    def _awareness(self, report: dict) -> str:
        """Give about 60% of the reports (anonymous ones too) a department, with its band on
        arrival, and about half of those with a category the signs their reporter ticked
        (`signs`, taken out again before the insert). Returns the department's name."""
        rng = self.awareness_rng
        name = ""
        if self.departments and rng.random() < 0.6:
            department = rng.choices(self.departments, weights=self.department_weights)[0]
            report["department_id"] = department.pk
            report["department_small"] = department.size == DepartmentSize.SMALL
            name = department.name
        signs = self.signs.get(report["category_id"], [])
        if signs and rng.random() < 0.5:
            report["signs"] = rng.sample(signs, k=min(len(signs), rng.choice((1, 1, 2, 3))))
        return name

    def _report(self) -> tuple[dict, list[dict], list[str], dict | None, bool]:
        rng = self.rng
        team_name = rng.choice(list(DISTRICTS))
        street, pc4 = rng.choice(DISTRICTS[team_name])
        street_index = _STREETS.index((street, pc4))
        number = rng.randrange(1, 181)
        category = rng.choice(self.categories) if rng.random() > 0.08 else None
        code = category.code if category else "niet-pluis"
        received = self.now - timedelta(
            seconds=rng.randrange(SPAN_DAYS * 86400) * (rng.random() ** 1.5)
        )
        age = (self.now - received).total_seconds() / 86400
        text = rng.choice(TEXTS[code]).format(street=street, number=number)
        postcode = _postcode(pc4, number)
        lat, lon = _point(street_index, number)
        lat, lon = lat + rng.uniform(-0.0002, 0.0002), lon + rng.uniform(-0.0002, 0.0002)
        anonymous = rng.random() < 0.55
        path = _path(age, rng)
        lat, lon = round(lat, 6), round(lon, 6)
        reference = self._reference()
        channel = rng.choice(CHANNELS)
        report: dict[str, Any] = {
            "reference": reference,
            "channel": channel,
            "category_id": category.pk if category else None,
            "description": text,
            "observed_start": received - timedelta(hours=rng.randrange(1, 240)),
            "postcode": postcode,
            "house_number": number,
            "street": street,
            "city": TOWNS[team_name],
            "lat": lat,
            "lon": lon,
            "is_anonymous": anonymous,
            "status": path[-1],
            "received_at": received,
            "team_id": self.teams[team_name].pk,
            "original": {
                "channel": channel,
                "category": code if category else None,
                "description": text,
                "location": {
                    "address": {
                        "postcode": postcode,
                        "house_number": number,
                        "street": street,
                        "city": TOWNS[team_name],
                    },
                    "point": {"lat": lat, "lon": lon},
                },
            },
        }
        subjects = self._subjects(street, pc4)
        # The original holds all the reporter sent, as intake stores it: without the time and
        # the subjects, the first correction's diff would say they were added.
        report["original"]["observed_at"] = {"start": report["observed_start"].isoformat()}
        report["original"]["subjects"] = [_sent(subject) for subject in subjects]
        department = self._awareness(report)
        contact = None
        if not anonymous:
            name = f"{rng.choice(FIRST)} {rng.choice(LAST)}"
            organisation = rng.choice(
                ["Handhaving", "Vergunningen", "Sociaal domein", "Belastingen", "Wijkteam"]
            )
            contact = {
                "name": name,
                "organisation": department or organisation,
                "email": f"{name.split()[0].lower()}@havenwaard.example",
                "may_contact": True,
            }
        return report, subjects, path, contact, rng.random() < self.photo_share

    def _reference(self) -> str:
        """A reference not drawn before in this run: a million draws from 29^8 meet about
        once, which the unique constraint would refuse (a redraw only then)."""
        while True:
            reference = (
                "M-"
                + "".join(self.rng.choice(_ALPHABET) for _ in range(4))
                + "-"
                + "".join(self.rng.choice(_ALPHABET) for _ in range(4))
            )
            if reference not in self.references:
                self.references.add(reference)
                return reference

    def _unique(self, rows: list) -> None:
        """Draw again the references of a batch that the database holds already: demo data
        added to a database with demo reports (another seed, or the same seed again) must not
        run into the unique constraint. One query per batch; none of a fresh database's
        references is drawn again, so a seed still gives the same data there."""
        pending = rows
        while pending:
            drawn = {row[0]["reference"]: row for row in pending}
            taken = Report.objects.filter(reference__in=list(drawn)).values_list(
                "reference", flat=True
            )
            pending = [drawn[reference] for reference in taken]
            for row in pending:
                row[0]["reference"] = self._reference()

    def _subjects(self, street: str, pc4: str) -> list[dict]:
        rng, subjects = self.rng, []
        if rng.random() < 0.45:
            subject: dict = {"kind": "person", "name": f"{rng.choice(FIRST)} {rng.choice(LAST)}"}
            if rng.random() < 0.3:
                subject["bsn"] = _test_bsn(rng)
            if rng.random() < 0.5:
                subject["birth_date"] = date(1960, 1, 1) + timedelta(days=rng.randrange(16000))
            subjects.append(subject)
        if rng.random() < 0.3:
            subjects.append(
                {
                    "kind": "organisation",
                    "name": f"{rng.choice(COMPANIES)} {rng.choice(FORMS)}".strip(),
                    "kvk_number": f"{rng.randrange(10_000_000, 99_999_999)}",
                }
            )
        if rng.random() < 0.25:
            subjects.append(
                {
                    "kind": "vehicle",
                    "license_plate": _plate(rng),
                    "description": rng.choice(["witte bestelbus", "zwarte Audi", "grijze BMW"]),
                }
            )
        return subjects

    def create(self, count: int, progress=None) -> int:
        made = 0
        while made < count:
            size = min(BATCH, count - made)
            rows = [self._report() for _ in range(size)]
            self._unique(rows)
            self._batch(rows)
            made += size
            if progress:
                progress(made)
        with transaction.atomic():
            audit_record(
                actor=SYSTEM, action=AuditAction.DEMO_REPORTS_CREATED, detail={"count": count}
            )
        return made

    def _batch(self, rows) -> None:
        # The signs are a many-to-many of their own: out of the report's row, in after it.
        ticked = [row[0].pop("signs", []) for row in rows]
        with transaction.atomic():
            ids = _Table.of(Report).insert([row[0] for row in rows])
            _Table.of(Report.signs.through).insert(
                [
                    {"report_id": report_id, "indicator_id": sign}
                    for report_id, signs in zip(ids, ticked, strict=True)
                    for sign in signs
                ]
            )
            subjects, changes, contacts, linked, decisions = [], [], [], [], []
            report_keys: list[dict] = []
            for report_id, (report, subject_rows, path, contact, photo) in zip(
                ids, rows, strict=True
            ):
                for position, subject in enumerate(subject_rows):
                    subjects.append({"report_id": report_id, "position": position, **subject})
                at = report["received_at"]
                previous = ""
                for step in path:
                    if previous == Status.WEIGHED:
                        decisions.append(
                            {
                                "report_id": report_id,
                                "kind": step,
                                "rationale": RATIONALES[step],
                                "recipient": _recipient(step, report_id),
                                "author_id": self.cases.author(report["team_id"]).pk,
                                "at": at,
                            }
                        )
                    changes.append(
                        {
                            "report_id": report_id,
                            "from_status": previous,
                            "to_status": step,
                            "at": at,
                        }
                    )
                    # The next step one to four days later, but not after now: a report that
                    # came in an hour ago has not moved on tomorrow (a pinned clock saw that).
                    later = at + timedelta(hours=self.rng.randrange(1, 96))
                    previous, last, at = step, at, min(later, self.now)
                if previous == Status.LINKED_TO_CASE:
                    place = f"{report['street']} {report['house_number']}"
                    linked.append(Linked(report_id, report["team_id"], last, place))
                # Every report its own key (crypto-shredding, reports/keys.py, ADR 0031).
                key = secrets.token_bytes(crypto.KEY_BYTES)
                report_keys.append(
                    {
                        "report_id": report_id,
                        "wrapped": keys.wrap(report_id, key),
                        "created_at": report["received_at"],
                    }
                )
                if contact:
                    contacts.append(
                        {
                            "report_id": report_id,
                            "ciphertext": keys.seal(
                                key,
                                report_id,
                                json.dumps(contact).encode(),
                                purpose=keys.CONTACT_PURPOSE,
                            ),
                        }
                    )
                if photo:
                    attachment_id = uuid.UUID(int=self.rng.getrandbits(128), version=4)
                    file_key = files.store(
                        attachment_id,
                        files.clean(_photo(self.rng))[0],
                        report_key=key,
                        report_id=report_id,
                    )
                    Attachment.objects.create(
                        id=attachment_id,
                        report_id=report_id,
                        content_type="image/jpeg",
                        size=files.path_for(attachment_id).stat().st_size,
                        uploaded_at=report["received_at"],
                        file_key=file_key,
                    )
            _Table.of(ReportSubject).insert(subjects)
            _Table.of(StatusChange).insert(changes)
            _Table.of(ReportKey).insert(report_keys)
            _Table.of(ReporterContact).insert(contacts)
            _Table.of(Decision).insert(decisions)
            # Which areas they lie in, as a report's save would store it (places/signals.py).
            area_reports_add(
                (report_id, row[0]["lat"], row[0]["lon"], row[0]["team_id"])
                for report_id, row in zip(ids, rows, strict=True)
            )
            # The decision's moment on the report, as decision_make writes it: retention
            # counts a decided report's period from it (privacy/retention.py).
            # Set from the rows in hand: a subquery per report walked the decisions' date index
            # backwards, which grew with the table (minutes per batch at a million).
            weighed: dict[int, datetime] = {}
            for row in decisions:
                weighed[row["report_id"]] = max(row["at"], weighed.get(row["report_id"], row["at"]))
            adapt = connection.ops.adapt_datetimefield_value
            with connection.cursor() as cursor:
                cursor.executemany(
                    f"UPDATE {Report._meta.db_table} SET weighed_at = %s WHERE id = %s",  # noqa: S608 (the model's table)
                    [(adapt(at), report_id) for report_id, at in weighed.items()],
                )
            self.cases.add(linked)


class _Table:
    """Plain multi-row inserts of one model: what bulk_create writes, without building model
    instances or compiling SQL per batch (bulk_create spent most of the time of a million
    reports there). Rows are dicts by attname; left-out fields get the field's default.

    Auto ids are taken up front, inside the caller's transaction: from the sequence on
    PostgreSQL (then COPY), from sqlite_sequence on SQLite (whose write lock the transaction
    already holds). Other databases fall back to bulk_create.
    """

    _cache: dict = {}

    @classmethod
    def of(cls, model) -> "_Table":
        key = (model, connection.vendor, connection.alias)
        if key not in cls._cache:
            cls._cache[key] = cls(model)
        return cls._cache[key]

    def __init__(self, model):
        self.model = model
        meta = model._meta
        self.auto = meta.pk if meta.pk.get_internal_type().endswith("AutoField") else None
        self.fields = [f for f in meta.concrete_fields if f is not self.auto and not f.generated]
        self.columns = ([self.auto.column] if self.auto else []) + [f.column for f in self.fields]
        # Per field: attname, how to prepare a given value (None: as it is), prepared default.
        self.plan = []
        for field in self.fields:
            prepare = self._preparer(field)
            default = field.get_default()
            if prepare and default is not None:
                default = prepare(default)
            self.plan.append((field.attname, prepare, default))

    @staticmethod
    def _preparer(field) -> Callable | None:
        kind = field.get_internal_type()
        ops = connection.ops
        if kind == "DateTimeField":
            return ops.adapt_datetimefield_value
        if kind == "DateField":
            return ops.adapt_datefield_value
        if kind in ("JSONField", "BinaryField", "UUIDField", "DecimalField"):
            return lambda value: field.get_db_prep_save(value, connection)
        return None

    def _values(self, row: dict) -> list:
        values = []
        for attname, prepare, default in self.plan:
            if attname in row:
                value = row[attname]
                values.append(prepare(value) if prepare and value is not None else value)
            else:
                values.append(default)
        return values

    def _ids(self, cursor, n: int) -> list[int]:
        table = self.model._meta.db_table
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
                [table, self.model._meta.pk.column, n],
            )
            return [row[0] for row in cursor.fetchall()]
        cursor.execute("SELECT seq FROM sqlite_sequence WHERE name = %s", [table])
        found = cursor.fetchone()
        start = found[0] if found else 0
        return list(range(start + 1, start + n + 1))

    def insert(self, rows: list[dict]) -> list:
        """Insert the rows; returns their auto ids (in order) when the model has them."""
        if not rows:
            return []
        if connection.vendor not in ("postgresql", "sqlite"):
            made = self.model.objects.bulk_create([self.model(**row) for row in rows])
            return [obj.pk for obj in made]
        table = connection.ops.quote_name(self.model._meta.db_table)
        columns = ", ".join(connection.ops.quote_name(c) for c in self.columns)
        with connection.cursor() as cursor:
            ids = self._ids(cursor, len(rows)) if self.auto else []
            values = [
                ([ids[i]] if self.auto else []) + self._values(row) for i, row in enumerate(rows)
            ]
            if connection.vendor == "postgresql":
                with cursor.cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
                    for value in values:
                        copy.write_row(value)
            else:
                marks = ", ".join(["%s"] * len(self.columns))
                insert = f"INSERT INTO {table} ({columns}) VALUES ({marks})"  # noqa: S608 (names from the model, quoted)
                cursor.executemany(insert, values)
        return ids
