"""Message templates as Meta lists them (``GET /{waba_id}/message_templates``), reduced to what a
mapping needs: name, language, category, status, body text and how many body parameters it takes."""

import re
from dataclasses import dataclass

_POSITIONAL = re.compile(r"\{\{\s*(\d+)\s*\}\}")
_NAMED = re.compile(r"\{\{\s*([a-z_][a-z0-9_]*)\s*\}\}")


@dataclass(frozen=True)
class TemplateInfo:
    meta_id: str
    name: str
    language: str
    category: str
    status: str
    body: str
    parameter_count: int


def body_parameter_count(text):
    """Body parameters of a template text: the highest {{n}}, or the number of distinct {{name}}."""
    text = text or ""
    positions = [int(n) for n in _POSITIONAL.findall(text)]
    if positions:
        return max(positions)
    return len(set(_NAMED.findall(text)))


def parse_template(data):
    """A TemplateInfo from one listing entry, or None when the entry lacks a name or language."""
    if not isinstance(data, dict) or not data.get("name") or not data.get("language"):
        return None
    components = data.get("components") if isinstance(data.get("components"), list) else []
    body = next((c.get("text") or "" for c in components
                 if isinstance(c, dict) and str(c.get("type", "")).upper() == "BODY"), "")
    return TemplateInfo(
        meta_id=str(data.get("id") or ""),
        name=str(data["name"])[:512],
        language=str(data["language"])[:16],
        category=str(data.get("category") or "")[:32],
        status=str(data.get("status") or "")[:32],
        body=str(body)[:1024],
        parameter_count=body_parameter_count(str(body)),
    )
