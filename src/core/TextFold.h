// Comparing names the way a person reads them (docs/mqtt-commands.md#search): case folding for
// Latin, Greek and Cyrillic letters, and optionally accent folding for Latin letters ("Beyoncé"
// and "BEYONCE" fold to the same text). Pure; invalid UTF-8 bytes are kept as they are.
#pragma once

#include <string>
#include <string_view>

namespace s2m {

// Lowercase: A-Z, the Latin-1 and Latin Extended-A capitals, Greek and Cyrillic capitals.
// "ÉTÉ" → "été".
std::string fold_case(std::string_view text);
// fold_case, then Latin letters without their marks ("été" → "ete", "Æ" → "ae", "ß" → "ss"),
// and combining marks (U+0300–U+036F, as in decomposed text) dropped.
std::string fold_case_and_accents(std::string_view text);

}  // namespace s2m
