"""GOV.UK Design System rendering for Django forms.

Forms render through Django's own form rendering API. FORM_RENDERER points at
GovukFormRenderer, whose templates lay out each field as a GOV.UK form group: a label (or a
fieldset and legend for radios, checkboxes and multi-part widgets), the hint, the error
message and the widget. GovukForm and GovukModelForm give every widget its GOV.UK classes and
draw radios and checkboxes in GOV.UK markup:

    class ArchiveForm(GovukForm):
        reason = forms.CharField(label="Why is this being archived?", widget=forms.Textarea)

    {{ form }}                         every field, hidden fields and non-field errors
    {{ form.reason.as_field_group }}   one question
"""

from __future__ import annotations

from django import forms
from django.forms.boundfield import BoundField
from django.forms.renderers import DjangoTemplates
from django.forms.widgets import Input

# GOV.UK classes that have an error variant, e.g. govuk-input -> govuk-input--error.
ERROR_VARIANT_CLASSES = ("govuk-input", "govuk-textarea", "govuk-select", "govuk-file-upload")

DATE_INPUT_FORMAT = "%Y-%m-%d"  # the only format an <input type="date"> accepts


class GovukBoundField(BoundField):
    """A field that, when rendered, points at its GOV.UK hint and error and shows its error."""

    @property
    def hint_id(self) -> str:
        return f"{self.auto_id}-hint"

    @property
    def error_id(self) -> str:
        return f"{self.auto_id}-error"

    @property
    def input_id(self) -> str:
        """The id of the field's input (the first one, for radios): the error summary's link."""
        widget = self.field.widget
        id_ = widget.attrs.get("id") or self.auto_id
        if isinstance(widget, forms.RadioSelect):  # and CheckboxSelectMultiple
            return widget.id_for_label(id_, "0")
        return widget.id_for_label(id_) or id_

    @property
    def is_single_checkbox(self) -> bool:
        """A lone checkbox (a BooleanField): its label sits beside the box, not above it."""
        return isinstance(self.field.widget, forms.CheckboxInput)

    @property
    def aria_describedby(self) -> str | None:
        """The ids of the hint and error message, in GOV.UK order; None if set on the widget."""
        if self.field.widget.attrs.get("aria-describedby"):
            return None
        ids = []
        if self.auto_id and not self.is_hidden:
            if self.help_text:
                ids.append(self.hint_id)
            if self.errors:
                ids.append(self.error_id)
        return " ".join(ids)

    def build_widget_attrs(self, attrs, widget=None):
        """Django's attributes, plus the GOV.UK error variant of the widget's class."""
        attrs = super().build_widget_attrs(attrs, widget)
        widget = widget or self.field.widget
        if self.errors:
            classes = _class_list(attrs.get("class") or widget.attrs.get("class"))
            error_classes = [f"{name}--error" for name in ERROR_VARIANT_CLASSES if name in classes]
            if error_classes:
                attrs["class"] = " ".join(_merge_classes(classes, error_classes))
        return attrs


class GovukFormRenderer(DjangoTemplates):
    """Renders forms, fields and Lantern's widgets with the GOV.UK templates in core."""

    form_template_name = "core/forms/form.html"
    field_template_name = "core/forms/field.html"
    bound_field_class = GovukBoundField


class GovukRadioSelect(forms.RadioSelect):
    """Radios in GOV.UK markup. The first radio's id is the field's id, so links reach it."""

    template_name = "core/widgets/radios.html"

    def id_for_label(self, id_, index=None):
        return _option_id(id_, index, super().id_for_label)


class GovukCheckboxSelectMultiple(forms.CheckboxSelectMultiple):
    """Checkboxes in GOV.UK markup. The first box's id is the field's id, so links reach it."""

    template_name = "core/widgets/checkboxes.html"

    def id_for_label(self, id_, index=None):
        return _option_id(id_, index, super().id_for_label)


class GovukFormMixin:
    """Give each widget its GOV.UK classes. Put it before forms.Form or forms.ModelForm.

    Fields added after __init__ can be given the same treatment with govuk_widget().
    """

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("label_suffix", "")  # GOV.UK labels end without a colon
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            field.widget = govuk_widget(field.widget)


class GovukForm(GovukFormMixin, forms.Form):
    """A form whose fields render as GOV.UK form groups."""


class GovukModelForm(GovukFormMixin, forms.ModelForm):
    """A model form whose fields render as GOV.UK form groups."""


def govuk_widget(widget: forms.Widget) -> forms.Widget:
    """The widget with its GOV.UK class; radios and checkboxes become their GOV.UK versions."""
    if isinstance(widget, forms.MultiWidget):
        widget.widgets = [govuk_widget(part) for part in widget.widgets]
        return widget
    if widget.is_hidden:
        return widget
    if isinstance(widget, forms.CheckboxSelectMultiple):
        widget = _replace_choice_widget(widget, GovukCheckboxSelectMultiple)
        _add_class(widget, "govuk-checkboxes__input")
    elif isinstance(widget, forms.RadioSelect):
        widget = _replace_choice_widget(widget, GovukRadioSelect)
        _add_class(widget, "govuk-radios__input")
    elif isinstance(widget, forms.CheckboxInput):
        _add_class(widget, "govuk-checkboxes__input")
    elif isinstance(widget, forms.Select):
        _add_class(widget, "govuk-select")
    elif isinstance(widget, forms.Textarea):
        _add_class(widget, "govuk-textarea")
    elif isinstance(widget, forms.FileInput):
        _add_class(widget, "govuk-file-upload")
    elif isinstance(widget, forms.DateInput):
        widget.input_type = "date"
        widget.format = DATE_INPUT_FORMAT
        _add_class(widget, "govuk-input", "govuk-input--width-10")
    elif isinstance(widget, Input):
        _add_class(widget, "govuk-input")
    return widget


def _replace_choice_widget(widget, govuk_class):
    """The GOV.UK version of a radio or checkbox widget, keeping its attrs and choices."""
    if isinstance(widget, govuk_class):
        return widget
    replacement = govuk_class(attrs=widget.attrs, choices=widget.choices)
    replacement.is_required = widget.is_required
    return replacement


def _option_id(id_, index, default_id_for_label):
    # GOV.UK gives the first option the field's own id and numbers the rest.
    if index in ("0", "0_0"):
        return id_
    return default_id_for_label(id_, index)


def _add_class(widget: forms.Widget, *names: str) -> None:
    """Put the GOV.UK classes first, keeping any classes the form already gave the widget."""
    existing = _class_list(widget.attrs.get("class"))
    widget.attrs["class"] = " ".join(_merge_classes(list(names), existing))


def _class_list(value: str | None) -> list[str]:
    return (value or "").split()


def _merge_classes(first: list[str], then: list[str]) -> list[str]:
    return list(dict.fromkeys([*first, *then]))
