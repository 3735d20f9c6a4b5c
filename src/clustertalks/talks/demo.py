"""The demo data loader: the EU Clusters Talks series, its two real seed talks (public event
announcements, copied as they stand), and a generated sample history of about fifty talks and two
hundred speakers. Every generated talk, person and organisation carries `is_sample=True`.

The loader first plans everything as plain data (the same plan on every run, from a fixed random
seed), then creates only the rows that are missing: running it twice changes nothing."""

import datetime as dt
import random
from collections import Counter
from dataclasses import dataclass, replace

from django.db import transaction
from django.utils import timezone

from clustertalks.core.timezones import wall_clock_to_utc
from clustertalks.people.models import Honour, Organisation, Participation, Person

from .models import AgendaItem, Audience, EventType, Series, Talk, Topic, Weekday
from .services import next_free_slot

ZONE = "Europe/Brussels"
CADENCE_TIME = dt.time(8, 30)
RANDOM_SEED = 2022
UPCOMING_TALKS = 3

Kind = Organisation.Kind
Role = Participation.Role
Step = AgendaItem.Kind


# --- Plans: what the demo should contain, as plain data ------------------------------------------


@dataclass(frozen=True)
class OrgSpec:
    name: str
    kind: str
    acronym: str = ""
    country: str = ""
    parent: "OrgSpec | None" = None
    is_sample: bool = False


@dataclass(frozen=True)
class PersonSpec:
    name: str
    sort_name: str
    position: str = ""
    organisation: OrgSpec | None = None
    honours: tuple[tuple[str, int], ...] = ()
    is_sample: bool = False


@dataclass(frozen=True)
class PartSpec:
    """A person's part in a talk, with the position and organisation they held then."""

    person: PersonSpec
    role: str
    position: str = ""
    organisation: OrgSpec | None = None
    agenda_index: int | None = None


@dataclass(frozen=True)
class AgendaSpec:
    title: str
    kind: str
    starts_at: dt.time | None = None
    ends_at: dt.time | None = None


@dataclass(frozen=True)
class TalkSpec:
    title: str
    day: dt.date | None  # None: the next free cadence slot of the series
    minutes: int
    event_type: str
    topics: tuple[str, ...]
    abstract: str
    parts: tuple[PartSpec, ...] = ()
    agenda: tuple[AgendaSpec, ...] = ()
    audiences: tuple[str, ...] = ()
    status: str = Talk.Status.PUBLISHED
    status_note: str = ""
    is_sample: bool = False


def took_part(person: PersonSpec, role: str, agenda_index: int | None = None) -> PartSpec:
    """A part with the person's current position and organisation."""
    return PartSpec(person, role, person.position, person.organisation, agenda_index)


# --- The series and its vocabulary ----------------------------------------------------------------

GREEN, SUPPLY, FUNDING, SKILLS, TECHNOLOGIES = TOPICS = (
    "Green and digital transition",
    "Supply chains and resilience",
    "Funding and programmes",
    "Skills",
    "Technologies",
)
WEBINAR, PANEL, SPECIAL = EVENT_TYPES = ("Webinar", "Panel discussion", "Special")
AUDIENCES = (
    "Cluster organisations",
    "SMEs",
    "Policy makers",
    "Researchers",
    "Business support organisations",
)

# --- Real organisations and people of the two seed pages ---------------------------------------

EUROPEAN_COMMISSION = OrgSpec("European Commission", Kind.EU_BODY, country="BE")
DG_GROW = OrgSpec("DG GROW", Kind.EU_BODY, country="BE", parent=EUROPEAN_COMMISSION)
EISMEA = OrgSpec("EISMEA", Kind.AGENCY, country="BE", parent=EUROPEAN_COMMISSION)
ECCP = OrgSpec("European Cluster Collaboration Platform", Kind.OTHER, acronym="ECCP")
AGRI_FOOD_LITHUANIA = OrgSpec("Agri-Food Lithuania DIH", Kind.CLUSTER, country="LT")
FLANDERS_FOOD = OrgSpec("Flander’s Food", Kind.CLUSTER, acronym="FF", country="BE")
CLUSTERS_ALLIANCE = OrgSpec(
    "European Clusters Alliance", Kind.CLUSTER_NETWORK, acronym="ECA", country="BE"
)
BIOREGIONS = OrgSpec(
    "Council of European BioRegions", Kind.CLUSTER_NETWORK, acronym="CEBR", country="BE"
)
LIGHTMIRROR = OrgSpec("Lightmirror", Kind.COMPANY)
AEROSPACE_PIEMONTE = OrgSpec("Distretto Aerospaziale Piemonte", Kind.CLUSTER, country="IT")
OPTECBB = OrgSpec("OpTecBB", Kind.CLUSTER, country="DE")
PARP = OrgSpec("Polish Agency for Enterprise Development", Kind.AGENCY, country="PL")
SEED_ORGANISATIONS = (
    EUROPEAN_COMMISSION, DG_GROW, EISMEA, ECCP, AGRI_FOOD_LITHUANIA, FLANDERS_FOOD,
    CLUSTERS_ALLIANCE, BIOREGIONS, LIGHTMIRROR, AEROSPACE_PIEMONTE, OPTECBB, PARP,
)  # fmt: skip

