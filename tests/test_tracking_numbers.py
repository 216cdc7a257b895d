"""Tracking numbers: digits only, random, a check digit that catches typing mistakes."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from sms_gateway import tracking


def test_generated_numbers_are_ten_valid_digits_and_not_sequential():
    numbers = [tracking.generate() for _ in range(2000)]
    assert all(len(n) == 10 and n.isdigit() and n[0] != "0" for n in numbers)
    assert all(tracking.is_valid(n) for n in numbers)
    # 9 random digits: 2,000 draws share a number about once in 450 runs (birthday bound),
    # and the intake draws again on a clash. Three clashes would take a broken generator.
    assert len(numbers) - len(set(numbers)) <= 2
    steps = {int(b) - int(a) for a, b in zip(numbers, numbers[1:], strict=False)}
    assert len(steps) > 1900  # no fixed stride to enumerate


@given(st.integers(min_value=10**8, max_value=10**9 - 1), st.integers(0, 9), st.integers(1, 9))
def test_every_single_wrong_digit_is_caught(body, position, delta):
    number = str(body) + tracking.check_digit(str(body))
    digits = list(number)
    digits[position] = str((int(digits[position]) + delta) % 10)
    assert not tracking.is_valid("".join(digits))


@given(st.integers(min_value=10**8, max_value=10**9 - 1), st.integers(0, 8))
def test_every_swap_of_neighbours_is_caught(body, position):
    number = str(body) + tracking.check_digit(str(body))
    if number[position] == number[position + 1]:
        return
    swapped = number[:position] + number[position + 1] + number[position] + number[position + 2 :]
    assert not tracking.is_valid(swapped)


def test_grouped_form_and_separators_are_accepted_back():
    number = tracking.generate()
    shown = tracking.display(number)
    assert shown == f"{number[:5]}-{number[5:]}"
    for typed in (
        shown,
        number,
        f"{number[:5]} {number[5:]}",
        f"#{number}",
        f"{number[:3]}.{number[3:]}",
    ):
        assert tracking.normalise(typed) == number


def test_mistyped_or_foreign_input_is_not_a_number():
    number = tracking.generate()
    wrong = number[:-1] + str((int(number[-1]) + 1) % 10)
    for text in (wrong, "", "abc", "12345", "١٢٣٤٥٦٧٨٩٠", number + "1"):
        assert tracking.normalise(text) is None
    assert tracking.looks_like(wrong)
