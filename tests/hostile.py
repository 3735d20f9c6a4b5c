"""Hostile text every input must survive: the forms and the API get the same list, and must
agree on what they accept (tests/api/test_hostile_inputs.py)."""

HOSTILE_INPUTS = {
    "xss": "<script>alert(1)</script><img src=x onerror=alert(2)>",
    "five-kb": "Clusters " * 570,  # 5,130 characters
    "nul": "before\x00after",
    "control-characters": "bell\x07 vertical\x0b tab\x0c escape\x1b",
    "rtl-override": "\u202eexe.sdils\u202c slides",
    "emoji": "Clusters 😀🚀 and 👩🏽‍🔬",
    "sql-ish": "Robert'); DROP TABLE talks_talk;-- ' OR '1'='1",
    "header-injection": "Name\r\nSet-Cookie: admin=1\r\nX-Injected: yes",
    "white-space-only": " \t\n ",
    "markdown-link": "[click](javascript:alert(1))",
}