PRZEOR = PersonSpec(
    "Marek Przeor",
    "Przeor, Marek",
    "Team Leader D.2 – Industrial forum, Alliances, Clusters",
    DG_GROW,
)
SERMUKSNYTE = PersonSpec(
    "Kristina Sermuksnyte-Alesiuniene",
    "Sermuksnyte-Alesiuniene, Kristina",
    "General Manager",
    AGRI_FOOD_LITHUANIA,
    honours=(("European Cluster Manager of the Year", 2022),),
)
DE_GRAEF = PersonSpec(
    "Veerle de Graef",
    "de Graef, Veerle",
    "Programme Manager",
    FLANDERS_FOOD,
    honours=(("European Cluster Partnership of the Year", 2022),),
)
NOVO = PersonSpec("Antonio Novo", "Novo, Antonio", "President", CLUSTERS_ALLIANCE)
LE_CORVEC = PersonSpec("Anais Le Corvec", "Le Corvec, Anais", "Network Manager", BIOREGIONS)
IZZO = PersonSpec("Valentino Izzo", "Izzo, Valentino", "", EISMEA)
IONESCU = PersonSpec("Dimitri Ionescu", "Ionescu, Dimitri", "Founder", LIGHTMIRROR)
MARTINOTTI = PersonSpec(
    "Giacomo Martinotti", "Martinotti, Giacomo", "Vice President", AEROSPACE_PIEMONTE
)
RICHARDSON = PersonSpec(
    "Mike Richardson", "Richardson, Mike", "Senior Project Manager", OPTECBB
)
ANTONOWICZ = PersonSpec(
    "Monika Antonowicz",
    "Antonowicz, Monika",
    "Expert in Strategy and Analysis Department",
    PARP,
)
SEED_PEOPLE = (
    PRZEOR, SERMUKSNYTE, DE_GRAEF, NOVO, LE_CORVEC,
    IZZO, IONESCU, MARTINOTTI, RICHARDSON, ANTONOWICZ,
)  # fmt: skip

SERIES = {
    "slug": "eu-clusters-talks",
    "name": "EU Clusters Talks",
    "tagline": "The bi-weekly meeting point for the cluster community",
    "description": (
        "The European Cluster Collaboration Platform invites the cluster community to a regular "
        "online meeting to discuss up-to-date insights into the latest industrial policies and "
        "cluster activities, cluster knowledge, best practices, the latest ECCP news, and funding "
        "opportunities."
    ),
    "boilerplate": (
        "The European Cluster Collaboration Platform invites the cluster community to a regular "
        "online meeting to discuss up-to-date insights into the latest industrial policies and "
        "cluster activities, cluster knowledge, best practices, the latest ECCP news, and funding "
        "opportunities.\n\n"
        "The EU Clusters Talks take place every two weeks. Information on the next Talks will be "
        "published on the website – stay tuned for more!"
    ),
    "time_zone": ZONE,
    "cadence_weekday": Weekday.WEDNESDAY,
    "cadence_start_time": CADENCE_TIME,
    "cadence_interval_weeks": 2,
    "default_duration_minutes": 60,
    "colour": "#004494",
}

CONFERENCE_TALK = TalkSpec(
    title="European Cluster Conference: Results and visions for the future of clusters",
    day=dt.date(2022, 10, 5),
    minutes=60,
    event_type=WEBINAR,
    topics=(GREEN, SUPPLY),
    abstract=(
        "On 26-27 September 2022, the European Cluster Conference took place in Prague. The event "
        "brought together cluster managers, practitioners, cluster policy makers and other "
        "stakeholders. It centred on cluster policies and initiatives allowing for the concrete "
        "implementation of the green and digital transitions in Europe’s value chains as well as "
        "strengthening their resilience.\n\n"
        "In this context, the European Cluster Collaboration Platform, on behalf of the European "
        "Commission, DG GROW, organised the EU Clusters Talks “European Cluster Conference: "
        "Results and visions for the future of clusters” on 5 October 2022, 8:30 – 9:30 CEST, to "
        "reflect on the key learning from the European Cluster Conference and discuss the vision "
        "for the future of clusters with the European Commission, the European Cluster Manager of "
        "the Year, the European Cluster Partnership of the Year, and representatives of cluster "
        "networks."
    ),
    agenda=(
        AgendaSpec("Takeaways and future perspectives from the European Commission", Step.KEYNOTE),
        AgendaSpec(
            "Panel discussion: key learning points from the conference and outlook for the next "
            "1-2 years",
            Step.PANEL,
        ),
    ),
    parts=(
        took_part(PRZEOR, Role.KEYNOTE, 0),
        took_part(SERMUKSNYTE, Role.PANELLIST, 1),
        took_part(DE_GRAEF, Role.PANELLIST, 1),
        took_part(NOVO, Role.PANELLIST, 1),
        took_part(LE_CORVEC, Role.PANELLIST, 1),
    ),
)

RECAP_TALK = TalkSpec(
    title="EU Clusters Talks Special: Recap on key policies and takeaways",
    day=dt.date(2023, 12, 13),
    minutes=75,
    event_type=SPECIAL,
    topics=TOPICS,
    abstract=(
        "Over the past two years, the European Cluster Collaboration Platform has organised nearly "
        "50 EU Clusters Talks. Streaming regularly on Wednesday mornings, the EU Clusters Talks "
        "offer up-to-date insights into the latest industrial policies and clusters’ involvement, "
        "showcase interesting projects and best practices, give you the latest ECCP news, and "
        "alert you to funding opportunities. It is a space to exchange knowledge and discuss "
        "topics significant to the EU business community. In the past two years, the topics "
        "focused on the green and digital transition, supply chains and resilience, funding and "
        "programmes, skills, and technologies. Over 200 speakers highlighted the respective policy "
        "framework, initiatives, and cluster activities. They identified challenges and "
        "bottlenecks, and they suggested solutions and good practices as inspiration for the "
        "cluster community.\n\n"
        "The European Cluster Collaboration Platform, on behalf of the European Commission, "
        "organises the event “EU Clusters Talks Special: Recap on key policies and takeaways” on "
        "13 December 2023, 8:30 – 9:45 CET, to summarise important policy information, reflect on "
        "the main results of the morning exchanges, and discuss the takeaways that clusters can "
        "integrate into their work."
    ),
    parts=(
        PartSpec(PRZEOR, Role.SPEAKER, "", DG_GROW),
        took_part(IZZO, Role.SPEAKER),
        took_part(IONESCU, Role.SPEAKER),
        took_part(MARTINOTTI, Role.SPEAKER),
        took_part(RICHARDSON, Role.SPEAKER),
        took_part(ANTONOWICZ, Role.SPEAKER),
    ),
)

SEED_TALKS = (CONFERENCE_TALK, RECAP_TALK)

