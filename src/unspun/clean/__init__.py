"""Clean: remove the junk inside an article's text, recording each removal with its reason."""

from __future__ import annotations

from unspun.clean.core import DEFAULT_CONFIG, CleanConfig, clean
from unspun.clean.site import SiteProfile, learn_site_profile, site_key

__all__ = ["DEFAULT_CONFIG", "CleanConfig", "SiteProfile", "clean", "learn_site_profile",
           "site_key"]
