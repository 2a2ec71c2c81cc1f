"""The reporting page's form fields, turned into the uniform report format.

The page is one HTML form (each step a fieldset) that works without JavaScript; with it the
steps are shown one at a time and the form is sent in the background, or kept on the device
while offline. Both paths post the same fields here.
"""

import re

from django.utils.translation import gettext as _

from baken.reports import identifiers
from baken.reports.process_cache import active_categories

SUBJECT_FIELDS = {
    "person": ("name", "birth_date", "bsn", "description"),
    "organisation": ("name", "kvk_number", "description"),
    "vehicle": ("license_plate", "description"),
}
ADDRESS_FIELDS = ("postcode", "house_number", "house_letter", "addition", "street", "city")
_SUBJECT_KEY = re.compile(r"^(person|organisation|vehicle|address)-(\d+)-(\w+)$")


def _clean(post, name: str) -> str:
    return (post.get(name) or "").strip()


def _address(values: dict) -> dict:
    address = {key: values[key] for key in ADDRESS_FIELDS if values.get(key)}
    if "house_number" in address:
        address["house_number"] = identifiers.house_number(address["house_number"])
    return address


def _moment(value: str) -> str:
    # <input type="datetime-local"> sends '2026-11-20T22:15' in the reporter's local time.
    return f"{value}:00" if re.fullmatch(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}", value) else value


def _subject_groups(post) -> list[tuple[tuple[str, int], dict]]:
    groups: dict[tuple[str, int], dict] = {}
    for key in post:
        if match := _SUBJECT_KEY.match(key):
            kind, index, field = match.groups()
            if value := _clean(post, key):
                groups.setdefault((kind, int(index)), {})[field] = value
    return sorted(groups.items(), key=lambda item: (item[0][1], item[0][0]))


def _subjects(post) -> list[dict]:
    subjects = []
    for (kind, _index), values in _subject_groups(post):
        if kind == "address":
            subjects.append({"type": "address", "address": _address(values)})
        else:
            subject: dict = {"type": kind}
            subject.update({k: values[k] for k in SUBJECT_FIELDS[kind] if k in values})
            subjects.append(subject)
    return subjects


def _reporter(post) -> dict:
    reporter: dict
    if _clean(post, "identity") != "named":
        reporter = {"anonymous": True}
    else:
        reporter = {"anonymous": False, "name": _clean(post, "reporter_name")}
        for field in ("organisation", "email", "phone"):
            if value := _clean(post, f"reporter_{field}"):
                reporter[field] = value
        reporter["may_contact"] = post.get("reporter_may_contact") == "on"
    # Named or anonymous alike; empty is "I'd rather not say".
    if department := _clean(post, "reporter_department"):
        reporter["department"] = department
    return reporter


def _signs(post, category: str) -> list:
    """The ticked signs of the chosen category (each category's are named sign-<category>,
    so a sign ticked under another category before the reporter changed their mind does not
    count). Ids as numbers; anything else is left for the format's check to refuse."""
    ticked = (value.strip() for value in post.getlist(f"sign-{category}"))
    values = dict.fromkeys(value for value in ticked if value)
    return [int(value) if is_id(value) else value for value in values]


def stray_signs(post) -> dict[str, list[str]]:
    """Signs ticked under a category the reporter did not choose, as form errors. With
    JavaScript a tick chooses its category and choosing another unticks them; without it,
    the reporter is asked rather than the signs silently dropped."""
    chosen = f"sign-{_clean(post, 'category')}"
    categories = active_categories()
    errors = {}
    for name in post:
        code = name.removeprefix("sign-")
        ticked = any(value.strip() for value in post.getlist(name))
        if name.startswith("sign-") and name != chosen and code in categories and ticked:
            message = _(
                "You ticked signs of “%(category)s” but chose another kind of suspicion. "
                "Choose “%(category)s” above, or untick these signs."
            )
            errors[name] = [message % {"category": categories[code].name}]
    return errors


def is_id(value: str) -> bool:
    """Digits that fit a database id (a longer run is refused as it is, not read)."""
    return value.isascii() and value.isdigit() and len(value) <= 18


def _location(post) -> dict:
    location: dict = {}
    if address := _address({key: _clean(post, f"location_{key}") for key in ADDRESS_FIELDS}):
        location["address"] = address
    lat, lon = _clean(post, "lat"), _clean(post, "lon")
    if lat and lon:
        try:
            location["point"] = {"lat": float(lat), "lon": float(lon)}
        except ValueError:
            location["point"] = {"lat": lat, "lon": lon}
    if place := _clean(post, "location_description"):
        location["description"] = place
    return location


def payload_from_post(post, attachment_ids: list[str]) -> dict:
    # Intake staff, logged in, register reports that came in by phone or e-mail here too.
    channel = _clean(post, "channel") or "web"
    payload: dict = {"channel": channel, "description": _clean(post, "description")}
    if (category := _clean(post, "category")) and category != "onbekend":
        payload["category"] = category
    if start := _clean(post, "observed_start"):
        payload["observed_at"] = {"start": _moment(start)}
        if end := _clean(post, "observed_end"):
            payload["observed_at"]["end"] = _moment(end)
    if location := _location(post):
        payload["location"] = location
    if subjects := _subjects(post):
        payload["subjects"] = subjects
    if "category" in payload and (signs := _signs(post, payload["category"])):
        payload["signs"] = signs
    payload["reporter"] = _reporter(post)
    if attachment_ids:
        payload["attachments"] = attachment_ids
    # Each category's questions are named answer-<category>-<code>; only the chosen one counts.
    prefix = f"answer-{payload.get('category')}-"
    answers = {
        key.removeprefix(prefix): _answer(_clean(post, key))
        for key in post
        if "category" in payload and key.startswith(prefix) and _clean(post, key)
    }
    if answers:
        payload["answers"] = answers
    if key := _clean(post, "idempotency_key"):
        payload["idempotency_key"] = key
    return payload


def _answer(value: str):
    return {"ja": True, "nee": False}.get(value, value)


def field_for(param: str, post) -> str:
    """The form field that an `invalid_params` name points at."""
    parts = param.split(".")
    head = parts[0]
    if head == "observed_at":
        return f"observed_{parts[1]}" if len(parts) > 1 else "observed_start"
    if head == "location":
        return f"location_{parts[-1]}" if parts[1] == "address" else "location_description"
    if head == "subjects" and len(parts) > 1:
        (kind, index), _values = _subject_groups(post)[int(parts[1])]
        return f"{kind}-{index}-{parts[-1]}"
    if head == "reporter":
        return f"reporter_{parts[-1]}"
    if head == "answers":
        return f"answer-{_clean(post, 'category')}-{parts[-1]}"
    if head == "attachments":
        return "photos"
    if head == "signs":
        return f"sign-{_clean(post, 'category')}"
    return head
