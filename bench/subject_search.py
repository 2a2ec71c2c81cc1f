"""Fuzzy subject search: top-10 latency with many subjects, against a brute-force scan.

    .venv/bin/python bench/subject_search.py [--subjects N] [--queries Q]
                                             [--databases sqlite,postgresql] [--database-url URL]

For each database (a SQLite file in a temp dir; a fresh PostgreSQL database
baken_bench_search_<pid> on DATABASE_ADMIN_URL, created and dropped) the migrations run, then
N invented subjects are loaded (seed 1: 80% persons from pools of first names, particles and
surnames — so many names repeat, as "Jan de Jong" does — and 20% companies with a legal form),
with the search index built after the load, and ANALYZE.

Measured: `search.name_matches(query_key(q), limit=10)` — the engine's candidates re-ranked by
rapidfuzz, what the search box runs for names — for Q queries: existing names with one typo
(a letter replaced, dropped, doubled or two swapped), a third of them surname only. p50/p95
over the queries after 10 warm-up queries, and recall@10: how often a subject with the
intended name key is in the top 10.

The floor/comparison: rapidfuzz.process.extract over all N name keys in memory with the same
scorer (WRatio) — the exact top 10, and what a search without an index costs.
Goal: p95 < 50 ms at 10,000,000 subjects on PostgreSQL.
"""

import argparse
import os
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
ADMIN_URL = os.environ.get("DATABASE_ADMIN_URL", "postgres://postgres@127.0.0.1:5432/postgres")
GOAL_P95_MS = 50.0

FIRST = [
    "Jan",
    "Piet",
    "Kees",
    "Henk",
    "Willem",
    "Johan",
    "Pieter",
    "Hendrik",
    "Cornelis",
    "Gerrit",
    "Dirk",
    "Klaas",
    "Bas",
    "Tim",
    "Thijs",
    "Daan",
    "Sem",
    "Lucas",
    "Milan",
    "Levi",
    "Noah",
    "Liam",
    "Finn",
    "Jesse",
    "Ruben",
    "Stijn",
    "Lars",
    "Niels",
    "Bram",
    "Joris",
    "Koen",
    "Mohammed",
    "Ahmed",
    "Youssef",
    "Mustafa",
    "Ali",
    "Omar",
    "Hamza",
    "Ibrahim",
    "Mehmet",
    "Emre",
    "Murat",
    "Burak",
    "Hasan",
    "Anna",
    "Maria",
    "Johanna",
    "Cornelia",
    "Elisabeth",
    "Wilhelmina",
    "Sanne",
    "Lisa",
    "Emma",
    "Julia",
    "Sophie",
    "Eva",
    "Lotte",
    "Fleur",
    "Noor",
    "Saar",
    "Tess",
    "Anouk",
    "Iris",
    "Femke",
    "Ilse",
    "Marieke",
    "Priya",
    "Carla",
    "Fatima",
    "Aisha",
    "Zeynep",
    "Elif",
    "Natasha",
    "Olga",
    "Katarzyna",
    "Agnieszka",
    "Joanna",
    "Ewa",
    "Andrzej",
    "Piotr",
    "Tomasz",
    "Krzysztof",
    "Vasile",
    "Ion",
    "Mihai",
    "Andrei",
    "Elena",
    "Ioana",
    "Kevin",
    "Dennis",
    "Patrick",
    "Sandra",
    "Monique",
    "Esther",
    "Ingrid",
    "Wendy",
    "Priscilla",
]
PARTICLES = ["", "", "", "", "van", "de", "van der", "van den", "ter", "den"]
SURNAMES = [
    "Jong",
    "Jansen",
    "Vries",
    "Berg",
    "Bakker",
    "Janssen",
    "Visser",
    "Smit",
    "Meijer",
    "Boer",
    "Mulder",
    "Groot",
    "Bos",
    "Vos",
    "Peters",
    "Hendriks",
    "Leeuwen",
    "Dekker",
    "Brouwer",
    "Wit",
    "Dijk",
    "Graaf",
    "Vermeulen",
    "Kok",
    "Jacobs",
    "Haan",
    "Vliet",
    "Heuvel",
    "Veen",
    "Broek",
    "Bruijn",
    "Bruin",
    "Schouten",
    "Beek",
    "Willems",
    "Ven",
    "Hoekstra",
    "Koster",
    "Prins",
    "Maas",
    "Verhoeven",
    "Yilmaz",
    "Kaya",
    "Demir",
    "Sahin",
    "Celik",
    "Yildiz",
    "Aydin",
    "Ozturk",
    "Amrani",
    "Bouzid",
    "Haddou",
    "Ouali",
    "Tahiri",
    "Idrissi",
    "Kowalski",
    "Nowak",
    "Wisniewski",
    "Wojcik",
    "Kaminski",
    "Popescu",
    "Ionescu",
    "Dumitru",
    "Stan",
    "Nguyen",
    "Tran",
    "Singh",
]
SYLLABLES = [
    "ber",
    "dam",
    "hol",
    "kes",
    "mar",
    "ter",
    "wij",
    "lin",
    "gen",
    "dor",
    "stra",
    "man",
    "sen",
    "ink",
    "hof",
    "veld",
    "kamp",
    "broek",
    "hout",
    "rijk",
]
WORDS = [
    "Bouw",
    "Transport",
    "Handel",
    "Holding",
    "Vastgoed",
    "Kapsalon",
    "Autobedrijf",
    "Beheer",
    "Logistiek",
    "Schoonmaak",
    "Uitzendbureau",
    "Import",
    "Export",
    "Cafe",
    "Shisha",
    "Belwinkel",
    "Nagelstudio",
    "Garage",
    "Growshop",
    "Verhuur",
]
FORMS = ["B.V.", "B.V.", "V.O.F.", "Holding B.V.", "", "N.V."]