# --- Tables for the generated sample history -----------------------------------------------------


@dataclass(frozen=True)
class Country:
    adjective: str
    regions: tuple[str, ...]
    women: tuple[str, ...]
    men: tuple[str, ...]
    families: tuple[str, ...]  # "Kowalski/Kowalska" where the family name has a female form


def country(adjective, regions, women, men, families) -> Country:
    lists = (regions, women, men, families)
    return Country(adjective, *(tuple(text.split(", ")) for text in lists))


COUNTRIES = {
    "AT": country(
        "Austrian", "Styria, Upper Austria, Tyrol, Vorarlberg",
        "Katharina, Lena, Sabine, Theresa, Julia", "Florian, Lukas, Matthias, Stefan, Georg",
        "Gruber, Huber, Wagner, Pichler, Moser, Steiner, Hofer, Leitner",
    ),
    "BE": country(
        "Belgian", "Flanders, Wallonia, Brussels-Capital, Limburg",
        "Lotte, Elise, Nathalie, Sofie, Amélie", "Pieter, Thomas, Jeroen, Olivier, Maxime",
        "Peeters, Janssens, Maes, Dubois, Lambert, Claes, Wouters, Dupont",
    ),
    "BG": country(
        "Bulgarian", "Plovdiv, Varna, Sofia, Stara Zagora",
        "Maria, Elena, Desislava, Ivelina, Radostina", "Georgi, Nikolay, Dimitar, Ivan, Stoyan",
        "Ivanov/Ivanova, Petrov/Petrova, Georgiev/Georgieva, Dimitrov/Dimitrova, Kolev/Koleva, "
        "Stoyanov/Stoyanova, Todorov/Todorova, Angelov/Angelova",
    ),
    "HR": country(
        "Croatian", "Istria, Dalmatia, Slavonia, Zagreb",
        "Ivana, Petra, Marija, Lucija, Ana", "Luka, Marko, Ivan, Tomislav, Josip",
        "Horvat, Kovačević, Babić, Marić, Jurić, Novak, Knežević, Vuković",
    ),
    "CZ": country(
        "Czech", "South Moravia, Central Bohemia, Pilsen, Moravia-Silesia",
        "Tereza, Lucie, Kateřina, Eva, Veronika", "Jan, Tomáš, Petr, Martin, Jakub",
        "Novák/Nováková, Svoboda/Svobodová, Dvořák/Dvořáková, Černý/Černá, "
        "Procházka/Procházková, Kučera/Kučerová, Veselý/Veselá, Horák/Horáková",
    ),
    "DK": country(
        "Danish", "Jutland, Zealand, Funen, Aarhus",
        "Mette, Camilla, Ida, Freja, Anne", "Rasmus, Mads, Søren, Anders, Henrik",
        "Jensen, Nielsen, Hansen, Pedersen, Andersen, Christensen, Larsen, Sørensen",
    ),
    "EE": country(
        "Estonian", "Tartu, Harju, Pärnu, Ida-Viru",
        "Kadri, Liis, Triin, Maarja, Kristiina", "Andres, Margus, Tõnis, Rasmus, Priit",
        "Tamm, Saar, Sepp, Mägi, Kask, Kukk, Rebane, Ilves",
    ),
    "FI": country(
        "Finnish", "Uusimaa, Pirkanmaa, Oulu, Ostrobothnia",
        "Aino, Laura, Johanna, Satu, Riikka", "Mikko, Juha, Antti, Ville, Jukka",
        "Korhonen, Virtanen, Mäkinen, Nieminen, Hämäläinen, Laine, Heikkinen, Koskinen",
    ),
    "FR": country(
        "French", "Auvergne-Rhône-Alpes, Occitanie, Brittany, Grand Est",
        "Camille, Claire, Juliette, Sophie, Élodie", "Julien, Nicolas, Mathieu, Antoine, Guillaume",
        "Martin, Bernard, Lefèvre, Moreau, Girard, Fontaine, Rousseau, Chevalier",
    ),
    "DE": country(
        "German", "Bavaria, Saxony, Baden-Württemberg, North Rhine-Westphalia",
        "Anna, Katrin, Miriam, Franziska, Lisa", "Jonas, Tobias, Markus, Felix, Christoph",
        "Müller, Schmidt, Schneider, Fischer, Weber, Becker, Hoffmann, Krüger",
    ),
    "GR": country(
        "Greek", "Attica, Central Macedonia, Crete, Thessaly",
        "Eleni, Katerina, Sofia, Georgia, Dimitra", "Nikos, Giorgos, Konstantinos, Yannis, Stavros",
        "Papadopoulos/Papadopoulou, Georgiou, Nikolaidis/Nikolaidou, "
        "Konstantinidis/Konstantinidou, Oikonomou, Vlachos/Vlachou, Makris/Makri, Pappas/Pappa",
    ),
    "HU": country(
        "Hungarian",
        "Central Hungary, Western Transdanubia, Southern Great Plain, Northern Great Plain",
        "Eszter, Réka, Zsófia, Katalin, Anna", "Bence, Gábor, Péter, Zoltán, Balázs",
        "Nagy, Kovács, Tóth, Szabó, Horváth, Varga, Kiss, Molnár",
    ),
    "IE": country(
        "Irish", "Munster, Connacht, Leinster, Midlands",
        "Aoife, Siobhán, Niamh, Ciara, Róisín", "Cian, Seán, Darragh, Eoin, Conor",
        "Murphy, Kelly, O'Sullivan, Walsh, O'Brien, Byrne, Ryan, Doyle",
    ),
    "IT": country(
        "Italian", "Lombardy, Emilia-Romagna, Apulia, Veneto",
        "Giulia, Chiara, Francesca, Elisa, Valentina", "Marco, Alessandro, Luca, Matteo, Davide",
        "Rossi, Bianchi, Romano, Colombo, Ricci, Marino, Greco, Bruno",
    ),
    "LV": country(
        "Latvian", "Riga, Kurzeme, Vidzeme, Latgale",
        "Ilze, Līga, Inese, Kristīne, Dace", "Jānis, Andris, Mārtiņš, Edgars, Raimonds",
        "Bērziņš/Bērziņa, Kalniņš/Kalniņa, Ozoliņš/Ozoliņa, Liepiņš/Liepiņa, "
        "Krūmiņš/Krūmiņa, Vītols/Vītola, Jansons/Jansone, Zariņš/Zariņa",
    ),
    "LT": country(
        "Lithuanian", "Kaunas, Vilnius, Klaipėda, Šiauliai",
        "Rūta, Ieva, Gintarė, Agnė, Eglė", "Tomas, Mantas, Darius, Mindaugas, Lukas",
        "Kazlauskas/Kazlauskienė, Jankauskas/Jankauskienė, Petrauskas/Petrauskienė, "
        "Stankevičius/Stankevičienė, Vasiliauskas/Vasiliauskienė, Žukauskas/Žukauskienė, "
        "Butkus/Butkienė, Paulauskas/Paulauskienė",
    ),
    "NL": country(
        "Dutch", "North Brabant, Gelderland, Groningen, South Holland",
        "Sanne, Femke, Anouk, Marieke, Eva", "Daan, Bram, Joost, Sander, Ruben",
        "de Vries, Jansen, van den Berg, Bakker, Visser, Smit, Meijer, de Boer",
    ),
    "PL": country(
        "Polish", "Silesia, Greater Poland, Lesser Poland, Pomerania",
        "Agnieszka, Katarzyna, Magdalena, Joanna, Aleksandra",
        "Piotr, Tomasz, Michał, Krzysztof, Paweł",
        "Kowalski/Kowalska, Wiśniewski/Wiśniewska, Nowak, Wójcik, Kamiński/Kamińska, "
        "Lewandowski/Lewandowska, Zieliński/Zielińska, Mazur",
    ),
    "PT": country(
        "Portuguese", "Norte, Centro, Alentejo, Algarve",
        "Inês, Mariana, Beatriz, Catarina, Ana", "João, Tiago, Rui, Miguel, Pedro",
        "Silva, Santos, Ferreira, Pereira, Oliveira, Costa, Rodrigues, Martins",
    ),
    "RO": country(
        "Romanian", "Cluj, Timiș, Iași, Brașov",
        "Ioana, Andreea, Elena, Cristina, Alina", "Andrei, Mihai, Alexandru, Bogdan, Radu",
        "Popescu, Popa, Stan, Dumitru, Constantin, Munteanu, Marin, Stoica",
    ),
    "SK": country(
        "Slovak", "Žilina, Košice, Bratislava, Nitra",
        "Zuzana, Lucia, Martina, Jana, Simona", "Peter, Juraj, Michal, Tomáš, Martin",
        "Horváth/Horváthová, Kováč/Kováčová, Varga/Vargová, Tóth/Tóthová, Nagy/Nagyová, "
        "Baláž/Balážová, Hudák/Hudáková, Molnár/Molnárová",
    ),
    "SI": country(
        "Slovenian", "Styria, Gorenjska, Goriška, Dolenjska",
        "Maja, Nina, Špela, Nika, Tjaša", "Matej, Luka, Jure, Rok, Gregor",
        "Novak, Horvat, Krajnc, Kovačič, Zupančič, Potočnik, Kos, Golob",
    ),
    "ES": country(
        "Spanish", "Basque Country, Catalonia, Andalusia, Valencia",
        "Lucía, Marta, Carmen, Laura, Paula", "Javier, Daniel, Alejandro, Pablo, Sergio",
        "García, Fernández, López, Martínez, Sánchez, Romero, Navarro, Iglesias",
    ),
    "SE": country(
        "Swedish", "Skåne, Västra Götaland, Norrbotten, Uppsala",
        "Elin, Karin, Maja, Sara, Linnea", "Erik, Johan, Oskar, Anders, Gustav",
        "Andersson, Johansson, Karlsson, Nilsson, Eriksson, Larsson, Lindqvist, Berg",
    ),
}  # fmt: skip

