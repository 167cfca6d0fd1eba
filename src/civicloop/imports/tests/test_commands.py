import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils.module_loading import import_string

from civicloop.imports.kinds import KINDS
from civicloop.imports.reader import read_rows
from civicloop.imports.services import import_run
from civicloop.places.models import Household

from .helpers import HOUSEHOLD_HEADER, household_row, xlsx

B_A1 = "310104001001-C001-B01"


def test_cli_imports_and_reports_counts(world, tmp_path, capsys):
    path = tmp_path / "h.xlsx"
    path.write_bytes(xlsx([HOUSEHOLD_HEADER, household_row(B_A1, "0201")]))
    call_command("import", "households", str(path), "--user", "district_admin")
    assert "新增 1" in capsys.readouterr().out
    call_command("import", "households", str(path), "--user", "district_admin")
    assert "未变 1" in capsys.readouterr().out


def test_cli_exits_non_zero_and_prints_each_bad_row(world, tmp_path, capsys):
    path = tmp_path / "h.xlsx"
    path.write_bytes(xlsx([HOUSEHOLD_HEADER, household_row(B_A1, "0201"),
                           household_row(B_A1, "0202", id="110105194912310021")]))
    with pytest.raises(CommandError) as exc:
        call_command("import", "households", str(path), "--user", "district_admin")
    assert exc.value.returncode != 0
    assert "第3行 · 身份证号 · 身份证号校验位错误。" in capsys.readouterr().err
    assert not Household.objects.filter(code=f"{B_A1}-0201").exists()


def test_cli_dry_run_writes_nothing(world, tmp_path, capsys):
    path = tmp_path / "h.csv"
    path.write_text(",".join(HOUSEHOLD_HEADER) + "\n" + ",".join(map(str, household_row(B_A1, "0201"))) + "\n")
    call_command("import", "households", str(path), "--dry-run", "--user", "district_admin")
    assert "试运行" in capsys.readouterr().out
    assert not Household.objects.filter(code=f"{B_A1}-0201").exists()


def test_cli_refuses_a_non_admin(world, tmp_path):
    path = tmp_path / "h.xlsx"
    path.write_bytes(xlsx([HOUSEHOLD_HEADER, household_row(B_A1, "0201")]))
    with pytest.raises(CommandError) as exc:
        call_command("import", "households", str(path), "--user", "street_dispatcher")
    assert exc.value.returncode != 0


@pytest.mark.parametrize("kind", sorted(KINDS))
def test_template_has_the_header_and_an_example_row_that_passes_a_dry_run(world, tmp_path, kind):
    path = tmp_path / f"{kind}.xlsx"
    call_command("import_template", kind, "-o", str(path))
    rows = read_rows(path.read_bytes(), path.name)
    assert [h.rstrip("*") for h in rows[0][1]] == [str(c.header) for c in KINDS[kind].columns]
    assert len(rows) == 2
    if KINDS[kind].example_setup:
        import_string(KINDS[kind].example_setup)(world)
    result = import_run(actor=world.district_admin, kind=kind, file_path_or_bytes=str(path), dry_run=True)
    assert result.rows == 1 and result.created + result.updated + result.unchanged == 1


def test_template_to_standard_output_when_redirected(tmp_path):
    """`civicloop import_template households > f.xlsx` gives a workbook, not a line of text."""
    import os
    import subprocess
    import sys
    from pathlib import Path

    import civicloop

    src = str(Path(civicloop.__file__).resolve().parent.parent)
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([src, os.environ.get("PYTHONPATH", "")])}
    target = tmp_path / "f.xlsx"
    with target.open("wb") as out:
        subprocess.run([sys.executable, "-m", "civicloop", "import_template", "households"], stdout=out,
                       env=env, cwd=tmp_path, check=True, timeout=120)
    data = target.read_bytes()
    assert data[:2] == b"PK" and len(data) > 1000
    rows = read_rows(data, "f.xlsx")
    assert rows[1][1][:2] == ["310104002001-C001-B01-0101", "310104002001-C001-B01"]
    assert not (tmp_path / "civicloop-households.xlsx").exists()


def test_template_dash_o_dash_writes_the_bytes_to_the_given_stream():
    import io

    stream = io.TextIOWrapper(io.BytesIO(), encoding="utf-8")
    call_command("import_template", "households", "-o", "-", stdout=stream)
    assert stream.buffer.getvalue()[:2] == b"PK"


def test_template_examples_follow_the_real_code_pattern():
    """The demo's codes: community (12 digits), -C and three digits, -B and two, then the room."""
    import re

    columns = {c.key: c.example for c in KINDS["households"].columns}
    assert re.fullmatch(r"\d{12}-C\d{3}-B\d{2}", columns["building"])
    assert re.fullmatch(r"\d{12}-C\d{3}-B\d{2}-\d{4}", columns["code"])
    assert columns["code"].startswith(columns["building"] + "-")
    assert re.fullmatch(r"\d{12}-C\d{3}", {c.key: c.example for c in KINDS["territory"].columns}["code"])
