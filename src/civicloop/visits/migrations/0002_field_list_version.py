"""A team's field-list version, kept by triggers on every table the field list shows (decision 67's plan).

`visits_fieldlistversion` holds one row per team (inserted by a trigger on visits_team, and here for the teams
that exist); each write that changes what a team's field list shows sets that team's `version` to a fresh random
number, in the writer's transaction: services, imports, bulk loads, raw SQL and the demo alike. The API keeps the
list's body with the version it was built at (`visits.field_list_cache`).

What the list shows, and so the tables watched (`selectors.field_list_for`, `earlier_cases_by_record`):
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
household tags (a subject's group is its own column, set by the assignment), the viewer's unit and roles (read
for each request, and part of the cache key).

Each watched table names the teams a changed row touches with one query over the changed rows. PostgreSQL: one
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


# table → (events, columns whose change matters on UPDATE (None: any update), teams of the changed rows)
WATCHED = {
    "visits_subject": ("IUD", None, lambda src: src("team_id")),
    "visits_teammember": ("IUD", None, lambda src: src("team_id")),
    "visits_topic": ("IUD", None, lambda src: f"SELECT id FROM visits_team WHERE campaign_id IN ({src('campaign_id')})"),
    "visits_campaign": ("U", None, lambda src: f"SELECT id FROM visits_team WHERE campaign_id IN ({src('id')})"),
    "visits_team": ("U", None, lambda src: src("id")),
    "visits_visit": ("IUD", None, _visit_teams),
    "visits_visitproblem": ("IUD", None, lambda src: _problem_teams(src, src("visit_id"))),
    "cases_case": ("U", None, _case_teams),
    "places_household": ("U", None,
                         lambda src: f"SELECT team_id FROM visits_subject WHERE household_id IN ({src('id')})"),
    "places_enterprise": ("U", None,
                          lambda src: f"SELECT team_id FROM visits_subject WHERE enterprise_id IN ({src('id')})"),
    "places_parkbuilding": ("U", ("name",), lambda src: (
        "SELECT s.team_id FROM places_enterprise e JOIN visits_subject s ON s.enterprise_id = e.id "
        f"WHERE e.park_building_id IN ({src('id')})")),
    "places_place": ("U", ("name", "parent_id"), _place_teams),
    "orgs_person": ("U", ("name",),
                    lambda src: f"SELECT team_id FROM visits_teammember WHERE person_id IN ({src('id')})"),
    "orgs_user": ("U", ("display_name", "username"),
                  lambda src: f"SELECT team_id FROM visits_teammember WHERE user_id IN ({src('id')})"),
}
EVENTS = {"I": "INSERT", "U": "UPDATE", "D": "DELETE"}


def _bump(teams: str, random: str) -> str:
    return f"UPDATE visits_fieldlistversion SET version = {random} WHERE team_id IN ({teams});"


# ----- PostgreSQL: per statement, over the transition tables


def _pg_rows(relation: str):
    return lambda col: f"SELECT {col} FROM {relation}"


def _pg_changed(columns) -> str:
    differ = " OR ".join(f"n.{c} IS DISTINCT FROM o.{c}" for c in columns)
    return f"(SELECT n.* FROM new_rows n JOIN old_rows o ON o.id = n.id WHERE {differ}) AS changed"


def _pg_create() -> str:
    sql = []
    for table, (events, columns, teams) in WATCHED.items():
        if columns:
            on_update = _bump(teams(_pg_rows(_pg_changed(columns))), PG_RANDOM)
        else:
            on_update = _bump(f"{teams(_pg_rows('new_rows'))} UNION ALL {teams(_pg_rows('old_rows'))}", PG_RANDOM)
        sql.append(f"""
CREATE OR REPLACE FUNCTION civicloop_fl_{table}() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        {_bump(teams(_pg_rows('new_rows')), PG_RANDOM)}
    ELSIF TG_OP = 'DELETE' THEN
        {_bump(teams(_pg_rows('old_rows')), PG_RANDOM)}
    ELSE
        {on_update}
    END IF;
    RETURN NULL;