# How many fictional organisations of each kind: about sixty in all.
SAMPLE_ORGANISATION_KINDS = {
    Kind.CLUSTER: 24,
    Kind.CLUSTER_NETWORK: 6,
    Kind.PUBLIC_AUTHORITY: 7,
    Kind.COMPANY: 10,
    Kind.RESEARCH: 7,
    Kind.AGENCY: 6,
}
ORGANISATION_NAMES = {
    Kind.CLUSTER: ("{region} {sector} Cluster", "{sector} Cluster {region}"),
    Kind.CLUSTER_NETWORK: (
        "{adjective} Network of {sector} Clusters", "{adjective} Cluster Association",
    ),
    Kind.PUBLIC_AUTHORITY: (
        "{region} Regional Innovation Office", "Economic Development Department of {region}",
    ),
    Kind.COMPANY: ("{stem} {business}",),
    Kind.RESEARCH: ("{region} Institute for {field}", "{region} University of Applied Sciences"),
    Kind.AGENCY: ("{adjective} Agency for {mission}",),
}  # fmt: skip
SECTORS = (
    "Agri-Food", "Photonics", "Maritime", "Medtech", "Mobility", "Textile", "Wood", "Aerospace",
    "Hydrogen", "Microelectronics", "Creative Industries", "Circular Economy", "Construction",
    "Tourism", "Digital Health", "Battery", "Plastics", "Smart Energy", "Logistics", "Space",
)  # fmt: skip
COMPANY_STEMS = (
    "Veltra", "Nordlys", "Aquilon", "Brightmill", "Corvina", "Heliora", "Kestrel", "Lumora",
    "Quantix", "Silvanto", "Terravia", "Voltaro",
)  # fmt: skip
COMPANY_BUSINESSES = ("Robotics", "Materials", "Analytics", "Bioworks", "Systems", "Energy")
RESEARCH_FIELDS = (
    "Advanced Manufacturing", "Applied Photonics", "Sustainable Materials", "Food Innovation",
    "Industrial AI", "Energy Systems",
)  # fmt: skip
AGENCY_MISSIONS = (
    "Enterprise and Innovation", "SME Growth", "Industrial Transition", "Trade and Investment",
)  # fmt: skip

