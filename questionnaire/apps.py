from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class QuestionnaireConfig(AppConfig):
    """Everything a municipal team clicks through: the cycle flow and the self-assessment."""

    name = "questionnaire"
    verbose_name = _("Questionnaire")
