"""Demo materials, added to the demo series of talks/demo.py: a summary and key takeaways for the
two seed talks and the held sample talks; for sample talks only, a placeholder recording address
(a YouTube address whose video id starts with SAMPLE: no such video exists), a generated WebVTT
transcript for a handful of them, and generated PDF slides for a few.

The seed talks get no recording, transcript or slides: nothing is invented about real events
beyond a summary and takeaways that restate their public announcements. Running the loader again
adds only what is missing (each talk's summary, recordings and slides are checked separately)."""

import datetime as dt
import random
from collections import Counter

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

from clustertalks.people.models import Participation
from clustertalks.talks import demo as talks_demo
from clustertalks.talks.models import Talk, Topic

from . import services
from .models import Attachment, Recording, Takeaway, TalkSummary
from .pdfmaker import build_text_pdf
from .tasks import read_pdf, store_extraction

K = Takeaway.Kind
GREEN, SUPPLY, FUNDING, SKILLS, TECHNOLOGIES = talks_demo.TOPICS
RANDOM_SEED = 2023
RECORDING_EVERY = 2  # one held sample talk in two has a (placeholder) recording
TRANSCRIBED = 5  # of which this many have a transcript
WITH_SLIDES = 5

# --- The two seed talks: restating their public announcements -----------------------------------

SEED_MATERIALS = {
    talks_demo.CONFERENCE_TALK.title: {
        "summary": (
            "*Demo summary, written for this installation from the public announcement of the "
            "talk.*\n\n"
            "The talk looked back at the **European Cluster Conference** held in Prague on 26–27 "
            "September 2022, which brought together cluster managers, practitioners and cluster "
            "policy makers. The European Commission (DG GROW) opened with its takeaways and "
            "perspectives; a panel with the European Cluster Manager of the Year, the European "
            "Cluster Partnership of the Year and representatives of cluster networks then "
            "discussed the key learning points of the conference and the outlook for the next "
            "one to two years."
        ),
        "takeaways": [
            (K.POLICY, GREEN, "Przeor", "Cluster policies and initiatives are a lever for the "
             "concrete implementation of the green and digital transitions in Europe’s value chains."),
            (K.CHALLENGE, SUPPLY, None, "Value chains need to become more resilient, and clusters "
             "have a role in strengthening them."),
            (K.GOOD_PRACTICE, None, "Sermuksnyte", "Award-winning cluster managers and cluster "
             "partnerships show what clusters can achieve: their experience is worth sharing."),
            (K.SOLUTION, None, "Novo", "Cluster networks connect cluster organisations across "
             "Europe so that good practices travel."),
            (K.NEXT_STEP, None, None, "The vision for the future of clusters is to be discussed "
             "with the community over the next one to two years."),
        ],
    },
    talks_demo.RECAP_TALK.title: {
        "summary": (
            "*Demo summary, written for this installation from the public announcement of the "
            "talk.*\n\n"
            "Over two years, nearly **50 EU Clusters Talks** and more than 200 speakers covered "
            "the green and digital transition, supply chains and resilience, funding and "
            "programmes, skills, and technologies. This special edition summarised the important "
            "policy information, reflected on the main results of the morning exchanges, and "
            "discussed the takeaways that clusters can integrate into their work."
        ),
        "takeaways": [
            (K.POLICY, GREEN, "Przeor", "The green and digital transition frames most of the "
             "policy information shared in the talks."),
            (K.CHALLENGE, SUPPLY, None, "Speakers identified challenges and bottlenecks in supply "
             "chains and in the resilience of industrial ecosystems."),
            (K.FUNDING, FUNDING, "Izzo", "Funding opportunities are announced regularly in the "
             "talks: following the series is a way not to miss them."),
            (K.SOLUTION, TECHNOLOGIES, None, "Speakers suggested solutions and good practices as "
             "inspiration for the cluster community."),
            (K.GOOD_PRACTICE, SKILLS, None, "Skills came back again and again as a topic where "
             "clusters can act together with their members."),
            (K.NEXT_STEP, None, None, "Clusters are invited to integrate the takeaways of the "
             "series into their own work."),
        ],
    },
}

# --- Generated text for the sample talks ----------------------------------------------------------

