"""The error pages a person meets are the site's own, in the language they read."""

from django.test import RequestFactory
from django.utils import translation
from django.views.defaults import server_error


def test_the_server_error_page_speaks_kazakh_and_russian(settings):
    request = RequestFactory().get("/kaznrtu/docs/715-kp/")
    with translation.override("kk"):
        kazakh = server_error(request).content.decode()
    with translation.override("ru"):
        russian = server_error(request).content.decode()
    assert "Сервер қатесі" in kazakh and "Басты бетке өту" in kazakh
    assert "Ошибка сервера" in russian
    assert 'href="/static/sapa/sapa.css"' in kazakh


def test_a_missing_page_is_the_sites_page_not_a_bare_message(client, db):
    response = client.get("/no-such-place/", HTTP_ACCEPT_LANGUAGE="kk")
    text = response.content.decode()
    assert response.status_code == 404
    assert "Бет табылмады" in text and 'class="site-header"' in text


def test_a_refused_page_names_the_signed_in_person(client, django_user_model):
    user = django_user_model.objects.create_user("reader", password="x")
    client.force_login(user)
    response = client.get("/records/retention/", HTTP_ACCEPT_LANGUAGE="kk")
    text = response.content.decode()
    assert response.status_code == 403
    assert "Қол жеткізу жабық" in text and "Сіз reader ретінде кірдіңіз" in text
