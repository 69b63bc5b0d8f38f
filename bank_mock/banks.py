"""The three fictional banks: name, demo port, colours and logo."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Bank:
    """One fictional bank's identity; everything else about it comes from configuration."""

    id: str
    name: str
    port: int
    # Brand colour for header and buttons: each has ≥ 7:1 contrast with white text (WCAG AAA).
    colour: str
    accent: str  # a light tint for panels; body text on it keeps ≥ 7:1 contrast
    mark: str  # the inner shapes of the logo, drawn in white on the brand colour


BANKS: dict[str, Bank] = {
    bank.id: bank
    for bank in (
        Bank(
            "aurora",
            "Aurora Bank",
            8411,
            colour="#0b3d6e",
            accent="#e6eef7",
            mark='<path d="M8 30 Q24 6 40 30" fill="none" stroke="#ffffff" stroke-width="4"/>'
            '<path d="M14 34 Q24 18 34 34" fill="none" stroke="#9fd3ff" stroke-width="3"/>',
        ),
        Bank(
            "kide",
            "Kide Bank",
            8412,
            colour="#1d4d2f",
            accent="#e8f3ec",
            mark='<path d="M24 8 L24 40 M10 16 L38 32 M10 32 L38 16" stroke="#ffffff" '
            'stroke-width="4" stroke-linecap="round"/>',
        ),
        Bank(
            "revontuli",
            "Revontuli Savings Bank",
            8413,
            colour="#5a1a5e",
            accent="#f4e9f5",
            mark='<path d="M6 34 C14 10 22 30 28 16 S38 12 42 30" fill="none" '
            'stroke="#ffffff" stroke-width="4" stroke-linecap="round"/>',
        ),
    )
}


def logo_svg(bank: Bank) -> str:
    """An accessible inline SVG logo: a titled image of the bank's mark and name."""
    return (
        '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 300 48" width="300" height="48" '
        f'role="img" aria-labelledby="logo-title"><title id="logo-title">{bank.name}</title>'
        f'<rect width="48" height="48" rx="10" fill="{bank.colour}"/>{bank.mark}'
        f'<text x="58" y="31" font-family="system-ui, sans-serif" font-size="18" '
        f'font-weight="700" fill="{bank.colour}">{bank.name}</text></svg>'
    )