def p(latencies: list[float], q: int) -> float:
    return statistics.quantiles(latencies, n=100, method="inclusive")[q - 1] * 1000


def surname(rng: random.Random) -> str:
    if rng.random() < 0.5:
        return rng.choice(SURNAMES)
    return "".join(rng.choice(SYLLABLES) for _ in range(rng.choice((2, 3)))).capitalize()


def invent(rng: random.Random) -> tuple[str, str]:
    if rng.random() < 0.8:
        parts = [rng.choice(FIRST), rng.choice(PARTICLES), surname(rng)]
        return "person", " ".join(p for p in parts if p)
    parts = [surname(rng), rng.choice(WORDS), rng.choice(FORMS)]
    return "organisation", " ".join(p for p in parts if p)


def typo(name: str, rng: random.Random) -> str:
    i = rng.randrange(1, max(2, len(name) - 1))
    kind = rng.choice(("replace", "drop", "double", "swap"))
    if kind == "replace":
        return name[:i] + rng.choice("aeioulnrst") + name[i + 1 :]
    if kind == "drop":
        return name[:i] + name[i + 1 :]
    if kind == "double":
        return name[:i] + name[i] + name[i:]
    return name[: i - 1] + name[i] + name[i - 1] + name[i + 1 :]


def load(n: int) -> tuple[list[str], list[tuple[str, str]], float]:
    """Insert n invented subjects; returns their name keys, (kind, name) of each, seconds."""
    from django.db import connection
    from django.utils import timezone

    from baken.core.names import normalise_name
    from baken.subjects.search_index import drop_search_index, ensure_search_index

    rng = random.Random(1)
    now = timezone.now()
    keys: dict[tuple[str, str], str] = {}
    names: list[tuple[str, str]] = []
    columns = (
        "kind, name, name_key, bsn, kvk_number, legal_form, trade_names, postcode, house_letter,"
        " addition, street, city, object_kind, license_plate, make, colour, created_at"
    )
    start = time.perf_counter()
    drop_search_index(connection)  # built once after the load, as a bulk import would
    batch = 100_000
    with connection.cursor() as cursor:
        for offset in range(0, n, batch):
            rows = []
            for _ in range(min(batch, n - offset)):
                kind, name = invent(rng)
                key = keys.get((kind, name))
                if key is None:
                    key = keys[(kind, name)] = normalise_name(name, kind)
                names.append((kind, name))
                rows.append(
                    (kind, name, key, "", "", "", "[]", "", "", "", "", "", "", "", "", "", now)
                )
            if connection.vendor == "postgresql":
                with cursor.cursor.copy(f"COPY subjects_subject ({columns}) FROM STDIN") as copy:
                    for row in rows:
                        copy.write_row(row)
            else:
                marks = ", ".join(["%s"] * 17)
                sql = f"INSERT INTO subjects_subject ({columns}) VALUES ({marks})"  # noqa: S608
                cursor.executemany(sql, rows)
            print(
                f"  {offset + len(rows):>11,} subjects  {time.perf_counter() - start:6.0f} s",
                flush=True,
            )
        if connection.vendor == "postgresql":
            cursor.execute("SET maintenance_work_mem = '1GB'")
        index_start = time.perf_counter()
        ensure_search_index(connection)
        print(f"  search index built in {time.perf_counter() - index_start:.0f} s", flush=True)
        cursor.execute("VACUUM ANALYZE" if connection.vendor == "postgresql" else "ANALYZE")
    key_list = [keys[kn] for kn in names]
    return key_list, names, time.perf_counter() - start


