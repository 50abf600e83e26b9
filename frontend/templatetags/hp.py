from django import template

register = template.Library()


@register.filter
def verbose_name(model) -> str:
    return str(model._meta.verbose_name)


@register.filter
def verbose_name_plural(model) -> str:
    return str(model._meta.verbose_name_plural)
