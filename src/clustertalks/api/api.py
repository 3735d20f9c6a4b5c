"""The NinjaAPI of /api/v1/: public read endpoints, organiser write endpoints, JSON errors."""

from ninja import NinjaAPI

from . import errors, newsletter, read, write  # noqa: F401 - write adds its operations to read.router

DESCRIPTION = """Open data of the talk series: series, published talks, speakers, organisations,
topics, key takeaways and search. Reading needs no token. Writing needs a personal token with
write scope, created in the back office: `Authorization: Bearer ct_…`. Every error is JSON:
`{"code", "detail", "errors"}`. Lists are paginated with `page` and `page_size` (at most 100)."""

api = NinjaAPI(
    title="clustertalks API",
    version="1",
    description=DESCRIPTION,
    urls_namespace="api:v1",
    docs_url=None,
    openapi_url="/openapi.json",
)
errors.install(api)
api.add_router("/", read.router)
api.add_router("/", newsletter.router)
