"""Reading the whole sitemap as a crawler does: the index, then every section it lists."""

import xml.etree.ElementTree as ET

from django.conf import settings

NS = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}


def section_addresses(client, **extra) -> list[str]:
    index = client.get("/sitemap.xml", **extra)
    assert index.status_code == 200 and index["Content-Type"].startswith("application/xml")
    return [loc.text for loc in ET.fromstring(index.content).findall("s:sitemap/s:loc", NS)]


def section_documents(client, **extra) -> list[bytes]:
    documents = []
    for address in section_addresses(client, **extra):
        assert address.startswith(settings.SITE_URL + "/sitemap-"), address
        response = client.get(address.removeprefix(settings.SITE_URL), **extra)
        assert response.status_code == 200, address
        documents.append(response.content)
    return documents


def whole_sitemap(client, **extra) -> str:
    return "\n".join(document.decode() for document in section_documents(client, **extra))


def sitemap_locations(client, **extra) -> list[str]:
    return [loc.text for document in section_documents(client, **extra)
            for loc in ET.fromstring(document).findall("s:url/s:loc", NS)]