SAMPLE_TAKEAWAYS = {
    GREEN: {
        K.CHALLENGE: ["Many SMEs do not yet measure their emissions, so they cannot show progress to customers.",
                      "Energy prices make the business case for efficiency urgent but investment hard."],
        K.SOLUTION: ["Shared energy audits organised by the cluster cut the cost for each member.",
                     "Digital twins of production lines help to find savings before investing."],
        K.GOOD_PRACTICE: ["A cluster ran a peer group of five companies that halved their waste in a year.",
                          "Joint purchasing of renewable electricity for cluster members."],
        K.POLICY: ["The Green Deal Industrial Plan sets the frame for cluster strategies."],
        K.FUNDING: ["Single Market Programme calls support cluster partnerships on the twin transition."],
        K.NEXT_STEP: ["The cluster will publish a guide on carbon accounting for SMEs."],
    },
    SUPPLY: {
        K.CHALLENGE: ["Dependencies on a single supplier often come to light only in a crisis.",
                      "Small suppliers lack the data to prove the origin of their materials."],
        K.SOLUTION: ["Mapping members' suppliers together shows shared risks early.",
                     "A matchmaking platform helped members find alternative suppliers within weeks."],
        K.GOOD_PRACTICE: ["Regular supply-chain stress tests with the cluster's largest members."],
        K.POLICY: ["The Single Market Emergency Instrument aims to keep goods moving in a crisis."],
        K.FUNDING: ["Interregional innovation investments can fund shared testing facilities."],
        K.NEXT_STEP: ["Participants will share their supplier maps in the cluster's working group."],
    },
    FUNDING: {
        K.CHALLENGE: ["Small companies find calls hard to read and proposals slow to write."],
        K.SOLUTION: ["The cluster pre-screens project ideas and matches partners before a call opens.",
                     "Cascade funding lets SMEs receive small grants through a cluster project."],
        K.GOOD_PRACTICE: ["A shared calendar of calls, reviewed each month with members."],
        K.POLICY: ["Cluster partnerships are recognised as intermediaries in several EU programmes."],
        K.FUNDING: ["Euroclusters offer grants and services to SMEs through cluster consortia.",
                    "The European Innovation Council accelerator supports scale-ups with grants and equity."],
        K.NEXT_STEP: ["An info session on the next call will be organised for members."],
    },
    SKILLS: {
        K.CHALLENGE: ["Companies struggle to find technicians for new digital and green jobs.",
                      "Training offers rarely match what small companies need, when they need it."],
        K.SOLUTION: ["Short modular courses designed with the companies that will hire.",
                     "A skills observatory run by the cluster anticipates tomorrow's needs."],
        K.GOOD_PRACTICE: ["Apprenticeships shared between several SMEs of the cluster."],
        K.POLICY: ["The Pact for Skills brings together partnerships that commit to upskilling."],
        K.FUNDING: ["Erasmus+ Centres of Vocational Excellence can be led together with clusters."],
        K.NEXT_STEP: ["The cluster will join the large-scale skills partnership of its ecosystem."],
    },
    TECHNOLOGIES: {
        K.CHALLENGE: ["SMEs hesitate to adopt a new technology without seeing it work first."],
        K.SOLUTION: ["Test-before-invest services at the cluster's partner facilities.",
                     "Demonstration days where members try the technology on their own cases."],
        K.GOOD_PRACTICE: ["A cluster and a research centre share one engineer who visits members."],
        K.POLICY: ["Key enabling technologies are a priority of the industrial strategy."],
        K.FUNDING: ["European Digital Innovation Hubs offer subsidised services to SMEs."],
        K.NEXT_STEP: ["A follow-up workshop will look at the first pilots in member companies."],
    },
}
TRANSCRIPT_LINES = {
    GREEN: ["our members want to cut their energy bills and their emissions at the same time",
            "we started with shared energy audits in ten companies",
            "the data from the machines told us where the losses were",
            "the digital tools are only useful if people on the shop floor use them"],
    SUPPLY: ["the crisis showed us how much we depended on a handful of suppliers",
             "we mapped the suppliers of our members together, which nobody had done before",
             "some of the alternative suppliers were in the next region",
             "resilience is also about trust between companies"],
    FUNDING: ["the calls are open until the spring, so there is still time to prepare",
              "the cluster helps members to find partners before the call opens",
              "small companies can receive support through cascade funding",
              "the most common mistake is to start writing too late"],
    SKILLS: ["companies tell us they cannot find technicians for the new jobs",
             "we designed short courses together with the companies that hire",
             "apprentices move between several small companies of the cluster",
             "reskilling is easier when the whole value chain is involved"],
    TECHNOLOGIES: ["small companies want to see the technology working before they invest",
                   "our partner facility lets members test before they buy",
                   "the first pilots showed results within a few months",
                   "the engineers visit members and help with the first steps"],
}
OPENINGS = ["Good morning everybody and welcome to the EU Clusters Talks.",
            "Thank you for joining us this Wednesday morning.",
            "Today we talk about {title}."]
CONNECTORS = ["In our experience, {line}.", "What we learned is that {line}.", "I would add that {line}.",
              "One example: {line}.", "Let me be concrete: {line}.", "And of course {line}."]
