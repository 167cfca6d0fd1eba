"""Versions kept by triggers (decision 67's plan): a team's field list, a campaign's coverage overview.

`visits_fieldlistversion` holds one row per team, `visits_coverageversion` one per campaign (inserted by a trigger
on visits_team / visits_campaign, and here for those that exist). Each write that changes what a team's field list
shows, or what a campaign's coverage counts or names, sets that team's / campaign's `version` to a fresh random
number, in the writer's transaction: services, imports, bulk loads, raw SQL and the demo alike. The API and the
coverage selector keep what they built with the version it was built at (`visits.field_list_cache`).

What the field list shows, and so the tables watched (`selectors.field_list_for`, `earlier_cases_by_record`):
- visits_subject (the rows, their team, walk order, counters, district/street/community: scope and masking),
  visits_team (name, campaign; a new team gets its row), visits_campaign (name), visits_topic (the topics),
  visits_teammember (members, roles);
- visits_visit (the last visit to each household or enterprise, in any campaign; the visits cases were raised
  in) and visits_visitproblem (which cases, in which order);
- cases_case (code, text, state, resolution, rating, and its district/street/community and lead unit, which decide
  whether its text is masked) — any update of a case raised in a visit;
- places_household (address, room, building), places_enterprise (name, park building) — any update;
- places_place (a community's, building's or compound's name; a building's compound): when name or parent change;
- places_parkbuilding (name), orgs_person (a member's name), orgs_user (display name, user name): when those change.
Not watched, because the list does not read them: visits_followup (a rating it records is an update of the case),
household tags (a subject's group is its own column, set by the assignment), the viewer's unit, roles and team
membership (read for each request, and part of the cache key).

The coverage (`selectors._coverage`, `_progress`): visits_subject (cells, first visits), visits_visit (visits by
day), visits_team (names), visits_campaign (targets, period, subject kinds), places_place (names, codes,
positions: any change bumps every campaign — rare).

Each watched table names the versions a changed row touches with one query over the changed rows. PostgreSQL: a
trigger per statement and event with transition tables (a bulk update of 195,000 subjects bumps each team once,
not once per row). SQLite: a trigger per row and event (WHEN for the column-restricted ones).
"""

import django.db.models.deletion
from django.db import migrations, models

PG_RANDOM = "floor(random() * 9007199254740991)::bigint"
SQLITE_RANDOM = "random()"


def _visit_teams(src) -> str:
    return (f"SELECT team_id FROM visits_subject WHERE household_id IN ({src('household_id')}) "
            f"UNION ALL SELECT team_id FROM visits_subject WHERE enterprise_id IN ({src('enterprise_id')})")


def _problem_teams(src, visit_ids) -> str:
    return " UNION ALL ".join(
        f"SELECT s.team_id FROM visits_visit v JOIN visits_subject s ON s.{col} = v.{col} WHERE v.id IN ({visit_ids})"
        for col in ("household_id", "enterprise_id"))


def _case_teams(src) -> str:
    return " UNION ALL ".join(
        f"SELECT s.team_id FROM visits_visitproblem p JOIN visits_visit v ON v.id = p.visit_id "
        f"JOIN visits_subject s ON s.{col} = v.{col} WHERE p.case_id IN ({src('id')})"
        for col in ("household_id", "enterprise_id"))


def _place_teams(src) -> str:
    ids = src("id")
    return (f"SELECT team_id FROM visits_subject WHERE community_id IN ({ids}) "
            f"UNION ALL SELECT s.team_id FROM places_household h JOIN visits_subject s ON s.household_id = h.id "
            f"WHERE h.building_id IN ({ids}) "
            f"UNION ALL SELECT s.team_id FROM places_place b JOIN places_household h ON h.building_id = b.id "
            f"JOIN visits_subject s ON s.household_id = h.id WHERE b.parent_id IN ({ids})")


