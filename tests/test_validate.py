import math

import numpy as np
import pytest
from badinput import bad_input_failures, check_bad_inputs

from bonemets_edu import _validate as v

#: (function, keyword arguments, exception, message fragments: the parameter first): every row must raise as listed.
BAD_INPUTS = [
    (v.require_positive, dict(name="total_dose_gy", value=-8), ValueError, ["total_dose_gy", "greater than 0", "-8"]),
    (v.require_positive, dict(name="total_dose_gy", value=0), ValueError, ["total_dose_gy", "greater than 0"]),
    (v.require_positive, dict(name="total_dose_gy", value=math.nan), ValueError, ["total_dose_gy", "finite", "nan"]),
    (v.require_positive, dict(name="total_dose_gy", value=math.inf), ValueError, ["total_dose_gy", "finite"]),
    (v.require_positive, dict(name="total_dose_gy", value="8"), TypeError, ["total_dose_gy", "number", "str"]),
    (v.require_positive, dict(name="total_dose_gy", value=True), TypeError, ["total_dose_gy", "bool"]),
    (v.require_positive, dict(name="total_dose_gy", value=None), TypeError, ["total_dose_gy"]),
    (v.require_positive, dict(name="dose", value=np.array([1.0, -2.0])), ValueError, ["dose", "-2"]),
    (v.require_whole, dict(name="fractions", value=0), ValueError, ["fractions", "whole number >= 1", "got 0"]),
    (v.require_whole, dict(name="fractions", value=2.5), ValueError, ["fractions", "whole number", "2.5"]),
    (v.require_whole, dict(name="fractions", value="5"), TypeError, ["fractions", "whole number"]),
    (v.require_whole, dict(name="count", value=4, minimum=0, maximum=3), ValueError, ["count", "from 0 to 3", "4"]),
    (v.require_in_range, dict(name="size_fraction", value=0, low=0, high=1, low_inclusive=False), ValueError, ["size_fraction", "(0, 1]"]),
    (v.require_in_range, dict(name="temp_c", value=-300, low=-273.15, high=None, unit="°C"), ValueError, ["temp_c", "at least -273.15", "°C"]),
    (v.require_non_negative, dict(name="distance_mm", value=-1, unit="mm"), ValueError, ["distance_mm", "0 or greater", "mm"]),
    (v.require_choice, dict(name="site", value="head", allowed=["upper limb", "lower limb"]), ValueError, ["site", "'upper limb', 'lower limb'", "'head'"]),
    (v.require_choice, dict(name="site", value=3, allowed=["upper limb"]), TypeError, ["site", "string"]),
    (v.require_bool, dict(name="tumour_on", value="yes"), TypeError, ["tumour_on", "True or False"]),
    (v.require_number, dict(name="x", value=[]), ValueError, ["x", "empty"]),
]


def test_bad_input_names_parameter_value_and_allowed():
    check_bad_inputs(BAD_INPUTS)


def test_the_bad_input_table_reports_every_failing_row():
    # the helper must be able to fail: a call that does not raise, a wrong exception type and a message without
    # the parameter's name (or not first) are each reported, together
    problems = bad_input_failures([
        (v.require_positive, dict(name="dose", value=8), ValueError, "dose"),
        (v.require_positive, dict(name="dose", value="8"), ValueError, "dose"),
        (v.require_positive, dict(name="dose", value=-1), ValueError, ["dose", "fractions"]),
        (v.require_positive, dict(name="dose", value=-1), ValueError, "greater than 0"),
        (v.require_positive, dict(name="dose", value=-1), ValueError, "dose"),
    ])
    assert len(problems) == 4
    assert "did not raise ValueError" in problems[0] and "raised TypeError" in problems[1]
    assert "lacks ['fractions']" in problems[2] and "does not start with the parameter 'greater than 0'" in problems[3]
    with pytest.raises(AssertionError, match="1 of 2 bad-input rows failed"):
        check_bad_inputs([(v.require_positive, dict(name="dose", value=8), ValueError, "dose"),
                          (v.require_positive, dict(name="dose", value=-8), ValueError, "dose")])


def test_good_input_passes_through():
    assert v.require_positive("d", 8) == 8.0
    assert v.require_whole("n", 5.0) == 5 and isinstance(v.require_whole("n", 5.0), int)
    np.testing.assert_array_equal(v.require_whole("n", np.array([1, 2, 3])), [1, 2, 3])
    assert v.require_choice("site", "  Upper LIMB ", ["upper limb", "lower limb"]) == "upper limb"
    assert v.require_in_range("f", 1, 0, 1, low_inclusive=False) == 1.0
    assert v.require_non_negative("d", 0) == 0.0