POSITIONS = {
    Kind.CLUSTER: (
        "Cluster Manager", "Managing Director", "Project Manager", "Innovation Manager",
        "Internationalisation Manager", "Head of Projects", "Communication Officer",
    ),
    Kind.CLUSTER_NETWORK: (
        "President", "Secretary General", "Policy Officer", "Network Coordinator", "Board Member",
    ),
    Kind.PUBLIC_AUTHORITY: (
        "Head of Unit for Industrial Policy", "Policy Adviser", "Director for Regional Development",
        "Smart Specialisation Coordinator",
    ),
    Kind.COMPANY: (
        "Chief Executive Officer", "Founder", "Head of Sustainability", "Chief Technology Officer",
        "Supply Chain Director", "Business Development Manager",
    ),
    Kind.RESEARCH: (
        "Professor of Innovation Management", "Senior Researcher", "Head of Technology Transfer",
        "Research Fellow",
    ),
    Kind.AGENCY: (
        "Programme Officer", "Head of Department for SME Support", "Expert in Cluster Policy",
        "Senior Analyst",
    ),
}  # fmt: skip

SAMPLE_TITLES = {
    GREEN: (
        "Clusters as drivers of the twin transition",
        "Digital product passports: what clusters need to know",
        "Energy efficiency in SMEs: cluster-led approaches",
        "Decarbonising industrial ecosystems together",
        "Circular business models for manufacturing SMEs",
        "Transition pathways: from roadmap to action",
        "Data spaces for industrial ecosystems",
        "Green public procurement as a market for cluster members",
        "Measuring the carbon footprint of a value chain",
        "Digital twins for greener production",
        "Renewable energy communities in industrial parks",
    ),
    SUPPLY: (
        "Mapping critical dependencies in European value chains",
        "Resilient supply chains: lessons learnt by clusters",
        "Critical raw materials: securing supply for SMEs",
        "Nearshoring and reshoring: opportunities for European suppliers",
        "Matchmaking across borders to replace lost suppliers",
        "Chip shortages and the cluster response",
        "Logistics bottlenecks and how clusters can help",
        "Stress-testing regional value chains",
        "Recycling as a source of secondary raw materials",
        "Cluster cooperation in times of crisis",
        "Diversifying suppliers in the agri-food chain",
    ),
    FUNDING: (
        "Calls for cluster organisations: a walk through the year",
        "Research and innovation funding for cluster members",
        "Cascade funding explained for SMEs",
        "Interregional innovation investments: preparing a proposal",
        "Writing a winning consortium proposal",
        "Combining regional and European funds",
        "Cluster partnership projects: first results",
        "Funding for circular economy pilots",
        "Digital innovation hubs and how to work with them",
        "Venture capital and clusters: bridging the finance gap",
        "Public-private partnerships for industrial innovation",
    ),
    SKILLS: (
        "Large-scale skills partnerships in industrial ecosystems",
        "Upskilling the workforce for the green transition",
        "Attracting and keeping talent in industrial regions",
        "Micro-credentials for industry",
        "Cluster academies: training for cluster managers",
        "Digital skills for small manufacturers",
        "Women in technology and cluster leadership",
        "Vocational education and cluster partnerships",
        "Skills intelligence: anticipating tomorrow's needs",
        "Reskilling workers in the automotive ecosystem",
        "Learning from each other: peer exchanges between clusters",
    ),
    TECHNOLOGIES: (
        "Artificial intelligence for manufacturing SMEs",
        "Hydrogen valleys and the role of clusters",
        "Advanced materials: from lab to market",
        "Quantum technologies: a primer for clusters",
        "Blockchain for traceability in food chains",
        "Additive manufacturing in industrial supply chains",
        "Photonics as a key enabling technology",
        "Space data for regional innovation",
        "Robotics and automation for small factories",
        "Cybersecurity for connected products",
        "Biotechnology and the bioeconomy",
    ),
}
TOPIC_BLURBS = {
    GREEN: "The talk looks at how cluster organisations help their members to cut emissions and "
    "to put digital tools to work in everyday production.",
    SUPPLY: "The talk looks at how clusters map dependencies, find alternative suppliers and keep "
    "value chains running when markets are disrupted.",
    FUNDING: "The talk explains which calls are open, who can apply and how cluster organisations "
    "can support their members in preparing proposals.",
    SKILLS: "The talk discusses how clusters, training providers and companies work together to "
    "close the skills gaps of their ecosystems.",
    TECHNOLOGIES: "The talk shows how small and medium-sized enterprises can take up the "
    "technology, with examples from cluster members.",
}
FORMAT_SENTENCES = {
    WEBINAR: "Speakers from {organisations} share their experience and answer questions from the "
    "audience.",
    PANEL: "After a keynote, a moderated panel with {organisations} exchanges views and takes "
    "questions from the audience.",
    SPECIAL: "In this special edition, {organisations} look back at the results so far and at "
    "what comes next.",
}
CALL_OFFS = (
    (Talk.Status.POSTPONED, "Postponed: a speaker fell ill. The talk will return at a later date."),
    (Talk.Status.CANCELLED, "Cancelled because of a technical failure of the streaming platform."),
)
SAMPLE_HISTORY_FIRST_DAY = dt.date(2022, 1, 12)
SAMPLE_HISTORY_END = dt.date(2023, 12, 1)
SUMMER_BREAK_MONTH = 8
REPEAT_SPEAKER_CHANCE = 0.1  # a speaker is one of the regulars rather than a new face
BECOMES_REGULAR_CHANCE = 0.1
MAX_REGULAR_SPEAKERS = 15