QUESTIONS = ["We have a question from the audience: how did you convince the first companies?",
             "Another question in the chat: is this open to companies outside the cluster?",
             "Thank you. Let us take one more question before we close."]
CLOSING = ["Thank you to all our speakers and to you for listening.",
           "The recording and the slides will be published on the talk page. See you in two weeks."]


def primary_topic(talk: Talk) -> str:
    names = [topic.name for topic in talk.topics.all()]
    return next((name for name in names if name in SAMPLE_TAKEAWAYS), GREEN)


def sample_takeaways(talk: Talk, rng: random.Random) -> list[tuple]:
    """Four to eight takeaways of varied kinds, from the talk's topics and speakers."""
    topics = [t.name for t in talk.topics.all() if t.name in SAMPLE_TAKEAWAYS] or [GREEN]
    pool = [(kind, topic, text) for topic in topics for kind, texts in SAMPLE_TAKEAWAYS[topic].items()
            for text in texts]
    rng.shuffle(pool)
    chosen, seen = [], set()
    for kind, topic, text in pool:  # first one of each kind, then fill up
        if kind not in seen:
            chosen.append((kind, topic, text))
            seen.add(kind)
    chosen += [item for item in pool if item not in chosen]
    speakers = [part.person for part in talk.participations.all() if part.role != Participation.Role.MODERATOR]
    count = rng.randint(4, min(8, len(chosen)))
    order = list(K.values)
    return sorted(
        [(kind, topic, rng.choice(speakers) if speakers and rng.random() < 0.7 else None, text)
         for kind, topic, text in chosen[:count]],
        key=lambda item: order.index(item[0]),
    )


def sample_summary(talk: Talk, takeaways: list[tuple]) -> str:
    names = [part.person.name for part in talk.participations.all()]
    speakers = talks_demo.join_names(names) if names else "the speakers"
    points = "\n".join(f"- {text}" for _kind, _topic, _person, text in takeaways[:3])
    return (
        "*Generated sample summary.*\n\n"
        f"In “{talk.title}”, {speakers} shared their experience with the cluster community. "
        f"{talks_demo.TOPIC_BLURBS.get(primary_topic(talk), '')}\n\n"
        f"Three points stood out:\n\n{points}\n\n"
        "The discussion ended with questions from the audience."
    )


def sample_cues(talk: Talk, rng: random.Random) -> list[services.Cue]:
    """About forty to fifty timed lines about the talk's topic, with the speakers' voices."""
    people = [part.person.name for part in talk.participations.all()] or ["Moderator"]
    lines = TRANSCRIPT_LINES[primary_topic(talk)]
    texts = [(people[-1], line.format(title=talk.title)) for line in OPENINGS]
    for speaker in people[:-1] or people:
        texts.append((speaker, f"Thank you. I am {speaker} and I will share what we did."))
        texts += [(speaker, rng.choice(CONNECTORS).format(line=rng.choice(lines))) for _ in range(rng.randint(6, 9))]
    texts += [(people[-1], question) for question in QUESTIONS]
    texts += [(rng.choice(people), rng.choice(CONNECTORS).format(line=rng.choice(lines))) for _ in range(4)]
    texts += [(people[-1], line) for line in CLOSING]
    cues, clock = [], 2000
    for speaker, text in texts[:60]:
        length = 2500 + 70 * len(text)
        cues.append(services.Cue(clock, clock + length, text, speaker))
        clock += length + rng.randint(200, 900)
    return cues


def sample_slides(talk: Talk, takeaways: list[tuple]) -> bytes:
    names = [part.person.name for part in talk.participations.all()]
    pages = [
        (talk.title, ["EU Clusters Talks", talk.local_start.strftime("%d %B %Y"), "Generated sample slides"]),
        ("Speakers", names[:8] or ["To be announced"]),
    ]
    for kind, _topic, _person, text in takeaways[:4]:
        words, lines, line = text.split(), [], ""
        for word in words:  # wrap at about 60 characters
            if len(line) + len(word) > 60:
                lines.append(line)
                line = ""
            line = f"{line} {word}".strip()
        pages.append((dict(K.choices)[kind], [*lines, line]))
    pages.append(("Thank you", ["Questions and answers", "Slides: generated for the demo"]))
    return build_text_pdf(pages)


# --- Writing ------------------------------------------------------------------------------------


