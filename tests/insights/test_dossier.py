import csv
import io
import os
from pathlib import Path

import pypdfium2
import pytest
from django.urls import reverse

from clustertalks.talks.models import Talk

pytestmark = pytest.mark.django_db


def weasyprint_works() -> bool:
    try:
        import weasyprint  # noqa: F401 - needs Debian's pango
    except OSError:
        return False
    return True


def dossier_url(series, query="year=2023", fmt=""):
    url = reverse("admin:insights_seriesrecap_dossier", args=[series.pk]) + "?" + query
    return url + (f"&format={fmt}" if fmt else "")


def test_the_dossier_lists_numbers_talks_and_takeaways_by_topic_and_kind(admin_client, archive,
                                                                        count_queries):
    series = archive["series"]
    response = admin_client.get(dossier_url(series))
    assert response.status_code == 200
    html = response.content.decode()
    held_2023 = [t for t in archive["talks"] if t.series_id == series.pk and t.status == "published"
                 and t.start.year == 2023 and t.end < archive["now"]]
    for talk in held_2023:
        assert talk.title in html
    assert "Key takeaways by topic" in html and "Key takeaways by kind" in html
    published = {t.pk for t in held_2023 if t.summary.materials_published_at}
    shown = [t for t in archive["takeaways"] if t.talk_id in published]
    hidden = [t for t in archive["takeaways"] if t.talk_id not in published]
    assert shown and all(t.text in html for t in shown)
    assert not any(f"{t.text} <" in html for t in hidden)
    assert html.count(reverse("materials:recording", args=[shown[0].talk.slug,
                                                          shown[0].talk.recordings.first().pk])) >= 2
    assert 'href="/static/insights/dossier.css"' in html or "dossier.css" in html
    assert count_queries(admin_client.get, dossier_url(series, "")) == count_queries(
        admin_client.get, dossier_url(series, "year=2024"))  # no query per talk or takeaway


def test_the_takeaways_csv_has_every_published_takeaway(admin_client, archive, count_queries):
    series = archive["series"]
    response = admin_client.get(dossier_url(series, "", "csv"))
    # a fixed number of queries, however many takeaways (no query per row)
    assert count_queries(admin_client.get, dossier_url(series, "", "csv")) == count_queries(
        admin_client.get, dossier_url(series, "year=2023", "csv"))
    rows = list(csv.DictReader(io.StringIO(response.content.decode())))
    published = {t.pk for t in archive["talks"] if t.series_id == series.pk
                 and t.status == "published" and t.end < archive["now"]
                 and t.summary.materials_published_at}
    want = sorted(t.text for t in archive["takeaways"] if t.talk_id in published)
    assert sorted(r["takeaway"] for r in rows) == want
    assert all(r["talk_url"].startswith("http") for r in rows)


@pytest.mark.skipif(not weasyprint_works(), reason="WeasyPrint needs Debian's pango")
def test_the_pdf_is_valid_has_text_and_nothing_overflows(admin_client, archive):
    from clustertalks.materials.models import Takeaway

    talk = next(t for t in archive["talks"] if t.title == "Held 0")
    Takeaway.objects.create(talk=talk, kind="policy", text="Averyveryverylongwordwithoutanyspace" * 12)
    response = admin_client.get(dossier_url(archive["series"], "year=2023", "pdf"))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    if os.environ.get("CLUSTERTALKS_SCREENSHOTS"):  # to look at it: pdftoppm -png
        Path(os.environ["CLUSTERTALKS_SCREENSHOTS"], "dossier.pdf").write_bytes(response.content)
    pdf = pypdfium2.PdfDocument(response.content)
    assert len(pdf) >= 2
    text = "".join(pdf[i].get_textpage().get_text_range() for i in range(len(pdf)))
    assert "Recap dossier" in text and "Held 0" in text and "Talks held" in text
    for index in range(len(pdf)):
        page = pdf[index]
        width, height = page.get_size()
        textpage = page.get_textpage()
        for char in range(textpage.count_chars()):
            left, bottom, right, top = textpage.get_charbox(char)
            if right > left:  # real glyphs only
                assert -0.5 <= left and right <= width + 0.5, f"page {index + 1} overflows"
                assert -0.5 <= bottom and top <= height + 0.5, f"page {index + 1} overflows"


def test_an_organiser_turns_the_dossier_into_a_recap_talk_in_one_action(admin_client, archive):
    series = archive["series"]
    url = reverse("admin:insights_seriesrecap_recap_talk", args=[series.pk]) + "?year=2023"
    response = admin_client.post(url)
    talk = Talk.objects.get(title__startswith="Recap on key policies and takeaways")
    assert response.status_code == 302 and str(talk.pk) in response["Location"]
    assert talk.status == "draft" and talk.series == series and "2023" in talk.title
    assert "## " in talk.abstract and "talks" in talk.abstract
    assert admin_client.get(url).status_code == 403  # only a POST changes anything


def test_the_dossier_is_for_organisers_only(client, django_user_model, archive):
    series = archive["series"]
    assert client.get(dossier_url(series)).status_code == 302  # to the login
    staff = django_user_model.objects.create_user("helper", "h@example.org", "pw", is_staff=True)
    client.force_login(staff)
    assert client.get(dossier_url(series)).status_code == 403
    assert client.post(reverse("admin:insights_seriesrecap_recap_talk",
                               args=[series.pk])).status_code == 403
