"""Devices by import (the imports framework's kind `devices`): added, then unchanged; a bad row writes nothing."""

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from civicloop.imports.tests.helpers import xlsx
from civicloop.signs.models import Device

HEADER = ["设备编码", "名称", "设备类型", "地点编码", "户编码"]
B_A1 = "310104001001-C001-B01"


@pytest.mark.django_db
def test_devices_imported_once_then_unchanged(world, tmp_path, capsys):
    path = tmp_path / "d.xlsx"
    path.write_bytes(xlsx([HEADER, ["EL-X1", "1号楼电梯", "电梯", B_A1, ""],
                           ["WM-X1", "101室水表", "智能水表", B_A1, f"{B_A1}-0101"]]))
    call_command("import", "devices", str(path), "--user", "district_admin")
    assert "新增 2" in capsys.readouterr().out
    meter = Device.objects.get(code="WM-X1")
    assert meter.household.code == f"{B_A1}-0101" and meter.community_id == world.comm_a1.pk
    call_command("import", "devices", str(path), "--user", "district_admin")
    assert "未变 2" in capsys.readouterr().out


@pytest.mark.django_db
def test_a_bad_row_writes_nothing(world, tmp_path, capsys):
    path = tmp_path / "d.xlsx"
    path.write_bytes(xlsx([HEADER, ["EL-X1", "1号楼电梯", "电梯", B_A1, ""],
                           ["EL-X2", "他区电梯", "电梯", "310105001001-C001-B01", ""]]))
    with pytest.raises(CommandError):
        call_command("import", "devices", str(path), "--user", "district_admin")
    assert "地点编码不存在或不属于本区。" in capsys.readouterr().err
    assert not Device.objects.exists()
