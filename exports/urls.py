"""Export URLs, included by the project's URLconf (compass/urls.py); nothing imports exports."""

app_name = "exports"

urlpatterns = []