def sample_history_days() -> list[dt.date]:
    """Every second Wednesday from January 2022 to early December 2023, on the cadence of the seed
    talks, without the seed days and the August break."""
    seed_days = {talk.day for talk in SEED_TALKS}
    days, day = [], SAMPLE_HISTORY_FIRST_DAY
    while day < SAMPLE_HISTORY_END:
        if day not in seed_days and day.month != SUMMER_BREAK_MONTH:
            days.append(day)
        day += dt.timedelta(weeks=2)
    return days


def join_names(names: list[str]) -> str:
    return names[0] if len(names) == 1 else f"{', '.join(names[:-1])} and {names[-1]}"


def split_minutes(total: int, parts: int) -> list[int]:
    share = total // parts
    return [share] * (parts - 1) + [total - share * (parts - 1)]


def group_by_organisation(indexes: list[int], people: list[PersonSpec]) -> dict[str, list[int]]:
    """One presentation per organisation, even when two of its people speak."""
    groups: dict[str, list[int]] = {}
    for index in indexes:
        groups.setdefault(people[index].organisation.name, []).append(index)
    return groups


def timed_agenda(steps: list[tuple[str, str, int]]) -> tuple[AgendaSpec, ...]:
    """Agenda items with local start and end times, one after the other from the cadence time."""
    items, clock = [], dt.datetime.combine(dt.date(2000, 1, 1), CADENCE_TIME)  # any day
    for title, kind, minutes in steps:
        end = clock + dt.timedelta(minutes=minutes)
        items.append(AgendaSpec(title, kind, clock.time(), end.time()))
        clock = end
    return tuple(items)


class SampleGenerator:
    """Plans the fictional part of the demo; the same plan for the same random generator."""

    def __init__(self, rng: random.Random):
        self.rng = rng
        self._company_stems = iter(rng.sample(COMPANY_STEMS, k=len(COMPANY_STEMS)))
        self.organisations = self._organisations()
        self._unstaffed = list(self.organisations)  # the first speakers cover every organisation
        self._names = {person.name for person in SEED_PEOPLE}
        self.regulars: list[PersonSpec] = []

    def talks(self) -> tuple[list[TalkSpec], list[TalkSpec]]:
        """The sample history, and the upcoming talks (without a day: the series gives it)."""
        days = sample_history_days() + [None] * UPCOMING_TALKS
        topics = self._primary_topics(len(days))
        titles = {
            topic: self.rng.sample(pool, k=len(pool)) for topic, pool in SAMPLE_TITLES.items()
        }
        talks = [self._talk(day, topic, titles[topic].pop()) for day, topic in zip(days, topics)]
        return self._call_off_some(talks[:-UPCOMING_TALKS]), talks[-UPCOMING_TALKS:]

    # Organisations and people

    def _organisations(self) -> list[OrgSpec]:
        kinds = [kind for kind, count in SAMPLE_ORGANISATION_KINDS.items() for _ in range(count)]
        codes = list(COUNTRIES)
        self.rng.shuffle(kinds)
        self.rng.shuffle(codes)
        taken: set[str] = set()
        return [
            self._organisation(kind, codes[i % len(codes)], taken) for i, kind in enumerate(kinds)
        ]

    def _organisation(self, kind: str, code: str, taken: set[str]) -> OrgSpec:
        name = self._organisation_name(kind, code)
        while name in taken:
            name = self._organisation_name(kind, code)
        taken.add(name)
        acronym = self._acronym(name) if kind in {Kind.CLUSTER_NETWORK, Kind.AGENCY} else ""
        return OrgSpec(name, kind, acronym=acronym, country=code, is_sample=True)

    def _organisation_name(self, kind: str, code: str) -> str:
        rng, place = self.rng, COUNTRIES[code]
        return rng.choice(ORGANISATION_NAMES[kind]).format(
            region=rng.choice(place.regions),
            adjective=place.adjective,
            sector=rng.choice(SECTORS),
            stem=next(self._company_stems) if kind == Kind.COMPANY else "",
            business=rng.choice(COMPANY_BUSINESSES),
            field=rng.choice(RESEARCH_FIELDS),
            mission=rng.choice(AGENCY_MISSIONS),
        )

    @staticmethod
    def _acronym(name: str) -> str:
        return "".join(word[0] for word in name.split() if word[0].isupper())

    def _speaker(self, taken: list[PersonSpec]) -> PersonSpec:
        """Mostly a new face; now and then one of the regulars who speak in several talks."""
        regulars = [person for person in self.regulars if person not in taken]
        if regulars and self.rng.random() < REPEAT_SPEAKER_CHANCE:
            return self.rng.choice(regulars)
        person = self._new_person()
        if len(self.regulars) < MAX_REGULAR_SPEAKERS and self.rng.random() < BECOMES_REGULAR_CHANCE:
            self.regulars.append(person)
        return person

    def _new_person(self) -> PersonSpec:
        if self._unstaffed:
            organisation = self._unstaffed.pop()
        else:
            organisation = self.rng.choice(self.organisations)
        first, family = self._new_name(COUNTRIES[organisation.country])
        position = self.rng.choice(POSITIONS[organisation.kind])
        return PersonSpec(
            f"{first} {family}", f"{family}, {first}", position, organisation, is_sample=True
        )

    def _new_name(self, place: Country) -> tuple[str, str]:
        while True:
            is_woman = self.rng.random() < 0.5
            first = self.rng.choice(place.women if is_woman else place.men)
            forms = self.rng.choice(place.families).split("/")
            family = forms[-1] if is_woman else forms[0]
            if f"{first} {family}" not in self._names:
                self._names.add(f"{first} {family}")
                return first, family

    # Talks

    def _primary_topics(self, count: int) -> list[str]:
        """Topics spread evenly, so that no topic runs out of titles."""
        per_topic = len(SAMPLE_TITLES[GREEN])
        topics = list(TOPICS) * per_topic
        self.rng.shuffle(topics)
        return topics[:count]

    def _talk(self, day: dt.date | None, topic: str, title: str) -> TalkSpec:
        rng = self.rng
        event_type = rng.choices(EVENT_TYPES, weights=(6, 3, 0.5))[0]
        minutes = 75 if rng.random() < 0.2 else 60
        roles = self._roles(event_type, rng.randint(3, 6))
        people: list[PersonSpec] = []
        for _ in roles:
            people.append(self._speaker(people))
        agenda, places = self._agenda(event_type, roles, people, minutes)
        others = [t for t in TOPICS if t != topic]
        return TalkSpec(
            title=title,
            day=day,
            minutes=minutes,
            event_type=event_type,
            topics=(topic, rng.choice(others)) if rng.random() < 0.5 else (topic,),
            audiences=tuple(rng.sample(AUDIENCES, k=rng.randint(1, 3))),
            abstract=self._abstract(topic, event_type, roles, people),
            parts=tuple(took_part(p, role, place) for p, role, place in zip(people, roles, places)),
            agenda=agenda,
            is_sample=True,
        )

    def _roles(self, event_type: str, count: int) -> list[str]:
        if event_type == PANEL:  # a keynote, a moderator and at least two panellists
            return [Role.KEYNOTE] + [Role.PANELLIST] * max(count - 2, 2) + [Role.MODERATOR]
        if event_type == SPECIAL:
            return [Role.KEYNOTE] + [Role.SPEAKER] * (count - 1)
        first = Role.KEYNOTE if self.rng.random() < 0.4 else Role.SPEAKER
        last = Role.MODERATOR if self.rng.random() < 0.5 else Role.SPEAKER
        return [first] + [Role.SPEAKER] * (count - 2) + [last]

    def _agenda(self, event_type, roles, people, minutes):
        """About six talks in ten get a timed agenda; returns the items and, per participant, the
        index of their item (or None)."""
        if self.rng.random() >= 0.6:
            return (), [None] * len(roles)
        steps, places = [], [None] * len(roles)

        def add(title, kind, length, members):
            for index in members:
                places[index] = len(steps)
            steps.append((title, kind, length))

        moderators = [i for i, role in enumerate(roles) if role == Role.MODERATOR]
        keynotes = [i for i, role in enumerate(roles) if role == Role.KEYNOTE]
        others = [i for i, role in enumerate(roles) if role in {Role.SPEAKER, Role.PANELLIST}]
        if moderators:
            add("Welcome and introduction", Step.WELCOME, 5, moderators)
        if keynotes:
            add("Keynote: setting the scene", Step.KEYNOTE, 15, keynotes)
        remaining = minutes - 10 - sum(length for _, _, length in steps)
        if event_type == PANEL:
            add("Panel discussion", Step.PANEL, remaining, others)
        else:
            by_organisation = group_by_organisation(others, people)
            lengths = split_minutes(remaining, len(by_organisation))
            for (name, members), length in zip(by_organisation.items(), lengths):
                add(f"Experience from {name}", Step.PRESENTATION, length, members)
        add("Questions and answers", Step.QA, 10, [])
        return timed_agenda(steps), places

    @staticmethod
    def _abstract(topic, event_type, roles, people) -> str:
        names = [p.organisation.name for p, role in zip(people, roles) if role != Role.MODERATOR]
        organisations = join_names(list(dict.fromkeys(names)))
        return (
            f"This is a generated sample talk for the demo. {TOPIC_BLURBS[topic]}\n\n"
            + FORMAT_SENTENCES[event_type].format(organisations=organisations)
        )

    def _call_off_some(self, talks: list[TalkSpec]) -> list[TalkSpec]:
        indexes = self.rng.sample(range(4, len(talks)), k=len(CALL_OFFS))
        for index, (status, note) in zip(indexes, CALL_OFFS):
            talks[index] = replace(talks[index], status=status, status_note=note)
        return talks


