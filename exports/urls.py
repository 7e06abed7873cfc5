"""Export URLs, included by the project's URLconf (compass/urls.py); nothing imports exports."""

from django.urls import path

from exports.views import data, report

app_name = "exports"

urlpatterns = [
    path("jaarcycli/<int:cycle>/downloads/", data.downloads, name="downloads"),
    path("jaarcycli/<int:cycle>/downloads/werkmap.xlsx", data.workbook, name="xlsx"),
    path("jaarcycli/<int:cycle>/downloads/jaarcyclus.json", data.cycle_json, name="json"),
    path("jaarcycli/<int:cycle>/downloads/<slug:table>.csv", data.table_csv, name="csv"),
    path("gemeenten/<str:code>/jaarcyclus/importeren/", data.import_cycle, name="import"),
    path("jaarcycli/<int:cycle>/rapport/", report.report, name="report"),
    path("jaarcycli/<int:cycle>/rapport/pdf/", report.report_pdf, name="report_pdf"),
    path(
        "jaarcycli/<int:cycle>/rapport/pdf/status/",
        report.report_pdf_status,
        name="report_pdf_status",
    ),
]
