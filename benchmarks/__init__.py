"""Speed measurements for bonemets-edu (ratios against a measured floor; never timed assertions)."""