# --- Writing: create what is missing, never touch what exists ------------------------------------

COUNTED = ("series", "talks", "upcoming_talks", "people", "organisations", "honours", "terms")
TALLIED = ("participations_created", "agenda_items_created")


class DemoLoader:
    """Finds or creates the rows of a plan, keeping count. Rows are matched by a natural key:
    series by slug, organisations and people by name (generated ones only among generated rows),
    terms by name, talks by series and start, honours by person, title and year."""

    def __init__(self, stdout=None, now: dt.datetime | None = None):
        self.stdout = stdout
        self.now = now or timezone.now()
        self.counts = Counter(dict.fromkeys(TALLIED, 0))
        for label in COUNTED:
            self.counts.update({f"{label}_created": 0, f"{label}_existing": 0})
        self._rows: dict = {}

    def say(self, message: str) -> None:
        if self.stdout is not None:
            self.stdout.write(message)

    def _found_or_made(self, label: str, key, find, make):
        """The row for `key`: found, or made if missing; looked up and counted once per run."""
        if key not in self._rows:
            found = find()
            self.counts[f"{label}_{'existing' if found else 'created'}"] += 1
            self._rows[key] = found or make()
        return self._rows[key]

    def term(self, model, name: str):
        return self._found_or_made(
            "terms",
            (model, name),
            lambda: model.objects.filter(name=name).first(),
            lambda: model.objects.create(name=name),
        )

    def organisation(self, spec: OrgSpec | None) -> Organisation | None:
        if spec is None:
            return None
        return self._found_or_made(
            "organisations",
            spec,
            lambda: first_named(Organisation, spec),
            lambda: Organisation.objects.create(
                name=spec.name,
                acronym=spec.acronym,
                kind=spec.kind,
                country=spec.country,
                parent=self.organisation(spec.parent),
                is_sample=spec.is_sample,
            ),
        )

    def person(self, spec: PersonSpec) -> Person:
        person = self._found_or_made(
            "people",
            spec,
            lambda: first_named(Person, spec),
            lambda: Person.objects.create(
                name=spec.name,
                sort_name=spec.sort_name,
                current_position=spec.position,
                current_organisation=self.organisation(spec.organisation),
                is_sample=spec.is_sample,
            ),
        )
        for title, year in spec.honours:
            self._found_or_made(
                "honours",
                (person.pk, title, year),
                lambda: person.honours.filter(title=title, year=year).first(),
                lambda: Honour.objects.create(person=person, title=title, year=year),
            )
        return person

    def series(self) -> Series:
        return self._found_or_made(
            "series",
            Series,
            lambda: Series.objects.filter(slug=SERIES["slug"]).first(),
            lambda: Series.objects.create(
                **SERIES,
                organiser=self.organisation(ECCP),
                on_behalf_of=self.organisation(DG_GROW),
            ),
        )

    def talk(self, series: Series, spec: TalkSpec) -> Talk:
        """The series' talk on the planned day, created with its people if missing."""
        for part in spec.parts:
            self.person(part.person)
        start = wall_clock_to_utc(spec.day, CADENCE_TIME, ZONE)
        return self._found_or_made(
            "talks",
            (Talk, series.pk, start),
            lambda: series.talks.filter(start=start).first(),
            lambda: self._create_talk(series, spec, start),
        )

    def upcoming_talks(self, series: Series, specs: list[TalkSpec]) -> None:
        """Fill the series up to three upcoming talks, on its next free cadence slots."""
        scheduled = series.talks.upcoming(self.now).count()
        self.counts["upcoming_talks_existing"] += scheduled
        for spec in specs[: max(UPCOMING_TALKS - scheduled, 0)]:
            start, _ = next_free_slot(series, self.now)
            for part in spec.parts:
                self.person(part.person)
            self._create_talk(series, spec, start)
            self.counts.update(talks_created=1, upcoming_talks_created=1)

    def _create_talk(self, series: Series, spec: TalkSpec, start: dt.datetime) -> Talk:
        talk = Talk.objects.create(
            series=series,
            title=spec.title,
            status=spec.status,
            status_note=spec.status_note,
            start=start,
            end=start + dt.timedelta(minutes=spec.minutes),
            event_type=self.term(EventType, spec.event_type),
            attendance_mode=Talk.AttendanceMode.ONLINE,
            abstract=spec.abstract,
            is_sample=spec.is_sample,
        )
        talk.topics.set([self.term(Topic, name) for name in spec.topics])
        talk.audiences.set([self.term(Audience, name) for name in spec.audiences])
        items = [
            self._create_agenda_item(talk, order, item)
            for order, item in enumerate(spec.agenda, start=1)
        ]
        for order, part in enumerate(spec.parts, start=1):
            Participation.objects.create(
                talk=talk,
                person=self.person(part.person),
                role=part.role,
                position=part.position,
                organisation=self.organisation(part.organisation),
                agenda_item=None if part.agenda_index is None else items[part.agenda_index],
                order=order,
            )
        self.counts.update(agenda_items_created=len(items), participations_created=len(spec.parts))
        return talk

    @staticmethod
    def _create_agenda_item(talk: Talk, order: int, item: AgendaSpec) -> AgendaItem:
        return AgendaItem.objects.create(
            talk=talk,
            order=order,
            title=item.title,
            kind=item.kind,
            starts_at=item.starts_at,
            ends_at=item.ends_at,
        )


