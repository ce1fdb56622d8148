"""Where the addons are and what their manifests say, read without Odoo."""

import ast

from devtools.odoo_runner import ADDONS, REPO  # noqa: F401 - the one list of the product's addons


def addon_dir(addon):
    return REPO / addon


def manifest(addon):
    return ast.literal_eval((addon_dir(addon) / "__manifest__.py").read_text())


def xml_files(addon):
    """Data files (views, security, data, demo); QWeb templates of the web client live under static/."""
    return sorted(p for p in addon_dir(addon).rglob("*.xml") if "static" not in p.relative_to(addon_dir(addon)).parts)


def qweb_files(addon):
    return sorted((addon_dir(addon) / "static").rglob("*.xml"))


def python_files(addon):
    return sorted(addon_dir(addon).rglob("*.py"))


def defined_models(addon):
    """Models with a table an addon creates (``_name`` on a Model or TransientModel)."""
    models = set()
    for path in python_files(addon):
        for node in ast.walk(ast.parse(path.read_text())):
            abstract = isinstance(node, ast.ClassDef) and any(
                isinstance(base, ast.Attribute) and base.attr == "AbstractModel" for base in node.bases
            )
            if isinstance(node, ast.ClassDef) and not abstract:
                name = _class_constant(node, "_name")
                inherited = _class_constant(node, "_inherit") or ()
                # ``_name = "res.partner"`` with "res.partner" among ``_inherit`` extends an existing model
                if isinstance(name, str) and name not in ([inherited] if isinstance(inherited, str) else inherited):
                    models.add(name)
    return models


def _class_constant(node, attribute):
    for stmt in node.body:
        if isinstance(stmt, ast.Assign) and any(isinstance(t, ast.Name) and t.id == attribute for t in stmt.targets):
            try:
                return ast.literal_eval(stmt.value)
            except ValueError:
                return None
    return None
