"""Canned replies: jinja2 templates per brand (its own voice) and shared ones.

Templates are written by the team (app.yaml or a folder of ``.j2`` files) and rendered in a
sandbox. Customer text only ever enters as a variable's value, so ``{{ 7*7 }}`` in a customer's
name stays literally that.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from jinja2 import StrictUndefined, TemplateError, TemplateSyntaxError, meta

from bot.config import Config, ConfigError
from bot.template_sandbox import LimitedSandbox, TemplateLimit

VARIABLES = ("author_name", "author_handle", "brand", "platform", "agent_first_name", "agent_name", "ref", "kind")


class TemplateProblem(Exception):
    """A template could not be filled; the message says which and why."""


@dataclass(frozen=True)
class CannedReply:
    name: str
    title: str
    source: str


class TemplateBook:
    def __init__(self, config: Config, base_dir: Path | None = None) -> None:
        self._env = LimitedSandbox(undefined=StrictUndefined, autoescape=False, keep_trailing_newline=False)
        self._shared: dict[str, CannedReply] = {}
        self._by_brand: dict[str, dict[str, CannedReply]] = {brand: {} for brand in config.brands}
        self._sources: dict[str, str] = {}
        """Every template's source by where it was written, for `socialdesk check`."""
        for name, template in config.templates.items():
            self._add(self._shared, f"templates.{name}", name, template.text, template.title)
        for brand_id, brand in config.brands.items():
            for name, template in brand.templates.items():
                self._add(self._by_brand[brand_id], f"brands.{brand_id}.templates.{name}", name, template.text,
                          template.title)
        if config.templates_dir:
            self._load_folder(config, Path(base_dir or ".") / config.templates_dir)

    def for_brand(self, brand_id: str) -> list[CannedReply]:
        """The brand's templates: its own, then the shared ones it does not override; by name."""
        merged = {**self._shared, **self._by_brand.get(brand_id, {})}
        return [merged[name] for name in sorted(merged)]

    def render(self, brand_id: str, name: str, variables: dict[str, str]) -> str:
        template = {t.name: t for t in self.for_brand(brand_id)}.get(name)
        if template is None:
            known = ", ".join(t.name for t in self.for_brand(brand_id)) or "none yet"
            raise TemplateProblem(f"No template {name!r} for this brand (known: {known}).")
        try:
            return self._env.render_limited(template.source, variables).strip()
        except (TemplateError, TemplateLimit) as error:
            raise TemplateProblem(f"Template {name!r} could not be filled: {error}") from None
        except RecursionError:
            raise TemplateProblem(f"Template {name!r} could not be filled: it calls itself without end") from None
        except Exception as error:  # noqa: BLE001 - whatever a template's code raises, it is the template's fault
            reason = str(error) or type(error).__name__
            raise TemplateProblem(f"Template {name!r} could not be filled: {reason}") from None

    def unknown_variables(self) -> list[str]:
        """"<where>: <name>" for each variable a template uses that the bot never provides."""
        found = []
        for key, source in self._sources.items():
            unknown = meta.find_undeclared_variables(self._env.parse(source)) - set(VARIABLES)
            found += [f"{key}: {name}" for name in sorted(unknown)]
        return found

    def _add(self, into: dict[str, CannedReply], key: str, name: str, source: str, title: str | None) -> None:
        try:
            self._env.parse(source)
        except TemplateSyntaxError as error:
            raise ConfigError(f"{key}: line {error.lineno}: {error.message}") from None
        self._sources[key] = source
        into[name] = CannedReply(name, title or name.replace("-", " ").replace("_", " ").capitalize(), source)

    def _load_folder(self, config: Config, folder: Path) -> None:
        if not folder.is_dir():
            raise ConfigError(f"templates_dir: {folder} is not a folder")
        for path in sorted(folder.glob("*.j2")):
            self._add(self._shared, f"templates_dir: {path.name}", path.stem, path.read_text(encoding="utf-8"), None)
        for brand_id in config.brands:
            for path in sorted((folder / brand_id).glob("*.j2")):
                self._add(self._by_brand[brand_id], f"templates_dir: {brand_id}/{path.name}", path.stem,
                          path.read_text(encoding="utf-8"), None)
