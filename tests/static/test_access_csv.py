import csv
import xml.etree.ElementTree as ET

import pytest

from .addons import ADDONS, addon_dir, defined_models, xml_files

HEADER = ["id", "name", "model_id:id", "group_id:id", "perm_read", "perm_write", "perm_create", "perm_unlink"]
CSV_ADDONS = [a for a in ADDONS if (addon_dir(a) / "security" / "ir.model.access.csv").exists()]


def _rows(addon):
    with open(addon_dir(addon) / "security" / "ir.model.access.csv", newline="") as handle:
        reader = csv.reader(handle)
        header = next(reader)
        return header, list(reader)


def _groups(addon):
    return {
        r.get("id")
        for path in xml_files(addon)
        for r in ET.parse(path).getroot().iter("record")
        if r.get("model") == "res.groups"
    }


@pytest.mark.parametrize("addon", CSV_ADDONS)
def test_access_csv(addon):
    header, rows = _rows(addon)
    assert header == HEADER
    ids = [row[0] for row in rows]
    assert len(ids) == len(set(ids)), "duplicate access ids"
    groups = _groups(addon)
    for row in rows:
        assert len(row) == len(HEADER), row
        assert all(flag in ("0", "1") for flag in row[4:]), row
        group = row[3]
        assert group, f"{row[0]}: an empty group gives access to everyone, portal and public included"
        assert "." in group or group in groups, f"{row[0]}: unknown group {group}"


@pytest.mark.parametrize("addon", ADDONS)
def test_every_model_has_access_rules(addon):
    models = defined_models(addon)
    if not models:
        return
    _header, rows = _rows(addon)
    covered = {row[2] for row in rows}
    for model in models:
        assert f"model_{model.replace('.', '_')}" in covered, f"{model} has no line in ir.model.access.csv"


def _perms(addon):
    _header, rows = _rows(addon)
    return {(row[2], row[3].removeprefix("guest_messaging.")): tuple(map(int, row[4:])) for row in rows}


def test_agents_cannot_manage_and_managers_can():
    perms = {**_perms("guest_messaging"), **_perms("guest_messaging_whatsapp")}
    for model in ("model_guest_channel_connection", "model_guest_message_template", "model_guest_canned_response"):
        assert perms[(model, "group_agent")] == (1, 0, 0, 0)
        assert perms[(model, "group_manager")] == (1, 1, 1, 1)
    assert perms[("model_guest_conversation", "group_agent")][:2] == (1, 1)
