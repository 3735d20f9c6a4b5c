"""{% avatar %} and {% speaker %} (people/templatetags/people_tags.py): the markup of the
templates they replaced (people/_avatar.html, talks/_speaker.html), escaped."""

from django.template import Context, Template

from clustertalks.people.models import Honour, Organisation, Participation, Person
from clustertalks.people.templatetags.people_tags import avatar, speaker

PHOTO = Person(
    name="Zoë <O'Brien> & Co", slug="zoe", photo="people/z.jpg", photo_96="people/renditions/z 96.jpg",
    photo_192="people/renditions/z-192.jpg", photo_400="people/renditions/z-400.jpg",
    photo_alt='A "smiling" <person>',
)
SRCSET = ('srcset="/media/people/renditions/z%2096.jpg 96w, /media/people/renditions/z-192.jpg 192w, '
          '/media/people/renditions/z-400.jpg 400w"')


def test_photo_avatar():
    assert avatar(PHOTO, 32) == (
        f'<img class="avatar avatar--32" src="/media/people/renditions/z%2096.jpg" {SRCSET} sizes="32px" '
        'width="32" height="32" loading="lazy" decoding="async" alt="">\n'
    )
    assert avatar(PHOTO, 160, True) == (
        f'<img class="avatar avatar--160" src="/media/people/renditions/z-400.jpg" {SRCSET} sizes="160px" '
        'width="160" height="160" loading="eager" decoding="async" alt="A &quot;smiling&quot; &lt;person&gt;">\n'
    )
    assert avatar(PHOTO, None) == avatar(PHOTO, 48)


def test_initials_avatar_in_a_template():
    person = Person(name="Ann <B> Smith", slug="ann")
    html = Template("{% load people_tags %}{% avatar person 48 %}").render(Context({"person": person}))
    assert html == '<span class="avatar avatar--48 avatar--initials avatar--c2" aria-hidden="true">AS</span>\n'


def test_speaker():
    part = Participation(person=Person(name="Ann <B>", slug="ann"), role="speaker", position="Chief <&>")
    part.organisation = Organisation(name="Org & Co", slug="org")
    part.honours_then = [Honour(title="Prize <1>", year=2020), Honour(title="Medal")]
    html = speaker(part)
    assert html.startswith('<li class="speaker">\n  <span class="avatar avatar--48 avatar--initials')
    assert ('</span>\n\n  <div class="speaker__text">\n  <a class="speaker__name" href="/people/ann/">Ann &lt;B&gt;</a>\n'
            '  <span class="speaker__position">Chief &lt;&amp;&gt;, <a href="/organisations/org/">') in html
    assert '<ul class="honours" aria-label="Honours"><li>Prize &lt;1&gt; 2020</li><li>Medal</li></ul>\n  </div>\n</li>\n' in html
    part.role, part.position, part.organisation, part.honours_then = "moderator", "", None, []
    html = speaker(part)
    assert f'</a> <span class="speaker__role">({part.get_role_display()})</span>\n  \n  \n  </div>' in html
