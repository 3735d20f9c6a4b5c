"""Public newsletter pages: sign-up, confirmation, preferences, one-click unsubscribe, archive."""

from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from clustertalks.core.caching import public_page
from clustertalks.core.markdown import render_markdown

from . import services
from .forms import PreferencesForm, SignupForm
from .models import Digest


# The sign-up form sits in the footer of every (cached, cookie-free) public page, so it carries
# no CSRF token. A forged sign-up can only trigger one confirmation email per hour to an address
# the forger could type into the form anyway; nothing is subscribed without the confirmation.
@csrf_exempt
@never_cache
@require_http_methods(["GET", "POST"])
def signup(request):
    if request.method == "GET":
        form = SignupForm(initial={"email": request.GET.get("email", "")[:254],
                                   "language": request.LANGUAGE_CODE})  # the page's language
        return render(request, "newsletter/signup.html", {"form": form})
    form = SignupForm(request.POST)
    if not form.is_valid():
        return render(request, "newsletter/signup.html", {"form": form}, status=400)
    if not services.allow_signup(request, form.cleaned_data["email"]):
        return render(request, "newsletter/signup.html", {"form": form, "rate_limited": True},
                      status=429)
    if not form.cleaned_data["website"]:
        data = form.cleaned_data
        try:
            services.subscribe(data["email"], data["name"], data["language"], data["follow"],
                               [t.pk for t in data["topics"]], data["alerts"], source="form")
        except services.SignupRefused as error:
            form.add_error(None, str(error))
            return render(request, "newsletter/signup.html", {"form": form}, status=400)
    return redirect("newsletter:thanks")


@public_page
def thanks(request):
    return render(request, "newsletter/message.html", {
        "title": _("Check your inbox"),
        "text": _("If this address can receive the newsletter, an email is on its way. "
                  "Open the link in it to confirm; until then you receive nothing else.")})


@never_cache
def confirm(request, token):
    subscriber = services.confirm(token)
    if subscriber is None:
        return render(request, "newsletter/message.html", {
            "title": _("This link does not work"),
            "text": _("The confirmation link is wrong or has expired. Sign up again to get a "
                      "new one.")}, status=404)
    return render(request, "newsletter/message.html", {
        "title": _("Subscription confirmed"),
        "text": _("Thank you: you will receive the newsletter."),
        "preferences_url": services.preferences_url(subscriber)})


def _subscriber(token):
    subscriber = services.by_token(token)
    if subscriber is None:
        raise Http404
    return subscriber


@never_cache
@require_http_methods(["GET", "POST"])
def preferences(request, token):
    subscriber = _subscriber(token)
    form = PreferencesForm(request.POST or None, initial={
        "follow": subscriber.follow, "topics": subscriber.topics.all(),
        "alerts": subscriber.alerts, "language": subscriber.language})
    saved = False
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        services.update_preferences(subscriber, follow=data["follow"], alerts=data["alerts"],
                                    topic_ids=[t.pk for t in data["topics"]],
                                    language=data["language"])
        saved = True
    return render(request, "newsletter/preferences.html",
                  {"form": form, "subscriber": subscriber, "saved": saved})


# RFC 8058: the mail client POSTs "List-Unsubscribe=One-Click" with no cookie and no token;
# the secret in the address is what says which subscriber it is for.
@csrf_exempt
@never_cache
@require_http_methods(["GET", "POST"])
def unsubscribe(request, token):
    subscriber = _subscriber(token)
    if request.method == "POST":
        services.unsubscribe(subscriber)
        if request.POST.get("List-Unsubscribe") == "One-Click":
            return HttpResponse(_("Unsubscribed."), content_type="text/plain; charset=utf-8")
        return render(request, "newsletter/message.html", {
            "title": _("You are unsubscribed"),
            "text": _("This address will receive no more newsletters.")})
    # A GET (a link scanner, a preview) never unsubscribes: it shows the button.
    return render(request, "newsletter/unsubscribe.html", {"subscriber": subscriber})


@public_page
def archive(request):
    digests = Digest.objects.filter(status=Digest.Status.SENT).order_by("-sent_at")
    return render(request, "newsletter/archive.html", {"digests": digests})


@public_page
def digest_detail(request, pk):
    digest = get_object_or_404(Digest, pk=pk, status=Digest.Status.SENT)
    return render(request, "newsletter/digest.html", {
        "digest": digest, "intro_html": render_markdown(digest.intro),
        "body_html": render_markdown(digest.body)})
