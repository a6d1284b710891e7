// augment list: the transform catalogue, straight from the registry.
#include <iostream>
#include <map>
#include <string>
#include <vector>

#include "augment/core/error.hpp"
#include "augment/core/number_text.hpp"
#include "cli_common.hpp"

namespace augment::cli {
namespace po = boost::program_options;
namespace {

std::string value_text(const nlohmann::json& v) {
  if (v.is_null()) return "none";
  if (v.is_number()) return format_number(v.get<double>());
  if (v.is_string()) return v.get<std::string>();
  return v.dump();
}

std::string param_line(const ParamSpec& p) {
  std::string line = std::string(to_string(p.type));
  if (p.drawable) line += " or [lo, hi]";
  if (!p.choices.empty()) {
    line += ": ";
    for (std::size_t i = 0; i < p.choices.size(); ++i) line += (i ? "|" : "") + p.choices[i];
  }
  if (p.minimum || p.maximum)
    line += ", in [" + (p.minimum ? format_number(*p.minimum) : "-inf") + ", " +
            (p.maximum ? format_number(*p.maximum) : "inf") + "]";
  line += p.required ? ", required" : ", default " + value_text(p.default_value);
  return line;
}

std::string kinds(const OpInfo& op) {
  return std::string(to_string(op.input)) + " -> " + std::string(to_string(op.output));
}

void print_text(const std::vector<const OpInfo*>& ops) {
  for (const OpInfo* op : ops) {
    std::cout << op->name << "  (" << kinds(*op) << (op->fittable ? ", fittable" : "")
              << (op->random ? ", random" : "") << ")\n    " << op->doc << "\n";
    for (const auto& p : op->params) std::cout << "    - " << p.name << ": " << param_line(p) << ". " << p.doc << "\n";
  }
}

void print_markdown(const std::vector<const OpInfo*>& ops) {
  // Ops lifted from another kind are listed once, by name: their parameters are the original's.
  std::map<Kind, std::vector<std::string>> lifted;
  for (const OpInfo* op : ops)
    if (op->lifted_from) lifted[*op->lifted_from].push_back("`" + op->name + "`");
  for (const auto& [from, names] : lifted) {
    std::cout << "Every " << to_string(from) << " op that gives an " << to_string(from) << " also takes a "
              << to_string(ops.front()->input) << ", applied to each frame with the same parameters plus `per_frame` "
              << "(boolean, default false: one draw for the whole clip; true: a draw per frame): ";
    for (std::size_t i = 0; i < names.size(); ++i) std::cout << (i ? ", " : "") << names[i];
    std::cout << ".\n\n";
  }
  for (const OpInfo* op : ops) {
    if (op->lifted_from) continue;
    std::cout << "### `" << op->name << "`\n\n" << op->doc << "\n\nKinds: " << kinds(*op)
              << (op->fittable ? "; fittable with `augment fit`" : "") << (op->random ? "; random" : "") << ".\n\n";
    if (op->params.empty()) continue;
    std::cout << "| parameter | type | description |\n|---|---|---|\n";
    for (const auto& p : op->params) std::cout << "| `" << p.name << "` | " << param_line(p) << " | " << p.doc << " |\n";
    std::cout << "\n";
  }
}

}  // namespace

int list_command(const std::vector<std::string>& args) {
  po::options_description options("options");
  std::string kind_name, format;
  options.add_options()
      ("kind", po::value(&kind_name), "only transforms taking this kind (features, image, audio, ...)")
      ("format", po::value(&format)->default_value("text"), "text, markdown or json");
  po::variables_map vm;
  if (!parse("list", "[--kind K] [--format text|markdown|json]", options, args, vm)) return ok;
  std::optional<Kind> kind;
  if (!kind_name.empty()) {
    kind = parse_kind(kind_name);
    if (!kind) throw UsageError("--kind: unknown kind '" + kind_name + "' (features, image, audio, spectrogram, text, tokens, video)");
  }
  if (format != "json" && format != "markdown" && format != "text")
    throw UsageError("--format: expected text, markdown or json, got '" + format + "'");
  // Grouped by the kind they take: names repeat across kinds (image and features `rescale`).
  nlohmann::json out = nlohmann::json::array();
  for (Kind k : all_kinds()) {
    if (kind && k != *kind) continue;
    const auto ops = registry().ops(k);
    if (ops.empty()) continue;
    if (format == "json") {
      for (const OpInfo* op : ops) out.push_back(op->describe());
    } else if (format == "markdown") {
      std::cout << "## " << to_string(k) << "\n\n";
      print_markdown(ops);
    } else {
      std::cout << "== " << to_string(k) << "\n";
      print_text(ops);
    }
  }
  if (format == "json") std::cout << out.dump(2) << "\n";
  return ok;
}

}  // namespace augment::cli
