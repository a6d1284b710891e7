#include "text_records_mode.hpp"

#include <iomanip>
#include <iostream>

#include "augment/core/csv.hpp"
#include "augment/core/error.hpp"
#include "augment/core/paths.hpp"
#include "augment/text/text_records.hpp"
#include "cli_common.hpp"

namespace augment::cli {
namespace po = boost::program_options;
namespace {

text::TextRecordOptions record_options(const std::string& input, const TableArgs& table_args,
                                       const features::TableOptions& table, const TextArgs& text,
                                       const std::string& command) {
  text::TextRecordOptions o;
  o.format = text::record_format(input);
  if (!text.text_column.empty()) o.text_column = text.text_column;
  o.language = text.language;
  o.key_column = table.key_column;
  o.invalid_utf8 = text.repair_utf8 ? text::InvalidUtf8::repair : text::InvalidUtf8::reject;
  o.jobs = table.jobs;
  o.fail_fast = table_args.fail_fast;
  o.on_error = [command](const std::string& message) { print_error(command, message); };
  return o;
}

std::string rate(const text::TextRecordSummary& s, std::size_t count) {
  std::ostringstream out;
  out << std::fixed << std::setprecision(2) << s.seconds << " s (" << std::setprecision(0)
      << (s.seconds > 0 ? static_cast<double>(count) / s.seconds : 0.0) << " records/s)";
  return out.str();
}

}  // namespace

void add_text_options(po::options_description& options, TextArgs& args, bool for_run) {
  options.add_options()
      ("lines", po::bool_switch(&args.lines), "text: each line of the .txt input is a sample (empty lines too)")
      ("text-column", po::value(&args.text_column), "text: the CSV column or JSON Lines field holding the text "
                                                    "(default: text)")
      ("language", po::value(&args.language), "text records: the language of records without a language column "
                                              "(es, en, ...)")
      ("repair-utf8", po::bool_switch(&args.repair_utf8), "text: replace invalid UTF-8 by U+FFFD instead of "
                                                          "rejecting the file or record");
  if (for_run)
    options.add_options()("label-column", po::value(&args.label_column),
                          "text records into features (.svm): the column or field written as each line's label");
}

const Registry& registry_for(const TextArgs& args) {
  return args.repair_utf8 ? registry_repairing_utf8() : registry();
}

bool is_text_records(const Pipeline& pipeline, const std::string& input, const TextArgs& args) {
  const bool any_option = args.lines || !args.text_column.empty() || !args.language.empty() ||
                          !args.label_column.empty() || args.repair_utf8;
  if (pipeline.input_kind() != Kind::text) {
    if (any_option)
      throw UsageError("--lines, --text-column, --language, --label-column and --repair-utf8 are for pipelines "
                       "that take text; this one takes " + std::string(to_string(pipeline.input_kind())));
    return false;
  }
  std::error_code ec;
  if (std::filesystem::is_directory(input, ec)) {
    if (args.lines || !args.text_column.empty() || !args.language.empty() || !args.label_column.empty())
      throw UsageError(input + ": a folder holds one sample per file; --lines, --text-column, --language and "
                               "--label-column are for records in one file");
    return false;
  }
  const std::string extension = lower_extension(input);
  if (extension == ".jsonl" || extension == ".ndjson") return true;
  if (extension == ".csv") {
    if (!args.text_column.empty()) return true;
    return !CsvReader(input).find_column("path");  // a manifest of files has a path column
  }
  if (!args.lines)
    throw UsageError(input + ": give --lines to take each line as a sample, or a folder of .txt files "
                             "(one sample per file)");
  return true;
}

int fit_text_records_mode(Pipeline& pipeline, const TableArgs& table_args, const features::TableOptions& table,
                          const TextArgs& text) {
  const text::TextRecordSummary s = text::fit_text_records(
      pipeline, table_args.input, record_options(table_args.input, table_args, table, text, "fit"));
  pipeline.save(table_args.output);
  if (!table_args.quiet)
    std::cerr << "augment fit: " << s.read << " records read, " << s.failed << " bad; wrote " << table_args.output
              << " in " << rate(s, s.read) << "\n";
  return s.failed > 0 ? data_failed : ok;
}

int run_text_records_mode(const Pipeline& pipeline, const TableArgs& table_args, const features::RunOptions& run,
                          const TextArgs& text) {
  text::TextRunOptions o;
  static_cast<text::TextRecordOptions&>(o) = record_options(table_args.input, table_args, run, text, "run");
  o.seed = run.seed;
  o.copies = run.copies;
  o.label_column = text.label_column;
  o.params_output = run.params_output;
  const text::TextRecordSummary s = text::run_text_records(pipeline, table_args.input, table_args.output, o);
  if (s.read == 0 && !table_args.quiet) print_error("run", "warning: no records in " + table_args.input);
  if (!table_args.quiet)
    std::cerr << "augment run: " << s.read << " records read, " << s.written << " written, " << s.failed
              << " failed; " << rate(s, s.written) << " -> " << table_args.output << "\n";
  return s.failed > 0 ? data_failed : ok;
}

}  // namespace augment::cli