def measure(args) -> None:
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from rapidfuzz import fuzz, process

    from baken.subjects import search
    from baken.subjects.models import Subject

    call_command("migrate", verbosity=0)
    existing = Subject.objects.count()
    if existing < args.subjects:
        keys, names, seconds = load(args.subjects - existing)
        print(f"loaded {len(keys):,} subjects in {seconds:.0f} s")
    else:
        print(f"using the {existing:,} subjects present")
        rows = Subject.objects.order_by("pk").values_list("kind", "name", "name_key")
        names, keys = [], []
        for kind, name, key in rows.iterator(chunk_size=50_000):
            names.append((kind, name))
            keys.append(key)
    total = len(keys)
    rng = random.Random(2)
    queries = []
    for _ in range(args.queries + 10):
        kind, name = names[rng.randrange(len(names))]
        if kind == "person" and rng.random() < 1 / 3:
            name = name.split()[-1]  # surname only
        intended = search.query_key(name)
        queries.append((typo(name, rng), intended))

    latencies, hits, sizes = [], 0, []
    for i, (query, intended) in enumerate(queries):
        start = time.perf_counter()
        found = search.name_matches(search.query_key(query), limit=10)
        elapsed = time.perf_counter() - start
        if i < 10:
            continue
        latencies.append(elapsed)
        sizes.append(len(found))
        found_keys = dict(
            Subject.objects.filter(pk__in=[pk for pk, _s in found]).values_list("pk", "name_key")
        )
        hits += any(
            intended == key or intended in key.split(" ", 1)[-1:] for key in found_keys.values()
        )

    brute, brute_hits = [], 0
    for query, intended in queries[10 : 10 + args.brute]:
        start = time.perf_counter()
        top = process.extract(search.query_key(query), keys, scorer=fuzz.WRatio, limit=10)
        brute.append(time.perf_counter() - start)
        brute_hits += any(
            intended == keys[j] or intended in keys[j].split(" ", 1)[-1:] for _n, _s, j in top
        )
    print(
        f"{connection.vendor:10} {total:>11,} subjects  name_matches top-10: "
        f"p50 {p(latencies, 50):7.1f} ms  p95 {p(latencies, 95):7.1f} ms  "
        f"recall@10 {hits / len(latencies):6.1%}  (mean {statistics.mean(sizes):.1f} results, "
        f"{len(latencies)} queries)"
    )
    print(
        f"{'floor':10} {total:>11,} subjects  rapidfuzz.process.extract over all keys in memory: "
        f"p50 {p(brute, 50):7.1f} ms  p95 {p(brute, 95):7.1f} ms  "
        f"recall@10 {brute_hits / len(brute):6.1%}  ({len(brute)} queries)"
    )
    if connection.vendor == "postgresql":
        verdict = "met" if p(latencies, 95) < GOAL_P95_MS else "NOT met"
        print(
            f"goal p95 < {GOAL_P95_MS:.0f} ms (at 10,000,000 on PostgreSQL): {verdict} at {total:,}"
        )
    print("examples:")
    for query, _intended in queries[10:15]:
        found = search.name_matches(search.query_key(query), limit=3)
        names_of = Subject.objects.in_bulk([pk for pk, _s in found])
        shown = ", ".join(f"{names_of[pk].name} ({score:.0f})" for pk, score in found)
        print(f"  {query!r:32} → {shown}")


def run_child(args, database_url: str, var: Path) -> int:
    env = dict(
        os.environ,
        DATABASE_URL=database_url,
        BAKEN_VAR_DIR=str(var),
        BAKEN_DEBUG="off",
        DJANGO_SETTINGS_MODULE="baken.settings.test",
        PYTHONPATH=os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")])),
    )
    command = [sys.executable, __file__, "--child", "--subjects", str(args.subjects)]
    command += ["--queries", str(args.queries), "--brute", str(args.brute)]
    return subprocess.run(command, env=env, cwd=ROOT, check=False).returncode


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--subjects", type=int, default=1_000_000)
    parser.add_argument("--queries", type=int, default=200)
    parser.add_argument("--brute", type=int, default=30, help="queries for the brute-force floor")
    parser.add_argument("--databases", default="sqlite,postgresql")
    parser.add_argument("--database-url", help="use this database (kept) instead of fresh ones")
    parser.add_argument("--keep", action="store_true", help="keep the PostgreSQL database")
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        measure(args)
        return
    if args.database_url:
        var = Path(tempfile.mkdtemp(prefix="baken-bench-"))
        sys.exit(run_child(args, args.database_url, var))
    failed = 0
    for vendor in args.databases.split(","):
        var = Path(tempfile.mkdtemp(prefix="baken-bench-"))
        if vendor == "sqlite":
            failed |= run_child(args, f"sqlite:///{var / 'bench.sqlite3'}", var)
            shutil.rmtree(var, ignore_errors=True)
            continue
        import psycopg

        name = f"baken_bench_search_{os.getpid()}"
        admin = ADMIN_URL.replace("postgres://", "postgresql://", 1)
        with psycopg.connect(admin, autocommit=True) as conn:
            conn.execute(f'CREATE DATABASE "{name}"')
        try:
            failed |= run_child(args, admin.rsplit("/", 1)[0] + f"/{name}", var)
        finally:
            if args.keep:
                print(f"kept: {admin.rsplit('/', 1)[0]}/{name}")
            else:
                with psycopg.connect(admin, autocommit=True) as conn:
                    conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            shutil.rmtree(var, ignore_errors=True)
    sys.exit(failed)


if __name__ == "__main__":
    main()