def first_named(model, spec: OrgSpec | PersonSpec):
    """The oldest row of that name; generated rows match generated rows only, real rows real."""
    return model.objects.filter(name=spec.name, is_sample=spec.is_sample).order_by("pk").first()


@transaction.atomic
def load_demo(stdout=None, sample: bool = True, *, now: dt.datetime | None = None) -> dict:
    """Load the series, its vocabulary and the two seed talks, then (unless `sample` is False)
    the generated sample history and upcoming talks. Returns counts of created and existing
    rows, e.g. {"talks_created": 50, "talks_existing": 0, ...}; "talks_created" includes the
    "upcoming_talks_created", while upcoming talks already scheduled are counted apart, in
    "upcoming_talks_existing"."""
    loader = DemoLoader(stdout, now)
    for organisation in SEED_ORGANISATIONS:
        loader.organisation(organisation)
    series = loader.series()
    for model, names in ((Topic, TOPICS), (EventType, EVENT_TYPES), (Audience, AUDIENCES)):
        for name in names:
            loader.term(model, name)
    loader.say("Loading the series and its two seed talks…")
    for spec in SEED_TALKS:
        loader.talk(series, spec)
    if sample:
        loader.say("Loading the generated sample history (marked as sample)…")
        generator = SampleGenerator(random.Random(RANDOM_SEED))
        history, upcoming = generator.talks()
        for organisation in generator.organisations:
            loader.organisation(organisation)
        for spec in history:
            loader.talk(series, spec)
        loader.upcoming_talks(series, upcoming)
    return dict(loader.counts)


def summary_lines(counts: dict) -> list[str]:
    lines = [
        f"{label.capitalize()}: {counts[f'{label}_created']} created, "
        f"{counts[f'{label}_existing']} already present"
        for label in ("talks", "people", "organisations")
    ]
    lines.append(
        f"Upcoming talks: {counts['upcoming_talks_created']} created, "
        f"{counts['upcoming_talks_existing']} already scheduled"
    )
    lines.append(f"Participations: {counts['participations_created']} created")
    return lines


# Short descriptions of the demo topics, shown on the topics index (issue 11). Only an empty
# description is filled: an organiser's own text is kept.
TOPIC_DESCRIPTIONS = {
    GREEN: "How clusters help their members cut emissions and put digital tools to work.",
    SUPPLY: "Mapping, diversifying and securing the supply chains European industry depends on.",
    FUNDING: "EU and national programmes that finance cluster projects, and how to apply.",
    SKILLS: "Training, talent and the Pact for Skills: people who make clusters work.",
    TECHNOLOGIES: "Advanced manufacturing, artificial intelligence and other key technologies for SMEs.",
}


def describe_demo_topics() -> int:
    """Give the demo topics their short description where they have none; returns how many."""
    described = 0
    for name, description in TOPIC_DESCRIPTIONS.items():
        described += Topic.objects.filter(name=name, description="").update(description=description)
    if described:
        from clustertalks.core.pagecache import bump_public_generation

        bump_public_generation()  # a raw update sends no signal
    return described
