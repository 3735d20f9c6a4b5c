"""Search input that must never cause an error: quotes, operators, *, SQL, 5 kB of text."""

HOSTILE_QUERIES = [
    '"', '""', '"unclosed phrase', "NEAR(", "NEAR(a b)", "-", "--", "- -", "AND OR NOT", "OR",
    "NOT", "*", "**", "a*", "clust**", "title:cluster", "^cluster", "'; DROP TABLE talks_talk; --",
    "1' OR '1'='1", "cluster) OR (1=1", "{col1 col2}: x", "x" * 5000, "policy " * 1000,
    "<script>alert(1)</script>", "\x00\x01", "‮ünïcödé ＤＲＯＰ", "😀 emoji", "%_%", "\\", "()",
    "a AND", "OR cluster", "cluster OR", "-cluster", "NOT cluster", ":*", "!'x'", "x <-> y",
]