END
$$;""")
        for e in events:
            referencing = {"I": "NEW TABLE AS new_rows", "U": "OLD TABLE AS old_rows NEW TABLE AS new_rows",
                           "D": "OLD TABLE AS old_rows"}[e]
            sql.append(f"""
DROP TRIGGER IF EXISTS civicloop_fl_{e.lower()} ON {table};
CREATE TRIGGER civicloop_fl_{e.lower()} AFTER {EVENTS[e]} ON {table} REFERENCING {referencing}
    FOR EACH STATEMENT EXECUTE FUNCTION civicloop_fl_{table}();""")
    sql.append(f"""
CREATE OR REPLACE FUNCTION civicloop_fl_team_insert() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO visits_fieldlistversion (team_id, version) SELECT id, {PG_RANDOM} FROM new_rows;
    RETURN NULL;
END
$$;
DROP TRIGGER IF EXISTS civicloop_fl_i ON visits_team;
CREATE TRIGGER civicloop_fl_i AFTER INSERT ON visits_team REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION civicloop_fl_team_insert();""")
    return "\n".join(sql)


def _pg_drop() -> str:
    sql = []
    for table, (events, _columns, _teams) in WATCHED.items():
        sql += [f"DROP TRIGGER IF EXISTS civicloop_fl_{e.lower()} ON {table};" for e in events]
        sql.append(f"DROP FUNCTION IF EXISTS civicloop_fl_{table}();")
    sql += ["DROP TRIGGER IF EXISTS civicloop_fl_i ON visits_team;", "DROP FUNCTION IF EXISTS civicloop_fl_team_insert();"]
    return "\n".join(sql)


# ----- SQLite: per row (SQLite has no statement triggers)


def _sqlite_create() -> list[str]:
    sql = []
    for table, (events, columns, teams) in WATCHED.items():
        new = teams(lambda col: f"SELECT NEW.{col}")
        old = teams(lambda col: f"SELECT OLD.{col}")
        for e in events:
            when = ""
            if e == "I":
                body = _bump(new, SQLITE_RANDOM)
            elif e == "D":
                body = _bump(old, SQLITE_RANDOM)
            elif columns:
                when = " WHEN " + " OR ".join(f"NEW.{c} IS NOT OLD.{c}" for c in columns)
                body = _bump(new, SQLITE_RANDOM)
            else:
                body = _bump(f"{new} UNION ALL {old}", SQLITE_RANDOM)
            sql.append(f"CREATE TRIGGER civicloop_fl_{table}_{e.lower()} AFTER {EVENTS[e]} ON {table} FOR EACH ROW"
                       f"{when} BEGIN {body} END;")
    sql.append("CREATE TRIGGER civicloop_fl_visits_team_i AFTER INSERT ON visits_team FOR EACH ROW BEGIN "
               f"INSERT INTO visits_fieldlistversion (team_id, version) VALUES (NEW.id, {SQLITE_RANDOM}); END;")
    return sql


def _sqlite_drop() -> list[str]:
    names = [f"civicloop_fl_{table}_{e.lower()}" for table, (events, _c, _t) in WATCHED.items() for e in events]
    return [f"DROP TRIGGER IF EXISTS {name};" for name in [*names, "civicloop_fl_visits_team_i"]]


def create(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    with schema_editor.connection.cursor() as cursor:
        if vendor == "postgresql":
            cursor.execute(_pg_create())  # no parameters: nothing to escape
            cursor.execute(f"INSERT INTO visits_fieldlistversion (team_id, version) SELECT id, {PG_RANDOM} FROM visits_team")
        elif vendor == "sqlite":
            for statement in _sqlite_create():
                cursor.execute(statement)
            cursor.execute(f"INSERT INTO visits_fieldlistversion (team_id, version) SELECT id, {SQLITE_RANDOM} FROM visits_team")
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
        migrations.RunPython(create, drop, elidable=False),
    ]
