"""East Asian fonts for Word exports, so Chinese quotes render in a CJK font in Word and LibreOffice."""

from __future__ import annotations

from typing import Any

# Fonts present on Chinese Windows and Office installs (LibreOffice maps them to Noto CJK);
# Word picks the eastAsia font for CJK characters in a run, the ascii font for Latin ones.
EAST_ASIAN_FONT = "SimSun"
EAST_ASIAN_LANGUAGE = "zh-CN"


def use_east_asian_font(document: Any, font: str = EAST_ASIAN_FONT) -> None:
    """Set the East Asian font in the document defaults and in every style's run properties."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    styles = document.styles.element
    defaults = styles.find(qn("w:docDefaults"))
    targets = []
    if defaults is not None:
        run_defaults = defaults.find(qn("w:rPrDefault"))
        if run_defaults is not None and run_defaults.find(qn("w:rPr")) is not None:
            targets.append(run_defaults.find(qn("w:rPr")))
    for style in document.styles:
        element = getattr(style, "element", None)
        rpr = element.find(qn("w:rPr")) if element is not None else None
        if rpr is not None:
            targets.append(rpr)
    for rpr in targets:
        if rpr.find(qn("w:rFonts")) is None:
            rpr.insert(0, OxmlElement("w:rFonts"))
    # Every font setting in the styles, table styles' conditional formats included.
    for fonts in styles.iter(qn("w:rFonts")):
        # A theme font attribute wins over an explicit one: drop it so the named font applies.
        fonts.attrib.pop(qn("w:eastAsiaTheme"), None)
        fonts.set(qn("w:eastAsia"), font)
    if targets:
        language = targets[0].find(qn("w:lang"))
        if language is None:
            language = OxmlElement("w:lang")
            targets[0].append(language)
        language.set(qn("w:eastAsia"), EAST_ASIAN_LANGUAGE)
