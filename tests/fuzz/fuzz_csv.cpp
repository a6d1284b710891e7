// The CSV reader (lib/core csv.hpp) on any bytes, as a stream: every record is read, a bad
// record is reported and skipped as the table readers do. The reader must make progress: more
// next() calls than bytes in the input means it is stuck (the hang class of issue 16).
#include <cstddef>
#include <cstdint>
#include <sstream>
#include <string>

#include "augment/core/csv.hpp"
#include "augment/core/error.hpp"
#include "fuzz_support.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace augment;
  fuzz::use_fuzz_limits();
  std::istringstream in(std::string(reinterpret_cast<const char*>(data), size));
  try {
    CsvReader reader(in, "fuzz.csv");
    const std::size_t columns = reader.header().size();
    CsvRow row;
    for (std::size_t calls = 0;; ++calls) {
      if (calls > size + 2) fuzz::fail("CsvReader::next makes no progress");
      try {
        if (!reader.next(row)) break;
      } catch (const DataError&) {
        continue;  // the record was consumed: the caller may go on
      }
      if (row.fields.size() != columns) fuzz::fail("a record with another field count than the header");
      for (const std::string& field : row.fields)
        if (!is_valid_utf8(field)) fuzz::fail("a field that is not valid UTF-8 was accepted");
    }
  } catch (const Error&) {
  }
  return 0;
}
