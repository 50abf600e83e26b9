from django import template
from django.forms import CheckboxSelectMultiple, RadioSelect

register = template.Library()


@register.filter
def verbose_name(model) -> str:
    return str(model._meta.verbose_name)


@register.filter
def verbose_name_plural(model) -> str:
    return str(model._meta.verbose_name_plural)


@register.filter
def get_item(mapping, key):
    """mapping[key], or None: a dict looked up by a value from the page (an entry's id)."""
    return mapping.get(key) if hasattr(mapping, "get") else None


@register.simple_tag
def error_summary(*forms) -> str:
    """An error summary as the GOV.UK design system has it: announced at once, each problem a
    link to the field it is about (keyboard and screen-reader users land on it)."""
    from django.utils.html import format_html, format_html_join
    from django.utils.text import capfirst
    from django.utils.translation import gettext as _

    items = []
    for form in forms:
        if not form or not getattr(form, "errors", None):
            continue
        # In the order of the page (problems with the whole form first), however they
        # were found.
        order = ["__all__", *form.fields]
        for name, errors in sorted(form.errors.items(), key=lambda item: order.index(item[0])
                                   if item[0] in order else len(order)):
            field = form.fields.get(name)
            if name == "__all__" or field is None:
                items += [("", error) for error in errors]
                continue
            target = form[name].auto_id or ""
            if target and isinstance(field.widget, RadioSelect | CheckboxSelectMultiple):
                target += "_0"  # the first choice, so the link lands on an answer
            # Named, so that a list of problems says which field each is about.
            label = capfirst(str(field.label or name))
            items += [(target, _("%(field)s: %(problem)s") % {"field": label, "problem": error})
                      for error in errors]
    if not items:
        return ""
    links = format_html_join("", "<li>{}</li>", (
        (format_html('<a href="#{}">{}</a>', target, error) if target else error,)
        for target, error in items))
    return format_html(
        '<div class="error-summary" role="alert" tabindex="-1"><h2>{}</h2><ul>{}</ul></div>',
        _("There is a problem"), links)


