import ast
import re

import pytest

from .addons import ADDONS, addon_dir, manifest

VERSION = re.compile(r"^18\.0\.\d+\.\d+\.\d+$")
REQUIRED_KEYS = {"name", "summary", "version", "category", "author", "website", "license", "depends", "installable"}


@pytest.mark.parametrize("addon", ADDONS)
def test_manifest_keys(addon):
    data = manifest(addon)
    assert REQUIRED_KEYS <= set(data), f"missing: {REQUIRED_KEYS - set(data)}"
    assert VERSION.match(data["version"]), data["version"]
    assert data["license"] == "AGPL-3"
    assert "description" not in data, "use readme/DESCRIPTION.md"
    assert data["installable"] is True


@pytest.mark.parametrize("addon", ADDONS)
def test_dependencies(addon):
    depends = manifest(addon)["depends"]
    if addon == "guest_messaging":
        assert {"mail", "bus", "phone_validation", "hotel_reservation"} <= set(depends)
    else:
        assert "guest_messaging" in depends
    assert "guestmsg" in manifest(addon).get("external_dependencies", {}).get("python", [])


@pytest.mark.parametrize("addon", ADDONS)
def test_listed_files_exist_and_none_is_forgotten(addon):
    data = manifest(addon)
    listed = data.get("data", []) + data.get("demo", [])
    root = addon_dir(addon)
    for rel in listed:
        assert (root / rel).is_file(), f"{addon}: {rel} is listed but missing"
    on_disk = {
        str(p.relative_to(root))
        for folder in ("views", "security", "data", "demo", "wizard", "report")
        for p in (root / folder).glob("*")
        if p.suffix in (".xml", ".csv")
    }
    assert on_disk <= set(listed), f"{addon}: files not in the manifest: {sorted(on_disk - set(listed))}"


@pytest.mark.parametrize("addon", ADDONS)
def test_groups_file_comes_first(addon):
    data = manifest(addon).get("data", [])
    security = [i for i, f in enumerate(data) if f.startswith("security/")]
    if security:
        assert security == list(range(len(security))), "security files must load before the rest"


@pytest.mark.parametrize("addon", ADDONS)
def test_oca_layout(addon):
    root = addon_dir(addon)
    for rel in ("readme/DESCRIPTION.md", "readme/USAGE.md", "readme/CONFIGURE.md",
                "static/description/icon.png", f"i18n/{addon}.pot", "__init__.py"):
        assert (root / rel).is_file(), f"{addon}: {rel} is missing"


@pytest.mark.parametrize("addon", ADDONS)
def test_every_test_file_is_imported(addon):
    tests = addon_dir(addon) / "tests"
    files = {p.stem for p in tests.glob("test_*.py")}
    if not files:
        return
    imported = {
        alias.name
        for node in ast.walk(ast.parse((tests / "__init__.py").read_text()))
        if isinstance(node, ast.ImportFrom)
        for alias in node.names
    }
    assert files <= imported, f"not imported in tests/__init__.py: {sorted(files - imported)}"


@pytest.mark.parametrize("addon", ADDONS)
def test_one_model_a_file(addon):
    models_dir = addon_dir(addon) / "models"
    for path in models_dir.glob("*.py"):
        classes = [n for n in ast.parse(path.read_text()).body if isinstance(n, ast.ClassDef)]
        assert len(classes) <= 1, f"{path.name} defines {len(classes)} models"
