"""Quality bars shared by tests that train on the bundled demo corpus (tests/ is on pytest's path)."""

from __future__ import annotations

# family analogies, far above chance (1 in ~20,000)
FAMILY_ANALOGIES = [("man", "king", "woman", "queen"), ("father", "son", "mother", "daughter"),
                    ("brother", "sister", "man", "woman"), ("he", "his", "she", "her"),
                    ("king", "queen", "prince", "princess"), ("husband", "wife", "father", "mother")]


def assert_demo_quality(wv) -> None:
    """The bar a Word2Vec model of the demo corpus (demo settings) meets: its vocabulary size, the
    neighbours of "ship" and "monday", and at least 3 of 6 family analogies in the top 5."""
    assert len(wv) > 15_000
    neighbours = {w for w, _ in wv.most_similar("ship", topn=10)}
    assert neighbours & {"boat", "vessel", "boats", "ships", "sail", "sea", "whale", "deck"}, neighbours
    assert {w for w, _ in wv.most_similar("monday", topn=10)} & {"tuesday", "wednesday", "thursday", "friday",
                                                                 "saturday", "sunday"}
    hits = sum(d in [w for w, _ in wv.most_similar(positive=[b, c], negative=[a], topn=5)]
               for a, b, c, d in FAMILY_ANALOGIES)
    assert hits >= 3, hits
