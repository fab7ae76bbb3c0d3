"""Demo content of the public site: `seed_cms_demo()` (called by the seed_demo command)."""

from cms.demo.seed import seed_cms_demo

__all__ = ["seed_cms_demo"]
