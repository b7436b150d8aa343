import math

import numpy as np
import pytest

from bonemets_edu import _validate as v


@pytest.mark.parametrize(
    "call, exc, words",
    [
        (lambda: v.require_positive("total_dose_gy", -8), ValueError, ["total_dose_gy", "greater than 0", "-8"]),
        (lambda: v.require_positive("total_dose_gy", 0), ValueError, ["total_dose_gy", "greater than 0"]),
        (lambda: v.require_positive("total_dose_gy", math.nan), ValueError, ["total_dose_gy", "finite", "nan"]),
        (lambda: v.require_positive("total_dose_gy", math.inf), ValueError, ["total_dose_gy", "finite"]),
        (lambda: v.require_positive("total_dose_gy", "8"), TypeError, ["total_dose_gy", "number", "str"]),
        (lambda: v.require_positive("total_dose_gy", True), TypeError, ["total_dose_gy", "bool"]),
        (lambda: v.require_positive("total_dose_gy", None), TypeError, ["total_dose_gy"]),
        (lambda: v.require_positive("dose", np.array([1.0, -2.0])), ValueError, ["dose", "-2"]),
        (lambda: v.require_whole("fractions", 0), ValueError, ["fractions", "whole number >= 1", "got 0"]),
        (lambda: v.require_whole("fractions", 2.5), ValueError, ["fractions", "whole number", "2.5"]),
        (lambda: v.require_whole("fractions", "5"), TypeError, ["fractions", "whole number"]),
        (lambda: v.require_whole("count", 4, minimum=0, maximum=3), ValueError, ["count", "from 0 to 3", "4"]),
        (lambda: v.require_in_range("size_fraction", 0, 0, 1, low_inclusive=False), ValueError,
         ["size_fraction", "(0, 1]"]),
        (lambda: v.require_in_range("temp_c", -300, -273.15, None, unit="°C"), ValueError, ["temp_c", "at least -273.15", "°C"]),
        (lambda: v.require_non_negative("distance_mm", -1, unit="mm"), ValueError, ["distance_mm", "0 or greater", "mm"]),
        (lambda: v.require_choice("site", "head", ["upper limb", "lower limb"]), ValueError,
         ["site", "'upper limb', 'lower limb'", "'head'"]),
        (lambda: v.require_choice("site", 3, ["upper limb"]), TypeError, ["site", "string"]),
        (lambda: v.require_bool("tumour_on", "yes"), TypeError, ["tumour_on", "True or False"]),
        (lambda: v.require_number("x", [], ), ValueError, ["x", "empty"]),
    ],
)
def test_bad_input_names_parameter_value_and_allowed(call, exc, words):
    with pytest.raises(exc) as info:
        call()
    msg = str(info.value)
    for w in words:
        assert w in msg, f"{w!r} not in {msg!r}"


def test_good_input_passes_through():
    assert v.require_positive("d", 8) == 8.0
    assert v.require_whole("n", 5.0) == 5 and isinstance(v.require_whole("n", 5.0), int)
    np.testing.assert_array_equal(v.require_whole("n", np.array([1, 2, 3])), [1, 2, 3])
    assert v.require_choice("site", "  Upper LIMB ", ["upper limb", "lower limb"]) == "upper limb"
    assert v.require_in_range("f", 1, 0, 1, low_inclusive=False) == 1.0
    assert v.require_non_negative("d", 0) == 0.0
