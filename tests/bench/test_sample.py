"""The bundled Wikinews sample loads with its licence and attribution."""

from __future__ import annotations

from importlib import resources

from unspun.bench.sample import ATTRIBUTION, load_wikinews


def test_sample_loads_every_article_with_licence() -> None:
    docs = load_wikinews()
    assert len(docs) == 212
    assert len({d.id for d in docs}) == 212
    for d in docs:
        assert d.site == "en.wikinews.org"
        assert d.url and d.url.startswith("https://en.wikinews.org/wiki/")
        assert d.text.strip() and d.title
        assert d.meta["license"] == "CC BY 2.5"
        assert d.meta["notice"] == ATTRIBUTION


def test_attribution_file_states_the_licence() -> None:
    text = resources.files("unspun").joinpath("resources", "wikinews", "ATTRIBUTION.md")
    assert ATTRIBUTION in text.read_text(encoding="utf-8")
