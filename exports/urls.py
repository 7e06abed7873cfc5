"""Export URLs, included by the project's URLconf (compass/urls.py); nothing imports exports."""

from django.urls import path

from exports.views import report

app_name = "exports"

urlpatterns = [
    path("jaarcycli/<int:cycle>/rapport/", report.report, name="report"),
    path("jaarcycli/<int:cycle>/rapport/pdf/", report.report_pdf, name="report_pdf"),
    path(
        "jaarcycli/<int:cycle>/rapport/pdf/status/",
        report.report_pdf_status,
        name="report_pdf_status",
    ),
]