class MaterialsLoader:
    def __init__(self, stdout=None):
        self.stdout = stdout
        self.counts = Counter()
        self.topics = {topic.name: topic for topic in Topic.objects.all()}

    def say(self, message: str) -> None:
        if self.stdout is not None:
            self.stdout.write(message)

    def summary_and_takeaways(self, talk: Talk, summary: str, takeaways: list[tuple]) -> None:
        if TalkSummary.objects.filter(talk=talk).exists():
            self.counts["summaries_existing"] += 1
            return
        TalkSummary.objects.create(
            talk=talk, text=summary, materials_published_at=talk.end + dt.timedelta(days=2)
        )
        Takeaway.objects.bulk_create(
            Takeaway(talk=talk, order=order, kind=kind, text=text, person=person,
                     topic=self.topics.get(topic) if topic else None)
            for order, (kind, topic, person, text) in enumerate(takeaways, start=1)
        )
        self.counts.update(summaries_created=1, takeaways_created=len(takeaways))

    def recording(self, talk: Talk, rng: random.Random, with_transcript: bool) -> None:
        if talk.recordings.exists():
            self.counts["recordings_existing"] += 1
            return
        video_id = "SAMPLE" + "".join(rng.choice("abcdefghijkmnopqrstuvwxyz23456789") for _ in range(5))
        recording = Recording.objects.create(
            talk=talk, source=Recording.Source.YOUTUBE, title="Sample recording (placeholder address)",
            url=f"https://www.youtube.com/watch?v={video_id}", duration_seconds=talk.duration_minutes * 60,
        )
        self.counts["recordings_created"] += 1
        if with_transcript:
            cues = tuple(sample_cues(talk, rng))
            services.replace_transcript(recording, services.ParsedTranscript("vtt", cues))
            self.counts["transcripts_created"] += 1

    def slides(self, talk: Talk, takeaways: list[tuple]) -> None:
        if talk.attachments.exists():
            self.counts["slides_existing"] += 1
            return
        data = sample_slides(talk, takeaways)
        attachment = Attachment(talk=talk, title=f"Slides: {talk.title}"[:250], size_bytes=len(data),
                                page_count=None)
        attachment.file.save(f"{talk.slug[:60]}-slides.pdf", ContentFile(data), save=False)
        attachment.save()
        texts, thumbnail = read_pdf(data)  # the worker's job, done here so the demo is complete
        store_extraction(attachment, texts, thumbnail)
        self.counts["slides_created"] += 1


def seed_takeaways(talk: Talk, specs: list[tuple]) -> list[tuple]:
    people = {part.person.name.split()[-1].split("-")[0]: part.person for part in talk.participations.all()}
    return [(kind, topic, people.get(surname) if surname else None, text)
            for kind, topic, surname, text in specs]


def held_talks(queryset):
    return (
        queryset.filter(status=Talk.Status.PUBLISHED, end__lt=timezone.now())
        .prefetch_related("topics", "participations__person")
        .order_by("start")
    )


@transaction.atomic
def load_materials_demo(stdout=None) -> dict:
    """Add the demo materials to the demo series (after talks.demo.load_demo); returns counts."""
    loader = MaterialsLoader(stdout)
    series = talks_demo.Series.objects.filter(slug=talks_demo.SERIES["slug"]).first()
    if series is None:
        return dict(loader.counts)
    loader.say("Adding summaries and key takeaways to the seed talks…")
    for talk in held_talks(series.talks.filter(is_sample=False, title__in=SEED_MATERIALS)):
        spec = SEED_MATERIALS[talk.title]
        loader.summary_and_takeaways(talk, spec["summary"], seed_takeaways(talk, spec["takeaways"]))
    samples = list(held_talks(series.talks.filter(is_sample=True)))
    if samples:
        loader.say("Adding generated materials to the sample talks (marked as sample)…")
    recorded = samples[::-RECORDING_EVERY]  # the most recent first
    transcribed, with_slides = recorded[:TRANSCRIBED], samples[-WITH_SLIDES * 2 :: 2]
    for talk in samples:
        rng = random.Random(RANDOM_SEED + talk.start.toordinal())
        takeaways = sample_takeaways(talk, rng)
        loader.summary_and_takeaways(talk, sample_summary(talk, takeaways), takeaways)
        if talk in recorded:
            loader.recording(talk, rng, with_transcript=talk in transcribed)
        if talk in with_slides:
            loader.slides(talk, takeaways)
    return dict(loader.counts)


def summary_lines(counts: dict) -> list[str]:
    return [
        f"Materials: {counts.get('summaries_created', 0)} summaries with "
        f"{counts.get('takeaways_created', 0)} takeaways, {counts.get('recordings_created', 0)} "
        f"sample recordings ({counts.get('transcripts_created', 0)} with a transcript), "
        f"{counts.get('slides_created', 0)} sample slide decks created; "
        f"{counts.get('summaries_existing', 0)} talks already had a summary"
    ]
