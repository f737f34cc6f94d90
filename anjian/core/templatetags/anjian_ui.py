"""Template helpers of the base layout and generic templates: the sidebar, form widgets, masked phones."""

from __future__ import annotations

from django import forms, template
from django.urls import NoReverseMatch, reverse

from anjian.core.privacy import mask_phone

register = template.Library()

@register.simple_tag(takes_context=True)
def nav_links(context) -> list[dict]:
    """The sidebar entries (anjian.core.registry) whose URL resolves; at most one is active: the one whose URL is
    the longest prefix of the current path (/enterprises/licences/ is 证照, not also 企业 at /enterprises/)."""
    request = context.get("request")
    path = request.path if request is not None else ""
    links = []
    for entry in context.get("nav_entries", ()):
        try:
            url = reverse(entry.url_name)
        except NoReverseMatch:
            continue
        links.append({"label": entry.label, "url": url, "icon": entry.icon, "active": False})
    matching = [link for link in links if (path == link["url"] if link["url"] == "/" else path.startswith(link["url"]))]
    if matching:
        max(matching, key=lambda link: len(link["url"]))["active"] = True
    return links


@register.filter
def masked_phone(value) -> str:
    return mask_phone(value)


@register.filter
def bs(field):
    """Render a bound field's widget with Bootstrap classes (is-invalid when it has errors)."""
    widget = field.field.widget
    if isinstance(widget, forms.CheckboxInput):
        css = "form-check-input"
    elif isinstance(widget, forms.Select | forms.SelectMultiple | forms.NullBooleanSelect):
        css = "form-select"
    elif isinstance(widget, forms.CheckboxSelectMultiple | forms.RadioSelect):
        css = ""
    else:
        css = "form-control"
    existing = widget.attrs.get("class", "")
    classes = " ".join(part for part in (existing, css, "is-invalid" if field.errors else "") if part)
    attrs = {"class": classes}
    if field.errors:
        attrs["aria-invalid"] = "true"
        attrs["aria-describedby"] = f"{field.auto_id}-errors"
    return field.as_widget(attrs=attrs)


@register.filter
def is_checkbox(field) -> bool:
    return isinstance(field.field.widget, forms.CheckboxInput)


@register.filter
def verbose_name(obj) -> str:
    return obj._meta.verbose_name