# Two versions: a team's field list (visits_fieldlistversion, by team) and a campaign's coverage
# (visits_coverageversion, by campaign: `selectors.coverage_overview_for`).
# (table, events, columns whose change matters on UPDATE (None: any update), version table, its key column,
#  the keys the changed rows touch)
FL, COV = ("visits_fieldlistversion", "team_id"), ("visits_coverageversion", "campaign_id")
WATCHED = [
    ("visits_subject", "IUD", None, FL, lambda src: src("team_id")),
    ("visits_teammember", "IUD", None, FL, lambda src: src("team_id")),
    ("visits_topic", "IUD", None, FL,
     lambda src: f"SELECT id FROM visits_team WHERE campaign_id IN ({src('campaign_id')})"),
    ("visits_campaign", "U", None, FL, lambda src: f"SELECT id FROM visits_team WHERE campaign_id IN ({src('id')})"),
    ("visits_team", "U", None, FL, lambda src: src("id")),
    ("visits_visit", "IUD", None, FL, _visit_teams),
    ("visits_visitproblem", "IUD", None, FL, lambda src: _problem_teams(src, src("visit_id"))),
    ("cases_case", "U", None, FL, _case_teams),
    ("places_household", "U", None, FL,
     lambda src: f"SELECT team_id FROM visits_subject WHERE household_id IN ({src('id')})"),
    ("places_enterprise", "U", None, FL,
     lambda src: f"SELECT team_id FROM visits_subject WHERE enterprise_id IN ({src('id')})"),
    ("places_parkbuilding", "U", ("name",), FL, lambda src: (
        "SELECT s.team_id FROM places_enterprise e JOIN visits_subject s ON s.enterprise_id = e.id "
        f"WHERE e.park_building_id IN ({src('id')})")),
    ("places_place", "U", ("name", "parent_id"), FL, _place_teams),
    ("orgs_person", "U", ("name",), FL,
     lambda src: f"SELECT team_id FROM visits_teammember WHERE person_id IN ({src('id')})"),
    ("orgs_user", "U", ("display_name", "username"), FL,
     lambda src: f"SELECT team_id FROM visits_teammember WHERE user_id IN ({src('id')})"),
    # coverage: the subjects' cells and first visits, the visits by day, the teams' names, the campaign's targets,
    # period and subject kinds, the streets' and communities' names, codes and positions (any campaign: rare)
    ("visits_subject", "IUD", None, COV, lambda src: src("campaign_id")),
    ("visits_visit", "IUD", None, COV, lambda src: src("campaign_id")),
    ("visits_team", "IUD", None, COV, lambda src: src("campaign_id")),
    ("visits_campaign", "U", None, COV, lambda src: src("id")),
    ("places_place", "U", ("name", "code", "lat", "lng"), COV, lambda src: "SELECT id FROM visits_campaign"),
]
EVENTS = {"I": "INSERT", "U": "UPDATE", "D": "DELETE"}
# a new team or campaign gets its version row
CREATED = [("visits_team", FL), ("visits_campaign", COV)]


def _name(table: str, target) -> str:
    return f"civicloop_{'fl' if target == FL else 'cov'}_{table}"


def _bump(target, keys: str, random: str) -> str:
    return f"UPDATE {target[0]} SET version = {random} WHERE {target[1]} IN ({keys});"


def _pg_bump(target, keys: str, once: bool = False) -> str:
    """PostgreSQL: the rows locked in key order first (FOR UPDATE in a sub-select, which is run whole), so two
    transactions bumping the same teams in one statement each never wait for each other crosswise.
    `once` (migration 0003): each row set at most once per transaction, to the transaction's token."""
    table, key = target
    if once:
        return (f"UPDATE {table} SET version = civicloop_version_token() WHERE {key} IN "
                f"(SELECT {key} FROM {table} WHERE {key} IN ({keys}) "
                f"AND version <> civicloop_version_token() ORDER BY {key} FOR UPDATE);")
    return (f"UPDATE {table} SET version = {PG_RANDOM} WHERE {key} IN "
            f"(SELECT {key} FROM {table} WHERE {key} IN ({keys}) ORDER BY {key} FOR UPDATE);")


# ----- PostgreSQL: per statement, over the transition tables


def _pg_rows(relation: str):
    return lambda col: f"SELECT {col} FROM {relation}"


def _pg_changed(columns) -> str:
    differ = " OR ".join(f"n.{c} IS DISTINCT FROM o.{c}" for c in columns)
    return f"(SELECT n.* FROM new_rows n JOIN old_rows o ON o.id = n.id WHERE {differ}) AS changed"


REFERENCING = {"I": "NEW TABLE AS new_rows", "U": "OLD TABLE AS old_rows NEW TABLE AS new_rows",
               "D": "OLD TABLE AS old_rows"}


def _pg_create(once: bool = False) -> str:
    sql = []
    for table, events, columns, target, keys in WATCHED:
        name = _name(table, target)
        if columns:
            on_update = _pg_bump(target, keys(_pg_rows(_pg_changed(columns))), once)
        else:
            on_update = _pg_bump(target, f"{keys(_pg_rows('new_rows'))} UNION ALL {keys(_pg_rows('old_rows'))}",
                                 once)
        sql.append(f"""
CREATE OR REPLACE FUNCTION {name}() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        {_pg_bump(target, keys(_pg_rows('new_rows')), once)}
    ELSIF TG_OP = 'DELETE' THEN
        {_pg_bump(target, keys(_pg_rows('old_rows')), once)}
    ELSE
        {on_update}
    END IF;
    RETURN NULL;
END
$$;""")
        for e in events:
            sql.append(f"""
DROP TRIGGER IF EXISTS {name}_{e.lower()} ON {table};
CREATE TRIGGER {name}_{e.lower()} AFTER {EVENTS[e]} ON {table} REFERENCING {REFERENCING[e]}
    FOR EACH STATEMENT EXECUTE FUNCTION {name}();""")
    for table, target in CREATED:
        name = f"{_name(table, target)}_created"
        sql.append(f"""
CREATE OR REPLACE FUNCTION {name}() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO {target[0]} ({target[1]}, version) SELECT id, {PG_RANDOM} FROM new_rows;
    RETURN NULL;
END
$$;
DROP TRIGGER IF EXISTS {name} ON {table};
CREATE TRIGGER {name} AFTER INSERT ON {table} REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION {name}();""")
    return "\n".join(sql)


