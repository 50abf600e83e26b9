"""The services directory: shared reference data, managed by admins, readable by everyone."""

import unicodedata
import uuid

from django.db import models
from django.utils.translation import gettext_lazy as _

from passport.models.care import Area


class Need(models.TextChoices):
    HEALTH = "health", _("Health and doctors")
    MENTAL_HEALTH = "mental_health", _("Feelings and mental health")
    SEXUAL_HEALTH = "sexual_health", _("Sex, relationships and contraception")
    PREGNANCY = "pregnancy", _("Pregnancy and being a parent")
    SUBSTANCE_USE = "substance_use", _("Alcohol, drugs and smoking")
    CRISIS = "crisis", _("Urgent help now")
    LEAVING_CARE = "leaving_care", _("Leaving care")
    MONEY = "money", _("Money and health costs")
    ACTIVITIES = "activities", _("Sport, activities and meeting people")


def fold(text: str) -> str:
    """Text as search compares it: Unicode NFKD with the accents dropped, then case-folded, so
    that "cafe", "Café" and "CAFÉ" are one word on every database (neither SQLite's nor
    PostgreSQL's own comparisons fold accents)."""
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()


# Everyday words for each need, so that a search in her own words finds a service that never
# uses them ("sad" finds Childline; "fun" finds a sports club). Searched, never shown.
NEED_WORDS = {
    "health": "doctor gp nurse ill unwell poorly",
    "mental_health": "feelings feeling sad worried worry anxious anxiety stress angry lonely talk",
    "sexual_health": "sex contraception condoms relationships",
    "pregnancy": "pregnant baby parent",
    "substance_use": "alcohol drink drinking drugs smoking vaping",
    "crisis": "urgent emergency help now",
    "leaving_care": "leaving care flat housing independence",
    "money": "money cost costs free prescriptions",
    "activities": "fun sport sports club clubs friends",
}


def searchable(name: str, provider: str, description: str, eligibility: str,
               needs: str) -> str:
    """What search reads for one service: its words, and its needs' names and everyday words,
    folded."""
    from django.conf import settings
    from django.utils import translation

    keys = [n for n in needs.split("|") if n]
    with translation.override(settings.LANGUAGE_CODE):  # whoever saves it, in any language
        labels = {key: str(label) for key, label in Need.choices}
    return fold(" ".join([name, provider, description, eligibility]
                         + [f"{labels.get(k, '')} {NEED_WORDS.get(k, '')}" for k in keys]))


class ServiceQuerySet(models.QuerySet):
    def for_area(self, area: Area | None):
        if area is None:
            return self
        return self.filter(models.Q(national=True) | models.Q(areas=area)).distinct()

    def for_age(self, age: int | None):
        if age is None:
            return self
        return self.filter(
            models.Q(min_age__isnull=True) | models.Q(min_age__lte=age),
            models.Q(max_age__isnull=True) | models.Q(max_age__gte=age),
        )

    def for_placed_by(self, area: Area | None):
        """Leaves out services only for young people placed by another council (KITE)."""
        if area is None:
            return self
        return self.filter(models.Q(only_placed_by__isnull=True)
                           | models.Q(only_placed_by=area)).distinct()

    def for_need(self, need: str | None):
        if not need:
            return self
        # Needs are a short list kept as text ("|health|crisis|"): portable across databases.
        return self.filter(needs__contains=f"|{need}|")

    def search(self, words: str):
        """Every word (at most 8) somewhere in the name, provider, description or who can use
        it, accents and case aside (`search_text`, kept folded by `Service.save`)."""
        result = self
        for word in fold(words).split()[:8]:
            result = result.filter(search_text__contains=word)
        return result


class Service(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    slug = models.SlugField(unique=True)
    name = models.CharField(_("name"), max_length=200)
    provider = models.CharField(_("run by"), max_length=200, blank=True)
    description = models.TextField(_("what it offers"))
    needs = models.CharField(_("needs"), max_length=300, blank=True, help_text=_(
        'Need keys between bars, for example "|health|crisis|".'))
    min_age = models.PositiveSmallIntegerField(_("from age"), null=True, blank=True)
    max_age = models.PositiveSmallIntegerField(_("up to age"), null=True, blank=True)
    national = models.BooleanField(_("available everywhere"), default=False)
    areas = models.ManyToManyField(Area, blank=True, related_name="services",
                                   verbose_name=_("areas"))
    eligibility = models.TextField(_("who can use it"), blank=True)
    only_placed_by = models.ManyToManyField(
        Area, blank=True, related_name="+", verbose_name=_("only for young people placed by"),
        help_text=_("Leave empty if any young person may use it."))
    address = models.TextField(_("address"), blank=True)
    phone = models.CharField(_("phone"), max_length=60, blank=True)
    text = models.CharField(_("text"), max_length=60, blank=True)
    website = models.URLField(_("website"), blank=True)
    opening_times = models.TextField(_("opening times"), blank=True)
    needs_checking = models.BooleanField(
        _("contact details need checking"), default=True,
        help_text=_("Details from the 2015 review or memory: check before going live."))
    examples = models.BooleanField(
        _("contact details are examples"), default=False,
        help_text=_("Made-up phone numbers and web addresses standing in for the real ones: "
                    "replace them before going live."))
    # What search reads (`searchable`), kept by `save`: a bulk update or bulk_create, which
    # skip `save`, must set it too.
    search_text = models.TextField(editable=False, default="")
    updated_at = models.DateTimeField(auto_now=True)

    objects = ServiceQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        verbose_name = _("service")

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs):
        self.search_text = searchable(self.name, self.provider, self.description,
                                      self.eligibility, self.needs)
        if kwargs.get("update_fields") is not None:
            kwargs["update_fields"] = {*kwargs["update_fields"], "search_text"}
        super().save(*args, **kwargs)

    @property
    def need_keys(self) -> list[str]:
        return [n for n in self.needs.split("|") if n]

    @property
    def need_labels(self) -> list[str]:
        labels = dict(Need.choices)
        return [str(labels.get(n, n)) for n in self.need_keys]

    @property
    def tel(self) -> str:
        return "".join(c for c in self.phone if c.isdigit() or c == "+")
