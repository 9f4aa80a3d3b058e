"""Slack's Block Kit and message limits, and one checker for them.

The Slack stand-in refuses what breaks them the way Slack does, and the tests check everything the bot
builds with the same rules. Lengths are counted as UTF-16 code units (an emoji counts twice), the
stricter of the ways Slack may count them.
"""

from __future__ import annotations

from typing import Any

MESSAGE_BLOCKS = 50
VIEW_BLOCKS = 100
MESSAGE_TEXT = 40_000
MESSAGE_BLOCKS_TEXT = 13_000
"""Slack answers `msg_blocks_too_long` when the text of a message's blocks adds up to about this."""
SECTION_TEXT = 3000
FIELD_TEXT = 2000
FIELDS = 10
HEADER_TEXT = 150
CONTEXT_ELEMENTS = 10
ACTIONS_ELEMENTS = 25
OPTIONS = 100
OVERFLOW_OPTIONS = 5
BUTTON_TEXT = 75
BUTTON_VALUE = 2000
OPTION_TEXT = 75
OPTION_VALUE = 150
IDENTIFIER = 255
URL = 3000
IMAGE_URL = 3000
IMAGE_ALT_TEXT = 2000
MODAL_TITLE = 24
PRIVATE_METADATA = 3000
INPUT_LABEL = 2000
PLACEHOLDER = 150
PLAIN_TEXT_INPUT = 3000
CONFIRM_TITLE = 100
CONFIRM_TEXT = 300
CONFIRM_BUTTON = 30


def text_units(text: str) -> int:
    """Length as Slack may count it: UTF-16 code units, so an emoji counts twice (the stricter reading)."""
    return len(text.encode("utf-16-le", "surrogatepass")) // 2


def message_refusal(text: str, blocks: Any) -> tuple[str, list[str]] | None:
    """Why chat.postMessage or chat.update would refuse this content: (error, details), or None."""
    if text_units(text) > MESSAGE_TEXT:
        return "msg_too_long", [f"text must be at most {MESSAGE_TEXT} characters"]
    if blocks is None:
        return None
    errors = block_errors(blocks, MESSAGE_BLOCKS)
    if errors:
        return "invalid_blocks", errors
    total = blocks_text_units(blocks)
    if total > MESSAGE_BLOCKS_TEXT:
        return "msg_blocks_too_long", [f"the blocks hold {total} characters of text"]
    return None


def blocks_text_units(node: Any) -> int:
    """The text of every text object in the blocks, added up."""
    if isinstance(node, dict):
        if node.get("type") in ("mrkdwn", "plain_text") and isinstance(node.get("text"), str):
            return text_units(node["text"])
        return sum(blocks_text_units(value) for value in node.values())
    if isinstance(node, list):
        return sum(blocks_text_units(item) for item in node)
    return 0


def block_errors(blocks: Any, max_blocks: int) -> list[str]:
    """Block Kit limits Slack enforces, as Slack-like error strings."""
    if not isinstance(blocks, list):
        return ["blocks must be an array"]
    errors: list[str] = []
    if len(blocks) > max_blocks:
        errors.append(f"no more than {max_blocks} items allowed [json-pointer:/blocks]")
    seen: set[str] = set()
    for index, block in enumerate(blocks):
        where = f"[json-pointer:/blocks/{index}]"
        if not isinstance(block, dict):
            errors.append(f"must be an object {where}")
            continue
        block_id = block.get("block_id")
        if block_id is not None:
            if len(str(block_id)) > IDENTIFIER:
                errors.append(f"must be less than {IDENTIFIER + 1} characters {where}/block_id")
            if block_id in seen:
                errors.append(f"duplicate block_id {block_id!r} {where}")
            seen.add(block_id)
        errors += _block_errors(block, where)
    return errors


def _too_long(text_object: Any, limit: int, where: str) -> list[str]:
    if not isinstance(text_object, dict):
        return []
    text = text_object.get("text", "")
    if not isinstance(text, str):
        return [f"must be a string {where}"]
    if text_units(text) > limit:
        return [f"must be less than {limit + 1} characters {where}"]
    return []


def _block_errors(block: dict[str, Any], where: str) -> list[str]:
    errors: list[str] = []
    kind = block.get("type")
    if kind == "section":
        errors += _too_long(block.get("text"), SECTION_TEXT, f"{where}/text")
        fields = block.get("fields") or []
        if len(fields) > FIELDS:
            errors.append(f"no more than {FIELDS} items allowed {where}/fields")
        for number, text_object in enumerate(fields):
            errors += _too_long(text_object, FIELD_TEXT, f"{where}/fields/{number}")
        if not block.get("text") and not fields:
            errors.append(f"must provide text or fields {where}")
    elif kind == "header":
        errors += _too_long(block.get("text"), HEADER_TEXT, f"{where}/text")
    elif kind == "actions" and len(block.get("elements", [])) > ACTIONS_ELEMENTS:
        errors.append(f"no more than {ACTIONS_ELEMENTS} items allowed {where}/elements")
    elif kind == "context":
        elements = block.get("elements", [])
        if len(elements) > CONTEXT_ELEMENTS:
            errors.append(f"no more than {CONTEXT_ELEMENTS} items allowed {where}/elements")
        for number, element in enumerate(elements):
            errors += _too_long(element, SECTION_TEXT, f"{where}/elements/{number}")
    elif kind == "image":
        errors += _image_errors(block, where)
    elif kind == "input":
        errors += _too_long(block.get("label"), INPUT_LABEL, f"{where}/label")
        errors += _too_long(block.get("hint"), INPUT_LABEL, f"{where}/hint")
    if kind in ("actions", "section", "input"):
        elements = list(block.get("elements") or []) if kind == "actions" else []
        elements += [e for e in (block.get("element"), block.get("accessory")) if e]
        for element in elements:
            errors += _element_errors(element, where)
    return errors


