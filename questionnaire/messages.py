"""Dutch (translated) texts for the problem codes of the scoring engine and the assessment."""

from django.utils.translation import gettext as _

from cms.choices import Aspect


def aspect_label(aspect) -> str:
    try:
        return str(Aspect(str(aspect)).label)
    except ValueError:
        return str(aspect)


def problem_message(problem) -> str:
    """The message a user sees for one `scoring.Problem` (engine or assessment code)."""
    params = dict(problem.params)
    if "aspect" in params:
        params["aspect"] = aspect_label(params["aspect"])
    texts = {
        "invalid_value": _(
            "Choose for %(aspect)s of measure %(measure)s an answer from 0 to 4, "
            "'weet niet' or 'niet van toepassing'."
        ),
        "missing_answer": _("Answer %(aspect)s for measure %(measure)s."),
        "unknown_measure": _(
            "Measure %(measure)s is not part of version %(version)s of the measure set. "
            "Open the self-assessment again."
        ),
        "wrong_version": _(
            "These answers belong to another version of the measure set than the one of this "
            "self-assessment. Open the self-assessment again."
        ),
        "unknown_aspect": _("Measure %(measure)s has no aspect %(aspect)s."),
        "invalid_answers": _("The answers could not be read. Fill in the self-assessment again."),
        "already_submitted": _(
            "This self-assessment has been submitted; a coordinator can reopen it."
        ),
        "not_reopenable": _("Only the newest submitted version can be reopened."),
        "no_measure_set": _("No measure set has been published yet."),
        "invalid_snapshot": _("The stored result cannot be read."),
        "invalid_link": _(
            "A link of an improvement suggestion is not a web address (http or https)."
        ),
    }
    text = texts.get(problem.code, _("The answers could not be saved."))
    try:
        return text % params
    except (KeyError, TypeError, ValueError):
        return _("The answers could not be saved.")
