#!/usr/bin/env python3
"""No Catch2 test name contains ';'.

CMake's catch_discover_tests splits a name at ';' into two tests that match nothing, so such a test
fails in CTest with a message that does not say why (this happened twice). This check names the
test case instead. Usage: test_names_check.py REPO
"""
import re
import subprocess
import sys

repo = sys.argv[1]
files = subprocess.check_output(["git", "-C", repo, "ls-files", "tests/*.cpp"], text=True).split()
# TEST_CASE( followed by one or more adjacent string literals: the name.
name_literals = re.compile(r'TEST_CASE\(\s*((?:"(?:[^"\\]|\\.)*"\s*)+)')
bad = []
for path in files:
    text = open(f"{repo}/{path}", encoding="utf-8").read()
    for match in name_literals.finditer(text):
        name = "".join(re.findall(r'"((?:[^"\\]|\\.)*)"', match.group(1)))
        if ";" in name:
            line = text.count("\n", 0, match.start()) + 1
            bad.append(f"{path}:{line}: {name}")
for entry in bad:
    print("FAIL  a test name contains ';' (CTest would split it):", entry)
print(f"{len(files)} test files read, {len(bad)} bad names")
sys.exit(1 if bad else 0)