def _image_errors(block: dict[str, Any], where: str) -> list[str]:
    """Slack's image block: an http(s) image_url of at most 3000 characters, a non-empty alt_text."""
    url, alt = block.get("image_url"), block.get("alt_text")
    errors = []
    if not isinstance(url, str) or not url.lower().startswith(("http://", "https://")):
        errors.append(f"must be a valid http(s) URL {where}/image_url")
    elif text_units(url) > IMAGE_URL:
        errors.append(f"must be less than {IMAGE_URL + 1} characters {where}/image_url")
    if not isinstance(alt, str) or not alt:
        errors.append(f"must provide alt_text {where}/alt_text")
    elif text_units(alt) > IMAGE_ALT_TEXT:
        errors.append(f"must be less than {IMAGE_ALT_TEXT + 1} characters {where}/alt_text")
    return errors


def _element_errors(element: dict[str, Any], where: str) -> list[str]:
    errors: list[str] = []
    if len(str(element.get("action_id", ""))) > IDENTIFIER:
        errors.append(f"must be less than {IDENTIFIER + 1} characters {where}/action_id")
    kind = element.get("type")
    if kind == "button":
        errors += _too_long(element.get("text"), BUTTON_TEXT, f"{where}/text")
        if text_units(str(element.get("value", ""))) > BUTTON_VALUE:
            errors.append(f"must be less than {BUTTON_VALUE + 1} characters {where}/value")
        if text_units(str(element.get("url", ""))) > URL:
            errors.append(f"must be less than {URL + 1} characters {where}/url")
    options = element.get("options") or []
    most = OVERFLOW_OPTIONS if kind == "overflow" else OPTIONS
    if len(options) > most:
        errors.append(f"no more than {most} items allowed {where}/options")
    for option in options + [o for o in [element.get("initial_option")] if o]:
        errors += _too_long(option.get("text"), OPTION_TEXT, f"{where}/options/text")
        if len(str(option.get("value", ""))) > OPTION_VALUE:
            errors.append(f"must be less than {OPTION_VALUE + 1} characters {where}/options/value")
    errors += _too_long(element.get("placeholder"), PLACEHOLDER, f"{where}/placeholder")
    if kind == "plain_text_input":
        most_typed = int(element.get("max_length") or PLAIN_TEXT_INPUT)
        if most_typed > PLAIN_TEXT_INPUT:
            errors.append(f"must be at most {PLAIN_TEXT_INPUT} {where}/max_length")
        if text_units(str(element.get("initial_value", ""))) > most_typed:
            errors.append(f"must be no longer than max_length {where}/initial_value")
    confirm = element.get("confirm")
    if isinstance(confirm, dict):
        errors += _too_long(confirm.get("title"), CONFIRM_TITLE, f"{where}/confirm/title")
        errors += _too_long(confirm.get("text"), CONFIRM_TEXT, f"{where}/confirm/text")
        errors += _too_long(confirm.get("confirm"), CONFIRM_BUTTON, f"{where}/confirm/confirm")
        errors += _too_long(confirm.get("deny"), CONFIRM_BUTTON, f"{where}/confirm/deny")
    return errors


def view_errors(view: dict[str, Any], modal: bool) -> list[str]:
    """What views.open, views.update, views.push and views.publish would refuse in this view."""
    errors: list[str] = []
    if modal:
        for key in ("title", "submit", "close"):
            text = (view.get(key) or {}).get("text", "")
            if text_units(text) > MODAL_TITLE:
                errors.append(f"{key} must be less than {MODAL_TITLE + 1} characters [json-pointer:/view/{key}/text]")
        if not view.get("title"):
            errors.append("title is required [json-pointer:/view/title]")
    if text_units(view.get("private_metadata", "")) > PRIVATE_METADATA:
        errors.append(f"must be less than {PRIVATE_METADATA + 1} characters [json-pointer:/view/private_metadata]")
    if len(str(view.get("callback_id", ""))) > IDENTIFIER or len(str(view.get("external_id", ""))) > IDENTIFIER:
        errors.append(f"must be less than {IDENTIFIER + 1} characters [json-pointer:/view/callback_id]")
    errors += block_errors(view.get("blocks", []), VIEW_BLOCKS)
    return errors
