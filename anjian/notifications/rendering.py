"""Rendering notification templates: Django template strings kept as data (issue 6 item 5).

Templates are edited by administrators, so they render on an engine of their own: plain text (no HTML escaping;
the inbox escapes when it shows the text, e-mail and SMS are text), no template loaders (an `{% include %}` or
`{% extends %}` finds nothing) and no tag libraries beyond Django's built-in tags and filters.
"""

from __future__ import annotations

from collections.abc import Mapping
from functools import lru_cache
from typing import Any

from django.core.exceptions import ValidationError
from django.template import Context, Engine, Template, TemplateSyntaxError
from django.utils.translation import gettext as _

ENGINE = Engine(autoescape=False, string_if_invalid="", libraries={})


@lru_cache(maxsize=256)
def compiled(source: str) -> Template:
    """Compiled once per process and text: a job may render the same template for thousands of records."""
    return ENGINE.from_string(source)


def render_text(source: str, context: Mapping[str, Any]) -> str:
    """Render one template string. Raises TemplateSyntaxError (and whatever a broken filter raises)."""
    return compiled(source).render(Context(dict(context), autoescape=False)).strip()


def validate_template(source: str) -> None:
    """A template string that does not compile is refused when it is saved, with the parser's reason."""
    try:
        ENGINE.from_string(source)
    except TemplateSyntaxError as error:
        raise ValidationError(_("模板语法错误：%(error)s") % {"error": error}, code="template_syntax") from error
