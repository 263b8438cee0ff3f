// The resolver fuzzer's input: a small file tree and queries on it, written
// as text so that seeds and reproducers can be read and made by hand.
//
// One item per line ("\n"-terminated; the last line may lack it):
//   d PATH          a directory
//   f PATH          a regular file
//   l PATH TARGET   a symlink whose target text is TARGET
//   q PATH          a query, resolved with both -e and -m
// The kind letter is followed by one space. For "l", the first space after
// it ends PATH; TARGET is the rest of the line. Other fields run to the end of
// the line. In every field "\xHH" (two hex digits) stands for any byte — "/",
// NUL, space and newline included — and "\\" for a backslash; any other byte
// is itself. A line in no such form (e.g. a "#" comment) is ignored, so every
// input decodes to something.
//
// Tree entries are made absolute and clean first ("a//b/../c" is "/a/c"), and
// their missing parent directories are added as directory entries before
// them. An entry is dropped, with those parents, if the tree would then
// exceed kMaxTreeEntries, if its path would exceed kMaxEntryPathBytes, or if
// the tree would fail fakehost::ValidateFixture (the path is "/", listed
// twice, inside a file or symlink, has a component over 255 bytes; the target
// is empty, has a NUL or is 4096 bytes or more). Queries are kept byte for
// byte (relative, empty or NUL-bearing ones too), the first kMaxQueries.
//
// Thread-safety: a pure function.
#ifndef NSENTER_FUZZ_RESOLVER_INPUT_H_
#define NSENTER_FUZZ_RESOLVER_INPUT_H_

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "fakehost/fixture.h"

namespace nsenter {

// At most this many files in a tree: written to disk for every input.
inline constexpr size_t kMaxTreeEntries = 16;
// Short enough that every entry, written below a temporary directory, has a
// path below PATH_MAX.
inline constexpr size_t kMaxEntryPathBytes = 1024;
inline constexpr size_t kMaxQueries = 8;

struct ResolverInput {
  fakehost::Fixture tree;  // Only its entries vary; it passes ValidateFixture.
  std::vector<std::string> queries;
};

ResolverInput DecodeResolverInput(std::string_view input);

}  // namespace nsenter

#endif  // NSENTER_FUZZ_RESOLVER_INPUT_H_