def _pg_drop() -> str:
    sql = []
    for table, events, _columns, target, _keys in WATCHED:
        name = _name(table, target)
        sql += [f"DROP TRIGGER IF EXISTS {name}_{e.lower()} ON {table};" for e in events]
        sql.append(f"DROP FUNCTION IF EXISTS {name}();")
    for table, target in CREATED:
        name = f"{_name(table, target)}_created"
        sql += [f"DROP TRIGGER IF EXISTS {name} ON {table};", f"DROP FUNCTION IF EXISTS {name}();"]
    return "\n".join(sql)


# ----- SQLite: per row (SQLite has no statement triggers)


def _sqlite_create() -> list[str]:
    sql = []
    for table, events, columns, target, keys in WATCHED:
        new = keys(lambda col: f"SELECT NEW.{col}")
        old = keys(lambda col: f"SELECT OLD.{col}")
        for e in events:
            when = ""
            if e == "I":
                body = _bump(target, new, SQLITE_RANDOM)
            elif e == "D":
                body = _bump(target, old, SQLITE_RANDOM)
            elif columns:
                when = " WHEN " + " OR ".join(f"NEW.{c} IS NOT OLD.{c}" for c in columns)
                body = _bump(target, new, SQLITE_RANDOM)
            else:
                body = _bump(target, f"{new} UNION ALL {old}", SQLITE_RANDOM)
            sql.append(f"CREATE TRIGGER {_name(table, target)}_{e.lower()} AFTER {EVENTS[e]} ON {table} "
                       f"FOR EACH ROW{when} BEGIN {body} END;")
    for table, target in CREATED:
        sql.append(f"CREATE TRIGGER {_name(table, target)}_created AFTER INSERT ON {table} FOR EACH ROW BEGIN "
                   f"INSERT INTO {target[0]} ({target[1]}, version) VALUES (NEW.id, {SQLITE_RANDOM}); END;")
    return sql


def _sqlite_drop() -> list[str]:
    names = [f"{_name(table, target)}_{e.lower()}" for table, events, _c, target, _k in WATCHED for e in events]
    names += [f"{_name(table, target)}_created" for table, target in CREATED]
    return [f"DROP TRIGGER IF EXISTS {name};" for name in names]


def _backfill(random: str) -> list[str]:
    return [f"INSERT INTO {target[0]} ({target[1]}, version) SELECT id, {random} FROM {table}"
            for table, target in CREATED]


def create(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    with schema_editor.connection.cursor() as cursor:
        if vendor == "postgresql":
            cursor.execute(_pg_create())  # no parameters: nothing to escape
            for statement in _backfill(PG_RANDOM):
                cursor.execute(statement)
        elif vendor == "sqlite":
            for statement in [*_sqlite_create(), *_backfill(SQLITE_RANDOM)]:
                cursor.execute(statement)
        # elsewhere no trigger: the API then builds every list fresh (`field_list_cache.CACHED_VENDORS`)


def drop(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    with schema_editor.connection.cursor() as cursor:
        if vendor == "postgresql":
            cursor.execute(_pg_drop())
        elif vendor == "sqlite":
            for statement in _sqlite_drop():
                cursor.execute(statement)


class Migration(migrations.Migration):

    dependencies = [
        ("visits", "0001_initial"),
        ("cases", "0011_inbox_include_lead_unit"),
        ("orgs", "0002_unit_duty_tags"),
        ("places", "0001_initial"),
    ]

    operations = [
        migrations.CreateModel(
            name="FieldListVersion",
            fields=[
                ("team", models.OneToOneField(on_delete=django.db.models.deletion.CASCADE, primary_key=True,
                                              related_name="+", serialize=False, to="visits.team")),
                ("version", models.BigIntegerField()),
            ],
            options={"default_permissions": ()},
        ),
        migrations.CreateModel(
            name="CoverageVersion",
            fields=[
                ("campaign", models.OneToOneField(on_delete=django.db.models.deletion.CASCADE, primary_key=True,
                                                  related_name="+", serialize=False, to="visits.campaign")),
                ("version", models.BigIntegerField()),
            ],
            options={"default_permissions": ()},
        ),
        migrations.RunPython(create, drop, elidable=False),
    ]
