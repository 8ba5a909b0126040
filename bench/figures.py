"""How the benchmarks write their numbers."""


def spaced(number: int) -> str:
    """1000000 → "1 000 000"."""
    return f"{number:,}".replace(",", " ")


def short(number: int) -> str:
    """10000 → 10k, 1000000 → 1M: how the goals name the sizes."""
    for unit, suffix in ((1_000_000, "M"), (1_000, "k")):
        if number >= unit and number % unit == 0:
            return f"{number // unit}{suffix}"
    return str(number)
